//! The override checks: Kibana's messages per schema and release, what stays not judged, and
//! the two checks that rest on JavaScript (`dateFormat:tz`, `defaultRoute`) against Node.

use super::{UiSchema, Verdict, judge, relative_url, schema_of};
use crate::kibana::node_cross_check;
use crate::kibana::schema::validate;
use crate::model::tree::{Node, SettingPath};
use crate::source::Origin;
use crate::version::Version;

fn v(s: &str) -> Version {
    s.parse().unwrap()
}

fn overrides(json: serde_json::Value, version: &str) -> (Vec<String>, Vec<String>) {
    let root = Node::from_json(
        &serde_json::json!({"uiSettings": {"overrides": json}}),
        &Origin::Default,
    );
    let validated = validate(&root, v(version));
    let messages = validated.issues.into_iter().map(|i| i.kibana).collect();
    let unjudged = validated
        .unjudged
        .iter()
        .map(SettingPath::to_string)
        .collect();
    (messages, unjudged)
}

#[test]
fn a_refused_override_gets_the_ui_settings_services_message() {
    let (messages, unjudged) = overrides(
        serde_json::json!({
            "dateFormat:tz": "EST",
            "dateFormat:dow": "Lundi",
            "defaultRoute": "app/home",
            "theme:darkMode": "dark",
            "notifications:lifetime:error": -1,
            "state:storeInSessionStorage": "yes",
            "dateFormat": 5,
            "dateFormat:scaled": "x",
            "someone:else": 1,
        }),
        "8.19",
    );
    // Every refused override, in key order (Kibana stops at the first, in the file's order).
    assert_eq!(
        messages,
        [
            "[ui settings overrides [dateFormat]]: expected value of type [string] but got [number]",
            "[ui settings overrides [dateFormat:dow]]: Invalid day of week: Lundi",
            "[ui settings overrides [dateFormat:tz]]: Invalid timezone: EST",
            "[ui settings overrides [defaultRoute]]: Must be a relative URL.",
            "[ui settings overrides [notifications:lifetime:error]]: types that failed validation:\n\
             - [ui settings overrides [notifications:lifetime:error].0]: Value must be equal to or greater than [0].\n\
             - [ui settings overrides [notifications:lifetime:error].1]: expected value to equal [Infinity] but got [-1]",
            "[ui settings overrides [state:storeInSessionStorage]]: expected value of type [boolean] but got [string]",
            "[ui settings overrides [theme:darkMode]]: types that failed validation:\n\
             - [ui settings overrides [theme:darkMode].0]: expected value to equal [enabled]\n\
             - [ui settings overrides [theme:darkMode].1]: expected value to equal [disabled]\n\
             - [ui settings overrides [theme:darkMode].2]: expected value to equal [system]\n\
             - [ui settings overrides [theme:darkMode].3]: expected value of type [boolean] but got [string]",
        ]
    );
    // Only the id nobody registers is left not judged.
    assert_eq!(unjudged, ["uiSettings.overrides.someone:else"]);
}

#[test]
fn accepted_values_follow_config_schemas_coercions() {
    let (messages, unjudged) = overrides(
        serde_json::json!({
            "dateFormat:tz": "Europe/Berlin",
            "dateFormat:dow": "Monday",
            "defaultRoute": "/app/dashboards#/view/1",
            "theme:darkMode": "TRUE",
            "notifications:lifetime:banner": "Infinity",
            "notifications:lifetime:info": "5000",
            "hideAnnouncements": "false",
            "theme:version": "v8",
        }),
        "9.5",
    );
    assert!(messages.is_empty(), "{messages:?}");
    assert!(unjudged.is_empty(), "{unjudged:?}");
    // An unresolved variable, or a weekday under another UI locale, is not judged.
    let root = Node::from_json(
        &serde_json::json!({
            "i18n": {"locale": "fr-FR"},
            "uiSettings": {"overrides": {"dateFormat:dow": "Lundi", "dateFormat:tz": "${TZ}"}}
        }),
        &Origin::Default,
    );
    let validated = validate(&root, v("8.10"));
    assert!(validated.issues.is_empty());
    assert_eq!(validated.unjudged.len(), 2);
}

#[test]
fn schemas_follow_the_releases_their_copies_date() {
    // theme:darkMode took its three modes in 8.14 (PR #173044).
    assert_eq!(
        schema_of("theme:darkMode", v("8.13")),
        Some(UiSchema::Boolean)
    );
    assert_eq!(
        schema_of("theme:darkMode", v("8.14")),
        Some(UiSchema::DarkMode)
    );
    // theme:version: two literals in 7.17, `v8` only from 8.14; between, not judged.
    assert_eq!(
        schema_of("theme:version", v("7.17")),
        Some(UiSchema::Literals(&["v7", "v8 (beta)"]))
    );
    assert_eq!(schema_of("theme:version", v("8.10")), None);
    assert_eq!(schema_of("hideAnnouncements", v("8.3")), None);
    assert_eq!(schema_of("truncate:maxHeight", v("9.0")), None);
    // Newer than the table: nothing is claimed.
    assert_eq!(schema_of("dateFormat:tz", v("9.6")), None);
    let (messages, _) = overrides(serde_json::json!({"theme:version": "v7"}), "8.19");
    assert_eq!(
        messages,
        ["[ui settings overrides [theme:version]]: expected value to equal [v8]"]
    );
    let (messages, _) = overrides(serde_json::json!({"theme:version": "v9"}), "7.17");
    assert_eq!(
        messages,
        [
            "[ui settings overrides [theme:version]]: types that failed validation:\n\
          - [ui settings overrides [theme:version].0]: expected value to equal [v7]\n\
          - [ui settings overrides [theme:version].1]: expected value to equal [v8 (beta)]"
        ]
    );
    let (messages, _) = overrides(serde_json::json!({"theme:darkMode": "system"}), "8.13");
    assert_eq!(
        messages,
        [
            "[ui settings overrides [theme:darkMode]]: expected value of type [boolean] but got [string]"
        ]
    );
    // A null is a value: config-schema's maybe() admits only undefined.
    assert_eq!(
        judge(
            UiSchema::MaybeNumber,
            &Node::from_json(&serde_json::Value::Null, &Origin::Default),
            "buildNum",
            true
        ),
        Verdict::Invalid {
            kibana: "expected value of type [number] but got [null]".into(),
            wrong_type: Some(("number", "null")),
        }
    );
}

/// Time zone names as written, mistyped and left out.
fn zones() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in include_str!("../../../../rules/data/moment-timezones.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        out.push(n.to_string());
        out.push(n.to_lowercase());
        out.push(n.replace('_', " "));
        out.push(format!("{n} "));
    }
    for special in [
        "Browser",
        "browser",
        "",
        "UTC+1",
        "GMT+2",
        "Europe/Kyiv",
        "Europe/Kiev",
    ] {
        out.push(special.to_string());
    }
    out
}

/// Routes people write, and the ways a host sneaks into one.
fn routes() -> Vec<String> {
    let mut out: Vec<String> = [
        "/app/home",
        "/app/dashboards#/view/abc?_g=()",
        "/",
        "app/home",
        "",
        " /app/home",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "https://evil.example/app",
        "http:/app",
        "/:8080",
        "/@evil.example",
        "/app/home?next=//evil",
        "/%2F%2Fevil",
        "/\t/evil.example",
        "/ /evil.example",
        "/app/home\n",
        "javascript:alert(1)",
        "/s/space/app/discover",
        "/app/kibana#/discover",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let pieces = [
        "/",
        "\\",
        "app",
        ":",
        "@",
        "evil.example",
        "#",
        "?",
        " ",
        "%2F",
        ".",
        "\t",
    ];
    out.extend(node_cross_check::mixes(
        &pieces,
        2000,
        6,
        0x2545_f491_4f6c_dd1d,
    ));
    out
}

#[derive(serde::Deserialize)]
struct Reference {
    zones: Vec<[bool; 2]>,
    routes: Vec<[bool; 2]>,
}

#[test]
fn time_zones_and_routes_agree_with_moment_timezone_and_node() {
    use super::super::date_conversion::cross_check::{VERSIONS, alias, modules};
    let Some(mods) = modules() else { return };
    let (zones, routes) = (zones(), routes());
    let versions: Vec<String> = VERSIONS.iter().map(|v| alias(v)).collect();
    let input = serde_json::to_vec(&serde_json::json!({
        "versions": versions, "zones": zones, "routes": routes,
    }))
    .unwrap();
    let reference: Reference =
        node_cross_check::node_json(include_str!("ui_settings_cross_check.js"), &mods, input);
    let node = |s: &str| Node::from_json(&serde_json::json!(s), &Origin::Default);
    let mut differ = Vec::new();
    // Refused only when no version lists it; accepted when one does.
    for (z, [some, _every]) in zones.iter().zip(&reference.zones) {
        let ours = judge(UiSchema::TimeZone, &node(z), "dateFormat:tz", true) == Verdict::Valid;
        if ours != *some {
            differ.push(format!("zone {z:?}: ours {ours}, moment-timezone {some}"));
        }
    }
    // Judged where both copies of the check agree, and as they do; not judged otherwise.
    for (r, [older, newer]) in routes.iter().zip(&reference.routes) {
        let expected = (older == newer).then_some(*older);
        if relative_url(r) != expected {
            differ.push(format!(
                "route {r:?}: ours {:?}, Node {older}/{newer}",
                relative_url(r)
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
    let refused = reference.zones.iter().filter(|[some, _]| !some).count();
    assert!(refused > 1000, "the names exercise refusals ({refused})");
    assert!(
        reference.routes.iter().any(|[o, n]| o != n),
        "a route splits the copies"
    );
}
