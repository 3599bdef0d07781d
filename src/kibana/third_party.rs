//! Config roots of third-party Kibana plugins (rules/data/third-party-plugins.toml): their keys
//! are valid only where the plugin is installed, which a kibana.yml cannot show.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    plugin: Vec<Plugin>,
}

/// One third-party plugin and the root its settings live under.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Plugin {
    /// The first segment of its keys (`elastalert-kibana-plugin`).
    pub(crate) root: String,
    pub(crate) name: String,
    pub(crate) project: String,
    /// A public source that shows the keys in a kibana.yml.
    pub(crate) evidence: String,
}

pub(crate) fn plugins() -> &'static [Plugin] {
    static PLUGINS: OnceLock<Vec<Plugin>> = OnceLock::new();
    PLUGINS.get_or_init(|| {
        toml::from_str::<File>(include_str!("../../rules/data/third-party-plugins.toml"))
            .expect("rules/data/third-party-plugins.toml parses (checked by tests)")
            .plugin
    })
}

/// The third-party plugin whose root is `root` (a top-level key of kibana.yml), if known.
pub(crate) fn owner(root: &str) -> Option<&'static Plugin> {
    plugins().iter().find(|p| p.root == root)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_parses_and_roots_are_unique() {
        let plugins = super::plugins();
        assert!(plugins.len() >= 5);
        let mut roots: Vec<&str> = plugins.iter().map(|p| p.root.as_str()).collect();
        roots.sort_unstable();
        roots.dedup();
        assert_eq!(roots.len(), plugins.len());
        assert!(super::owner("sentinl").is_some());
        assert!(super::owner("xpack").is_none());
    }
}
