//! The schema against config-schema's behaviour: coercions, messages, versions.

use super::values::{parse_byte_size, parse_duration};
use super::*;
use crate::model::tree::Node;
use crate::source::{Location, Origin, Pos, Span};
use crate::version::Version;

fn loc() -> Origin {
    Origin::File(Location {
        file: 0,
        span: Span::point(Pos::new(1, 1)),
    })
}

fn tree(json: serde_json::Value) -> Node {
    Node::from_json(&json, &loc())
}

fn messages(json: serde_json::Value, version: &str) -> Vec<String> {
    validate(&tree(json), version.parse().unwrap())
        .issues
        .into_iter()
        .map(|i| i.kibana)
        .collect()
}

#[test]
fn the_table_loads_and_every_child_has_a_parent() {
    let s = schema();
    for spec in s.specs() {
        if spec.namespace {
            continue;
        }
        let parent = spec
            .key
            .rsplit_once(['.', '['])
            .map(|(p, _)| p.trim_end_matches(".*"))
            .unwrap();
        assert!(
            s.get(parent).is_some() || s.get(&spec.key.replace("[]", "")).is_some(),
            "{} has no parent",
            spec.key
        );
        if spec.ty == Type::Enum {
            assert!(!spec.values.is_empty(), "{}", spec.key);
        }
        // A format is one formats.rs implements, on a string (or a string-or-array's strings).
        if let Some(f) = spec.format {
            assert!(super::formats::FORMATS.contains(&f), "{}: {f}", spec.key);
            assert!(
                matches!(spec.ty, Type::String | Type::StringOrArray),
                "{}",
                spec.key
            );
        }
    }
}

#[test]
fn defaults_apply_and_coercions_match_config_schema() {
    let v = validate(
        &tree(serde_json::json!({"xpack": {"actions": {
            "allowedHosts": "[\"a.com\"]",
            "preconfiguredAlertHistoryEsIndex": "TRUE",
        }}})),
        Version::DEFAULT,
    );
    assert!(v.issues.is_empty(), "{:?}", v.issues);
    let actions = v.tree.get("xpack.actions").unwrap();
    assert_eq!(actions.get("allowedHosts").unwrap().display(), "[a.com]");
    assert_eq!(
        actions
            .get("preconfiguredAlertHistoryEsIndex")
            .unwrap()
            .as_bool(),
        Some(true)
    );
    assert_eq!(actions.get("enabledActionTypes").unwrap().display(), "[*]");
    assert!(matches!(
        actions.get("enabledActionTypes").unwrap().origin,
        Origin::Default
    ));
}

#[test]
fn kibana_messages_for_wrong_types() {
    assert_eq!(
        messages(
            serde_json::json!({"xpack": {"actions": {"allowedHosts": null}}}),
            "9.1"
        ),
        [
            "[config validation of [xpack.actions].allowedHosts]: expected value of type [array] but got [null]"
        ]
    );
    assert_eq!(
        messages(
            serde_json::json!({"xpack": {"actions": {"allowedHosts": "a.com"}}}),
            "9.1"
        ),
        [
            "[config validation of [xpack.actions].allowedHosts]: could not parse array value from json input"
        ]
    );
    assert_eq!(
        messages(
            serde_json::json!({"xpack": {"encryptedSavedObjects": {"encryptionKey": 12}}}),
            "9.1"
        ),
        [
            "[config validation of [xpack.encryptedSavedObjects].encryptionKey]: expected value of type [string] but got [number]"
        ]
    );
    assert_eq!(
        messages(
            serde_json::json!({"xpack": {"actions": {"customHostSettings": [{}]}}}),
            "9.1"
        ),
        [
            "[config validation of [xpack.actions].customHostSettings.0.url]: expected value of type [string] but got [undefined]"
        ]
    );
}

#[test]
fn unknown_keys_get_kibanas_message_and_a_suggestion() {
    let v = validate(
        &tree(
            serde_json::json!({"xpack": {"actions": {"allowedhosts": ["a.com"], "encryptionKey": "x"}}}),
        ),
        Version::DEFAULT,
    );
    let kinds: Vec<_> = v
        .issues
        .iter()
        .map(|i| (&i.kind, i.kibana.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                &IssueKind::Unknown {
                    suggestion: Some("xpack.actions.allowedHosts".into())
                },
                "[config validation of [xpack.actions].allowedhosts]: definition for this key is missing"
            ),
            (
                &IssueKind::Unknown {
                    suggestion: Some("xpack.encryptedSavedObjects.encryptionKey".into())
                },
                "[config validation of [xpack.actions].encryptionKey]: definition for this key is missing"
            ),
        ]
    );
}

#[test]
fn enum_failures_list_every_literal() {
    assert_eq!(
        messages(
            serde_json::json!({"xpack": {"actions": {"ssl": {"verificationMode": "strict"}}}}),
            "9.1"
        ),
        [
            "[config validation of [xpack.actions].ssl.verificationMode]: types that failed validation:\n\
          - [config validation of [xpack.actions].ssl.verificationMode.0]: expected value to equal [none]\n\
          - [config validation of [xpack.actions].ssl.verificationMode.1]: expected value to equal [certificate]\n\
          - [config validation of [xpack.actions].ssl.verificationMode.2]: expected value to equal [full]"
        ]
    );
}

#[test]
fn legacy_keys_by_version() {
    let cfg = serde_json::json!({"xpack": {"actions": {"whitelistedHosts": ["a.com"]}}});
    let v8 = validate(&tree(cfg.clone()), "8.19".parse().unwrap());
    assert!(matches!(
        v8.issues[0].kind,
        IssueKind::Deprecated {
            effect: DeprecationEffect::Renamed,
            ..
        }
    ));
    assert_eq!(
        v8.tree.get("xpack.actions.allowedHosts").unwrap().display(),
        "[a.com]"
    );
    let v9 = validate(&tree(cfg), "9.0".parse().unwrap());
    assert!(matches!(v9.issues[0].kind, IssueKind::Removed { .. }));
    assert_eq!(
        v9.issues[0].kibana,
        "[config validation of [xpack.actions].whitelistedHosts]: definition for this key is missing"
    );
    let enabled = messages(
        serde_json::json!({"xpack": {"actions": {"enabled": true}}}),
        "8.19",
    );
    assert_eq!(
        enabled,
        [
            "[xpack.actions]: enabled status cannot be changed. Please, remove [xpack.actions.enabled] from the configuration file."
        ]
    );
}

#[test]
fn settings_newer_than_the_version_are_unknown() {
    let v = validate(
        &tree(
            serde_json::json!({"xpack": {"actions": {"webhook": {"ssl": {"pfx": {"enabled": false}}}}}}),
        ),
        "8.19".parse().unwrap(),
    );
    assert!(matches!(
        v.issues[0].kind,
        IssueKind::NotYetAdded { since } if since == Version::new(9, 1, 0)
    ));
}

#[test]
fn unknown_xpack_namespaces_are_unknown_configuration_keys() {
    let m = messages(
        serde_json::json!({"xpack": {"encryptedsavedobjects": {"encryptionKey": "k"}}}),
        "9.1",
    );
    assert_eq!(
        m,
        [
            "Unknown configuration key(s): \"xpack.encryptedsavedobjects.encryptionKey\". Check for spelling errors and ensure that expected plugins are installed."
        ]
    );
}

#[test]
fn byte_sizes_and_durations() {
    assert_eq!(parse_byte_size("1mb"), Some(1_048_576));
    assert_eq!(parse_byte_size("1024"), Some(1024));
    assert_eq!(parse_byte_size("5MB"), Some(5 * 1_048_576));
    for bad in ["0mb", "1.5mb", "mb", "1tb", ""] {
        assert_eq!(parse_byte_size(bad), None, "{bad}");
    }
    for ok in ["60s", "1m30s", "70ms", "3d", "1y", "1000"] {
        assert!(parse_duration(ok), "{ok}");
    }
    for bad in ["60 s", "s", "1.5s", "01s", ""] {
        assert!(!parse_duration(bad), "{bad}");
    }
}

#[test]
fn server_uuid_and_custom_response_headers_have_their_validators() {
    let ok = serde_json::json!({"server": {
        "uuid": "5b2de169-2785-441b-ae8c-186a1936b17d",
        "customResponseHeaders": {"X-Frame-Options": "DENY"}
    }});
    assert!(messages(ok, "8.19").is_empty());
    // Version nibble 6 and variant c are outside Kibana's pattern.
    for bad in [
        "not-a-uuid",
        "5b2de169-2785-641b-ae8c-186a1936b17d",
        "5b2de169-2785-441b-ce8c-186a1936b17d",
    ] {
        let m = messages(serde_json::json!({"server": {"uuid": bad}}), "9.5");
        assert_eq!(
            m,
            ["[config validation of [server].uuid]: must be a valid uuid"],
            "{bad}"
        );
    }
    let m = messages(
        serde_json::json!({"server": {"customResponseHeaders": {"Location": "/x", "refresh": "0", "X-A": "b"}}}),
        "7.17",
    );
    assert_eq!(
        m,
        [
            "[config validation of [server].customResponseHeaders]: The following custom response headers are not allowed to be set: Location, refresh"
        ]
    );
}

#[test]
fn a_moved_value_replaces_a_scalar_in_its_way_as_lodash_set_does() {
    // monitoring.ui is a scalar; moving xpack.monitoring.elasticsearch to
    // monitoring.ui.elasticsearch makes it an object first, so only the moved keys are judged.
    let m = messages(
        serde_json::json!({"monitoring": {"ui": 5}, "xpack": {"monitoring": {"elasticsearch": {"hosts": "https://m:9200"}}}}),
        "8.19",
    );
    assert!(
        m.iter().any(|m| m.contains("\"xpack.monitoring.elasticsearch\" has been replaced by \"monitoring.ui.elasticsearch\"")),
        "{m:?}"
    );
    assert!(!m.iter().any(|m| m.contains("[monitoring].ui]")), "{m:?}");
}

#[test]
fn telemetry_opt_in_false_needs_the_status_to_be_changeable_until_8_2() {
    let both_off =
        serde_json::json!({"telemetry": {"optIn": false, "allowChangingOptInStatus": false}});
    for v in ["7.17", "8.2"] {
        assert_eq!(
            messages(both_off.clone(), v),
            ["[config validation of [telemetry].optIn]: expected value to equal [true]"],
            "{v}"
        );
    }
    // A plain boolean in the >=8.4 copy; 8.3 is not established, so not judged.
    assert!(messages(both_off, "8.3").is_empty());
    let ok = serde_json::json!({"telemetry": {"optIn": true, "allowChangingOptInStatus": false}});
    assert!(messages(ok, "7.17").is_empty());
}

#[test]
fn a_file_visits_the_namespaces_under_its_roots_and_the_checked_ones_in_table_order() {
    let s = schema();
    let all: Vec<&str> = s.namespaces().map(|n| n.key).collect();
    let file = tree(serde_json::json!({
        "xpack": { "fleet": { "agents": {} }, "serverless": { "plugin": {} } },
        "server": { "port": 1 },
        "nothing_here": 1
    }));
    let visited: Vec<&str> = s.namespaces_for(&file).map(|n| n.key).collect();
    // Every namespace under the file's roots, and every checked one, exactly once.
    let expected: Vec<&str> = all
        .iter()
        .copied()
        .filter(|k| {
            *k == "server"
                || *k == "xpack.fleet"
                || k.starts_with("xpack.serverless.")
                || s.is_checked(k)
        })
        .collect();
    assert_eq!(visited, expected);
    assert!(visited.contains(&"xpack.serverless.plugin"));
    // With no keys, only the namespaces a check module reads (their defaults matter).
    let checked: Vec<&str> = s
        .namespaces_for(&tree(serde_json::json!({})))
        .map(|n| n.key)
        .collect();
    assert!(!checked.is_empty() && checked.iter().all(|k| s.is_checked(k)));
}

#[test]
fn a_plugin_without_a_schema_refuses_every_key_from_8_0_and_reads_enabled_in_7_17() {
    let yml = serde_json::json!({ "charts": { "enabled": false, "palette": "x" } });
    assert_eq!(
        messages(yml.clone(), "8.19"),
        vec!["No validation schema has been defined for [charts]"; 2]
    );
    // 7.17: `enabled: false` marks the root handled, so only the deprecation is left.
    assert_eq!(
        messages(yml, "7.17"),
        vec!["Configuring \"charts.enabled\" is deprecated and will be removed in 8.0.0."]
    );
}

#[test]
fn telemetry_labels_are_a_closed_list_whose_keys_came_release_by_release() {
    let labels = |json: serde_json::Value, v: &str| {
        messages(serde_json::json!({"telemetry": {"labels": json}}), v)
    };
    // telemetry_labels.ts: a strict object, keys typed.
    assert_eq!(
        labels(serde_json::json!({"brnach": "main"}), "8.12"),
        ["[config validation of [telemetry].labels.brnach]: definition for this key is missing"]
    );
    assert_eq!(
        labels(serde_json::json!({"prId": "abc", "isPr": true}), "9.5"),
        [
            "[config validation of [telemetry].labels.prId]: expected value of type [number] but got [string]"
        ]
    );
    assert!(
        labels(
            serde_json::json!({"branch": "main", "ciBuildNumber": "12"}),
            "8.5"
        )
        .is_empty()
    );
    // environment came with 8.14 (PR #179675): unknown before, unverified in 8.14.
    assert_eq!(
        labels(serde_json::json!({"environment": "ci"}), "8.13"),
        [
            "[config validation of [telemetry].labels.environment]: definition for this key is missing"
        ]
    );
    assert!(labels(serde_json::json!({"environment": "ci"}), "8.15").is_empty());
    // On self-managed Kibana the Serverless project type is `never()`.
    assert_eq!(
        labels(serde_json::json!({"serverless": "security"}), "8.19"),
        [
            "[config validation of [telemetry].labels.serverless]: a value wasn't expected to be present"
        ]
    );
}

#[test]
fn elastic_apm_options_are_typed_from_8_6_and_unknown_ones_pass() {
    let apm = |json: serde_json::Value, v: &str| {
        let validated = validate(
            &tree(serde_json::json!({"elastic": {"apm": json}})),
            v.parse().unwrap(),
        );
        let messages: Vec<String> = validated.issues.into_iter().map(|i| i.kibana).collect();
        let unjudged: Vec<String> = validated.unjudged.iter().map(|p| p.to_string()).collect();
        (messages, unjudged)
    };
    let options = serde_json::json!({
        "active": "yes",
        "secretToken": 5,
        "contextPropagationOnly": true,
        "globalLabels": {"team": "infra"},
        "redactUsers": "no",
        "servicesOverrides": {"kibana-frontend": {"active": false}},
    });
    // 7.13–8.5: an ignored path, nothing is read.
    let (messages, unjudged) = apm(options.clone(), "8.5");
    assert!(
        messages.is_empty() && unjudged.is_empty(),
        "{messages:?} {unjudged:?}"
    );
    // 8.6 on: apmConfigSchema's typed keys; the two that changed form are judged where both
    // forms agree.
    let (messages, unjudged) = apm(options.clone(), "8.19");
    assert_eq!(
        messages,
        [
            "[config validation of [elastic].apm.active]: expected value of type [boolean] but got [string]",
            "[config validation of [elastic].apm.secretToken]: expected value of type [string] but got [number]",
        ]
    );
    assert_eq!(
        unjudged,
        ["elastic.apm.redactUsers", "elastic.apm.servicesOverrides"]
    );
    let (messages, unjudged) = apm(options, "9.0");
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(
        messages[1],
        "[config validation of [elastic].apm.redactUsers]: expected value of type [boolean] but got [string]"
    );
    assert_eq!(unjudged, ["elastic.apm.servicesOverrides"]);
}
