//! Plugin namespaces, each judged from the release its research establishes (and only within
//! its window), with the moves and renames their deprecations make first.

use super::{KEY, findings, has, human, report};

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
    // Preconfigured packages are judged item by item (fleet-preconfig.md), so nothing here is
    // left "not judged".
    assert!(
        !list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
    // A preconfigured output is judged by its `type` from 8.10.
    let outputs = format!(
        "{KEY}xpack.fleet.outputs:\n  - id: es\n    name: es\n    type: elasticsearch\n    hosts: [\"https://es:9200\"]\n    is_default: true\n    someday: 1\n"
    );
    let (list, code, _) = findings(&outputs, &["--kibana-version", "8.12"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "unknown-setting", "xpack.fleet.outputs[0].someday"),
        "{list:?}"
    );
    // A typo inside a package item is Kibana's error.
    let typo = format!(
        "{KEY}xpack.fleet.packages:\n  - name: system\n    version: latest\n    prelease: true\n"
    );
    let (list, code, _) = findings(&typo, &["--kibana-version", "8.12"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, _, m)| r == "unknown-setting"
            && m == "[config validation of [xpack.fleet].packages.0.prelease]: definition for this key is missing"),
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
    // Windows widened by build declaration dumps dated after the 9.4 cut (windows-2.md), then
    // by a vitest config stored after the 9.5 cut (plugin-roots-63.md).
    let uptime = format!("{KEY}xpack.legacy_uptime.indexx: x\n");
    for (v, judged) in [("8.13", false), ("9.4", true), ("9.5", true)] {
        let (list, _, _) = findings(&uptime, &["--kibana-version", v]);
        assert_eq!(
            has(&list, "unknown-setting", "xpack.legacy_uptime.indexx"),
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
    // 9.5: the kql plugin took the root with the same schema (plugin-roots-30.md).
    for version in ["8.15", "9.5"] {
        let (list, _, _) = findings(&search, &["--kibana-version", version]);
        assert!(
            has(
                &list,
                "unknown-setting",
                "unifiedSearch.autocomplete.valueSugestions"
            ),
            "{version}: {list:?}"
        );
    }
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

/// Roots Kibana's settings reference lists that the table held only in part
/// (docs/research/settings/small-roots-2.md): the UI-switch plugins' `enabled` left in 8.0,
/// came back as a plain boolean in 8.8 (PR #155583) and was Serverless-only from 8.10
/// (PR #160671); small core services are judged from the release their schema is read for.
#[test]
fn roots_from_the_settings_reference_are_judged_per_release() {
    let yml = format!("{KEY}xpack.ccr.enabled: false\n");
    let verdict = |v: &str| {
        let (list, _, _) = findings(&yml, &["--kibana-version", v]);
        list.into_iter()
            .filter(|(_, s, _)| s == "xpack.ccr.enabled")
            .map(|(r, _, m)| (r, m))
            .collect::<Vec<_>>()
    };
    assert!(
        verdict("7.17")
            .iter()
            .any(|(r, _)| r == "deprecated-setting")
    );
    assert!(verdict("8.5").iter().any(|(r, _)| r == "removed-setting"));
    assert_eq!(verdict("8.9"), vec![]);
    assert!(verdict("8.12").iter().any(|(r, m)| r == "invalid-setting-value"
        && m == "[config validation of [xpack.ccr].enabled]: a value wasn't expected to be present"));

    let core = format!(
        "{KEY}node.roles: [\"ui\"]\nexecution_context.enabled: false\ndeprecation.skip_deprecated_settings: []\n"
    );
    let (list, code, _) = findings(&core, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");
    let (list, _, _) = findings(&core, &["--kibana-version", "8.3"]);
    assert!(
        has(&list, "setting-not-available", "node.roles"),
        "{list:?}"
    );
    let typo = format!("{KEY}execution_context.enable: false\nxpack.ilm.ui.enabeld: false\n");
    let (list, _, _) = findings(&typo, &["--kibana-version", "9.0"]);
    assert!(
        has(&list, "unknown-setting", "execution_context.enable"),
        "{list:?}"
    );
    assert!(
        has(&list, "unknown-setting", "xpack.ilm.ui.enabeld"),
        "{list:?}"
    );
    // xpack.ilm's 9.x copies date only to 9.0: later releases are not judged.
    let (list, _, _) = findings(&typo, &["--kibana-version", "9.5"]);
    assert!(
        has(&list, "unknown-setting", "execution_context.enable"),
        "{list:?}"
    );
    assert!(
        !has(&list, "unknown-setting", "xpack.ilm.ui.enabeld"),
        "{list:?}"
    );

    // small-roots-3.md: share's URL expiry is 9.1 (8.19 too, 9.0 not), lists held to 9.2.
    let share = format!(
        "{KEY}share.url_expiration.enabled: true\nxpack.lists.maxImportPayloadBytes: 1000\nxpack.lists.importBuffer: 1\n"
    );
    let (list, _, _) = findings(&share, &["--kibana-version", "9.2"]);
    assert!(
        !has(&list, "unverified-setting", "share.url_expiration"),
        "{list:?}"
    );
    assert!(
        has(&list, "unknown-setting", "xpack.lists.importBuffer"),
        "{list:?}"
    );
    let (list, _, _) = findings(&share, &["--kibana-version", "9.0"]);
    assert!(
        has(&list, "unverified-setting", "share.url_expiration"),
        "{list:?}"
    );
    let (list, _, _) = findings(&share, &["--kibana-version", "9.5"]);
    assert!(
        !has(&list, "unknown-setting", "xpack.lists.importBuffer"),
        "{list:?}"
    );
    assert!(
        list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
}

/// Plugins that export no config schema (roots-core-oss.md §1.4, xpack-small-roots.md CS716 and
/// CS80): 7.17's core reads `<root>.enabled` itself and calls every other key unknown, unless
/// `enabled: false` marks the root handled; from 8.0 any key under the root stops Kibana at
/// plugin discovery. `share` had no schema until 8.14.
#[test]
fn roots_of_plugins_without_a_schema_refuse_every_key_from_8_0() {
    let yml = format!("{KEY}xpack.searchprofiler.enabled: true\nxpack.searchprofiler.ui.x: 1\n");
    let (list, code, _) = findings(&yml, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    for key in ["xpack.searchprofiler.enabled", "xpack.searchprofiler.ui.x"] {
        assert!(
            list.iter().any(|(r, s, m)| r == "unknown-setting"
                && s == key
                && m == "No validation schema has been defined for [xpack.searchprofiler]"),
            "{key}: {list:?}"
        );
    }
    let (list, code, _) = findings(&yml, &["--kibana-version", "7.17"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "deprecated-setting"
            && s == "xpack.searchprofiler.enabled"
            && m == "Configuring \"xpack.searchprofiler.enabled\" is deprecated and will be removed in 8.0.0."),
        "{list:?}"
    );
    assert!(
        list.iter().any(|(r, s, m)| r == "unknown-setting"
            && s == "xpack.searchprofiler.ui.x"
            && m.starts_with("Unknown configuration key(s): \"xpack.searchprofiler.ui.x\".")),
        "{list:?}"
    );
    // `enabled: false` marks the whole root handled in 7.x: the rest passes unread.
    let off = format!("{KEY}xpack.searchprofiler:\n  enabled: false\n  ui.x: 1\n");
    let (list, code, _) = findings(&off, &["--kibana-version", "7.17"]);
    assert_eq!(code, 0, "{list:?}");
    assert!(
        !list
            .iter()
            .any(|(_, s, _)| s == "xpack.searchprofiler.ui.x"),
        "{list:?}"
    );

    let share = format!("{KEY}share.new_version.enabled: true\n");
    let (list, _, _) = findings(&share, &["--kibana-version", "8.13"]);
    assert!(
        list.iter().any(|(r, s, m)| r == "unknown-setting"
            && s == "share.new_version.enabled"
            && m == "No validation schema has been defined for [share]"),
        "{list:?}"
    );
    let (list, code, _) = findings(&share, &["--kibana-version", "8.14"]);
    assert_eq!(code, 0, "{list:?}");
}

/// Bundled plugins' roots researched in batches (docs/research/settings/plugin-roots-NN.md): a
/// plugin without a schema, one with a small schema, one that was removed, and a 7.x switch
/// whose fate after the researched window is not known.
#[test]
fn bundled_plugin_roots_are_judged_within_their_windows() {
    let charts = format!("{KEY}charts.palette: default\n");
    let (list, code, _) = findings(&charts, &["--kibana-version", "8.19"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        list.iter().any(|(r, s, m)| r == "unknown-setting"
            && s == "charts.palette"
            && m == "No validation schema has been defined for [charts]"),
        "{list:?}"
    );
    let (list, code, _) = findings(
        &format!("{KEY}charts.enabled: false\n"),
        &["--kibana-version", "7.17"],
    );
    assert_eq!(code, 0, "{list:?}");
    assert!(
        has(&list, "deprecated-setting", "charts.enabled"),
        "{list:?}"
    );

    let home = format!("{KEY}home.disableWelcomeScreen: true\n");
    for v in ["7.17", "8.19", "9.5"] {
        let (list, code, _) = findings(&home, &["--kibana-version", v]);
        assert_eq!(code, 0, "{v}: {list:?}");
    }
    let (list, _, _) = findings(
        &format!("{KEY}home.disableWelcomeScren: true\n"),
        &["--kibana-version", "9.5"],
    );
    assert!(
        has(&list, "unknown-setting", "home.disableWelcomeScren"),
        "{list:?}"
    );

    // kibana_legacy: no schema in 8.0, gone from 8.1 (core's unknown-key error then).
    let legacy = format!("{KEY}kibana_legacy.defaultAppId: home\n");
    let (list, _, _) = findings(&legacy, &["--kibana-version", "8.0"]);
    assert!(
        list.iter()
            .any(|(_, _, m)| m == "No validation schema has been defined for [kibana_legacy]"),
        "{list:?}"
    );
    let (list, _, _) = findings(&legacy, &["--kibana-version", "8.5"]);
    assert!(
        list.iter().any(|(_, _, m)| m
            .starts_with("Unknown configuration key(s): \"kibana_legacy.defaultAppId\".")),
        "{list:?}"
    );

    // xpack.lens: no schema 8.0-8.17; later copies are undated, so its switch only warns.
    let lens = format!("{KEY}xpack.lens.enabled: true\n");
    let (list, code, _) = findings(&lens, &["--kibana-version", "8.10"]);
    assert_eq!(code, 1, "{list:?}");
    // Outside a root's window its keys are not judged, and the note names the window.
    let metric = format!("{KEY}vis_type_metric.foo: 1\n");
    let (json, _, _) = report(&metric, &["--kibana-version", "9.5"]);
    let note = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "settings-not-judged")
        .map(|f| f["note"].as_str().unwrap_or_default().to_string());
    assert_eq!(
        note.as_deref(),
        Some(
            "judged for the releases their dated schema copies cover: `vis_type_metric.*` for Kibana 7.17–9.3"
        )
    );
    let (list, code, _) = findings(&lens, &["--kibana-version", "9.5"]);
    assert_eq!(code, 0, "{list:?}");
    assert!(
        has(&list, "unverified-setting", "xpack.lens.enabled"),
        "{list:?}"
    );

    // Watcher's switch: plain in 8.8-8.9, Serverless-only from 8.10 until PR #230905, whose
    // first release is not known (8.18 on may have it as a backport, so it is accepted there).
    let watcher = format!("{KEY}xpack.watcher.enabled: false\n");
    let verdict = |v: &str| findings(&watcher, &["--kibana-version", v]).1;
    assert_eq!(
        [verdict("8.9"), verdict("8.12"), verdict("8.18")],
        [0, 1, 0]
    );
}

/// The second pass over the roots (plugin-roots-09 … -24): old 7.x roots with their 7.17
/// deprecations and 8.0 removals, a plugin that came later, one no release ships, and a
/// window that starts where a schema does.
#[test]
fn old_roots_and_later_plugins_are_judged_per_release() {
    // optimize: 7.17 ignores the listed keys with a deprecation, refuses any other; 8.0 refuses all.
    let optimize = format!("{KEY}optimize.watch: false\noptimize.foo: 1\n");
    let (list, code, _) = findings(&optimize, &["--kibana-version", "7.17"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "deprecated-setting", "optimize.watch"),
        "{list:?}"
    );
    assert!(has(&list, "unknown-setting", "optimize.foo"), "{list:?}");
    let (list, _, _) = findings(&optimize, &["--kibana-version", "8.0"]);
    assert!(has(&list, "removed-setting", "optimize.watch"), "{list:?}");

    // cpu: the leaf is reported with its replacement, not its parent object.
    let cpu = format!("{KEY}cpu.cgroup.path.override: /sys\n");
    let (list, _, _) = findings(&cpu, &["--kibana-version", "7.17"]);
    assert!(
        has(&list, "deprecated-setting", "cpu.cgroup.path.override"),
        "{list:?}"
    );
    let text = human(&cpu, &["--kibana-version", "9.5"]);
    assert!(
        text.contains("`cpu.cgroup.path.override` was removed in Kibana 8.0.0"),
        "{text}"
    );
    assert!(
        text.contains("use `ops.cGroupOverrides.cpuPath` instead"),
        "{text}"
    );

    // A key gone before the table's first release says so rather than naming 7.17.
    let infra = format!("{KEY}xpack.infra.query.partitionFactor: 1.2\n");
    let text = human(&infra, &["--kibana-version", "8.19"]);
    assert!(
        text.contains("is not in Kibana 7.17 or later (it was removed in 7.17 or earlier)"),
        "{text}"
    );

    // files: no owner before 8.5, then a plugin without a schema.
    let files = format!("{KEY}files.foo: 1\n");
    let (list, _, _) = findings(&files, &["--kibana-version", "8.4"]);
    assert!(has(&list, "unknown-setting", "files"), "{list:?}");
    let text = human(&files, &["--kibana-version", "8.4"]);
    assert!(
        text.contains("no plugin reads it before 8.5.0, and the plugin that takes it then defines no settings there either"),
        "{text}"
    );
    let (list, _, _) = findings(&files, &["--kibana-version", "8.17"]);
    assert!(
        list.iter()
            .any(|(_, _, m)| m == "No validation schema has been defined for [files]"),
        "{list:?}"
    );

    // The WorkChat plugins are stripped from every release build.
    let (list, code, _) = findings(
        &format!("{KEY}xpack.workchatApp.enabled: true\n"),
        &["--kibana-version", "9.5"],
    );
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "unknown-setting", "xpack.workchatApp.enabled"),
        "{list:?}"
    );

    // discover is judged from 8.15, where its schema is dated; 7.17 is no longer claimed.
    let discover = format!("{KEY}discover.enableUiSettingsValidations: true\ndiscover.foo: 1\n");
    let (list, _, _) = findings(&discover, &["--kibana-version", "8.19"]);
    assert!(has(&list, "unknown-setting", "discover.foo"), "{list:?}");
    assert!(
        !has(
            &list,
            "unknown-setting",
            "discover.enableUiSettingsValidations"
        ),
        "{list:?}"
    );
    let (list, _, _) = findings(&discover, &["--kibana-version", "7.17"]);
    assert!(
        list.iter().any(|(r, _, _)| r == "settings-not-judged"),
        "{list:?}"
    );
    assert!(!has(&list, "unknown-setting", "discover.foo"), "{list:?}");

    // developer_toolbar: a release build takes only `false`.
    let (list, _, _) = findings(
        &format!("{KEY}developer_toolbar.enabled: true\n"),
        &["--kibana-version", "9.5"],
    );
    assert!(
        has(&list, "invalid-setting-value", "developer_toolbar.enabled"),
        "{list:?}"
    );
}

/// Grouping roots (`x-pack`, `xpack.cloud_integrations`, `xpack.ess`): no plugin owns the root,
/// so a key outside every member is core's unknown-key error, while a member's keys (its schema
/// not read) are listed as not judged, never counted as judged.
#[test]
fn grouping_roots_refuse_keys_outside_their_members() {
    let yml = format!(
        "{KEY}x-pack.foo: 1\nx-pack.translations.enabled: false\nxpack.cloud_integrations.enabled: true\nxpack.cloud_integrations.full_story.org_id: abc\n"
    );
    for v in ["7.17", "9.5"] {
        let (list, code, _) = findings(&yml, &["--kibana-version", v]);
        assert_eq!(code, 1, "{v}: {list:?}");
        assert!(
            list.iter().any(|(r, s, m)| r == "unknown-setting"
                && s == "x-pack.foo"
                && m.starts_with("Unknown configuration key(s): \"x-pack.foo\".")),
            "{v}: {list:?}"
        );
        assert!(
            has(&list, "unknown-setting", "xpack.cloud_integrations.enabled"),
            "{v}: {list:?}"
        );
        assert!(
            !has(&list, "unknown-setting", "x-pack.translations.enabled"),
            "{v}: {list:?}"
        );
    }
    let text = human(&yml, &["--kibana-version", "9.5"]);
    assert!(
        text.contains("2 setting(s) were not judged")
            && text.contains("`x-pack.*` (1)")
            && text.contains("`xpack.cloud_integrations.*` (1)"),
        "{text}"
    );
}
