//! Unknown, removed, renamed and deprecated keys in dotted, nested and mixed form; config roots
//! and third-party plugins; versions newer than the table; the upgrade view; the JSON Schema.

use super::{KEY, findings, has, human, lint_in, report};
use crate::support::*;

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
    // Already wrong in 7.17: not news of the upgrade, but counted, as it still stops 9.3.
    assert!(!list.iter().any(|(_, s, _)| s == "server.port"), "{list:?}");
    let text = human(&text, &["--kibana-version", "7.17", "--upgrade-to", "9.3"]);
    assert!(
        text.contains("1 error(s) Kibana 7.17 already reports stay"),
        "{text}"
    );
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

/// `logging` is held from 8.0, appenders included: Kibana validates an appender as a union of
/// appender kinds told apart by `type` (docs/research/settings/logging-appenders.md), and so does
/// the tool, with the union's message. 7.17's logging schema is not stored: not judged there.
#[test]
fn logging_and_its_appender_unions_are_judged_from_8_0() {
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
    // Every appender kind, written right: nothing to say.
    let good = format!(
        "logging:\n  appenders:\n    out:\n      type: console\n      layout:\n        type: pattern\n        highlight: true\n    file:\n      type: file\n      fileName: /var/log/kibana.log\n      layout:\n        type: json\n    rolling:\n      type: rolling-file\n      fileName: /var/log/kibana-r.log\n      layout: {{type: json}}\n      policy: {{type: size-limit, size: 50mb}}\n      strategy: {{type: numeric, max: 5}}\n    scrub:\n      type: rewrite\n      appenders: [file]\n      policy:\n        type: meta\n        mode: remove\n        properties: [{{path: http.request.headers.authorization}}]\n  root:\n    appenders: [default, file]\n    level: info\n{KEY}"
    );
    for version in ["8.19", "9.5"] {
        let (list, code, _) = findings(&good, &["--kibana-version", version]);
        assert_eq!(code, 0, "{version}: {list:?}");
    }
    let appender = |body: &str| format!("logging.appenders.file:\n{body}{KEY}");
    // A key no kind has: the union lists each kind's first failure, from the map entry down.
    let (list, code, _) = findings(
        &appender(
            "  type: file\n  fileName: /var/log/kibana.log\n  somethingNew: true\n  layout:\n    type: json\n",
        ),
        &["--kibana-version", "8.19"],
    );
    assert_eq!(code, 1, "{list:?}");
    assert_eq!(
        list[0],
        (
            "unknown-setting".to_string(),
            "logging.appenders.file.somethingNew".to_string(),
            "[config validation of [logging].appenders.file]: types that failed validation:\n- [config validation of [logging].0.type]: expected value to equal [console]\n- [config validation of [logging].1.somethingNew]: definition for this key is missing\n- [config validation of [logging].2.type]: expected value to equal [rewrite]\n- [config validation of [logging].3.type]: expected value to equal [rolling-file]".to_string()
        )
    );
    // 9.5 may have the otel kind (a 9.5-dev declaration dump): it takes its place in the list.
    let (list, _, _) = findings(
        &appender("  type: file\n  layout:\n    type: jsn\n"),
        &["--kibana-version", "9.5"],
    );
    let kinds: Vec<&(String, String, String)> = list
        .iter()
        .filter(|(r, _, _)| r.starts_with("invalid"))
        .collect();
    assert_eq!(kinds.len(), 2, "{list:?}");
    // A union inside the branch: one level deeper, its lines without the outer index.
    assert!(
        kinds.iter().any(|(r, s, k)| r == "invalid-setting-value"
            && s == "logging.appenders.file.layout"
            && k.contains("- [config validation of [logging].1.layout]: types that failed validation:\n - [config validation of [logging].layout.0.type]: expected value to equal [json]\n - [config validation of [logging].layout.1.type]: expected value to equal [pattern]\n- [config validation of [logging].2.type]: expected value to equal [otel]")),
        "{list:?}"
    );
    assert!(
        kinds.iter().any(|(r, s, k)| r == "invalid-setting-type"
            && s == "logging.appenders.file.fileName"
            && k.contains("- [config validation of [logging].1.fileName]: expected value of type [string] but got [undefined]")),
        "{list:?}"
    );
    // No `type`: before 9.2 config-schema throws a TypeError (caught by the map entry); from
    // 9.2 every kind fails at its literal.
    let untyped = appender("  fileName: /var/log/kibana.log\n");
    let (list, _, _) = findings(&untyped, &["--kibana-version", "8.19"]);
    assert_eq!(
        list[0].2,
        "[config validation of [logging].appenders.file]: Cannot destructure property 'Symbol(Symbol.iterator)' of 'undefined' as it is undefined.",
        "{list:?}"
    );
    let (list, _, _) = findings(&untyped, &["--kibana-version", "9.3"]);
    assert_eq!(list[0].0, "invalid-setting-value", "{list:?}");
    assert!(
        list[0].2.ends_with(
            "- [config validation of [logging].3.type]: expected value to equal [rolling-file]"
        ),
        "{list:?}"
    );
    // A kind no release has.
    let (list, _, _) = findings(&appender("  type: syslog\n"), &["--kibana-version", "8.19"]);
    assert!(
        list[0].2.starts_with("[config validation of [logging].appenders.file]: types that failed validation:\n- [config validation of [logging].0.type]: expected value to equal [console]"),
        "{list:?}"
    );
    // The kinds' own checks, with Kibana's words, inside the union's lines.
    let rolling = appender(
        "  type: rolling-file\n  fileName: /var/log/k.log\n  layout:\n    type: pattern\n    pattern: \"%date{YYYY-MM-DD} %message\"\n  policy:\n    type: time-interval\n    interval: 30d\n  strategy:\n    type: numeric\n    pattern: \"-%n\"\n",
    );
    let (list, _, _) = findings(&rolling, &["--kibana-version", "8.19"]);
    for (setting, said) in [
        (
            "logging.appenders.file.layout.pattern",
            " - [config validation of [logging].layout.1.pattern]: Date format expected one of ISO8601, ISO8601_TZ, ABSOLUTE, UNIX, UNIX_MILLIS, but given: YYYY-MM-DD",
        ),
        (
            "logging.appenders.file.policy.interval",
            " - [config validation of [logging].policy.1.interval]: Interval value cannot overflow to a higher time unit.",
        ),
        (
            "logging.appenders.file.strategy.pattern",
            "- [config validation of [logging].3.strategy.pattern]: pattern must include '%i'",
        ),
    ] {
        assert!(
            list.iter()
                .any(|(r, s, k)| r == "invalid-setting-value" && s == setting && k.contains(said)),
            "{setting}: {list:?}"
        );
    }
    // A `%date` timezone moment-timezone does not know; names compare in any case, `/` as `_`.
    let zoned = |tz: &str| {
        appender(&format!(
            "  type: console\n  layout:\n    type: pattern\n    pattern: \"[%date{{ISO8601}}{{{tz}}}] %message\"\n"
        ))
    };
    let (list, _, _) = findings(&zoned("Europe/Berln"), &["--kibana-version", "9.5"]);
    assert!(
        list.iter().any(|(r, s, k)| r == "invalid-setting-value"
            && s == "logging.appenders.file.layout.pattern"
            && k.contains(" - [config validation of [logging].layout.1.pattern]: Unknown timezone: Europe/Berln")),
        "{list:?}"
    );
    for tz in ["Europe/Berlin", "europe_berlin", "Etc/GMT+1"] {
        let (list, code, _) = findings(&zoned(tz), &["--kibana-version", "9.5"]);
        assert!(
            code == 0 && !list.iter().any(|(_, s, _)| s.starts_with("logging")),
            "{tz}: {list:?}"
        );
    }
    // Before 8.17 any text up to `}` is read as the timezone; from 8.17 only letters, `/_+-`.
    let (list, _, _) = findings(&zoned("+05:00"), &["--kibana-version", "8.16"]);
    assert!(
        list.iter()
            .any(|(_, _, k)| k.contains("pattern]: Unknown timezone: +05:00")),
        "{list:?}"
    );
    let (list, code, _) = findings(&zoned("+05:00"), &["--kibana-version", "8.17"]);
    assert!(
        code == 0 && !list.iter().any(|(_, s, _)| s.starts_with("logging")),
        "{list:?}"
    );
    // From 8.17 a pattern holds at most 1,000 characters (`maxLength`, checked before the dates).
    let long = appender(&format!(
        "  type: console\n  layout:\n    type: pattern\n    pattern: \"{}%date{{NOPE}}\"\n",
        "x".repeat(1000)
    ));
    let (list, _, _) = findings(&long, &["--kibana-version", "8.17"]);
    assert!(
        list.iter().any(|(_, _, k)| k.contains(
            "pattern]: value has length [1011] but it must have a maximum length of [1000]."
        )),
        "{list:?}"
    );
    let (list, _, _) = findings(&long, &["--kibana-version", "8.16"]);
    assert!(
        list.iter().any(|(_, _, k)| k.contains("but given: NOPE")),
        "{list:?}"
    );
    let retention = appender(
        "  type: rolling-file\n  fileName: /var/log/k.log\n  layout: {type: json}\n  retention: {}\n",
    );
    let (list, _, _) = findings(&retention, &["--kibana-version", "8.19"]);
    assert!(
        list.iter().any(|(_, s, k)| s == "logging.appenders.file.retention"
            && k.contains("- [config validation of [logging].3.retention]: Retention policy must define at least one directive: maxFiles, maxAccumulatedFileSize or removeOlderThan")),
        "{list:?}"
    );
    // Retention came in 8.15 (PR #182346).
    let (list, _, _) = findings(&retention, &["--kibana-version", "8.14"]);
    assert!(
        has(
            &list,
            "setting-not-available",
            "logging.appenders.file.retention"
        ),
        "{list:?}"
    );
    // `otel` is seen only in 9.5-dev dumps: a warning in 9.5, no kind before.
    let otel = appender("  type: otel\n  url: https://otel.example.com\n");
    let (list, code, _) = findings(&otel, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");
    assert!(
        has(&list, "unverified-setting", "logging.appenders.file.type"),
        "{list:?}"
    );
    let (list, code, _) = findings(&otel, &["--kibana-version", "9.4"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "invalid-setting-value", "logging.appenders.file"),
        "{list:?}"
    );
    // 7.17: not judged.
    let (list, _, _) = findings(&appender("  type: syslog\n"), &["--kibana-version", "7.17"]);
    assert!(
        !list
            .iter()
            .any(|(r, _, _)| r.starts_with("invalid") || r == "unknown-setting"),
        "{list:?}"
    );
}

/// Once `logging` passed its schema, core checks that each logger names appenders that exist
/// (`LoggingConfig`, `Logger "<name>" contains unsupported appender key "<key>".`) and so does
/// each rewrite appender (`Appender "<key>" config contains unknown appender key "<ref>".`).
#[test]
fn loggers_and_rewrite_appenders_name_appenders_that_exist() {
    let yml = format!(
        "logging:\n  appenders:\n    file: {{type: file, fileName: /var/log/k.log, layout: {{type: json}}}}\n    scrub:\n      type: rewrite\n      appenders: [fil]\n      policy: {{type: meta, mode: remove, properties: [{{path: a}}]}}\n  root:\n    appenders: [default, rolling]\n  loggers:\n    - name: plugins.security\n      appenders: [file, consol]\n      level: debug\n{KEY}"
    );
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    let mut said: Vec<&str> = list
        .iter()
        .filter(|(r, _, _)| r == "invalid-setting-value")
        .map(|(_, _, k)| k.as_str())
        .collect();
    said.sort();
    assert_eq!(
        said,
        [
            "Appender \"scrub\" config contains unknown appender key \"fil\".",
            "Logger \"plugins.security\" contains unsupported appender key \"consol\".",
            "Logger \"root\" contains unsupported appender key \"rolling\".",
        ],
        "{list:?}"
    );
    // The built-ins and the file's own appenders are fine.
    let fixed = yml
        .replace("rolling", "console")
        .replace("consol]", "file]")
        .replace("[fil]", "[file]");
    let (list, code, _) = findings(&fixed, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");
}

/// The audit log's appender is the same union inside the security plugin's object, so its lines
/// keep the whole path; the words are those of the security plugin's `config.test.ts`
/// (`[audit.appender.1.layout]: expected at least one defined value but got [undefined]`). Its
/// old spellings (`kind`, `path`) are renamed before validation, with Kibana's deprecation.
#[test]
fn the_audit_appender_is_judged_as_the_same_union() {
    let yml = format!(
        "xpack.security.audit:\n  enabled: true\n  appender:\n    type: file\n    fileName: /var/log/audit.log\n{KEY}"
    );
    for version in ["7.17", "8.19", "9.5"] {
        let (list, code, _) = findings(&yml, &["--kibana-version", version]);
        assert_eq!(code, 1, "{version}: {list:?}");
        let hit = list
            .iter()
            .find(|(_, s, _)| s == "xpack.security.audit.appender.layout")
            .unwrap_or_else(|| panic!("{version}: {list:?}"));
        assert!(
            hit.2.starts_with("[config validation of [xpack.security].audit.appender]: types that failed validation:\n- [config validation of [xpack.security].audit.appender.0.type]: expected value to equal [console]\n- [config validation of [xpack.security].audit.appender.1.layout]: expected at least one defined value but got [undefined]"),
            "{version}: {hit:?}"
        );
    }
    // 7.17 has the legacy appender among the kinds: third in its list.
    let (list, _, _) = findings(&yml, &["--kibana-version", "7.17"]);
    assert!(
        list.iter().any(|(_, _, k)| k
            .contains("audit.appender.2.type]: expected value to equal [legacy-appender]")),
        "{list:?}"
    );
    let renamed = format!(
        "xpack.security.audit.appender:\n  kind: file\n  path: /var/log/audit.log\n  layout:\n    kind: json\n{KEY}"
    );
    let (list, code, _) = findings(&renamed, &["--kibana-version", "8.19"]);
    assert_eq!(code, 0, "{list:?}");
    assert_eq!(
        list.iter()
            .filter(|(r, _, _)| r == "deprecated-setting")
            .count(),
        3,
        "{list:?}"
    );
    assert!(
        list.iter()
            .all(|(r, _, _)| r == "deprecated-setting" || r.starts_with("auxiliary")),
        "{list:?}"
    );
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
    // A key that is a setting elsewhere is named only where the value fits: a leaf for a plain
    // value; for a mapping, an object (not a root) taking every key written.
    let elsewhere = human(
        &format!(
            "{KEY}server.requestTimeout: 30000\nmonitoring.ui.container.kibana.enabled: true\n"
        ),
        &["--kibana-version", "8.18"],
    );
    assert!(
        elsewhere.contains("did you mean `elasticsearch.requestTimeout`?"),
        "{elsewhere}"
    );
    assert!(
        !elsewhere.contains("xpack.fleet.agents.kibana")
            && !elsewhere.contains("did you mean `kibana`?"),
        "{elsewhere}"
    );
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

/// Before 8.14 Kibana's loader builds a list from one entry per item, so the list itself has
/// no place in the file; a finding on it still points at its key.
#[test]
fn a_list_valued_key_is_located_in_every_loader() {
    let yml = "server.name: kibana\nserver.cors.origin: [\"*\"]\n";
    for version in ["7.17", "8.13", "9.5"] {
        let (json, _, _) = report(yml, &["--kibana-version", version]);
        let f = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "unknown-setting")
            .unwrap_or_else(|| panic!("{version}: {json}"));
        assert_eq!(f["setting"], "server.cors.origin", "{version}");
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(2), Some(1)),
            "{version}"
        );
    }
}

/// A preconfigured package policy: one strict object until 8.13, from 8.14 (PR #179087) a union
/// of that legacy form and the simplified one, told apart by nothing but their keys
/// (fleet-package-policies.md).
#[test]
fn a_preconfigured_package_policy_is_one_object_then_a_union_of_two_forms() {
    let policy = |items: &str| {
        format!(
            "xpack.fleet.agentPolicies:\n  - name: P\n    id: p\n    namespace: default\n    package_policies:\n{items}{KEY}"
        )
    };
    let legacy = policy(
        "      - name: fleet_server-1\n        id: default-fleet-server\n        package:\n          name: fleet_server\n        inputs:\n          - type: fleet-server\n            keep_enabled: true\n            vars:\n              - name: host\n                value: 0.0.0.0\n                frozen: true\n",
    );
    for version in ["7.17", "8.13", "8.19", "9.4"] {
        let (list, code, _) = findings(&legacy, &["--kibana-version", version]);
        assert_eq!(code, 0, "{version}: {list:?}");
        assert!(
            !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
            "{version}: {list:?}"
        );
    }
    let typo = policy("      - name: system-1\n        pakage:\n          name: system\n");
    let (list, code, _) = findings(&typo, &["--kibana-version", "8.13"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, k)| r == "unknown-setting"
            && s == "xpack.fleet.agentPolicies[0].package_policies[0].pakage"
            && k == "[config validation of [xpack.fleet].agentPolicies.0.package_policies.0.pakage]: definition for this key is missing"),
        "{list:?}"
    );
    let (list, code, _) = findings(&typo, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    let union = "[config validation of [xpack.fleet].agentPolicies.0.package_policies.0]: types that failed validation:\n- [config validation of [xpack.fleet].agentPolicies.0.package_policies.0.0.pakage]: definition for this key is missing\n- [config validation of [xpack.fleet].agentPolicies.0.package_policies.0.1.id]: expected value of type [string] but got [undefined]";
    assert!(
        list.iter().any(|(r, s, k)| r == "unknown-setting"
            && s == "xpack.fleet.agentPolicies[0].package_policies[0].pakage"
            && k == union),
        "{list:?}"
    );
    // The legacy form refuses the synthetics package from 8.8 (PR #154033).
    let synthetics = policy("      - name: synth\n        package:\n          name: synthetics\n");
    assert_eq!(findings(&synthetics, &["--kibana-version", "8.7"]).1, 0);
    let (list, code, _) = findings(&synthetics, &["--kibana-version", "8.8"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(_, s, k)| s == "xpack.fleet.agentPolicies[0].package_policies[0].package.name"
            && k.starts_with("[config validation of [xpack.fleet].agentPolicies.0.package_policies.0.package.name]: Synthetics package is not supported via kibana.yml config.")),
        "{list:?}"
    );
    // The simplified form: inputs and streams by name, from 8.14.
    let simplified = |stream: &str| {
        policy(&format!(
            "      - id: nginx-1\n        name: nginx-1\n        package:\n          name: nginx\n        inputs:\n          nginx-logfile:\n            enabled: true\n            streams:\n              {stream}:\n                enabled: true\n                vars:\n                  paths: ['/var/log/nginx/access.log*']\n"
        ))
    };
    let plain = simplified("access");
    let (list, code, _) = findings(&plain, &["--kibana-version", "8.13"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(
            |(_, s, k)| s == "xpack.fleet.agentPolicies[0].package_policies[0].inputs"
                && k.ends_with("expected value of type [array] but got [Object]")
        ),
        "{list:?}"
    );
    for version in ["8.14", "8.19", "9.4"] {
        let (list, code, _) = findings(&plain, &["--kibana-version", version]);
        assert_eq!(code, 0, "{version}: {list:?}");
    }
    // A stream named with a dot: kibana.yml's loader splits keys inside list items from 8.15.1
    // (PR #190590), and the stream object it becomes refuses the second half. Issue
    // elastic/kibana#213067 reports such policies failing "Versions >= 8.15.1".
    let dotted = simplified("nginx.access");
    assert_eq!(findings(&dotted, &["--kibana-version", "8.15.0"]).1, 0);
    let (json, code, _) = report(&dotted, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{json}");
    let json = json.to_string();
    assert!(
        json.contains("package_policies.0.1.inputs.nginx-logfile.streams.nginx.access]: definition for this key is missing"),
        "{json}"
    );
    assert!(json.contains("Kibana split it at the dot"), "{json}");
    // `condition` arrived in 9.5 (PR #268741).
    let condition = policy(
        "      - id: s\n        name: s\n        package:\n          name: system\n        condition: ${host.platform} == 'linux'\n",
    );
    assert_eq!(findings(&condition, &["--kibana-version", "9.5"]).1, 0);
    let (list, code, _) = findings(&condition, &["--kibana-version", "9.4"]);
    assert_eq!(code, 1, "{list:?}");
}

/// A preconfigured agent policy is a strict object whose keys each arrived in a dated release
/// (fleet-agent-policies.md): an unknown key is refused from 7.17 to 9.4, a key newer than the
/// release is refused, one whose first release is uncertain warns, and 9.5, read only before its
/// cut, leaves unknown keys not judged.
#[test]
fn a_preconfigured_agent_policy_is_judged_in_the_releases_its_keys_are_dated_for() {
    let policy = |extra: &str| {
        format!(
            "xpack.fleet.agentPolicies:\n  - name: Fleet Server\n    id: fleet-server\n    namespace: default\n{extra}{KEY}"
        )
    };
    // `traces` monitoring from 8.16 (PR #189908): before, the union of the two other literals.
    let traces = policy("    monitoring_enabled: [logs, traces]\n");
    let (list, code, _) = findings(&traces, &["--kibana-version", "8.15"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(
            |(_, s, k)| s == "xpack.fleet.agentPolicies[0].monitoring_enabled[1]"
                && k.ends_with("monitoring_enabled.1.1]: expected value to equal [metrics]")
        ),
        "{list:?}"
    );
    assert_eq!(findings(&traces, &["--kibana-version", "8.16"]).1, 0);
    let typo = policy("    namepsace: prod\n");
    for version in ["7.17", "8.19", "9.4"] {
        let (list, code, _) = findings(&typo, &["--kibana-version", version]);
        assert_eq!(code, 1, "{version}: {list:?}");
        let hit = list
            .iter()
            .find(|(r, s, _)| {
                r == "unknown-setting" && s == "xpack.fleet.agentPolicies[0].namepsace"
            })
            .unwrap_or_else(|| panic!("{version}: {list:?}"));
        assert_eq!(
            hit.2,
            "[config validation of [xpack.fleet].agentPolicies.0.namepsace]: definition for this key is missing"
        );
    }
    let (json, code, _) = report(&typo, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{json}");
    let note = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "settings-not-judged")
        .map(|f| f["note"].as_str().unwrap_or_default().to_string());
    assert_eq!(
        note.as_deref(),
        Some(
            "judged for the releases their dated schema copies cover: the keys of `xpack.fleet.agentPolicies[]` for Kibana 7.17–9.4"
        )
    );
    // Known keys pass wherever they exist.
    let known = policy("    description: d\n    monitoring_enabled: [logs, metrics]\n");
    for version in ["7.17", "8.19", "9.5"] {
        let (list, code, _) = findings(&known, &["--kibana-version", version]);
        assert_eq!(code, 0, "{version}: {list:?}");
    }
    // fleet_server_host_id: PR #144242, v8.6.0.
    let host = policy("    fleet_server_host_id: default-host\n");
    let (list, code, _) = findings(&host, &["--kibana-version", "8.5"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter()
            .any(|(_, s, _)| s == "xpack.fleet.agentPolicies[0].fleet_server_host_id"),
        "{list:?}"
    );
    assert_eq!(findings(&host, &["--kibana-version", "8.6"]).1, 0);
    // is_verifier: in the 9.5-dev base schema, not in the ~9.4-dev one.
    let verifier = policy("    is_verifier: true\n");
    let (list, _, _) = findings(&verifier, &["--kibana-version", "9.4"]);
    assert!(
        has(
            &list,
            "unverified-setting",
            "xpack.fleet.agentPolicies[0].is_verifier"
        ),
        "{list:?}"
    );
    let (list, code, _) = findings(&verifier, &["--kibana-version", "9.3"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(
            &list,
            "setting-not-available",
            "xpack.fleet.agentPolicies[0].is_verifier"
        ),
        "{list:?}"
    );
    // The monitoring objects of 8.16 are strict too.
    let http = policy("    monitoring_http:\n      enabled: true\n      prot: 6791\n");
    let (list, _, _) = findings(&http, &["--kibana-version", "8.19"]);
    assert!(
        has(
            &list,
            "unknown-setting",
            "xpack.fleet.agentPolicies[0].monitoring_http.prot"
        ),
        "{list:?}"
    );
}

/// A preconfigured output: one strict object through 8.9, whose keys (the union of every output
/// type's) are dated by their PRs (fleet-outputs.md); from 8.10 Kibana's item is a oneOf by
/// `type`, whose message the flat rows cannot word, so unknown keys are not judged there.
#[test]
fn a_preconfigured_output_is_one_object_then_a_union_by_type() {
    let output = |extra: &str| {
        format!(
            "xpack.fleet.outputs:\n  - id: es\n    name: ES\n    type: elasticsearch\n    hosts: [\"https://es:9200\"]\n    is_default: true\n{extra}{KEY}"
        )
    };
    // `config` is passed to the agents as written: Kibana accepts any key there, so nothing
    // under it is "not judged", in the one object (8.9) and in each kind (8.19, 9.5).
    let free = output("    config:\n      ssl.verification_mode: none\n      anything: [1]\n");
    for version in ["8.9", "8.19", "9.5"] {
        let (list, code, _) = findings(&free, &["--kibana-version", version]);
        assert!(
            code == 0 && !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
            "{version}: {list:?}"
        );
    }
    // 7.17-8.9: one object for every type, so the object's own message.
    let typo = output("    is_defualt_monitoring: true\n");
    for version in ["7.17", "8.9"] {
        let (list, code, _) = findings(&typo, &["--kibana-version", version]);
        assert_eq!(code, 1, "{version}: {list:?}");
        assert!(
            list.iter().any(|(r, s, k)| r == "unknown-setting"
                && s == "xpack.fleet.outputs[0].is_defualt_monitoring"
                && k == "[config validation of [xpack.fleet].outputs.0.is_defualt_monitoring]: definition for this key is missing"),
            "{version}: {list:?}"
        );
    }
    // From 8.10 a oneOf by `type` (Kafka PR #159110): each kind's first error, in the union's
    // order; remote_elasticsearch from 8.12.
    let union = |lines: &[&str]| {
        let mut text = String::from(
            "[config validation of [xpack.fleet].outputs.0]: types that failed validation:",
        );
        for line in lines {
            text.push_str("\n- [config validation of [xpack.fleet].outputs.0.");
            text.push_str(line);
        }
        text
    };
    let others = [
        "1.type]: expected value to equal [logstash]",
        "2.type]: expected value to equal [kafka]",
        "3.type]: expected value to equal [remote_elasticsearch]",
    ];
    for (version, kinds) in [("8.11", 2), ("8.19", 3), ("9.5", 3)] {
        let (list, code, _) = findings(&typo, &["--kibana-version", version]);
        assert_eq!(code, 1, "{version}: {list:?}");
        let mut lines = vec!["0.is_defualt_monitoring]: definition for this key is missing"];
        lines.extend(&others[..kinds]);
        assert!(
            list.iter().any(|(r, s, k)| r == "unknown-setting"
                && s == "xpack.fleet.outputs[0].is_defualt_monitoring"
                && *k == union(&lines)),
            "{version}: {list:?}"
        );
    }
    let (json, _, _) = report(&typo, &["--kibana-version", "8.19"]);
    let json = json.to_string();
    assert!(
        json.contains("did you mean `xpack.fleet.outputs[0].is_default_monitoring`?"),
        "{json}"
    );
    assert!(!json.contains("settings-not-judged"), "{json}");
    // A key of another kind: named as such, with the kind that takes it.
    let topic = output("    topic: logs\n");
    assert_eq!(findings(&topic, &["--kibana-version", "8.9"]).1, 1);
    let (json, code, _) = report(&topic, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{json}");
    let json = json.to_string();
    assert!(
        json.contains("`xpack.fleet.outputs[0].topic` is not a key of a `type: elasticsearch` entry in Kibana 8.19"),
        "{json}"
    );
    assert!(json.contains("`topic` belongs to `type: kafka`"), "{json}");
    // Kafka's own keys pass on a Kafka output, secrets included; `topic` from 8.13.
    let kafka = format!(
        "xpack.fleet.outputs:\n  - id: k\n    name: K\n    type: kafka\n    hosts: [\"kafka:9092\"]\n    auth_type: user_pass\n    username: u\n    compression: gzip\n    compression_level: 4\n    topic: logs\n    secrets:\n      password: not-a-real-one\n      ssl:\n        key: not-a-real-key\n{KEY}"
    );
    for version in ["8.13", "8.19", "9.5"] {
        let (json, code, _) = report(&kafka, &["--kibana-version", version]);
        assert_eq!(code, 0, "{version}: {json}");
        assert!(
            !json.to_string().contains("settings-not-judged"),
            "{version}: {json}"
        );
    }
    let (list, code, _) = findings(&kafka, &["--kibana-version", "8.12"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(
            &list,
            "setting-not-available",
            "xpack.fleet.outputs[0].topic"
        ),
        "{list:?}"
    );
    // A kind the release lacks: every kind fails at its literal.
    let remote = "xpack.fleet.outputs:\n  - id: r\n    name: R\n    type: remote_elasticsearch\n    hosts: [\"https://es:9200\"]\n    service_token: not-a-real-token\n";
    let remote = format!("{remote}{KEY}");
    let (list, code, _) = findings(&remote, &["--kibana-version", "8.11"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, k)| r == "invalid-setting-value"
            && s == "xpack.fleet.outputs[0]"
            && k.ends_with("outputs.0.2.type]: expected value to equal [kafka]")),
        "{list:?}"
    );
    assert_eq!(findings(&remote, &["--kibana-version", "8.12"]).1, 0);
    // A key before the literal fails every kind first: `name` comes before `type`.
    let nameless = format!(
        "xpack.fleet.outputs:\n  - id: es\n    type: elasticsearch\n    hosts: [\"https://es:9200\"]\n{KEY}"
    );
    let (list, code, _) = findings(&nameless, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    let lines: Vec<String> = (0..4)
        .map(|i| format!("{i}.name]: expected value of type [string] but got [undefined]"))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert!(
        list.iter().any(|(r, s, k)| r == "invalid-setting-type"
            && s == "xpack.fleet.outputs[0].name"
            && *k == union(&lines)),
        "{list:?}"
    );
    // Without `type`: config-schema threw a TypeError until 9.2 (PR #229381), then every kind
    // fails at its literal.
    let untyped = format!(
        "xpack.fleet.outputs:\n  - id: es\n    name: ES\n    hosts: [\"https://es:9200\"]\n{KEY}"
    );
    let (list, _, _) = findings(&untyped, &["--kibana-version", "8.19"]);
    assert!(
        list.iter()
            .any(|(_, _, k)| k.starts_with("TypeError: Cannot destructure property")),
        "{list:?}"
    );
    let (list, _, _) = findings(&untyped, &["--kibana-version", "9.2"]);
    let lines = [
        "0.type]: expected value to equal [elasticsearch]",
        others[0],
        others[1],
        others[2],
    ];
    assert!(list.iter().any(|(_, _, k)| *k == union(&lines)), "{list:?}");
    // An Elasticsearch output's `secrets`: not in the 9.1-dev copy, in the 9.5-dev dump.
    let secrets = output("    secrets:\n      ssl:\n        key: not-a-real-key\n");
    assert_eq!(findings(&secrets, &["--kibana-version", "8.19"]).1, 1);
    let (list, code, _) = findings(&secrets, &["--kibana-version", "9.2"]);
    assert_eq!(code, 0, "{list:?}");
    assert!(
        has(
            &list,
            "unverified-setting",
            "xpack.fleet.outputs[0].secrets"
        ),
        "{list:?}"
    );
    assert_eq!(findings(&secrets, &["--kibana-version", "9.5"]).1, 0);
    // is_default_monitoring: PR #117667, v8.0.0; proxy_id: PR #147716, 8.7; topics: 8.10 to 8.19.
    let monitoring = output("    is_default_monitoring: true\n");
    let (list, code, _) = findings(&monitoring, &["--kibana-version", "7.17"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(
            &list,
            "setting-not-available",
            "xpack.fleet.outputs[0].is_default_monitoring"
        ),
        "{list:?}"
    );
    assert_eq!(findings(&monitoring, &["--kibana-version", "8.0"]).1, 0);
    let proxy = output("    proxy_id: my-proxy\n");
    let (list, code, _) = findings(&proxy, &["--kibana-version", "8.6"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(
            &list,
            "setting-not-available",
            "xpack.fleet.outputs[0].proxy_id"
        ),
        "{list:?}"
    );
    let topics = "xpack.fleet.outputs:\n  - id: k\n    name: K\n    type: kafka\n    hosts: [\"kafka:9092\"]\n    auth_type: none\n    topics:\n      - topic: logs\n";
    let topics = format!("{topics}{KEY}");
    assert_eq!(findings(&topics, &["--kibana-version", "8.19"]).1, 0);
    let (list, code, _) = findings(&topics, &["--kibana-version", "9.0"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "removed-setting", "xpack.fleet.outputs[0].topics"),
        "{list:?}"
    );
    // An Elasticsearch output's hosts are URLs (`schema.uri`, http or https).
    let bare = format!(
        "xpack.fleet.outputs:\n  - id: es\n    name: ES\n    type: elasticsearch\n    hosts: [\"es01:9200\"]\n{KEY}"
    );
    let (list, code, _) = findings(&bare, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    let mut lines = vec!["0.hosts.0]: expected URI with scheme [http|https]."];
    lines.extend(others);
    assert!(
        list.iter()
            .any(|(_, s, k)| s == "xpack.fleet.outputs[0].hosts[0]" && *k == union(&lines)),
        "{list:?}"
    );
    // The fix is the format's, although the path's row is the kinds' shared one.
    let (json, _, _) = report(&bare, &["--kibana-version", "8.19"]);
    assert!(
        json.to_string()
            .contains("write the full URL, starting with `https://` or `http://`"),
        "{json}"
    );
    // The object form's `type` takes logstash from 8.2 (PR #125990); 7.17's is one literal.
    let logstash = format!(
        "xpack.fleet.outputs:\n  - id: ls\n    name: LS\n    type: logstash\n    hosts: [\"ls:5044\"]\n{KEY}"
    );
    let (list, code, _) = findings(&logstash, &["--kibana-version", "7.17"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(_, s, k)| s == "xpack.fleet.outputs[0].type"
            && k == "[config validation of [xpack.fleet].outputs.0.type]: expected value to equal [elasticsearch]"),
        "{list:?}"
    );
    assert_eq!(findings(&logstash, &["--kibana-version", "8.1"]).1, 1);
    assert_eq!(findings(&logstash, &["--kibana-version", "8.2"]).1, 0);
}
