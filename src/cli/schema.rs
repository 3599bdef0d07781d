//! `kibana-preflight schema`: the JSON Schema of kibana.yml for one Kibana version.

use std::io::Write as _;

use super::{SchemaArgs, usage_error};
use crate::version::Version;

pub(crate) fn run(args: SchemaArgs) -> u8 {
    let version = match args.kibana_version.as_deref().map(str::parse::<Version>) {
        None => Version::DEFAULT,
        Some(Ok(v)) if v < Version::OLDEST => {
            return usage_error(format!(
                "Kibana {v} is older than the versions this tool models ({} and later)",
                Version::OLDEST
            ));
        }
        Some(Ok(v)) => {
            if v.beyond_table() {
                eprintln!(
                    "kibana-preflight: warning: Kibana {v} is newer than the newest release this version of kibana-preflight covers ({}): the schema lists that release's settings and refuses no unknown key",
                    Version::NEWEST
                );
            }
            v
        }
        Some(Err(e)) => return usage_error(e),
    };
    let schema = crate::kibana::schema::json_schema(version);
    let text = serde_json::to_string_pretty(&schema).expect("a JSON value serialises") + "\n";
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => usage_error(format!("cannot write the schema: {e}")),
    }
}
