//! Types, values and cross-key rules Kibana's schemas enforce, with Kibana's messages.

use super::{KEY, findings, has, human};

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

    // report_only.object_src (8.19+) takes 'none' but not a nonce; csp.object_src is 9.3's
    // enforced replacement (PR #241029), and csp's schema is read only through 9.2.
    let report_only = format!(
        "{KEY}csp.report_only.object_src: [\"'none'\"]\ncsp.report_only.form_action: [\"'self'\"]\n"
    );
    let (list, code, _) = findings(&report_only, &["--kibana-version", "8.19"]);
    assert_eq!(code, 0, "{list:?}");
    let (list, _, _) = findings(
        &format!("{KEY}csp.report_only.object_src: [\"nonce-abc\"]\n"),
        &["--kibana-version", "9.2"],
    );
    assert!(
        has(&list, "invalid-setting-value", "csp.report_only.object_src"),
        "{list:?}"
    );
    let newer = format!("{KEY}csp.object_src: [\"'self'\"]\ncsp.objectSrc: [\"'self'\"]\n");
    let (list, _, _) = findings(&newer, &["--kibana-version", "9.2"]);
    assert!(
        has(&list, "setting-not-available", "csp.object_src"),
        "{list:?}"
    );
    assert!(has(&list, "unknown-setting", "csp.objectSrc"), "{list:?}");
    let (list, _, _) = findings(&newer, &["--kibana-version", "9.5"]);
    assert!(
        !has(&list, "setting-not-available", "csp.object_src"),
        "{list:?}"
    );
    assert!(has(&list, "unknown-setting", "csp.objectSrc"), "{list:?}");
    // 9.3 refuses `none` in the enforced object_src, and unsets report_only.object_src first
    // (`unused()`), so a nonce there no longer matters.
    let nine_three =
        format!("{KEY}csp.object_src: [\"'none'\"]\ncsp.report_only.object_src: [\"nonce-abc\"]\n");
    let (list, _, _) = findings(&nine_three, &["--kibana-version", "9.5"]);
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-value"
            && s == "csp.object_src"
            && m.ends_with("using \"none\" would conflict with Kibana's default csp configuration and is not allowed")),
        "{list:?}"
    );
    assert!(
        list.iter().any(|(r, s, m)| r == "deprecated-setting"
            && s == "csp.report_only.object_src"
            && m == "You no longer need to configure \"csp.report_only.object_src\"."),
        "{list:?}"
    );
    assert!(
        !has(&list, "invalid-setting-value", "csp.report_only.object_src"),
        "{list:?}"
    );

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

/// Fleet's preconfigured outputs (`validatePreconfiguredOutputs`, mirrored with its quirk: after
/// a default output, any output marked default for monitoring is refused; 7.17's older form) and, from 8.12, the
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
    // 7.17's validate has no monitoring output and its own words for the default
    // (preconfiguration.ts @b9331eb9; fleet-preconfig.md).
    let two_defaults = format!(
        "{KEY}xpack.fleet.outputs:\n{}{}",
        out("a", "    is_default: true\n"),
        out("b", "    is_default: true\n")
    );
    let (list, _, _) = findings(&two_defaults, &["--kibana-version", "7.17"]);
    assert!(
        list.iter().any(|(_, s, m)| s == "xpack.fleet.outputs"
            && m == "[config validation of [xpack.fleet].outputs]: preconfigured outputs need to have only one default output."),
        "{list:?}"
    );
    let (list, _, _) = findings(&split, &["--kibana-version", "7.17"]);
    assert!(
        !list.iter().any(|(_, s, _)| s == "xpack.fleet.outputs"),
        "{list:?}"
    );
    // A preconfigured package's version: node-semver's valid() or `latest`.
    let packages = format!(
        "{KEY}xpack.fleet.packages:\n  - name: system\n    version: latest\n  - name: fleet_server\n    version: \"1.5\"\n"
    );
    for version in ["7.17", "9.5"] {
        let (list, _, _) = findings(&packages, &["--kibana-version", version]);
        assert!(
            list.iter().any(|(_, s, m)| s == "xpack.fleet.packages[1].version"
                && m == "[config validation of [xpack.fleet].packages.1.version]: must be a valid semver, or the keyword `latest`"),
            "{version}: {list:?}"
        );
    }
}

/// i18n's object `validate` (9.5, PR #260835): the default locale, or `i18n.locale` that 9.5
/// renames to it, must be one of a written `i18n.locales`.
#[test]
fn the_default_locale_must_be_one_of_the_locales() {
    let yml = format!("{KEY}i18n.locale: es\ni18n.locales: [en, fr-FR]\n");
    let (list, _, _) = findings(&yml, &["--kibana-version", "9.5"]);
    assert!(
        list.iter().any(|(r, s, m)| r == "invalid-setting-value"
            && s == "i18n"
            && m == "[config validation of [i18n]]: [i18n.defaultLocale]: \"es\" must be one of [i18n.locales] (en, fr-FR)"),
        "{list:?}"
    );
    let fine = format!("{KEY}i18n.defaultLocale: fr-FR\ni18n.locales: [en, fr-FR]\n");
    let (list, code, _) = findings(&fine, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");
    // Without a written list the default (@kbn/i18n's supported locales) is not judged.
    let (list, _, _) = findings(
        &format!("{KEY}i18n.locale: es\n"),
        &["--kibana-version", "9.5"],
    );
    assert!(!has(&list, "invalid-setting-value", "i18n"), "{list:?}");
}

/// `xpack.security.authc.providers` is config-schema's `oneOf([arrayOf(string), object])`:
/// both forms are judged, and a failure names both branches as the security plugin's
/// `config.test.ts` snapshots show (`[authc.providers.0]` the array, `[authc.providers.1.…]`
/// the object); the object's own `validate`s (one basic provider, unique order and name) and
/// the array form's deprecation are Kibana's.
#[test]
fn authentication_providers_are_judged_as_kibanas_union() {
    const HEAD: &str = "[config validation of [xpack.security].authc.providers]: types that failed validation:\n- [config validation of [xpack.security].authc.providers.0]: expected value of type [array] but got [Object]\n- [config validation of [xpack.security].authc.providers.1";
    let good = format!(
        "xpack.security.authc.providers:\n  basic.basic1:\n    order: 0\n  saml.cloud-saml:\n    order: 1\n    realm: cloud-saml\n    description: \"Log in with SSO\"\n{KEY}"
    );
    let (list, code, _) = findings(&good, &[]);
    assert_eq!(code, 0, "{list:?}");
    assert!(
        !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "the object form is judged: {list:?}"
    );
    let cases: &[(&str, &str, &str)] = &[
        (
            "basic.basic1.enabled: true\n",
            "xpack.security.authc.providers.basic.basic1.order",
            ".basic.basic1.order]: expected value of type [number] but got [undefined]",
        ),
        (
            "saml.saml1: {order: 1, realm: saml1, descripton: typo}\n",
            "xpack.security.authc.providers.saml.saml1.descripton",
            ".saml.saml1.descripton]: definition for this key is missing",
        ),
        (
            "basic.basic1: {order: 0, showInSelector: false}\n",
            "xpack.security.authc.providers.basic.basic1.showInSelector",
            ".basic.basic1.showInSelector]: `basic` provider only supports `true` in `showInSelector`.",
        ),
        (
            "basic.b1.order: 0\n  basic.b2.order: 1\n",
            "xpack.security.authc.providers.basic",
            ".basic]: Only one \"basic\" provider can be configured.",
        ),
        (
            "basic.provider1.order: 0\n  saml.provider2: {order: 0, realm: saml1}\n",
            "xpack.security.authc.providers",
            "]: Found multiple providers configured with the same order \"0\": [xpack.security.authc.providers.basic.provider1, xpack.security.authc.providers.saml.provider2]",
        ),
        (
            "basic.provider1.order: 0\n  saml.provider1: {order: 2, realm: saml1}\n",
            "xpack.security.authc.providers",
            "]: Found multiple providers configured with the same name \"provider1\": [xpack.security.authc.providers.basic.provider1, xpack.security.authc.providers.saml.provider1]",
        ),
    ];
    for (yaml, setting, tail) in cases {
        let text = format!("xpack.security.authc.providers:\n  {yaml}{KEY}");
        let (list, code, _) = findings(&text, &[]);
        assert_eq!(code, 1, "{yaml}: {list:?}");
        let want = format!("{HEAD}{tail}");
        assert!(
            list.iter().any(|(_, s, k)| s == setting && *k == want),
            "{yaml}: {list:?}"
        );
    }
    // Disabled providers are left out of the uniqueness checks, as in Kibana.
    let disabled = format!(
        "xpack.security.authc.providers:\n  basic.b1.order: 0\n  basic.b2: {{order: 0, enabled: false}}\n{KEY}"
    );
    let (list, code, _) = findings(&disabled, &[]);
    assert_eq!(code, 0, "{list:?}");
    // The legacy array form: accepted with Kibana's deprecation; a bad item fails the union.
    let (list, code, _) = findings(
        &format!(
            "xpack.security.authc.providers: [basic, saml]\nxpack.security.authc.saml.realm: saml1\n{KEY}"
        ),
        &[],
    );
    assert_eq!(code, 0, "{list:?}");
    assert!(
        list.iter().any(|(r, s, k)| r == "deprecated-setting"
            && s == "xpack.security.authc.providers"
            && k == "Use the new object format instead of an array of provider types."),
        "{list:?}"
    );
    let (list, code, _) = findings(
        &format!("xpack.security.authc.providers: [basic, 3]\n{KEY}"),
        &[],
    );
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(_, s, k)| s == "xpack.security.authc.providers[1]"
            && k == "[config validation of [xpack.security].authc.providers]: types that failed validation:\n- [config validation of [xpack.security].authc.providers.0.1]: expected value of type [string] but got [number]\n- [config validation of [xpack.security].authc.providers.1]: expected a plain object value, but found [Array] instead."),
        "{list:?}"
    );
    // The anonymous provider's `credentials` is a union of a literal and two objects that no
    // key tells apart: config-schema tries each, and none matching, reports each one's first
    // error, relative to the provider entry (the plugin's config.test.ts inline snapshots).
    let anonymous = |credentials: &str| {
        format!(
            "xpack.security.authc.providers:\n  anonymous.anon1:\n    order: 0\n    credentials:{credentials}\n{KEY}"
        )
    };
    let head = "[config validation of [xpack.security].authc.providers]: types that failed validation:\n- [config validation of [xpack.security].authc.providers.0]: expected value of type [array] but got [Object]\n- [config validation of [xpack.security].authc.providers.1.anonymous.anon1.credentials]: types that failed validation:\n - [config validation of [xpack.security].credentials.0]: expected value to equal [elasticsearch_anonymous_user]\n";
    let (list, code, _) = findings(&anonymous("\n      username: u\n      pasword: typo"), &[]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, k)| r == "invalid-setting-type"
            && s == "xpack.security.authc.providers.anonymous.anon1.credentials.password"
                && *k == format!("{head} - [config validation of [xpack.security].credentials.1.password]: expected value of type [string] but got [undefined]\n - [config validation of [xpack.security].credentials.2.apiKey]: expected at least one defined value but got [undefined]")),
        "{list:?}"
    );
    assert!(
        has(
            &list,
            "unknown-setting",
            "xpack.security.authc.providers.anonymous.anon1.credentials.pasword"
        ),
        "{list:?}"
    );
    let (list, code, _) = findings(&anonymous("\n      apiKey:\n        id: some-id"), &[]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(_, s, k)| s == "xpack.security.authc.providers.anonymous.anon1.credentials.apiKey.key"
            && *k == format!("{head} - [config validation of [xpack.security].credentials.1.username]: expected value of type [string] but got [undefined]\n - [config validation of [xpack.security].credentials.2.apiKey]: types that failed validation:\n  - [config validation of [xpack.security].credentials.apiKey.0.key]: expected value of type [string] but got [undefined]\n  - [config validation of [xpack.security].credentials.apiKey.1]: expected value of type [string] but got [Object]")),
        "{list:?}"
    );
    // A scalar that is not the literal: the literal's line does not echo it (config.test.ts).
    let (list, code, _) = findings(&anonymous(" 31415926535"), &[]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(_, s, k)| s == "xpack.security.authc.providers.anonymous.anon1.credentials"
            && *k == format!("{head} - [config validation of [xpack.security].credentials.1]: expected a plain object value, but found [number] instead.\n - [config validation of [xpack.security].credentials.2]: expected a plain object value, but found [number] instead.")),
        "{list:?}"
    );
    // Each form that validates passes; the literal and the API key warn from 8.3 (PR #131636).
    for (credentials, warns) in [
        ("\n      username: u\n      password: p", false),
        (" elasticsearch_anonymous_user", true),
        ("\n      apiKey: c29tZS1pZDpzb21lLWtleQ==", true),
        (
            "\n      apiKey:\n        id: some-id\n        key: some-key",
            true,
        ),
    ] {
        for (version, deprecated) in [("8.2", false), ("8.19", warns)] {
            let (list, code, _) = findings(&anonymous(credentials), &["--kibana-version", version]);
            assert_eq!(code, 0, "{credentials} {version}: {list:?}");
            assert_eq!(
                list.iter().any(|(r, _, _)| r == "deprecated-setting"),
                deprecated,
                "{credentials} {version}: {list:?}"
            );
            assert!(
                !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
                "{list:?}"
            );
        }
    }
    // Neither form.
    let (list, code, _) = findings(&format!("xpack.security.authc.providers: 5\n{KEY}"), &[]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(_, s, k)| s == "xpack.security.authc.providers"
            && k == "[config validation of [xpack.security].authc.providers]: types that failed validation:\n- [config validation of [xpack.security].authc.providers.0]: expected value of type [array] but got [number]\n- [config validation of [xpack.security].authc.providers.1]: expected a plain object value, but found [number] instead."),
        "{list:?}"
    );
}

#[test]
fn custom_deprecations_fire_on_the_values_kibana_tests() {
    // The deprecation warnings for a file at a version: (setting, "Kibana's message | help").
    let warned = |text: &str, version: &str| -> Vec<(String, String)> {
        let (json, _, _) = super::report(&format!("{KEY}{text}"), &["--kibana-version", version]);
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["name"] == "deprecated-setting")
            .map(|f| {
                (
                    f["setting"].as_str().unwrap_or_default().to_string(),
                    format!("{} | {}", f["kibana_message"], f["help"]),
                )
            })
            .collect()
    };
    let base = "server.basePath: /kibana\n";
    for version in ["7.17", "8.19", "9.5"] {
        let list = warned(base, version);
        assert!(
            list.iter().any(|(s, k)| s == "server.basePath"
                && k.contains("You should set server.basePath along with server.rewriteBasePath.")),
            "{version}: {list:?}"
        );
        assert!(
            warned(&format!("{base}server.rewriteBasePath: true\n"), version).is_empty(),
            "{version}"
        );
    }
    // `!rewriteBasePath` holds for `false`: the message's own advice does not silence it.
    let list = warned(&format!("{base}server.rewriteBasePath: false\n"), "8.19");
    assert!(
        list.iter()
            .any(|(_, k)| k.contains("so it still logs this")),
        "{list:?}"
    );
    // `server.host: "0"`: a deprecation in 7.x (rewritten to 0.0.0.0), refused from 8.0.
    let zero = "server.host: \"0\"\n";
    let list = warned(zero, "7.17");
    assert!(
        list.iter()
            .any(|(s, k)| s == "server.host" && k.contains("Instead use \\\"0.0.0.0\\\"")),
        "{list:?}"
    );
    let (list, _, _) = findings(&format!("{KEY}{zero}"), &["--kibana-version", "8.0"]);
    assert!(
        has(&list, "invalid-setting-value", "server.host")
            && !has(&list, "deprecated-setting", "server.host"),
        "{list:?}"
    );
    // The `kibana` user warns in every release; `elastic` warns in 7.x and is refused from 8.0.
    for version in ["7.17", "8.19", "9.5"] {
        let list = warned("elasticsearch.username: kibana\n", version);
        assert!(
            list.iter().any(|(s, k)| s == "elasticsearch.username"
                && k.contains("authenticate to Elasticsearch with the \\\"kibana\\\" user")),
            "{version}: {list:?}"
        );
        assert!(warned("elasticsearch.username: kibana_system\n", version).is_empty());
    }
    assert!(!warned("elasticsearch.username: elastic\n", "7.17").is_empty());
    assert!(warned("elasticsearch.username: elastic\n", "8.19").is_empty());
    // A client certificate without its key, or a key without its certificate (null counts).
    let list = warned("elasticsearch.ssl.key:\n", "9.5");
    assert!(
        list.iter().any(|(s, k)| s == "elasticsearch.ssl.key"
            && k.contains(
                "Use both \\\"elasticsearch.ssl.key\\\" and \\\"elasticsearch.ssl.certificate\\\""
            )),
        "{list:?}"
    );
    assert!(
        warned(
            "elasticsearch.ssl.certificate: /c.crt\nelasticsearch.ssl.key: /c.key\n",
            "9.5"
        )
        .is_empty()
    );
    // Both `basic` and `token`: a list naming them, or mappings with an entry not disabled.
    let both = "xpack.security.authc.providers:\n  basic.b: {order: 0}\n  token.t: {order: 1}\n";
    let list = warned(both, "8.19");
    assert!(
        list.iter()
            .any(|(s, k)| s == "xpack.security.authc.providers"
                && k.contains("Kibana only uses the \\\"token\\\" provider.")),
        "{list:?}"
    );
    let off = "xpack.security.authc.providers:\n  basic.b: {order: 0}\n  token.t: {order: 1, enabled: false}\n";
    assert!(warned(off, "8.19").is_empty(), "{:?}", warned(off, "8.19"));
    // Rows whose deprecation fires only on some values: `=== true`, or a truthy value.
    assert!(warned("elasticsearch.logQueries: false\n", "8.19").is_empty());
    assert!(!warned("elasticsearch.logQueries: true\n", "8.19").is_empty());
    // "deprecated and no longer used", with no `unset`: validated, but without effect.
    let text = human(
        &format!("{KEY}elasticsearch.logQueries: true\n"),
        &["--kibana-version", "8.19"],
    );
    assert!(
        text.contains("`elasticsearch.logQueries` is deprecated and Kibana no longer uses it"),
        "{text}"
    );
    assert!(warned("logging.quiet: false\n", "7.17").is_empty());
    assert!(
        warned("logging.quiet: true\n", "7.17")
            .iter()
            .any(|(s, k)| s == "logging.quiet"
                && k.contains("\\\"logging.quiet\\\" has been deprecated")),
    );
    // The legacy audit logger: 7.16/7.17 only, when no appender is configured.
    let audit = "xpack.security.audit.enabled: true\n";
    assert!(
        warned(audit, "7.17")
            .iter()
            .any(|(s, k)| s == "xpack.security.audit.enabled"
                && k.contains("Use the new ECS-compliant audit logger.")),
    );
    assert!(warned(audit, "8.19").is_empty());
    assert!(
        warned(
            &format!("{audit}xpack.security.audit.appender:\n  type: console\n  layout:\n    type: json\n"),
            "7.17"
        )
        .is_empty()
    );
}
