//! Recognising container files and extracting Kibana's configuration with exact positions.

use super::*;
use crate::source::yaml::parse;

fn recognise_text(text: &str) -> Option<Container> {
    let docs = documents(text, &parse);
    recognise(&docs, text, &parse)
}

fn kibanas(text: &str) -> Vec<Embedded> {
    match recognise_text(text) {
        Some(Container::Kibana(list)) => list,
        other => panic!("no Kibana in {text:?}: {other:?}"),
    }
}

/// The position of the value of `key` in the extracted kibana.yml.
fn value_pos(e: &Embedded, key: &str) -> Pos {
    let root = e.config.as_ref().unwrap().root.as_ref().unwrap();
    let YamlKind::Map(pairs) = &root.kind else {
        panic!("not a map")
    };
    pairs
        .iter()
        .find(|(k, _)| k.key_string() == key)
        .map(|(_, v)| v.span.start)
        .unwrap_or_else(|| panic!("no {key}"))
}

#[test]
fn compose_services_by_image_or_mount_with_both_environment_forms() {
    let text = "services:\n  es:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0\n  kibana:\n    image: docker.elastic.co/kibana/kibana:8.15.0\n    environment:\n      SERVER_NAME: kb\n      SERVER_PORT: 5601\n      PASSED_THROUGH:\n  ui:\n    image: nginx\n    volumes:\n      - ./conf/kibana.yml:/usr/share/kibana/config/kibana.yml:ro\n    environment:\n      - XPACK_ACTIONS_ALLOWEDHOSTS=[\"a.example\"]\n";
    let list = kibanas(text);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].instance, "service kibana");
    assert_eq!(list[0].version.as_deref(), Some("8.15.0"));
    let env: Vec<(&str, &str)> = list[0]
        .env
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(env, [("SERVER_NAME", "kb"), ("SERVER_PORT", "5601")]);
    assert_eq!(list[0].env[0].key_at.span.start, Pos::new(7, 7));
    assert_eq!(list[1].mounted, ["./conf/kibana.yml"]);
    assert_eq!(list[1].env[0].value, "[\"a.example\"]");
    // Compose without Kibana: recognised, not linted.
    assert!(matches!(
        recognise_text("services:\n  es:\n    image: elasticsearch:8.15.0\n"),
        Some(Container::Other)
    ));
}

#[test]
fn eck_resources_in_multi_document_manifests_keep_their_positions() {
    let text = "apiVersion: elasticsearch.k8s.elastic.co/v1\nkind: Elasticsearch\nmetadata:\n  name: es\n---\napiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: quickstart\nspec:\n  version: 9.1.0\n  config:\n    server.host: 0.0.0.0\n  secureSettings:\n    - secretName: s\n      entries:\n        - key: k\n          path: xpack.actions.preconfigured.x.secrets.password\n";
    let list = kibanas(text);
    let e = &list[0];
    assert_eq!(e.instance, "Kibana quickstart");
    assert_eq!(e.version.as_deref(), Some("9.1.0"));
    assert_eq!(value_pos(e, "server.host"), Pos::new(13, 18));
    assert!(
        e.provided
            .iter()
            .any(|(k, _)| k == "xpack.actions.preconfigured.x.secrets.password")
    );
    assert!(
        e.provided
            .iter()
            .any(|(k, _)| k == "xpack.encryptedSavedObjects.encryptionKey")
    );
}

#[test]
fn a_literal_block_maps_back_to_the_line_and_column_written() {
    // Values at 8:5 and 10:9 of the file.
    let text = "imageTag: 8.19.3\nextraEnvs:\n  - name: SERVER_NAME\n    value: kb\nkibanaConfig:\n  kibana.yml: |\n    # a comment\n    server.port: 5601\n    xpack.actions:\n      allowedHosts: [a.example]\n";
    let list = kibanas(text);
    let e = &list[0];
    assert_eq!(e.version.as_deref(), Some("8.19.3"));
    assert_eq!(value_pos(e, "server.port"), Pos::new(8, 18));
    let root = e.config.as_ref().unwrap().root.as_ref().unwrap();
    let YamlKind::Map(pairs) = &root.kind else {
        panic!()
    };
    let (k, _) = pairs
        .iter()
        .find(|(k, _)| k.key_string() == "xpack.actions")
        .unwrap();
    assert_eq!(k.span.start, Pos::new(9, 5));
    // The same in a ConfigMap, `|-` and deeper indentation.
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kb\ndata:\n  kibana.yml: |-\n      server.port: 5601\n";
    assert_eq!(value_pos(&kibanas(cm)[0], "server.port"), Pos::new(7, 20));
}

#[test]
fn a_syntax_error_in_a_block_points_into_the_file() {
    let text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  kibana.yml: |\n    a: 1\n    a: 2\n";
    let list = kibanas(text);
    let issues = &list[0].config.as_ref().unwrap().issues;
    let dup = issues
        .iter()
        .find_map(|i| match i {
            YamlIssue::DuplicateKey { second, .. } => Some(second.start),
            _ => None,
        })
        .expect("a duplicate key");
    assert_eq!(dup, Pos::new(6, 5));
}

#[test]
fn compose_interpolation() {
    let env = |n: &str| match n {
        "SET" => Some("v".to_string()),
        "EMPTY" => Some(String::new()),
        _ => None,
    };
    for (input, want) in [
        ("${SET}", "v"),
        ("$SET/x", "v/x"),
        ("${UNSET}", ""),
        ("${UNSET:-d}", "d"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("$$SET", "$SET"),
        ("a$", "a$"),
        ("${unclosed", "${unclosed"),
    ] {
        assert_eq!(interpolate(input, &env), want, "{input}");
    }
}

#[test]
fn image_tags() {
    assert_eq!(
        kibana_image_tag("docker.elastic.co/kibana/kibana:8.15.0"),
        Some(Some("8.15.0".into()))
    );
    assert_eq!(kibana_image_tag("kibana:${TAG}"), Some(None));
    assert_eq!(kibana_image_tag("registry:5000/kibana"), Some(None));
    assert_eq!(kibana_image_tag("nginx:1.25"), None);
}
