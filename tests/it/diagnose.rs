//! `diagnose`: every row of the failure catalogue recognised from its real wording(s), with its
//! variable parts; a log excerpt with several errors; unknown text; an `_execute` answer; and
//! end to end, a failing TLS scenario's Node error confirmed by the checks.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::support::*;

fn diagnose(args: &[&str], stdin: Option<&str>) -> (serde_json::Value, i32) {
    let mut cmd = bin();
    cmd.args(["diagnose", "--no-process-env", "--format", "json"])
        .args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s.to_string());
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.code().unwrap_or(-1))
}

fn diagnoses(json: &serde_json::Value) -> Vec<&serde_json::Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["module"] == "diagnose" && f["details"].is_object())
        .collect()
}

/// Real texts from the failure catalogue, one or more wordings per row, with a capture each
/// recognition must find (`-` when the row has no variable part).
const CASES: &[(u32, &str, &str, &str)] = &[
    (
        1,
        "error validating action type config: error configuring webhook action: target url \"https://hooks.example.net/x\" is not added to the Kibana config xpack.actions.allowedHosts",
        "url",
        "https://hooks.example.net/x",
    ),
    (
        1,
        "error validation webhook action config: target url \"https://a.example/b\" is not added to the Kibana config xpack.actions.allowedHosts",
        "url",
        "https://a.example/b",
    ),
    (
        1,
        "target hostname \"redirect.example\" is not added to the Kibana config xpack.actions.allowedHosts",
        "host",
        "redirect.example",
    ),
    (
        2,
        "target url \"example.com/do-something\" is not whitelisted in the Kibana config xpack.actions.whitelistedHosts",
        "url",
        "example.com/do-something",
    ),
    (
        2,
        "error configuring webhook action: unable to parse url: TypeError [ERR_INVALID_URL]: Invalid URL",
        "-",
        "-",
    ),
    (
        2,
        "error validation webhook action config: unable to parse url: TypeError: Invalid URL",
        "-",
        "-",
    ),
    (
        3,
        "[config validation of [xpack.actions].allowedHosts.0]: types that failed validation: - [allowedHosts.0.0]: value is [https://x.com] but it must be a valid hostname (see RFC 1123). - [allowedHosts.0.1]: expected value to equal [*]",
        "setting",
        "allowedHosts",
    ),
    (
        3,
        "[allowedHosts.2.0]: value must be a valid hostname (see RFC 1123).",
        "index",
        "2",
    ),
    (
        4,
        "action type \".webhook\" is not enabled in the Kibana config xpack.actions.enabledActionTypes",
        "type",
        ".webhook",
    ),
    (
        5,
        "Action type .webhook is disabled because your basic license does not support it. Please upgrade your license.",
        "license",
        "basic",
    ),
    (
        6,
        "Action type .webhook is disabled because your trial license has expired.",
        "license",
        "trial",
    ),
    (
        7,
        "Action type .webhook is disabled because license information is not available at this time.",
        "-",
        "-",
    ),
    (
        8,
        "Unable to create actions client because the Encrypted Saved Objects plugin is missing encryption key. Please set xpack.encryptedSavedObjects.encryptionKey in the kibana.yml or use the bin/kibana-encryption-keys command.",
        "-",
        "-",
    ),
    (
        8,
        "APIs are disabled because the Encrypted Saved Objects plugin is missing encryption key",
        "-",
        "-",
    ),
    (8, "Unable to load connector types", "-", "-"),
    (
        9,
        "Unable to execute action because the Encrypted Saved Objects plugin is missing encryption key. Please set xpack.encryptedSavedObjects.encryptionKey",
        "-",
        "-",
    ),
    (
        9,
        "Unable to create actions client due to the Encrypted Saved Objects plugin using an ephemeral encryption key. Please set xpack.encryptedSavedObjects.encryptionKey in kibana.yml",
        "-",
        "-",
    ),
    (
        10,
        "[config validation of [xpack.encryptedSavedObjects].encryptionKey]: value has length [8] but it must have a minimum length of [32].",
        "length",
        "8",
    ),
    (
        11,
        "EncryptionError: Unable to decrypt attribute \"secrets\"",
        "attribute",
        "secrets",
    ),
    (
        12,
        "TypeError: Cannot read properties of undefined (reading 'password')",
        "field",
        "password",
    ),
    (
        13,
        "error validating action type connector: secrets must be defined",
        "-",
        "-",
    ),
    (
        14,
        "error validating action type secrets: must specify one of the following schemas: user and password; crt and key (with optional password); or pfx (with optional password)",
        "-",
        "-",
    ),
    (
        14,
        "error configuring webhook action: authType must be null or undefined if hasAuth is false",
        "-",
        "-",
    ),
    (
        15,
        "FATAL  Error: Unknown environment variable referenced in config : ESO_KEY",
        "var",
        "ESO_KEY",
    ),
    (
        16,
        "[config validation of [xpack.actions].enabled]: definition for this key is missing",
        "key",
        "enabled",
    ),
    (
        17,
        "\"xpack.actions.whitelistedHosts\" is deprecated and has been replaced by \"xpack.actions.allowedHosts\"",
        "-",
        "-",
    ),
    (
        17,
        "[config validation of [xpack.actions].whitelistedHosts]: definition for this key is missing",
        "-",
        "-",
    ),
    (
        18,
        "\"xpack.actions.rejectUnauthorized\" is deprecated. Use \"xpack.actions.ssl.verificationMode\" instead",
        "setting",
        "xpack.actions.rejectUnauthorized",
    ),
    (
        18,
        "\"xpack.actions.customHostSettings[0].ssl.rejectUnauthorized\" is deprecated.Use \"xpack.actions.customHostSettings[0].ssl.verificationMode\" instead",
        "setting",
        "xpack.actions.customHostSettings[0].ssl.rejectUnauthorized",
    ),
    (
        19,
        "The confgurations xpack.actions.proxyBypassHosts and xpack.actions.proxyOnlyHosts can not be used at the same time. The configuration xpack.actions.proxyOnlyHosts will be ignored.",
        "-",
        "-",
    ),
    (
        20,
        "The confguration xpack.actions.proxyUrl: proxy:3128 is invalid.",
        "url",
        "proxy:3128",
    ),
    (
        21,
        "[config validation of [xpack.actions].preconfigured]: invalid preconfigured action id \"__proto__\"",
        "id",
        "__proto__",
    ),
    (
        22,
        "error calling webhook, request failed: [SELF_SIGNED_CERT_IN_CHAIN] self signed certificate in certificate chain",
        "code",
        "SELF_SIGNED_CERT_IN_CHAIN",
    ),
    (
        22,
        "[SELF_SIGNED_CERT_IN_CHAIN] self-signed certificate in certificate chain",
        "code",
        "SELF_SIGNED_CERT_IN_CHAIN",
    ),
    (
        22,
        "[DEPTH_ZERO_SELF_SIGNED_CERT] self signed certificate",
        "code",
        "DEPTH_ZERO_SELF_SIGNED_CERT",
    ),
    (22, "Error: self-signed certificate", "-", "-"),
    (
        23,
        "[UNABLE_TO_GET_ISSUER_CERT_LOCALLY] unable to get local issuer certificate",
        "code",
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    ),
    (
        24,
        "[UNABLE_TO_VERIFY_LEAF_SIGNATURE] unable to verify the first certificate",
        "code",
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    ),
    (
        25,
        "[ERR_TLS_CERT_ALTNAME_INVALID] Hostname/IP does not match certificate's altnames: Host: hooks.internal. is not in the cert's altnames: DNS:other.internal",
        "code",
        "ERR_TLS_CERT_ALTNAME_INVALID",
    ),
    (
        25,
        "Hostname/IP does not match certificate's altnames: IP: 10.0.0.5 is not in the cert's list: ",
        "ip",
        "10.0.0.5",
    ),
    (
        26,
        "[CERT_HAS_EXPIRED] certificate has expired",
        "code",
        "CERT_HAS_EXPIRED",
    ),
    (
        27,
        "error calling webhook, request failed: [ECONNREFUSED] connect ECONNREFUSED 127.0.0.1:9000",
        "address",
        "127.0.0.1:9000",
    ),
    (
        28,
        "[ENOTFOUND] getaddrinfo ENOTFOUND hooks.internal",
        "host",
        "hooks.internal",
    ),
    (
        28,
        "[EAI_AGAIN] getaddrinfo EAI_AGAIN hooks.internal",
        "code",
        "EAI_AGAIN",
    ),
    (
        29,
        "[Action][Jira]: Unable to get capabilities. Error: timeout of 60000ms exceeded. Reason: unknown: errorResponse was null.",
        "ms",
        "60000",
    ),
    (
        29,
        "[ETIMEDOUT] connect ETIMEDOUT 10.0.0.5:443",
        "address",
        "10.0.0.5:443",
    ),
    (30, "[ECONNRESET] socket hang up", "-", "-"),
    (
        31,
        "tunneling socket could not be established, statusCode=403",
        "detail",
        "403",
    ),
    (
        32,
        "error calling webhook, invalid response: [407] Proxy Authentication Required",
        "status",
        "407",
    ),
    (
        33,
        "error calling webhook, invalid response: [401] Unauthorized",
        "status",
        "401",
    ),
    (
        33,
        "Unable to create case. Error: Request failed with status code 401.",
        "status",
        "401",
    ),
    (
        34,
        "error calling webhook, retry later: [500] Internal Server Error",
        "-",
        "-",
    ),
    (
        34,
        "error calling webhook, retry at 2026-11-26T18:00:00.000Z",
        "retry_at",
        "2026-11-26T18:00:00.000Z",
    ),
    (
        35,
        "maxContentLength size of 1000000 exceeded",
        "size",
        "1000000",
    ),
    (
        36,
        "Failed to load action ops-hook (404): Saved object [action/ops-hook] not found",
        "id",
        "ops-hook",
    ),
    (
        37,
        "ssl handshake errors PKI path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
        "-",
        "-",
    ),
    (37, "s_s_l_exception Connection reset", "-", "-"),
    (
        38,
        "elasticstack_kibana_action_connector.webhook: Provider produced inconsistent result after apply",
        "-",
        "-",
    ),
    (
        39,
        "{\"is_sufficiently_secure\": false, \"has_permanent_encryption_key\": true}",
        "-",
        "-",
    ),
    // Wordings from the real-paste issue: bare codes, Node's older altnames text, the proxy
    // agent's refusal, another connector type, the wrong decryption key.
    (
        22,
        "SELF_SIGNED_CERT_IN_CHAIN",
        "code",
        "SELF_SIGNED_CERT_IN_CHAIN",
    ),
    (
        22,
        "{ code: 'SELF_SIGNED_CERT_IN_CHAIN' }",
        "code",
        "SELF_SIGNED_CERT_IN_CHAIN",
    ),
    (
        25,
        "Hostname/IP doesn't match certificate's altnames: \"Host: hooks.example.net. is not in the cert's altnames: DNS:other.example\"",
        "host",
        "hooks.example.net",
    ),
    (32, "Invalid response from proxy: 407", "status", "407"),
    (31, "Invalid response from proxy: 403", "status", "403"),
    (
        4,
        ".slack_api is not enabled in the Kibana config",
        "type",
        ".slack_api",
    ),
    (
        11,
        "Error: Unsupported state or unable to authenticate data",
        "-",
        "-",
    ),
    (
        40,
        "[ERROR][elasticsearch-service] Unable to retrieve version information from Elasticsearch nodes. connect ECONNREFUSED 172.25.0.3:9200",
        "-",
        "-",
    ),
    (
        41,
        "{\"type\":\"log\",\"tags\":[\"error\",\"plugins\",\"fleet\"],\"message\":\"Error connecting to package registry: request to https://registry.internal:8443/categories failed, reason: self signed certificate in certificate chain\"}",
        "-",
        "-",
    ),
    (
        42,
        "[ERROR][plugins.enterpriseSearch] Could not perform access check to Enterprise Search:\nFetchError: request to https://es:9200/api/ent/v2/internal/client_config failed, reason: unable to verify the first certificate",
        "-",
        "-",
    ),
    (
        43,
        "ERROR sendmodalert [7101 AlertNotifierWorker-0] - action=slack_webhook_alert STDERR - requests.exceptions.SSLError: certificate verify failed: unable to get local issuer certificate",
        "-",
        "-",
    ),
    (
        47,
        "FATAL  Error: [config validation of [server].port]: expected value of type [number] but got [string]",
        "plugin",
        "server",
    ),
    (
        47,
        "[2026-11-30T10:00:00.000+00:00][FATAL][root] Error: [ui settings overrides [dateFormat:tz]]: Invalid timezone: EST",
        "id",
        "dateFormat:tz",
    ),
    (
        47,
        "FATAL Error: No validation schema has been defined for [xpack.lens]",
        "plugin",
        "xpack.lens",
    ),
    (
        44,
        "Failed to decrypt \"apiKey\" attribute: Unsupported state or unable to authenticate data",
        "error",
        "Unsupported state or unable to authenticate data",
    ),
    (
        33,
        "[Action][Jira]: Unable to create incident.  Error:  Request failed with status code 400.  Reason:  Given parent issue does not belong to appropriate hierarchy",
        "reason",
        "Given parent issue does not belong to appropriate hierarchy",
    ),
    (
        45,
        "error sending email\nDetails:\nMail command failed: 550 5.7.1 Relaying denied",
        "status",
        "550",
    ),
    (
        46,
        "action execution failure: .email:f38886b0: email: error sending email: Greeting never received",
        "-",
        "-",
    ),
];

#[test]
fn every_catalogue_row_is_recognised_from_its_real_wording() {
    let mut failures = Vec::new();
    for (row, text, key, value) in CASES {
        let (json, code) = diagnose(&[text], None);
        let found = diagnoses(&json);
        let Some(first) = found.first() else {
            failures.push(format!("#{row}: nothing recognised in {text:?}"));
            continue;
        };
        if first["details"]["catalogue_row"] != *row {
            failures.push(format!(
                "#{row}: recognised as #{} in {text:?}",
                first["details"]["catalogue_row"]
            ));
        }
        if *key != "-" && first["details"]["captures"][key] != *value {
            failures.push(format!(
                "#{row}: {key} = {} in {text:?}",
                first["details"]["captures"][key]
            ));
        }
        let expected_rule = match *row {
            37 => "watcher-error",
            40..=43 | 47 => "not-kibana-actions",
            _ => "recognised-error",
        };
        if first["name"] != expected_rule {
            failures.push(format!("#{row}: reported as {}", first["name"]));
        }
        // Other products' errors are warnings: the connector is not what failed.
        let expected_code = if matches!(*row, 37 | 40..=43 | 47) {
            0
        } else {
            1
        };
        if code != expected_code {
            failures.push(format!("#{row}: exit code {code}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // Every row of the catalogue has a case above.
    let covered: BTreeSet<u32> = CASES.iter().map(|c| c.0).collect();
    let catalogue: toml::Value =
        toml::from_str(&std::fs::read_to_string(root().join("rules/data/catalogue.toml")).unwrap())
            .unwrap();
    let all: BTreeSet<u32> = catalogue["row"]
        .as_array()
        .expect("[[row]] tables")
        .iter()
        .map(|r| r["id"].as_integer().unwrap() as u32)
        .collect();
    assert_eq!(covered, all);
}

#[test]
fn a_log_excerpt_with_several_errors_gives_each_in_order() {
    let log = "\
[2026-11-26T10:00:01.000+00:00][WARN ][plugins.actions] The confguration xpack.actions.proxyUrl: proxy:3128 is invalid.
[2026-11-26T10:00:02.000+00:00][INFO ][status] Kibana is now available
[2026-11-26T10:05:10.000+00:00][ERROR][plugins.actions.webhook] error on ops-hook webhook event: [ENOTFOUND] getaddrinfo ENOTFOUND hooks.internal
[2026-11-26T10:06:00.000+00:00][ERROR][plugins.actions.webhook] error on ops-hook webhook event: [CERT_HAS_EXPIRED] certificate has expired
";
    let (json, code) = diagnose(&[], Some(log));
    assert_eq!(code, 1);
    let rows: Vec<u64> = diagnoses(&json)
        .iter()
        .map(|f| f["details"]["catalogue_row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [20, 28, 26]);
    let lines: Vec<u64> = diagnoses(&json)
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        lines,
        [1, 3, 4],
        "each finding points at its line of the log"
    );
}

#[test]
fn unknown_text_says_so_and_an_execute_answer_is_read() {
    let (json, code) = diagnose(&["the frobnicator is sad"], None);
    assert_eq!(code, 0);
    assert_eq!(rule_names(&json), ["unrecognised-text"]);

    let answer = r#"{"status":"error","connector_id":"ops-hook","message":"error calling webhook, request failed","service_message":"[ECONNREFUSED] connect ECONNREFUSED 10.1.2.3:8443","errorSource":"user"}"#;
    let (json, _) = diagnose(&[], Some(answer));
    let f = diagnoses(&json)[0];
    assert_eq!(f["details"]["catalogue_row"], 27);
    assert_eq!(f["details"]["captures"]["address"], "10.1.2.3:8443");
}

/// A failing TLS scenario from the live tests: the Node error text plus the configuration and
/// URL, and `diagnose` confirms the cause by running the checks.
#[test]
fn a_tls_error_is_confirmed_against_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let leaf = crate::net::self_signed_leaf(&["leaf.test"]);
    let server =
        crate::net::TlsServer::start(vec![leaf.der.clone()], leaf.key.clone(), Duration::ZERO);
    let yml = crate::net::write(
        dir.path(),
        "kibana.yml",
        "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n",
    );
    let url = format!("https://leaf.test:{}/hook", server.port);
    let resolve = format!("leaf.test:{}:127.0.0.1", server.port);
    let error = "error calling webhook, request failed: [DEPTH_ZERO_SELF_SIGNED_CERT] self-signed certificate";
    let (json, code) = diagnose(
        &[
            "--config",
            yml.to_str().unwrap(),
            "--url",
            &url,
            "--resolve",
            &resolve,
            "--timeout",
            "1",
            error,
        ],
        None,
    );
    assert_eq!(code, 1);
    let f = diagnoses(&json)[0];
    assert_eq!(f["details"]["catalogue_row"], 22);
    assert_eq!(f["details"]["confirmed"], true, "{f}");
    assert_eq!(f["details"]["confirmed_by"][0], "self-signed-certificate");
    assert!(rule_names(&json).contains(&"self-signed-certificate".to_string()));

    // The same text against a configuration that trusts the certificate: not confirmed here.
    let ca = crate::net::write(dir.path(), "leaf.pem", &leaf.pem);
    let trusting = crate::net::write(
        dir.path(),
        "trusting.yml",
        &format!(
            "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\nxpack.actions.customHostSettings:\n  - url: https://leaf.test:{}\n    ssl:\n      certificateAuthoritiesFiles: [\"{}\"]\n",
            server.port,
            ca.display()
        ),
    );
    let (json, _) = diagnose(
        &[
            "--config",
            trusting.to_str().unwrap(),
            "--url",
            &url,
            "--resolve",
            &resolve,
            "--timeout",
            "1",
            error,
        ],
        None,
    );
    assert_eq!(diagnoses(&json)[0]["details"]["confirmed"], false);
}

/// Defects from the real-paste issue: a host captured with the `]` after it, a 503 never named,
/// the same error repeated once per line of the paste.
#[test]
fn captures_are_clean_statuses_named_and_repeats_shown_once() {
    let paste = "getaddrinfo ENOTFOUND hooks.example.net]\nretrying\ngetaddrinfo ENOTFOUND hooks.example.net]\ngetaddrinfo ENOTFOUND hooks.example.net]\nerror calling webhook, retry later: [503] Service Unavailable\n";
    let (json, _) = diagnose(&[], Some(paste));
    let found = diagnoses(&json);
    assert_eq!(found.len(), 2, "{json:#}");
    let dns = found[0]["message"].as_str().unwrap();
    assert!(dns.contains("host `hooks.example.net`)"), "{dns}");
    let notes = found[0]["note"].to_string();
    assert!(notes.contains("appears 3 times"), "{notes}");
    let retry = found[1]["message"].as_str().unwrap();
    assert!(retry.contains("status `503`"), "{retry}");
}

/// The corpus of real error texts (tests/data/diagnose-corpus.jsonl: each with its public
/// thread, the Kibana version and the cause confirmed there, see docs/research/diagnose-corpus.md):
/// the right catalogue row first for ≥ 95 % of those a row names, and no connector cause claimed
/// for a text that is not a Kibana connector's.
#[test]
fn real_pastes_get_the_right_cause_and_no_wrong_fix() {
    let text = std::fs::read_to_string(root().join("tests/data/diagnose-corpus.jsonl")).unwrap();
    let cases: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let (mut with_row, mut right, mut wrong) = (0, 0, Vec::new());
    let mut missed = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        // A thread's URL; strings from Kibana's own tests and source name the repository.
        let source = case["source"].as_str().unwrap_or_default();
        assert!(
            source.starts_with("https://") || source.starts_with("elastic/kibana "),
            "{id}: no public source"
        );
        let (json, _) = diagnose(&[], Some(case["text"].as_str().unwrap()));
        // (row, whether the row says the text is not a connector's)
        let rows: Vec<(u64, bool)> = diagnoses(&json)
            .iter()
            .map(|f| {
                (
                    f["details"]["catalogue_row"].as_u64().unwrap(),
                    f["name"] != "recognised-error",
                )
            })
            .collect();
        match case["row"].as_u64() {
            Some(want) => {
                with_row += 1;
                if rows.first().map(|r| r.0) == Some(want) {
                    right += 1;
                } else {
                    missed.push(format!("{id}: want row {want}, got {rows:?}"));
                }
            }
            None => {
                if rows.iter().any(|(_, elsewhere)| !elsewhere) {
                    wrong.push(format!("{id}: claims a connector cause {rows:?}"));
                }
            }
        }
    }
    let recall = right as f64 / with_row as f64;
    eprintln!(
        "diagnose corpus: {right}/{with_row} right first ({:.1} %), {} of {} other texts wrongly claimed\nmissed: {missed:#?}",
        recall * 100.0,
        wrong.len(),
        cases.len() - with_row
    );
    assert!(recall >= 0.95, "recall {recall:.3}: {missed:#?}");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// An e-mail connector's TLS error is fixed in an smtp:// customHostSettings entry (Kibana
/// looks e-mail hosts up under smtp://<host>:<port>), and its proxy error by bypassing the
/// proxy: the type comes from --connector-type, or from the text (Kibana's log line, the
/// e-mail connector's "error sending email"); every such case of the real-error corpus gets it.
#[test]
fn an_email_connectors_fix_names_its_smtp_entry() {
    let help = |args: &[&str], text: &str| {
        let (json, _) = diagnose(args, Some(text));
        let f = diagnoses(&json)[0].clone();
        (
            f["help"].as_str().unwrap_or_default().to_string(),
            f["details"]["connector_type"].clone(),
        )
    };
    let (fix, _) = help(&[], "self signed certificate in certificate chain");
    assert!(fix.contains("url: https://"), "{fix}");
    let (fix, t) = help(
        &["--connector-type", "email"],
        "self signed certificate in certificate chain",
    );
    assert!(
        fix.contains("url: smtp://") && !fix.contains("url: https://"),
        "{fix}"
    );
    assert_eq!(t["type"], ".email");
    assert_eq!(t["from"], "--connector-type");
    // A webhook stays a webhook.
    let (fix, _) = help(
        &["--connector-type", ".webhook"],
        "self signed certificate in certificate chain",
    );
    assert!(fix.contains("url: https://"), "{fix}");

    let text = std::fs::read_to_string(root().join("tests/data/diagnose-corpus.jsonl")).unwrap();
    let mut seen = 0;
    for line in text.lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let row = case["row"].as_u64();
        if case["connector_type"] != ".email" || !matches!(row, Some(22..=25 | 31)) {
            continue;
        }
        seen += 1;
        let text = case["text"].as_str().unwrap();
        let (fix, t) = help(&["--connector-type", ".email"], text);
        let want = if row == Some(31) {
            "proxyBypassHosts"
        } else {
            "smtp://"
        };
        assert!(fix.contains(want), "{}: {fix}", case["id"]);
        assert_eq!(t["type"], ".email");
        // Where Kibana's text names the type, no flag is needed.
        if text.contains("error sending email") || text.contains("failure: .email:") {
            let (fix, t) = help(&[], text);
            assert!(fix.contains(want), "{}: {fix}", case["id"]);
            assert_eq!(t["from"], "the text", "{}", case["id"]);
        }
    }
    assert!(seen >= 3, "{seen} e-mail TLS/proxy cases in the corpus");
}

/// A cause that holds only in some releases (a bug, fixed later) comes first for those
/// versions, from --kibana-version or the version a log line names, and not at all for others.
#[test]
fn version_bound_causes_follow_the_version() {
    let text =
        "Failed to decrypt \"apiKey\" attribute: Unsupported state or unable to authenticate data";
    let first_cause = |args: &[&str], input: &str| {
        let (json, _) = diagnose(args, Some(input));
        let f = diagnoses(&json)[0].clone();
        (
            f["details"]["causes"][0].as_str().unwrap().to_string(),
            f["details"]["causes"].as_array().unwrap().len(),
        )
    };
    let (cause, _) = first_cause(&["--kibana-version", "8.3.1"], text);
    assert!(cause.contains("8.3.0 and 8.3.1"), "{cause}");
    let (cause, n) = first_cause(&["--kibana-version", "8.3.2"], text);
    assert!(!cause.contains("8.3.0 and 8.3.1"), "{cause}");
    let (_, all) = first_cause(&[], text);
    assert_eq!(all, n + 1, "without a version every cause is listed");
    // The version a JSON log line names.
    let line = r#"{"@timestamp":"2021-01-05T10:00:00Z","service":{"version":"7.10.2"},"message":"error calling webhook, request failed: [SELF_SIGNED_CERT_IN_CHAIN] self signed certificate in certificate chain"}"#;
    let (cause, _) = first_cause(&[], line);
    assert!(
        cause.contains("7.10.0-7.10.2 ignored xpack.actions.rejectUnauthorized"),
        "{cause}"
    );
}
