//! Connector ids as the create route accepts them, per version.

use super::texts::*;
use crate::version::Version;

/// Why Kibana refuses a connector id given in the create path, if it does.
pub(crate) fn id_problem(
    version: Version,
    id: &str,
) -> Option<(String, Option<String>, &'static str)> {
    if version < v(8, 8, 0) {
        return Some((
            format!("Kibana {version} cannot create a connector under a chosen id (added in 8.8)"),
            None,
            "leave the id out and let Kibana generate one",
        ));
    }
    if version < v(9, 4, 0) {
        if id.is_empty() {
            return Some((
                "the connector id is empty".into(),
                None,
                "give a non-empty id, or none",
            ));
        }
        return None;
    }
    let message = if id.is_empty() {
        "Connector ID is required."
    } else if id.len() > 36 || matches!(id, "__proto__" | "constructor" | "prototype") {
        "Connector ID must be 36 characters or less."
    } else if !human_readable(id) {
        "Connector ID must contain only lowercase letters, numbers, and hyphens."
    } else {
        return None;
    };
    Some((
        format!(
            "Kibana {version} refuses the connector id `{id}`: {}",
            message.trim_end_matches('.').to_lowercase()
        ),
        Some(format!("[request params.id]: {message}")),
        "use lower-case letters, digits and hyphens, at most 36, not starting or ending with a hyphen",
    ))
}

/// `/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/`.
fn human_readable(id: &str) -> bool {
    let b = id.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty() && ok(&b[0]) && ok(&b[b.len() - 1]) && b.iter().all(|c| ok(c) || *c == b'-')
}
