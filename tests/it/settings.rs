//! The settings surface per Kibana version: unknown, removed, renamed, deprecated and mistyped
//! core settings in dotted, nested and mixed form; versions newer than the table; the upgrade
//! view; the JSON Schema printed for editors.

use std::io::Write as _;

use crate::support::*;

/// Lints `text` for a version; returns the findings as (rule name, setting, Kibana's message),
/// the exit code and stderr.
fn findings(text: &str, args: &[&str]) -> (Vec<(String, String, String)>, i32, String) {
    let mut file = tempfile::Builder::new().suffix(".yml").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    let out = bin()
        .args(["lint", "--no-process-env", "--format", "json"])
        .args(args)
        .arg(file.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let list = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_string(),
                f["setting"].as_str().unwrap_or_default().to_string(),
                f["kibana_message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (
        list,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn has(list: &[(String, String, String)], rule: &str, setting: &str) -> bool {
    list.iter().any(|(r, s, _)| r == rule && s == setting)
}

const KEY: &str =
    "xpack.encryptedSavedObjects.encryptionKey: \"Vq3nR8xL2pT6zW9kD4hJ7sB1mF5cY0gA\"\n";

#[test]
fn a_misspelt_core_key_is_unknown_in_every_form() {
    for text in [
        "server.publicBaseURL: https://kibana.example.com\n",
        "server:\n  publicBaseURL: https://kibana.example.com\n",
        "server:\n  publicBaseURL.x: 1\n",
    ] {
        let (list, code, _) = findings(&format!("{text}{KEY}"), &["--kibana-version", "8.19"]);
        assert_eq!(code, 1, "{text:?}: {list:?}");
        let unknown: Vec<_> = list
            .iter()
            .filter(|(r, _, _)| r == "unknown-setting")
            .collect();
        assert_eq!(unknown.len(), 1, "{text:?}: {list:?}");
        assert!(
            unknown[0]
                .2
                .starts_with("[config validation of [server].publicBaseURL"),
            "{:?}",
            unknown[0]
        );
    }
    // The right spelling passes, nested and dotted.
    let (list, code, _) = findings(
        &format!(
            "server:\n  publicBaseUrl: https://kibana.example.com\n  ssl.enabled: false\n{KEY}"
        ),
        &["--kibana-version", "8.19"],
    );
    assert_eq!(code, 0, "{list:?}");
}

#[test]
fn removed_keys_name_their_version_and_replacement() {
    let text = format!("elasticsearch.url: http://es:9200\nlogging:\n  dest: stdout\n{KEY}");
    // 7.17: logging.dest is only deprecated; elasticsearch.url went in 7.0.
    let (list, _, _) = findings(&text, &["--kibana-version", "7.17"]);
    assert!(
        has(&list, "removed-setting", "elasticsearch.url"),
        "{list:?}"
    );
    assert!(has(&list, "deprecated-setting", "logging.dest"), "{list:?}");
    assert!(!has(&list, "removed-setting", "logging.dest"), "{list:?}");
    for v in ["8.0", "8.19", "9.5"] {
        let (list, code, _) = findings(&text, &["--kibana-version", v]);
        assert_eq!(code, 1);
        let dest = list
            .iter()
            .find(|(r, s, _)| r == "removed-setting" && s == "logging.dest")
            .unwrap_or_else(|| panic!("{v}: {list:?}"));
        assert_eq!(
            dest.2,
            "[config validation of [logging].dest]: definition for this key is missing"
        );
    }
}

#[test]
fn wrong_types_and_forbidden_values_get_kibanas_message() {
    let (list, _, _) = findings(&format!("server.port: abc\n{KEY}"), &[]);
    assert!(
        list.iter().any(|(r, s, k)| r == "invalid-setting-type"
            && s == "server.port"
            && k == "[config validation of [server].port]: expected value of type [number] but got [string]"),
        "{list:?}"
    );
    // A number in a string is what config-schema coerces.
    let (list, code, _) = findings(&format!("server.port: \"5601\"\n{KEY}"), &[]);
    assert_eq!(code, 0, "{list:?}");
    let elastic = format!("elasticsearch.username: elastic\n{KEY}");
    let (list, code, _) = findings(&elastic, &["--kibana-version", "7.17"]);
    assert_eq!(code, 0, "7.17 accepts the elastic user: {list:?}");
    let (list, code, _) = findings(&elastic, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1);
    assert!(
        list.iter().any(|(_, s, k)| s == "elasticsearch.username"
            && k.contains("value of \"elastic\" is forbidden")),
        "{list:?}"
    );
}

#[test]
fn a_renamed_key_still_works_and_says_so() {
    let (list, code, _) = findings(
        &format!("server.cors: true\n{KEY}"),
        &["--kibana-version", "8.19"],
    );
    assert_eq!(code, 0, "{list:?}");
    assert!(has(&list, "deprecated-setting", "server.cors"), "{list:?}");
}

#[test]
fn versions_newer_than_the_table_judge_no_unknown_key() {
    let text = format!("server.someFutureSetting: true\n{KEY}");
    let (list, _, _) = findings(&text, &["--kibana-version", "9.5"]);
    assert!(
        has(&list, "unknown-setting", "server.someFutureSetting"),
        "{list:?}"
    );
    let (list, code, stderr) = findings(&text, &["--kibana-version", "9.7"]);
    assert_eq!(code, 0, "{list:?}");
    assert!(
        !list.iter().any(|(r, _, _)| r == "unknown-setting"),
        "{list:?}"
    );
    assert!(
        list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
    assert!(stderr.contains("newer than the newest release"), "{stderr}");
}

#[test]
fn the_upgrade_view_lists_only_what_changes() {
    let text = format!(
        "xpack.actions.whitelistedHosts: [\"hooks.example.com\"]\nlogging.dest: stdout\nserver.port: abc\n{KEY}"
    );
    let (list, code, _) = findings(&text, &["--kibana-version", "7.17", "--upgrade-to", "9.3"]);
    assert_eq!(code, 1);
    assert!(
        has(&list, "removed-setting", "xpack.actions.whitelistedHosts"),
        "{list:?}"
    );
    assert!(has(&list, "removed-setting", "logging.dest"), "{list:?}");
    // Already wrong in 7.17: not news of the upgrade.
    assert!(!list.iter().any(|(_, s, _)| s == "server.port"), "{list:?}");
    let out = bin()
        .args(["lint", "--kibana-version", "9.3", "--upgrade-to", "8.19"])
        .arg(root().join("fixtures/good/kibana.yml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a downgrade is a usage error");
}

#[test]
fn the_schema_command_prints_a_draft_07_schema_per_version() {
    for v in ["7.17", "8.19", "9.5"] {
        let out = bin()
            .args(["schema", "--kibana-version", v])
            .output()
            .unwrap();
        assert!(out.status.success());
        let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let validator = jsonschema::draft7::new(&schema).expect("a valid draft-07 schema");
        let ok = serde_json::json!({"server": {"port": 5601}, "server.ssl.enabled": false});
        assert!(validator.is_valid(&ok), "{v}");
        let bad = serde_json::json!({"server.publicBaseURL": "https://k"});
        assert!(!validator.is_valid(&bad), "{v}");
    }
    let out = bin()
        .args(["schema", "--kibana-version", "6.8"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Third-party plugins' settings: a note without a declaration (and not also "not judged"); with
/// `[plugins] installed` in kibana-preflight.toml, nothing for a declared plugin and Kibana's
/// unknown-key error for a known one that is not declared.
#[test]
fn third_party_plugin_settings_follow_the_declared_plugins() {
    let yml = &format!(
        "{KEY}elastalert-kibana-plugin.serverHost: elastalert\nsentinl:\n  es:\n    host: localhost\nreadonlyrest_kbn.cookiePass: '12312313123213123213123abcdefghijklm'\n"
    );
    let (list, code, _) = findings(yml, &["--kibana-version", "7.17"]);
    let notes: Vec<_> = list
        .iter()
        .filter(|(r, _, _)| r == "third-party-plugin-setting")
        .collect();
    assert_eq!(notes.len(), 3, "{list:?}");
    assert!(
        notes[0]
            .2
            .contains("Unknown configuration key(s): \"elastalert-kibana-plugin.serverHost\""),
        "{notes:?}"
    );
    assert!(
        !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
    assert_eq!(code, 0, "notes only: {list:?}");

    let dir = tempfile::tempdir().unwrap();
    let (json, code) = lint_in(
        dir.path(),
        yml,
        "[plugins]\ninstalled = [\"readonlyrest_kbn\", \"sentinl\"]\n",
    );
    let names: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_string(),
                f["setting"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        names.contains(&(
            "unknown-setting".into(),
            "elastalert-kibana-plugin.serverHost".into()
        )),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|(n, _)| n == "third-party-plugin-setting"),
        "{names:?}"
    );
    // The declared plugins' keys are not judged, and the report says so.
    let not_judged = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "settings-not-judged")
        .map(|f| f["message"].to_string())
        .unwrap_or_default();
    assert!(
        not_judged.contains("sentinl.*") && not_judged.contains("readonlyrest_kbn.*"),
        "{not_judged}"
    );
    assert_eq!(code, Some(1));

    std::fs::write(
        dir.path().join("kibana-preflight.toml"),
        "[plugins]\ninstalled = [\"sentinl.es\"]\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["lint", "kibana.yml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[plugins] installed"));
}

/// No third-party root is a namespace of a bundled plugin in any version the table covers.
#[test]
fn third_party_roots_are_not_bundled_namespaces() {
    let data: toml::Value = toml::from_str(
        &std::fs::read_to_string(root().join("rules/data/third-party-plugins.toml")).unwrap(),
    )
    .unwrap();
    for entry in std::fs::read_dir(root().join("docs/schema")).unwrap() {
        let path = entry.unwrap().path();
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for plugin in data["plugin"].as_array().unwrap() {
            let r = plugin["root"].as_str().unwrap();
            let clash = schema["properties"]
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k == r || k.starts_with(&format!("{r}.")));
            assert!(!clash, "{r} is in {}", path.display());
        }
    }
}

/// The `validate` functions of core's server and elasticsearch schemas, with Kibana's messages
/// (http_config.ts, ssl_config.ts, elasticsearch_config.ts); an unresolved `${VAR}` is not
/// judged, and a configuration that satisfies them passes.
#[test]
fn cross_key_validations_give_kibanas_messages() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "server.basePath: /kibana/\n",
            "server.basePath",
            "[config validation of [server].basePath]: must start with a slash, don't end with one",
        ),
        (
            "server.ssl.enabled: true\nserver.ssl.certificate: /etc/kibana/kibana.crt\n",
            "server.ssl",
            "[config validation of [server].ssl]: must specify [certificate] and [key] -- or [keystore.path] -- when ssl is enabled",
        ),
        (
            "server.ssl.clientAuthentication: required\n",
            "server.ssl",
            "[config validation of [server].ssl]: must enable ssl to use [clientAuthentication]",
        ),
        (
            "server.ssl:\n  keystore.path: /k.p12\n  key: /k.pem\n",
            "server.ssl",
            "[config validation of [server].ssl]: cannot use [key] when [keystore.path] is specified",
        ),
        (
            "server.rewriteBasePath: true\n",
            "server",
            "[config validation of [server]]: cannot use [rewriteBasePath] when [basePath] is not specified",
        ),
        (
            "server.basePath: /kibana\nserver.publicBaseUrl: https://kibana.example.com/kibana/\n",
            "server",
            "[config validation of [server]]: [publicBaseUrl] must contain the [basePath]: /kibana/ !== /kibana",
        ),
        (
            "server.publicBaseUrl: https://kibana.example.com/kibana\n",
            "server",
            "[config validation of [server]]: [publicBaseUrl] must contain the [basePath]: /kibana !== undefined",
        ),
        (
            "server.publicBaseUrl: https://kibana.example.com/?a=1\n",
            "server",
            "[config validation of [server]]: [publicBaseUrl] may only contain a protocol, host, port, and pathname",
        ),
        (
            "server.xsrf.allowlist: [api/hook]\n",
            "server.xsrf.allowlist[0]",
            "[config validation of [server].xsrf.allowlist.0]: must start with a slash",
        ),
        (
            "server.shutdownTimeout: 5m\n",
            "server.shutdownTimeout",
            "[config validation of [server].shutdownTimeout]: the value should be between 1 second and 2 minutes",
        ),
        (
            "elasticsearch.username: kibana_system\nelasticsearch.serviceAccountToken: AAEAAWVsYXN0aWMva2liYW5h\n",
            "elasticsearch.serviceAccountToken",
            "[config validation of [elasticsearch].serviceAccountToken]: serviceAccountToken cannot be specified when \"username\" is also set.",
        ),
        (
            "elasticsearch.ignoreVersionMismatch: true\n",
            "elasticsearch.ignoreVersionMismatch",
            "[config validation of [elasticsearch].ignoreVersionMismatch]: \"ignoreVersionMismatch\" can only be set to true in development mode",
        ),
    ];
    for (yml, setting, message) in cases {
        let (list, code, _) = findings(&format!("{yml}{KEY}"), &["--kibana-version", "8.19"]);
        assert_eq!(code, 1, "{yml}: {list:?}");
        assert!(
            list.iter()
                .any(|(r, s, k)| r == "invalid-setting-value" && s == setting && k == message),
            "{yml}: {list:?}"
        );
    }
    let fine = [
        "server.ssl.enabled: true\nserver.ssl.certificate: /c.pem\nserver.ssl.key: /k.pem\nserver.ssl.clientAuthentication: optional\n",
        "server.ssl.enabled: true\nserver.ssl.keystore.path: /k.p12\n",
        "server.basePath: /kibana\nserver.rewriteBasePath: true\nserver.publicBaseUrl: https://kibana.example.com/kibana\n",
        "server.publicBaseUrl: https://kibana.example.com\n",
        "server.publicBaseUrl: https://kibana.example.com/\n",
        "server.shutdownTimeout: 90s\nserver.xsrf.allowlist: [/api/hook]\n",
        "elasticsearch.serviceAccountToken: AAEAAWVsYXN0aWMva2liYW5h\n",
    ];
    for yml in fine {
        let (list, code, _) = findings(&format!("{yml}{KEY}"), &["--kibana-version", "8.19"]);
        assert!(
            !list.iter().any(|(r, _, _)| r == "invalid-setting-value"),
            "{yml}: {list:?}"
        );
        assert_eq!(code, 0, "{yml}: {list:?}");
    }
    // A key whose value is an unresolved variable: Kibana stops at the variable, not here.
    let (list, _, _) = findings(
        &format!(
            "server.ssl.enabled: true\nserver.ssl.certificate: /c.pem\nserver.ssl.key: ${{SSL_KEY}}\n{KEY}"
        ),
        &["--kibana-version", "8.19"],
    );
    assert!(
        !list.iter().any(|(r, _, _)| r == "invalid-setting-value"),
        "{list:?}"
    );
}

/// `logging` is held completely from 8.0 (appenders, loggers, root, browser; research in
/// docs/research/settings/core-misc.md): a misspelt key there stops Kibana; inside an appender
/// (a union of types) and in 7.17 (its file was not read) nothing is claimed.
#[test]
fn logging_is_judged_from_8_0_but_not_inside_appenders() {
    let typo = format!("logging.root.levle: info\n{KEY}");
    let (list, code, _) = findings(&typo, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, k)| r == "unknown-setting"
            && s == "logging.root.levle"
            && k.contains(
                "[config validation of [logging].root.levle]: definition for this key is missing"
            )),
        "{list:?}"
    );
    let (list, _, _) = findings(&typo, &["--kibana-version", "7.17"]);
    assert!(
        !list.iter().any(|(r, _, _)| r == "unknown-setting"),
        "{list:?}"
    );
    let appender = format!(
        "logging:\n  appenders:\n    file:\n      type: file\n      fileName: /var/log/kibana.log\n      somethingNew: true\n      layout:\n        type: json\n  root:\n    appenders: [default, file]\n    level: info\n{KEY}"
    );
    let (list, code, _) = findings(&appender, &["--kibana-version", "9.5"]);
    assert!(
        !list.iter().any(|(r, _, _)| r == "unknown-setting"),
        "{list:?}"
    );
    assert_eq!(code, 0, "{list:?}");
}

/// A root neither core nor any bundled plugin has, in any release from 7.17 on: Kibana's
/// unknown-key error with the root meant; before 7.17 and beyond the table, not judged (but for
/// near-misses of `xpack` namespaces the table holds); a root
/// the policy declares as an installed plugin's, not judged either.
#[test]
fn unknown_config_roots_are_errors_where_the_root_list_covers_the_release() {
    let yml = format!(
        "{KEY}elasticsaerch.hosts: [\"https://es:9200\"]\nxpack:\n  fleeet:\n    agents.enabled: true\nmy_company_plugin.enabled: true\n"
    );
    for version in ["7.17", "8.19", "9.5"] {
        let (list, code, _) = findings(&yml, &["--kibana-version", version]);
        assert_eq!(code, 1, "{version}: {list:?}");
        for (root, leaves) in [
            ("elasticsaerch", "\"elasticsaerch.hosts\""),
            ("xpack.fleeet", "\"xpack.fleeet.agents.enabled\""),
            ("my_company_plugin", "\"my_company_plugin.enabled\""),
        ] {
            let hit = list
                .iter()
                .find(|(r, s, _)| r == "unknown-setting" && s == root)
                .unwrap_or_else(|| panic!("{version} {root}: {list:?}"));
            assert_eq!(
                hit.2,
                format!(
                    "Unknown configuration key(s): {leaves}. Check for spelling errors and ensure that expected plugins are installed."
                )
            );
        }
        // Judged, so not also listed as not judged.
        assert!(
            !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
            "{version}: {list:?}"
        );
    }
    let text = human(&yml, &["--kibana-version", "9.5"]);
    assert!(text.contains("did you mean `elasticsearch`?"), "{text}");
    assert!(text.contains("did you mean `xpack.fleet`?"), "{text}");
    assert!(
        text.contains("[plugins] installed = [\"my_company_plugin\"]"),
        "{text}"
    );
    // `xpack.enabled` is a plugin's (8.0's data_enhanced has configPath ["xpack"]).
    let (list, _, _) = findings(
        &format!("{KEY}xpack.enabled: true\n"),
        &["--kibana-version", "8.0"],
    );
    assert!(
        !list.iter().any(|(r, _, _)| r == "unknown-setting"),
        "{list:?}"
    );
    // Outside the releases the list covers, only a near-miss of a namespace the table holds.
    for version in ["7.16", "9.7"] {
        let (list, _, _) = findings(&yml, &["--kibana-version", version]);
        let unknown: Vec<&str> = list
            .iter()
            .filter(|(r, _, _)| r == "unknown-setting")
            .map(|(_, s, _)| s.as_str())
            .collect();
        assert_eq!(unknown, ["xpack.fleeet"], "{version}: {list:?}");
    }

    let dir = tempfile::tempdir().unwrap();
    let (json, _) = lint_in(
        dir.path(),
        &yml,
        "[plugins]\ninstalled = [\"my_company_plugin\"]\n",
    );
    let findings = json["findings"].as_array().unwrap();
    assert!(
        !findings.iter().any(|f| f["setting"] == "my_company_plugin"),
        "{findings:?}"
    );
    assert!(
        findings.iter().any(|f| f["name"] == "settings-not-judged"
            && f["message"]
                .as_str()
                .unwrap()
                .contains("`my_company_plugin.*` (1)")),
        "{findings:?}"
    );
}

/// The JSON report and exit code of `lint` for `yml`, written to `dir` beside a
/// kibana-preflight.toml holding `policy`.
fn lint_in(dir: &std::path::Path, yml: &str, policy: &str) -> (serde_json::Value, Option<i32>) {
    std::fs::write(dir.join("kibana.yml"), yml).unwrap();
    std::fs::write(dir.join("kibana-preflight.toml"), policy).unwrap();
    let out = bin()
        .current_dir(dir)
        .args(["lint", "--no-process-env", "--format", "json", "kibana.yml"])
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code(),
    )
}

/// The human report of `lint` for `text`.
fn human(text: &str, args: &[&str]) -> String {
    let mut file = tempfile::Builder::new().suffix(".yml").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    let out = bin()
        .args(["lint", "--no-process-env", "--color", "never"])
        .args(args)
        .arg(file.path())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `xpack.fleet` is held completely from 7.17 (docs/research/settings/xpack-fleet.md): a
/// misspelt key is Kibana's unknown-key error, a key newer than the release is not available,
/// and `unused` keys are reported as removed before validation (Kibana ignores them).
#[test]
fn fleet_settings_are_judged_per_release() {
    let yml = format!(
        "{KEY}xpack.fleet:\n  agents:\n    enabeld: true\n    tlsCheckDisabled: true\n  isAirGapped: true\n  packages:\n    - name: system\n      version: latest\n"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.12"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "unknown-setting"
            && s == "xpack.fleet.agents.enabeld"
            && m.contains("enabeld")),
        "{list:?}"
    );
    assert!(
        has(&list, "setting-not-available", "xpack.fleet.isAirGapped"),
        "{list:?}"
    );
    assert!(
        has(
            &list,
            "deprecated-setting",
            "xpack.fleet.agents.tlsCheckDisabled"
        ),
        "{list:?}"
    );
    // Preconfigured items are not modelled, and nothing under xpack.fleet is "not judged".
    assert!(
        !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
    let (list, _, _) = findings(&yml, &["--kibana-version", "9.5"]);
    assert!(
        !has(&list, "setting-not-available", "xpack.fleet.isAirGapped"),
        "{list:?}"
    );
    let text = human(&yml, &["--kibana-version", "9.5"]);
    assert!(
        text.contains("did you mean `xpack.fleet.agents.enabled`?"),
        "{text}"
    );
    assert!(text.contains("Kibana ignores it"), "{text}");
}

/// Plugins' `enabled` switches left the schemas in 8.0 (PR #113495) and some came back for
/// Serverless: removed-then-back keys are an error in the releases known without them, a
/// warning where no copy was read, and fine again once back.
#[test]
fn enabled_switches_that_left_and_came_back() {
    let yml = format!("{KEY}xpack.fleet.enabled: true\nenterpriseSearch.enabled: true\n");
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.1"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "removed-setting", "xpack.fleet.enabled"),
        "{list:?}"
    );
    assert!(
        has(&list, "removed-setting", "enterpriseSearch.enabled"),
        "{list:?}"
    );
    let text = human(&yml, &["--kibana-version", "8.1"]);
    assert!(
        text.contains("was removed in Kibana 8.0.0 and is back from 8.8.0"),
        "{text}"
    );
    // 8.5: Fleet's schema of 8.3-8.7 was not read, so only a warning; Enterprise Search's was.
    let (list, _, _) = findings(&yml, &["--kibana-version", "8.5"]);
    assert!(
        has(&list, "unverified-setting", "xpack.fleet.enabled"),
        "{list:?}"
    );
    assert!(
        has(&list, "removed-setting", "enterpriseSearch.enabled"),
        "{list:?}"
    );
    for v in ["7.17", "8.8", "8.19"] {
        let (list, _, _) = findings(&yml, &["--kibana-version", v]);
        assert!(
            !list.iter().any(|(r, s, _)| s.ends_with(".enabled")
                && (r == "removed-setting" || r == "unverified-setting")),
            "{v}: {list:?}"
        );
    }
}

/// `xpack.reporting` is held completely from 8.3 (no 7.17 copy of its schema is stored): a
/// misspelt key is an error there and "not judged" before.
#[test]
fn reporting_settings_are_judged_from_8_3() {
    let yml = format!("{KEY}xpack.reporting.csv.maxSizeByte: 10mb\n");
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "unknown-setting", "xpack.reporting.csv.maxSizeByte"),
        "{list:?}"
    );
    let text = human(&yml, &["--kibana-version", "9.5"]);
    assert!(
        text.contains("did you mean `xpack.reporting.csv.maxSizeBytes`?"),
        "{text}"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.2"]);
    assert_eq!(code, 0, "{list:?}");
    assert!(
        list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
}

/// `xpack.security` is held completely from 7.17 (docs/research/settings/xpack-security.md): a
/// misspelt key is an error, a Serverless-only key is config-schema's `never()` on self-managed
/// Kibana, the provider object form passes, and `enabled` is gone from 8.0.
#[test]
fn security_settings_are_judged_with_serverless_only_keys() {
    let yml = format!(
        "{KEY}xpack.security:\n  session.idleTimout: 1h\n  roleManagementEnabled: false\n  authc.providers:\n    basic.basic1:\n      order: 0\n"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "9.5"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(
            &list,
            "unknown-setting",
            "xpack.security.session.idleTimout"
        ),
        "{list:?}"
    );
    let serverless = list
        .iter()
        .find(|(r, s, _)| {
            r == "invalid-setting-value" && s == "xpack.security.roleManagementEnabled"
        })
        .unwrap_or_else(|| panic!("{list:?}"));
    assert_eq!(
        serverless.2,
        "[config validation of [xpack.security].roleManagementEnabled]: a value wasn't expected to be present"
    );
    assert!(
        !list
            .iter()
            .any(|(_, s, _)| s.starts_with("xpack.security.authc")),
        "{list:?}"
    );
    assert!(
        !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
    let text = human(&yml, &["--kibana-version", "9.5"]);
    assert!(
        text.contains("did you mean `xpack.security.session.idleTimeout`?"),
        "{text}"
    );
    assert!(text.contains("Elastic Cloud Serverless"), "{text}");

    let (list, _, _) = findings(
        &format!("{KEY}xpack.security.enabled: false\n"),
        &["--kibana-version", "8.19"],
    );
    assert!(
        has(&list, "removed-setting", "xpack.security.enabled"),
        "{list:?}"
    );
}

/// The plugin namespaces held from the release their research establishes: securitySolution
/// from 8.14, ml from 7.17 (no schema before 8.11/8.12), enterpriseSearch from 8.18 (its root
/// moved to xpack.search in 9.0).
#[test]
fn smaller_plugin_namespaces_are_judged_where_established() {
    let typo = format!("{KEY}xpack.securitySolution.maxRuleImportExportSise: 10000\n");
    let (list, _, _) = findings(&typo, &["--kibana-version", "9.5"]);
    assert!(
        has(
            &list,
            "unknown-setting",
            "xpack.securitySolution.maxRuleImportExportSise"
        ),
        "{list:?}"
    );
    let (list, code, _) = findings(&typo, &["--kibana-version", "8.13"]);
    assert_eq!(code, 0, "not judged before 8.14: {list:?}");

    let ml = format!("{KEY}xpack.ml.ad.enabled: true\n");
    let (list, _, _) = findings(&ml, &["--kibana-version", "8.10"]);
    assert!(
        has(&list, "setting-not-available", "xpack.ml.ad"),
        "{list:?}"
    );
    let (list, code, _) = findings(&ml, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");

    let (list, _, _) = findings(
        &format!("{KEY}enterpriseSearch.appsDisabled: true\n"),
        &["--kibana-version", "9.5"],
    );
    assert!(
        has(&list, "removed-setting", "enterpriseSearch.appsDisabled"),
        "{list:?}"
    );
}

/// Monitoring's deprecations move `xpack.monitoring` to `monitoring` before validation: a key
/// the monitoring schema lacks is then Kibana's error under its new name (the message a user
/// reported in elastic/kibana#98771), and with `monitoring.*` also written every
/// `xpack.monitoring.*` key is dropped with a warning.
#[test]
fn xpack_monitoring_is_moved_to_monitoring_first() {
    let yml = format!(
        "{KEY}xpack.monitoring.collection.enabled: true\nxpack.monitoring.ui.ccs.enabled: false\n"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "unknown-setting"
            && s == "monitoring.collection"
            && m == "[config validation of [monitoring].collection]: definition for this key is missing"),
        "{list:?}"
    );
    assert!(
        has(&list, "deprecated-setting", "xpack.monitoring"),
        "{list:?}"
    );
    // Nothing under xpack.monitoring is "not judged": it was judged as monitoring.*.
    assert!(
        !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
    let mixed =
        format!("{KEY}monitoring.ui.enabled: true\nxpack.monitoring.collection.enabled: true\n");
    let (list, code, _) = findings(&mixed, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "deprecated-setting"
            && s == "xpack.monitoring"
            && m.ends_with("However, both keys are present. Ignoring \"xpack.monitoring\"")),
        "{list:?}"
    );
    // A specific rename runs first: xpack.monitoring.elasticsearch goes to monitoring.ui.
    let es = format!(
        "{KEY}xpack.monitoring.elasticsearch.hosts: [\"https://mon:9200\"]\nxpack.monitoring.elasticsearch.usernme: x\n"
    );
    let (list, _, _) = findings(&es, &["--kibana-version", "9.5"]);
    assert!(
        has(
            &list,
            "unknown-setting",
            "monitoring.ui.elasticsearch.usernme"
        ),
        "{list:?}"
    );
}

/// Roots no schema owns any more (`kibana` from 8.0, `apm_oss` from 7.16): a key no
/// deprecation moves is core's unknown-key error, in core's words.
#[test]
fn roots_without_an_owner_get_cores_unknown_key_message() {
    let yml =
        format!("{KEY}kibana.index: .kibana\napm_oss.errorIndices: apm-*\napm_oss.bogus: 1\n");
    let (list, code, _) = findings(&yml, &["--kibana-version", "7.17"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "unknown-setting"
            && s == "apm_oss.bogus"
            && m == "Unknown configuration key(s): \"apm_oss.bogus\". Check for spelling errors and ensure that expected plugins are installed."),
        "{list:?}"
    );
    assert!(!has(&list, "removed-setting", "kibana.index"), "{list:?}");
    let (list, _, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert!(has(&list, "removed-setting", "kibana.index"), "{list:?}");
    let (list, _, _) = findings(
        &format!("{KEY}kibana.foo.bar: 1\n"),
        &["--kibana-version", "8.19"],
    );
    assert!(
        list.iter().any(|(r, _, m)| r == "unknown-setting"
            && m.starts_with("Unknown configuration key(s): \"kibana.foo.bar\".")),
        "{list:?}"
    );
}

/// 7.17's Fleet renames twelve `xpack.ingestManager` paths to `xpack.fleet` before validation
/// and drops the rest; 8.0 deleted that (PR #118164), so the root is then core's unknown key.
#[test]
fn xpack_ingest_manager_moves_to_fleet_in_7_17_only() {
    let yml = format!(
        "{KEY}xpack.ingestManager.registryUrl: https://epr.example.com\nxpack.ingestManager.fleet.tlsCheckDisabled: true\n"
    );
    let (list, _, _) = findings(&yml, &["--kibana-version", "7.17"]);
    assert!(
        has(
            &list,
            "deprecated-setting",
            "xpack.ingestManager.registryUrl"
        ),
        "{list:?}"
    );
    assert!(
        !list
            .iter()
            .any(|(r, _, _)| r == "unknown-setting" || r == "removed-setting"),
        "{list:?}"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "removed-setting"
            && s == "xpack.ingestManager"
            && m.starts_with("Unknown configuration key(s): \"xpack.ingestManager.registryUrl\", \"xpack.ingestManager.fleet.tlsCheckDisabled\".")),
        "{list:?}"
    );
}

/// Namespaces complete over a window of releases (`complete_through`): an unknown key is
/// Kibana's error inside the window and "not judged" after it, where no dated copy of the
/// schema was read (docs/research/settings/windows.md).
#[test]
fn namespaces_are_judged_only_within_their_window() {
    let typo = format!("{KEY}xpack.infra.sources.default.fieldz.message: x\n");
    for v in ["7.17", "8.19", "9.0", "9.0.3"] {
        let (list, code, _) = findings(&typo, &["--kibana-version", v]);
        assert_eq!(code, 1, "{v}: {list:?}");
        assert!(
            list.iter().any(|(r, s, m)| r == "unknown-setting"
                && s == "xpack.infra.sources.default.fieldz"
                && m == "[config validation of [xpack.infra].sources.default.fieldz]: definition for this key is missing"),
            "{v}: {list:?}"
        );
    }
    for v in ["9.1", "9.5"] {
        let (list, code, _) = findings(&typo, &["--kibana-version", v]);
        assert_eq!(code, 0, "{v}: {list:?}");
        assert!(
            list.iter().any(|(r, _, _)| r == "settings-not-judged"),
            "{v}: {list:?}"
        );
    }
    // A key the table knows is still judged after the window.
    let (list, _, _) = findings(
        &format!("{KEY}xpack.infra.inventory.compositeSize: many\n"),
        &["--kibana-version", "9.5"],
    );
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-type"
            && s == "xpack.infra.inventory.compositeSize"
            && m == "[config validation of [xpack.infra].inventory.compositeSize]: expected value of type [number] but got [string]"),
        "{list:?}"
    );

    let cases = format!("{KEY}xpack.cases.filez.maxSize: 10\n");
    for (v, judged) in [("8.7", false), ("8.8", true), ("9.4", true), ("9.5", false)] {
        let (list, _, _) = findings(&cases, &["--kibana-version", v]);
        assert_eq!(
            has(&list, "unknown-setting", "xpack.cases.filez"),
            judged,
            "{v}: {list:?}"
        );
    }
    // Complete through the newest release: a 9.6 key is not yet there in 9.5.
    let (list, _, _) = findings(
        &format!(
            "{KEY}xpack.alerting.healthChek.interval: 5m\nxpack.stack_connectors.declarativeCatalog.enabled: true\n"
        ),
        &["--kibana-version", "9.5"],
    );
    assert!(
        has(&list, "unknown-setting", "xpack.alerting.healthChek"),
        "{list:?}"
    );
    assert!(
        has(
            &list,
            "setting-not-available",
            "xpack.stack_connectors.declarativeCatalog"
        ),
        "{list:?}"
    );
}

/// Booleans a self-managed Kibana takes one value of: `literal(false)` outside Serverless or
/// development builds, or a `validate` that refuses `false` (Spaces' visibility switches).
#[test]
fn one_value_booleans_get_kibanas_message() {
    let yml = format!(
        "{KEY}csp.disableEmbedding: true\nxpack.spaces.allowFeatureVisibility: false\ntelemetry.localShipper: true\nelasticsearch.ignoreVersionMismatch: true\n"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "9.5"]);
    assert_eq!(code, 1, "{list:?}");
    for (setting, message) in [
        (
            "csp.disableEmbedding",
            "[config validation of [csp].disableEmbedding]: types that failed validation:\n- [config validation of [csp].disableEmbedding.0]: expected value to equal [false]",
        ),
        (
            "xpack.spaces.allowFeatureVisibility",
            "[config validation of [xpack.spaces].allowFeatureVisibility]: Feature visibility can only be disabled on serverless",
        ),
        (
            "telemetry.localShipper",
            "[config validation of [telemetry].localShipper]: expected value to equal [false]",
        ),
        // Kibana's own integration test (version_mismatch) expects this text.
        (
            "elasticsearch.ignoreVersionMismatch",
            "[config validation of [elasticsearch].ignoreVersionMismatch]: \"ignoreVersionMismatch\" can only be set to true in development mode",
        ),
    ] {
        assert!(
            list.iter()
                .any(|(r, s, m)| r == "invalid-setting-value" && s == setting && m == message),
            "{setting}: {list:?}"
        );
    }
    // The accepted value, in either form, is fine.
    let good = format!(
        "{KEY}csp.disableEmbedding: \"false\"\nxpack.spaces.allowFeatureVisibility: true\ntelemetry.localShipper: false\n"
    );
    let (list, code, _) = findings(&good, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");
    // Before the key existed it is unknown, not a value error.
    let (list, _, _) = findings(
        &format!("{KEY}xpack.spaces.allowFeatureVisibility: false\n"),
        &["--kibana-version", "8.9"],
    );
    assert!(
        !has(
            &list,
            "invalid-setting-value",
            "xpack.spaces.allowFeatureVisibility"
        ),
        "{list:?}"
    );
}

/// Core's `csp` validate functions (csp/config.ts, 7.15-7.17, 8.x and 9.x copies): refused
/// sources in a directive, and `unsafe-inline` in `script_src` while `strict` (default true from
/// 8.0, PR #41700) or `warnLegacyBrowsers` is on.
#[test]
fn csp_values_kibana_refuses_get_its_message() {
    let inline = format!("{KEY}csp.script_src: [\"'self'\", \"'unsafe-inline'\"]\n");
    for (v, key) in [
        ("7.17", "warnLegacyBrowsers"),
        ("8.0", "strict"),
        ("9.5", "strict"),
    ] {
        let (list, code, _) = findings(&inline, &["--kibana-version", v]);
        assert_eq!(code, 1, "{v}: {list:?}");
        let message = format!(
            "[config validation of [csp]]: cannot use `unsafe-inline` for `script_src` when `csp.{key}` is true"
        );
        assert!(
            list.iter()
                .any(|(r, s, m)| r == "invalid-setting-value" && s == "csp" && *m == message),
            "{v}: {list:?}"
        );
    }
    let loosened = format!(
        "{KEY}csp.strict: false\ncsp.warnLegacyBrowsers: false\ncsp.script_src: [\"'unsafe-inline'\"]\ncsp.report_uri: [\"'none'\"]\n"
    );
    let (list, code, _) = findings(&loosened, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");

    let refused =
        format!("{KEY}csp.frame_ancestors: [\"'self'\", \"none\"]\ncsp.img_src: [\"nonce-abc\"]\n");
    let (list, _, _) = findings(&refused, &["--kibana-version", "8.19"]);
    for (setting, message) in [
        (
            "csp.frame_ancestors",
            "[config validation of [csp].frame_ancestors]: using \"none\" would conflict with Kibana's default csp configuration and is not allowed",
        ),
        (
            "csp.img_src",
            "[config validation of [csp].img_src]: using \"nonce-*\" is considered insecure and is not allowed",
        ),
    ] {
        assert!(
            list.iter()
                .any(|(r, s, m)| r == "invalid-setting-value" && s == setting && m == message),
            "{setting}: {list:?}"
        );
    }

    let rules =
        format!("{KEY}csp.rules: [\"script-src 'self'\"]\ncsp.style_src: [\"https://x\"]\n");
    let (list, _, _) = findings(&rules, &["--kibana-version", "7.17"]);
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-value"
            && s == "csp"
            && m.ends_with("\"csp.rules\" cannot be used when specifying per-directive additions such as \"script_src\", \"worker_src\" or \"style_src\"")),
        "{list:?}"
    );
}

/// The alerting framework's `validateDurationSchema` (`formats.rs`), and the one-day cap on the
/// minimum schedule interval.
#[test]
fn alerting_durations_get_kibanas_message() {
    let yml = format!(
        "{KEY}xpack.alerting.healthCheck.interval: 5min\nxpack.alerting.rules.minimumScheduleInterval.value: 2d\nxpack.alerting.rules.run.timeout: 5m\n"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    for (setting, message) in [
        (
            "xpack.alerting.healthCheck.interval",
            "[config validation of [xpack.alerting].healthCheck.interval]: string is not a valid duration: 5min",
        ),
        (
            "xpack.alerting.rules.minimumScheduleInterval.value",
            "[config validation of [xpack.alerting].rules.minimumScheduleInterval.value]: duration cannot exceed one day",
        ),
    ] {
        assert!(
            list.iter()
                .any(|(r, s, m)| r == "invalid-setting-value" && s == setting && m == message),
            "{setting}: {list:?}"
        );
    }
    assert!(
        !has(
            &list,
            "invalid-setting-value",
            "xpack.alerting.rules.run.timeout"
        ),
        "{list:?}"
    );
}

/// The Serverless plugins ship in the self-managed distributable and core validates their
/// schemas though they are disabled (plugin-serverless.md): a typo under one of their config
/// paths is that schema's error; a root without an owner is core's unknown-key error.
#[test]
fn serverless_plugin_roots_are_judged_on_self_managed() {
    let yml = format!(
        "{KEY}xpack.serverless.plugin.enabeld: true\nxpack.serverless.security.enabled: true\nxpack.securitySolutionServerless.productTypes: [{{product_line: security, product_tier: complete}}]\n"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "9.3"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "unknown-setting"
            && s == "xpack.serverless.plugin.enabeld"
            && m == "[config validation of [xpack.serverless.plugin].enabeld]: definition for this key is missing"),
        "{list:?}"
    );
    assert!(
        list.iter().any(|(r, s, m)| r == "removed-setting"
            && s == "xpack.serverless.security.enabled"
            && m.starts_with(
                "Unknown configuration key(s): \"xpack.serverless.security.enabled\"."
            )),
        "{list:?}"
    );
    // One finding per key: `xpack.serverless` itself is no namespace.
    assert_eq!(
        list.iter()
            .filter(|(_, s, _)| s == "xpack.serverless.security.enabled")
            .count(),
        1,
        "{list:?}"
    );
    assert!(
        !list
            .iter()
            .any(|(_, s, _)| s.starts_with("xpack.securitySolutionServerless")),
        "{list:?}"
    );
    // Before the plugins existed, the whole root is unknown, and nothing is left "not judged".
    let (list, _, _) = findings(&yml, &["--kibana-version", "8.7"]);
    assert!(
        has(&list, "setting-not-available", "xpack.serverless.plugin"),
        "{list:?}"
    );
    assert!(
        !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
}

/// Task Manager's `validate` functions (config.ts, 7.17 to the newest copy): failure thresholds
/// and the freshness against the poll interval, with the default filled in where not written.
#[test]
fn task_manager_cross_key_rules_get_kibanas_message() {
    let slow = format!(
        "{KEY}xpack.task_manager.poll_interval: 10000\nxpack.task_manager.monitored_stats_required_freshness: 5000\n"
    );
    let (list, code, _) = findings(&slow, &["--kibana-version", "9.5"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-value"
            && s == "xpack.task_manager"
            && m == "[config validation of [xpack.task_manager]]: The specified monitored_stats_required_freshness (5000) is invalid, as it is below the poll_interval (10000)"),
        "{list:?}"
    );
    // 7.x polls every 3000 ms by default; 9.x every 500 ms.
    let fresh = format!("{KEY}xpack.task_manager.monitored_stats_required_freshness: 2000\n");
    let (list, _, _) = findings(&fresh, &["--kibana-version", "7.17"]);
    assert!(
        list.iter().any(|(_, s, m)| s == "xpack.task_manager"
            && m.ends_with("(2000) is invalid, as it is below the poll_interval (3000)")),
        "{list:?}"
    );
    let (list, code, _) = findings(&fresh, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");

    let thresholds = format!(
        "{KEY}xpack.task_manager.monitored_task_execution_thresholds:\n  custom:\n    session_cleanup:\n      error_threshold: 50\n"
    );
    let (list, _, _) = findings(&thresholds, &["--kibana-version", "8.19"]);
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-value"
            && s == "xpack.task_manager.monitored_task_execution_thresholds.custom.session_cleanup"
            && m.ends_with(
                "warn_threshold (80) must be less than, or equal to, error_threshold (50)"
            )),
        "{list:?}"
    );
    // A task type with a dot (the form Kibana's own docs show) is split by Kibana's loader: the
    // finding says so, and a plain typo inside an entry does not get that note.
    let dotted = format!(
        "{KEY}xpack.task_manager.monitored_task_execution_thresholds:\n  custom:\n    \"alerting:.index-threshold\":\n      error_threshold: 50\n"
    );
    let out = human(&dotted, &["--kibana-version", "9.5"]);
    assert!(
        out.contains("if `alerting:.index-threshold` is one name, Kibana split it at the dot"),
        "{out}"
    );
    let typo = format!(
        "{KEY}xpack.task_manager.monitored_task_execution_thresholds:\n  custom:\n    session_cleanup:\n      error_threshold: 90\n      warn_treshold: 10\n"
    );
    let out = human(&typo, &["--kibana-version", "9.5"]);
    assert!(
        out.contains("did you mean") && !out.contains("is one name"),
        "{out}"
    );
}

/// Reporting's `validate` functions: from 8.0 a Kibana host name of all zeros, the value 7.x's
/// own start-up message suggested (PR #117022), stops Kibana.
#[test]
fn reporting_refuses_a_zero_kibana_host_name_from_8_0() {
    let yml = format!("{KEY}xpack.reporting.kibanaServer.hostname: 0.0.0.0\n");
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.0"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-value"
            && s == "xpack.reporting.kibanaServer.hostname"
            && m == "[config validation of [xpack.reporting].kibanaServer.hostname]: cannot use '0.0.0.0' as Kibana host name, consider using the default (localhost) instead"),
        "{list:?}"
    );
    let (list, _, _) = findings(&yml, &["--kibana-version", "7.17"]);
    assert!(
        !has(
            &list,
            "invalid-setting-value",
            "xpack.reporting.kibanaServer.hostname"
        ),
        "{list:?}"
    );
    let (list, _, _) = findings(
        &format!(
            "{KEY}xpack.reporting.kibanaServer.hostname: \"::\"\nxpack.reporting.csv.scroll.duration: auto\n"
        ),
        &["--kibana-version", "9.5"],
    );
    assert!(
        has(
            &list,
            "invalid-setting-value",
            "xpack.reporting.kibanaServer.hostname"
        ) && !has(
            &list,
            "invalid-setting-value",
            "xpack.reporting.csv.scroll.duration"
        ),
        "{list:?}"
    );
}

/// The Banners plugin's colours (`isHexColor`).
#[test]
fn banner_colours_must_be_hex() {
    let yml =
        format!("{KEY}xpack.banners.textColor: red\nxpack.banners.backgroundColor: \"#FFF9E8\"\n");
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-value"
            && s == "xpack.banners.textColor"
            && m == "[config validation of [xpack.banners].textColor]: must be an hex color"),
        "{list:?}"
    );
    assert!(
        !has(
            &list,
            "invalid-setting-value",
            "xpack.banners.backgroundColor"
        ),
        "{list:?}"
    );
}

/// The Licensing plugin's cache duration cap (8.12 on).
#[test]
fn the_license_cache_duration_is_capped() {
    let yml = format!("{KEY}xpack.licensing.license_cache_duration: 1h\n");
    let (list, _, _) = findings(&yml, &["--kibana-version", "9.5"]);
    assert!(
        list.iter().any(|(r, _, m)| r == "invalid-setting-value"
            && m == "[config validation of [xpack.licensing].license_cache_duration]: license cache duration must be shorter than 15 minutes"),
        "{list:?}"
    );
    let (list, code, _) = findings(
        &format!("{KEY}xpack.licensing.license_cache_duration: 15m\n"),
        &["--kibana-version", "9.5"],
    );
    assert_eq!(code, 0, "{list:?}");
}

/// `schema.uri({ scheme: ['http', 'https'] })` and `schema.string({ hostname: true })`: a host
/// without its scheme, a URL where a bare host name belongs, and 8.x's refusal of
/// `server.host: "0"` (which 7.x rewrote to 0.0.0.0), as http_config.test.ts expects.
#[test]
fn uris_and_hostnames_get_kibanas_message() {
    let yml = format!(
        "{KEY}elasticsearch.hosts: [\"http://es01:9200\", \"es02:9200\"]\nserver.publicBaseUrl: kibana.example.com\n"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "9.5"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-value"
            && s == "elasticsearch.hosts"
            && m == "[config validation of [elasticsearch].hosts]: types that failed validation:\n- [config validation of [elasticsearch].hosts.0]: expected value of type [string] but got [Array]\n- [config validation of [elasticsearch].hosts.1.1]: expected URI with scheme [http|https]."),
        "{list:?}"
    );
    assert!(
        list.iter().any(|(_, s, m)| s == "server.publicBaseUrl"
            && m == "[config validation of [server].publicBaseUrl]: expected URI with scheme [http|https]."),
        "{list:?}"
    );

    let zero = format!("{KEY}server.host: \"0\"\n");
    let (list, _, _) = findings(&zero, &["--kibana-version", "8.19"]);
    assert!(
        list.iter().any(|(_, s, m)| s == "server.host"
            && m == "[config validation of [server].host]: value must be a valid hostname (see RFC 1123)."),
        "{list:?}"
    );
    let (list, _, _) = findings(&zero, &["--kibana-version", "7.17"]);
    assert!(
        !has(&list, "invalid-setting-value", "server.host"),
        "{list:?}"
    );
    let (list, code, _) = findings(
        &format!(
            "{KEY}server.host: 0.0.0.0\nelasticsearch.hosts: https://es01:9200\nxpack.security.public.hostname: kibana.example.com\n"
        ),
        &["--kibana-version", "9.5"],
    );
    assert_eq!(code, 0, "{list:?}");
}

/// Small OSS roots the Docker images list (plugins-oss-small.md): judged where a schema copy
/// brackets the release, not judged where the owner's schema was not read.
#[test]
fn small_oss_roots_are_judged_where_read() {
    let typo = format!("{KEY}externalUrl.polcy: []\nvis_type_vega.enableExternalUrl: true\n");
    let (list, code, _) = findings(&typo, &["--kibana-version", "7.17"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "unknown-setting", "externalUrl.polcy"),
        "{list:?}"
    );
    assert!(
        has(&list, "unknown-setting", "vis_type_vega.enableExternalUrl"),
        "{list:?}"
    );
    let search = format!("{KEY}unifiedSearch.autocomplete.valueSugestions.timeout: 1s\n");
    let (list, _, _) = findings(&search, &["--kibana-version", "8.15"]);
    assert!(
        has(
            &list,
            "unknown-setting",
            "unifiedSearch.autocomplete.valueSugestions"
        ),
        "{list:?}"
    );
    let (list, code, _) = findings(&search, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");
}

/// x-pack roots the Docker images still list (xpack-small-roots.md): the Code app's keys have no
/// owner in any release the tool models, so they are core's unknown-key error; Rollup's 7.x
/// switch is a deprecation in 7.17.
#[test]
fn stale_xpack_roots_from_the_docker_lists_are_judged() {
    let yml = format!("{KEY}xpack.code.ui.enabled: false\n");
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(_, s, m)| s.starts_with("xpack.code")
            && m.starts_with("Unknown configuration key(s): \"xpack.code.ui.enabled\".")),
        "{list:?}"
    );
    let (list, _, _) = findings(
        &format!("{KEY}xpack.rollup.enabled: false\n"),
        &["--kibana-version", "7.17"],
    );
    assert!(
        has(&list, "deprecated-setting", "xpack.rollup.enabled"),
        "{list:?}"
    );
}

/// Fleet's preconfigured outputs (`validatePreconfiguredOutputs`, mirrored with its quirk: after
/// a default output, any output marked default for monitoring is refused) and, from 8.12, the
/// legacy `agents.elasticsearch.hosts` beside a default output.
#[test]
fn fleet_preconfigured_outputs_follow_kibanas_validate() {
    let out = |id: &str, extra: &str| {
        format!(
            "  - id: {id}\n    name: {id}\n    type: elasticsearch\n    hosts: [\"https://es01:9200\"]\n{extra}"
        )
    };
    let split = format!(
        "{KEY}xpack.fleet.outputs:\n{}{}",
        out("a", "    is_default: true\n"),
        out("b", "    is_default_monitoring: true\n")
    );
    let (list, code, _) = findings(&split, &["--kibana-version", "9.5"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(_, s, m)| s == "xpack.fleet.outputs"
            && m == "[config validation of [xpack.fleet].outputs]: preconfigured outputs can only have one default monitoring output."),
        "{list:?}"
    );
    let twice = format!(
        "{KEY}xpack.fleet.outputs:\n{}{}",
        out("a", ""),
        out("a", "")
    );
    let (list, _, _) = findings(&twice, &["--kibana-version", "8.19"]);
    assert!(
        list.iter()
            .any(|(_, _, m)| m.ends_with("preconfigured outputs need to have unique names.")),
        "{list:?}"
    );
    let legacy = format!(
        "{KEY}xpack.fleet.agents.elasticsearch.hosts: [\"https://es01:9200\"]\nxpack.fleet.outputs:\n{}",
        out(
            "a",
            "    is_default: true\n    is_default_monitoring: true\n"
        )
    );
    let (list, _, _) = findings(&legacy, &["--kibana-version", "8.12"]);
    assert!(
        list.iter().any(|(_, s, m)| s == "xpack.fleet"
            && m == "[config validation of [xpack.fleet]]: xpack.fleet.agents.elasticsearch.hosts should not be used when defining default outputs in xpack.fleet.outputs, please remove it."),
        "{list:?}"
    );
    let (list, code, _) = findings(&legacy, &["--kibana-version", "8.11"]);
    assert_eq!(code, 0, "{list:?}");
    // A preconfigured package's version: node-semver's valid() or `latest`.
    let packages = format!(
        "{KEY}xpack.fleet.packages:\n  - name: system\n    version: latest\n  - name: fleet_server\n    version: \"1.5\"\n"
    );
    let (list, _, _) = findings(&packages, &["--kibana-version", "9.5"]);
    assert!(
        list.iter().any(|(_, s, m)| s == "xpack.fleet.packages[1].version"
            && m == "[config validation of [xpack.fleet].packages.1.version]: must be a valid semver, or the keyword `latest`"),
        "{list:?}"
    );
}
