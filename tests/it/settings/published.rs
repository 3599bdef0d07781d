//! Differential tests against setting lists Kibana itself publishes: every key is linted alone
//! (one file each, one run), and the keys the tool calls refused or not judged must be exactly
//! the ones established, each against its source, in the settings research.

use std::collections::BTreeMap;

use crate::support::*;

/// Lints every key of `keys` alone (`<key>: x`) at `version`; returns, per rule of interest,
/// the keys it fired for.
fn verdicts(keys: &[&str], version: &str) -> BTreeMap<String, Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let path = dir.path().join(format!("{i:04}.yml"));
            std::fs::write(&path, format!("{key}: x\n")).unwrap();
            path
        })
        .collect();
    let out = bin()
        .args(["lint", "--no-process-env", "--format", "json"])
        .args(["--kibana-version", version])
        .args(&files)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_rule: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in json["findings"].as_array().unwrap() {
        let rule = f["name"].as_str().unwrap();
        if !matches!(
            rule,
            "unknown-setting"
                | "removed-setting"
                | "settings-not-judged"
                | "setting-not-available"
                | "invalid-setting-value"
        ) {
            continue;
        }
        let file = std::path::Path::new(f["file"].as_str().unwrap());
        let index: usize = file.file_stem().unwrap().to_str().unwrap().parse().unwrap();
        by_rule
            .entry(rule.to_string())
            .or_default()
            .push(keys[index].to_string());
    }
    for list in by_rule.values_mut() {
        list.sort();
        list.dedup();
    }
    by_rule
}

fn docker_list(name: &str) -> Vec<String> {
    std::fs::read_to_string(root().join("rules/data/kibana-docker").join(name))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn assert_verdicts(got: &BTreeMap<String, Vec<String>>, rule: &str, want: &[&str], at: &str) {
    let got: Vec<&str> = got
        .get(rule)
        .map(|v| v.iter().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(got, want, "{rule} at {at}");
}

/// Keys both Docker lists carry that no release from 7.17 on accepts (core's http schema and
/// the x-pack roots without an owner; docs/research/settings/core-server-es.md,
/// xpack-small-roots.md).
const STALE_IN_BOTH: &[&str] = &[
    "server.cors.origin",      // 7.x's `cors: {origin}`; 7.11+ has allowOrigin
    "server.keepAliveTimeout", // the key is keepaliveTimeout
    "server.ssl.cert",         // 6.x's name of server.ssl.certificate
    "xpack.code.disk.thresholdEnabled", // the Code app left in 7.x
    "xpack.code.disk.watermarkLow",
    "xpack.code.indexRepoFrequencyMs",
    "xpack.code.lsp.verbose",
    "xpack.code.maxWorkspace",
    "xpack.code.security.enableGitCertCheck",
    "xpack.code.security.gitHostWhitelist",
    "xpack.code.security.gitProtocolWhitelist",
    "xpack.code.ui.enabled",
    "xpack.code.updateRepoFrequencyMs",
    "xpack.code.verbose",
];

/// Keys inside `xpack.security.audit.appender`, core's union of appender kinds (one_of.rs). A
/// list's key alone is no appender (it has no `type`), so each is refused whole; none is left
/// unjudged. `legacyLoggingConfig` only the 7.x and 8.x lists name.
const AUDIT_APPENDER: &[&str] = &[
    "xpack.security.audit.appender.fileName",
    "xpack.security.audit.appender.layout.highlight",
    "xpack.security.audit.appender.layout.pattern",
    "xpack.security.audit.appender.layout.type",
    "xpack.security.audit.appender.legacyLoggingConfig",
    "xpack.security.audit.appender.policy.interval",
    "xpack.security.audit.appender.policy.modulate",
    "xpack.security.audit.appender.policy.size",
    "xpack.security.audit.appender.policy.type",
    "xpack.security.audit.appender.strategy.max",
    "xpack.security.audit.appender.strategy.pattern",
    "xpack.security.audit.appender.strategy.type",
    "xpack.security.audit.appender.type",
];

/// The 7.x image's list (bin/kibana-docker on the 7.x branch) at 7.17. `server.defaultRoute`
/// is accepted: the uiSettings deprecations rename it before validation.
#[test]
fn the_7x_docker_setting_list_at_7_17() {
    let list = docker_list("7.x.txt");
    let keys: Vec<&str> = list.iter().map(String::as_str).collect();
    let got = verdicts(&keys, "7.17");
    let mut unknown = STALE_IN_BOTH.to_vec();
    // The legacy prefix; the event log's root is xpack.eventLog.
    unknown.extend([
        "xpack.event_log.enabled",
        "xpack.event_log.indexEntries",
        "xpack.event_log.logEntries",
    ]);
    unknown.sort();
    assert_verdicts(&got, "unknown-setting", &unknown, "7.17");
    assert_verdicts(
        &got,
        "removed-setting",
        &[
            "apm_oss.apmAgentConfigurationIndex", // apm_oss has no owner from 7.16
            "interpreter.enableInVisualize",      // its plugin left in 7.8 (PR #61263)
            "logging.useUTC",                     // removed in 7.10
            "status.v6ApiFormat",
            // The 6.x spelling of map.tilemap.*, removed in 7.0 (PR #28609).
            "tilemap.options.attribution",
            "tilemap.options.maxZoom",
            "tilemap.options.minZoom",
            "tilemap.options.subdomains",
            "tilemap.url",
            "xpack.infra.query.partitionFactor",
            "xpack.infra.query.partitionSize",
        ],
        "7.17",
    );
    // logging in 7.17 (its logging_config.ts is not stored) and the 7.17 reporting viewport.
    let not_judged = [
        "logging.loggers.appenders",
        "logging.loggers.level",
        "logging.loggers.name",
        "xpack.reporting.capture.viewport.height",
        "xpack.reporting.capture.viewport.width",
    ];
    assert_verdicts(&got, "settings-not-judged", &not_judged, "7.17");
    assert_audit_appender_refused(&got, "7.17");
}

/// Each key of the audit appender, written alone, is an appender without `type`.
fn assert_audit_appender_refused(got: &BTreeMap<String, Vec<String>>, at: &str) {
    let invalid = got
        .get("invalid-setting-value")
        .cloned()
        .unwrap_or_default();
    for key in AUDIT_APPENDER {
        assert!(invalid.iter().any(|k| k == key), "{key} at {at}: {got:?}");
    }
}

/// Keys of the 8.x image's list that 8.x no longer accepts (removed in 8.0 or later).
const REMOVED_BY_8_19: &[&str] = &[
    "apm_oss.apmAgentConfigurationIndex",
    "console.proxyConfig",
    "console.proxyFilter",
    // Stale in the list since 7.x (plugin-roots-31.md): the interpreter plugin left in 7.8,
    // top-level tilemap.* in 7.0.
    "interpreter.enableInVisualize",
    "kibana.index",
    "status.v6ApiFormat",
    "tilemap.options.attribution",
    "tilemap.options.maxZoom",
    "tilemap.options.minZoom",
    "tilemap.options.subdomains",
    "tilemap.url",
    // The 7.x `vega` root's renames left in 8.0 (PR #112643; docs-differential.md).
    "vega.enableExternalUrls",
    "xpack.infra.query.partitionFactor",
    "xpack.infra.query.partitionSize",
    "xpack.infra.sources.default.fields.container",
    "xpack.infra.sources.default.fields.host",
    "xpack.infra.sources.default.fields.pod",
    "xpack.infra.sources.default.fields.tiebreaker",
    "xpack.infra.sources.default.fields.timestamp",
    "xpack.infra.sources.default.logAlias",
    "xpack.infra.sources.default.metricAlias",
    "xpack.ingestManager.fleet.tlsCheckDisabled",
    "xpack.ingestManager.registryUrl",
    "xpack.observability.unsafe.alertingExperience.enabled",
    "xpack.observability.unsafe.cases.enabled",
    "xpack.reporting.capture.concurrency",
    "xpack.reporting.capture.settleTime",
    "xpack.reporting.capture.timeout",
    "xpack.reporting.kibanaApp",
    "xpack.task_manager.max_poll_inactivity_cycles",
];

/// The 8.x image's list at 8.19 and at the newest release (the 9.x image's list is not
/// stored; the 8.x one is the nearest), where 9.0's removals join.
#[test]
fn the_8x_docker_setting_list_at_8_19_and_9_5() {
    let list = docker_list("8.x.txt");
    let keys: Vec<&str> = list.iter().map(String::as_str).collect();
    let mut unknown = STALE_IN_BOTH.to_vec();
    unknown.extend([
        // Renamed to rules.run before 8.2 shipped (PR #130172): the list is stale here.
        "xpack.alerting.rules.execution.actions.max",
        "xpack.alerting.rules.execution.ruleTypeOverrides",
        "xpack.alerting.rules.execution.timeout",
        "xpack.event_log.indexEntries",
        "xpack.event_log.logEntries",
        // The key is xpack.lists.maxExceptionsImportSize.
        "xpack.securitySolution.maxExceptionsImportSize",
    ]);
    unknown.sort();
    let mut removed_by_9 = REMOVED_BY_8_19.to_vec();
    removed_by_9.extend([
        "xpack.actions.proxyRejectUnauthorizedCertificates",
        "xpack.actions.rejectUnauthorized",
        "xpack.alerting.defaultRuleTaskTimeout",
        "xpack.alerts.healthCheck.interval",
        "xpack.alerts.invalidateApiKeysTask.interval",
        "xpack.alerts.invalidateApiKeysTask.removalDelay",
    ]);
    removed_by_9.sort();
    for (version, removed) in [("8.19", REMOVED_BY_8_19), ("9.5", &removed_by_9[..])] {
        let got = verdicts(&keys, version);
        assert_verdicts(&got, "unknown-setting", &unknown, version);
        assert_verdicts(&got, "removed-setting", removed, version);
        // Nothing is left unjudged (the reporting viewport is judged: a deprecation drops it
        // whole; the audit appender is core's union of appender kinds).
        assert_verdicts(&got, "settings-not-judged", &[], version);
        assert_audit_appender_refused(&got, version);
    }
}

/// Kibana's 9.x settings reference (`docs/reference/configuration-reference/*.yml`, keys and
/// `applies_to` markers in docs/research/settings/docs-keys-9x.tsv): every key it lists for a
/// self-managed stack is linted alone at the newest release. The keys the tool refuses are the
/// docs' own mistakes, each settled in Kibana's source (docs-differential.md), and none is left
/// unjudged.
#[test]
fn kibanas_settings_reference_at_the_newest_release() {
    let tsv =
        std::fs::read_to_string(root().join("docs/research/settings/docs-keys-9x.tsv")).unwrap();
    let mut documented = Vec::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (stack, self_managed) = (cols[1], cols[2]);
        if stack.contains("removed")
            || stack.contains("unavailable")
            || self_managed == "unavailable"
        {
            continue;
        }
        documented.push(cols[0].to_string());
    }
    assert!(documented.len() > 500, "{}", documented.len());
    // `[n]`/`[]` stand for a list item and `<name>` for a name of the user's choosing;
    // `<provider-type>` for one of the types, of which `saml` takes every common key.
    let written: Vec<String> = documented
        .iter()
        .map(|k| {
            let mut out = String::new();
            let mut name: Option<String> = None;
            for c in k.chars() {
                match c {
                    '<' => name = Some(String::new()),
                    '>' => {
                        let placeholder = name.take().unwrap_or_default();
                        out.push_str(if placeholder == "provider-type" {
                            "saml"
                        } else {
                            "example"
                        });
                    }
                    _ if let Some(n) = name.as_mut() => n.push(c),
                    _ => out.push(c),
                }
            }
            out.replace("[n]", ".0").replace("[]", ".0")
        })
        .collect();
    let keys: Vec<&str> = written.iter().map(String::as_str).collect();
    let got = verdicts(&keys, "9.5");
    // Back from the written form to the documented key.
    let documented_of = |rule: &str| -> Vec<&str> {
        got.get(rule)
            .into_iter()
            .flatten()
            .map(|k| documented[written.iter().position(|w| w == k).unwrap()].as_str())
            .collect()
    };
    let expect = |rule: &str, prefixes: &[&str]| {
        let keys = documented_of(rule);
        for key in &keys {
            assert!(
                prefixes.iter().any(|p| key.starts_with(p)),
                "{rule}: {key} is not expected"
            );
        }
        for p in prefixes {
            assert!(
                keys.iter().any(|k| k.starts_with(p)),
                "{rule}: nothing for {p}"
            );
        }
    };
    expect(
        "unknown-setting",
        &[
            // An advanced setting (`observability:maxSuggestions`), never an APM schema key.
            "xpack.apm.maxSuggestions",
            // Fleet's key is `proxies`; the docs' name is refused by every release.
            "xpack.fleet.proxy",
            // A draft name of PR #242612; the released keys are maxRevisions/maxPoliciesPerRun.
            "xpack.fleet.fleetPolicyRevisionsCleanup.max_",
            // The docs put a `<logger>` level inside the list items that Kibana does not have.
            "logging.loggers[].<logger>.",
        ],
    );
    // Removed in 8.0 (PR #109896); the docs still list the 7.x region maps. The docs call
    // `vega.enableExternalUrls` "deprecated 8.0", but 8.0 removed the old root's renames (PR
    // #112643) and 9.x's vis_type_vega declares no deprecations (docs-differential.md).
    expect(
        "removed-setting",
        &["map.regionmap", "vega.enableExternalUrls"],
    );
    // 9.6 (absent from a declaration dump made after the 9.5 cut).
    expect("setting-not-available", &["i18n.detectBrowserLocale"]);
    // Every namespace the reference names is held for 9.5, or its keys are all in the table;
    // what is left sits inside objects the table leaves open: free-form advanced-setting
    // overrides (Fleet's preconfigured policies, their package policies and outputs are judged
    // key by key, and every key the reference names there is a row).
    expect("settings-not-judged", &["uiSettings.globalOverrides."]);
}

/// The 8.x settings reference (the asciidoc pages, docs-keys-8x.tsv; pages whose only stored
/// copy predates 8.0 left out) at 8.19, the last 8.x release.
#[test]
fn kibanas_8x_settings_reference_at_8_19() {
    let tsv =
        std::fs::read_to_string(root().join("docs/research/settings/docs-keys-8x.tsv")).unwrap();
    let keys: Vec<&str> = tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cols| !cols.get(2).is_some_and(|flags| flags.contains("pre8x")))
        .map(|cols| cols[0])
        // Only concrete keys: the pages write a few as `<name>` or `[n]` patterns.
        .filter(|k| !k.contains(['<', '[', ' ']))
        .collect();
    assert!(keys.len() > 250, "{}", keys.len());
    let got = verdicts(&keys, "8.19");
    let refused: Vec<&str> = [
        "unknown-setting",
        "removed-setting",
        "setting-not-available",
    ]
    .iter()
    .flat_map(|rule| got.get(*rule).into_iter().flatten())
    .map(String::as_str)
    .collect();
    for key in &refused {
        assert!(
            // An early 8.x page: renamed to rules.run before 8.2 shipped (PR #130172).
            key.starts_with("xpack.alerting.rules.execution.")
                // Fleet's key is `proxies`.
                || *key == "xpack.fleet.proxy",
            "{key} is refused at 8.19"
        );
    }
    assert!(refused.contains(&"xpack.fleet.proxy"), "{refused:?}");
}
