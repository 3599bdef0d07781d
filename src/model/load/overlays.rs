//! What Kibana merges over the files: the Docker image's environment, then the keystore.

use super::merge::{MergeArrays, lodash_set, merge_into};
use super::{LoadInputs, LoadIssue, OverrideSource};
use crate::model::tree::{Node, SettingPath};
use crate::source::Origin;

/// The Docker image's environment, as CLI options merged over the files (arrays replaced).
pub(super) fn docker(inputs: &LoadInputs, root: &mut Node, issues: &mut Vec<LoadIssue>) {
    if let Some(docker) = &inputs.docker {
        issues.extend(docker.issues.iter().map(|i| LoadIssue::Docker {
            file: docker.file,
            issue: i.clone(),
            list_verified: docker.list_verified,
        }));
        let mut cli = Node::map();
        for s in &docker.settings {
            let origin = Origin::File(s.value_at);
            let mut node = Node::from_json(&s.value, &origin);
            node.key = Some(s.key_at);
            let path: Vec<String> = s.setting.split('.').map(str::to_string).collect();
            lodash_set(&mut cli, &path, node, &mut |_, _, _| {});
        }
        merge_into(
            root,
            cli,
            &mut SettingPath::default(),
            MergeArrays::Replace,
            &mut |path, earlier, later| {
                issues.push(LoadIssue::Overridden {
                    path,
                    earlier: Box::new(earlier),
                    later: Box::new(later),
                    by: OverrideSource::DockerEnv,
                    index_merge: false,
                })
            },
        );
    }
}

/// The keystore, merged last with lodash `merge`: it wins over everything.
pub(super) fn keystore(inputs: &LoadInputs, root: &mut Node, issues: &mut Vec<LoadIssue>) {
    if let Some(ks) = &inputs.keystore {
        match &ks.entries {
            Err(error) => {
                issues.push(LoadIssue::Keystore {
                    file: ks.file,
                    error: error.clone(),
                });
            }
            Ok(entries) => {
                let mut tree = Node::map();
                for (key, value) in entries {
                    let origin = Origin::Keystore {
                        file: ks.file,
                        key: key.clone(),
                    };
                    let path: Vec<String> = key.split('.').map(str::to_string).collect();
                    lodash_set(
                        &mut tree,
                        &path,
                        Node::from_json(value, &origin),
                        &mut |_, _, _| {},
                    );
                }
                merge_into(
                    root,
                    tree,
                    &mut SettingPath::default(),
                    MergeArrays::ByIndex,
                    &mut |path, earlier, later| {
                        issues.push(LoadIssue::Overridden {
                            path,
                            earlier: Box::new(earlier),
                            later: Box::new(later),
                            by: OverrideSource::Keystore,
                            index_merge: false,
                        })
                    },
                );
            }
        }
    }
}
