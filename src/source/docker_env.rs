//! A Kibana Docker container's environment, as the image's `bin/kibana-docker` reads it.
//!
//! The script walks a fixed list of setting names (`kibana_vars`), looks up the environment
//! variable named `upper(setting)` with `.` → `_`, and for every non-empty one appends
//! `--<setting>=<value>` to an **unquoted** command line. So: names not on the list are silently
//! ignored; values are word-split on whitespace (extra words become stray arguments and Kibana
//! exits with `Extra serve options "<word>" must start with "--"`); and Kibana's CLI then
//! `JSON.parse`s each value when it can (`["a","b"]` becomes an array, `123` a number).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Location;
use super::env::EnvFile;

/// The image's list of settings, by major version of the image.
pub(crate) struct DockerVars {
    /// Environment variable name → setting name.
    by_var: HashMap<String, &'static str>,
    /// First segments of every setting (`xpack`, `server`, …), upper-cased, to tell which
    /// unknown variables were meant for Kibana.
    prefixes: Vec<String>,
    /// Whether this list was checked for the version asked about.
    pub(crate) verified: bool,
}

static LIST_7: &str = include_str!("../../rules/data/kibana-docker/7.x.txt");
static LIST_8: &str = include_str!("../../rules/data/kibana-docker/8.x.txt");

static VARS_7: LazyLock<DockerVars> = LazyLock::new(|| DockerVars::parse(LIST_7, true));
static VARS_8: LazyLock<DockerVars> = LazyLock::new(|| DockerVars::parse(LIST_8, true));
static VARS_9: LazyLock<DockerVars> = LazyLock::new(|| DockerVars::parse(LIST_8, false));

impl DockerVars {
    /// The list for an image of this major version. 9.x uses the 8.x list, marked unverified.
    pub(crate) fn for_major(major: u32) -> &'static DockerVars {
        match major {
            0..=7 => &VARS_7,
            8 => &VARS_8,
            _ => &VARS_9,
        }
    }

    fn parse(text: &'static str, verified: bool) -> DockerVars {
        let mut by_var = HashMap::new();
        let mut prefixes: Vec<String> = Vec::new();
        for line in text.lines() {
            let setting = line.trim();
            if setting.is_empty() || setting.starts_with('#') {
                continue;
            }
            by_var.insert(var_name(setting), setting);
            let first = setting.split('.').next().unwrap_or(setting).to_uppercase() + "_";
            if !prefixes.contains(&first) {
                prefixes.push(first);
            }
        }
        // Advanced Settings overrides are on no image's list, but the OpenSearch Dashboards and
        // Wazuh images map `UISETTINGS_OVERRIDES_…`, and Kibana files copied from them use it.
        prefixes.push("UISETTINGS_".to_string());
        DockerVars {
            by_var,
            prefixes,
            verified,
        }
    }

    pub(crate) fn setting(&self, var: &str) -> Option<&'static str> {
        self.by_var.get(var).copied()
    }

    /// Whether an unmapped variable looks like it was meant to set a Kibana setting.
    fn looks_like_setting(&self, var: &str) -> bool {
        self.prefixes.iter().any(|p| var.starts_with(p.as_str()))
    }

    /// The mapped variable the user probably meant: same letters with `_` moved, or a typo
    /// of at most two characters.
    fn closest(&self, var: &str) -> Option<&str> {
        crate::suggest::suggest(var, self.by_var.keys().map(String::as_str))
    }
}

/// `xpack.actions.allowedHosts` → `XPACK_ACTIONS_ALLOWEDHOSTS`.
pub(crate) fn var_name(setting: &str) -> String {
    setting.to_uppercase().replace('.', "_")
}

/// One setting the container passes to Kibana.
#[derive(Clone, Debug)]
pub(crate) struct DockerSetting {
    pub(crate) setting: &'static str,
    /// The value after Kibana's CLI `JSON.parse` attempt.
    pub(crate) value: serde_json::Value,
    pub(crate) key_at: Location,
    pub(crate) value_at: Location,
}

/// What the image does differently from what the environment suggests.
#[derive(Clone, Debug)]
pub(crate) enum DockerIssue {
    /// A variable that looks like a Kibana setting but is not on the image's list.
    Ignored {
        var: String,
        at: Location,
        suggestion: Option<String>,
    },
    /// A value with whitespace: the unquoted command line splits it.
    WordSplit {
        var: String,
        setting: &'static str,
        at: Location,
        first_extra_word: String,
    },
}

/// The settings a container environment passes to Kibana, in the image's list order.
pub(crate) fn map_env(file: &EnvFile, vars: &DockerVars) -> (Vec<DockerSetting>, Vec<DockerIssue>) {
    let mut settings = Vec::new();
    let mut issues = Vec::new();
    for entry in &file.entries {
        let Some(setting) = vars.setting(&entry.key) else {
            if vars.looks_like_setting(&entry.key) {
                issues.push(DockerIssue::Ignored {
                    var: entry.key.clone(),
                    at: entry.key_at,
                    suggestion: vars.closest(&entry.key).map(str::to_string),
                });
            }
            continue;
        };
        // `[[ -n $value ]]`: empty values are skipped.
        if entry.value.is_empty() {
            continue;
        }
        let mut words = entry.value.split_whitespace();
        let first = words.next().unwrap_or("");
        if let Some(extra) = words.next() {
            issues.push(DockerIssue::WordSplit {
                var: entry.key.clone(),
                setting,
                at: entry.value_at,
                first_extra_word: extra.to_string(),
            });
        }
        // Leading whitespace disappears in the split, and only the first word reaches the option.
        let raw = first.to_string();
        let value = serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw));
        settings.push(DockerSetting {
            setting,
            value,
            key_at: entry.key_at,
            value_at: entry.value_at,
        });
    }
    (settings, issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::env::parse_env_file;

    #[test]
    fn names_map_through_the_image_list() {
        let vars = DockerVars::for_major(8);
        assert_eq!(
            vars.setting("XPACK_ACTIONS_ALLOWEDHOSTS"),
            Some("xpack.actions.allowedHosts")
        );
        assert_eq!(
            vars.setting("XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY"),
            Some("xpack.encryptedSavedObjects.encryptionKey")
        );
        // xpack.actions.enabled left the list with 8.x.
        assert_eq!(vars.setting("XPACK_ACTIONS_ENABLED"), None);
        assert!(
            DockerVars::for_major(7)
                .setting("XPACK_ACTIONS_ENABLED")
                .is_some()
        );
        assert!(!DockerVars::for_major(9).verified);
    }

    #[test]
    fn values_are_json_parsed_when_possible() {
        let env = parse_env_file(
            "XPACK_ACTIONS_ALLOWEDHOSTS=[\"a.com\",\"b.com\"]\nXPACK_ACTIONS_PROXYURL=http://proxy:3128\nSERVER_PORT=5601\nSERVER_NAME=\n",
            0,
        )
        .unwrap();
        let (settings, issues) = map_env(&env, DockerVars::for_major(8));
        assert!(issues.is_empty());
        assert_eq!(settings.len(), 3, "empty values are skipped");
        assert_eq!(settings[0].value, serde_json::json!(["a.com", "b.com"]));
        assert_eq!(settings[1].value, serde_json::json!("http://proxy:3128"));
        assert_eq!(settings[2].value, serde_json::json!(5601));
    }

    #[test]
    fn unlisted_kibana_like_names_are_reported_with_a_suggestion() {
        let env = parse_env_file(
            "XPACK_ACTIONS_ALLOWED_HOSTS=a.com\nELASTICSEARCH_URL=http://es:9200\nELASTIC_PASSWORD=x\nPATH=/bin\nUISETTINGS_OVERRIDES_DEFAULTROUTE=/app/home\n",
            0,
        )
        .unwrap();
        let (_, issues) = map_env(&env, DockerVars::for_major(8));
        let ignored: Vec<_> = issues
            .iter()
            .map(|i| match i {
                DockerIssue::Ignored {
                    var, suggestion, ..
                } => (var.as_str(), suggestion.clone()),
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            ignored,
            [
                (
                    "XPACK_ACTIONS_ALLOWED_HOSTS",
                    Some("XPACK_ACTIONS_ALLOWEDHOSTS".to_string())
                ),
                ("ELASTICSEARCH_URL", None),
                ("UISETTINGS_OVERRIDES_DEFAULTROUTE", None),
            ]
        );
    }

    #[test]
    fn whitespace_in_a_value_splits_the_command_line() {
        let env = parse_env_file("SERVER_NAME=my kibana\n", 0).unwrap();
        let (settings, issues) = map_env(&env, DockerVars::for_major(8));
        assert_eq!(settings[0].value, serde_json::json!("my"));
        assert!(
            matches!(&issues[0], DockerIssue::WordSplit { first_extra_word, .. } if first_extra_word == "kibana")
        );
    }
}
