//! `kibana-preflight diagnose [TEXT]`: explain an error text; confirm it with the checks when
//! there is something to check.

use super::check::{check_options, emit};
use super::{DiagnoseArgs, usage_error};
use crate::diagnose::{DiagnoseOptions, FromKibana, diagnose};

pub(crate) fn run(args: DiagnoseArgs, color: bool) -> u8 {
    // --connector-id without a connector spec: the texts come from the running Kibana.
    let from_kibana_id = args
        .source
        .connector_id
        .clone()
        .filter(|_| args.source.connector.is_none());
    if from_kibana_id.is_some() && (args.text.is_some() || args.input.is_some()) {
        return usage_error(
            "give the error text (TEXT or --input) or --connector-id to read it from Kibana, not both",
        );
    }
    let (input, input_name) = match (&args.text, &args.input) {
        _ if from_kibana_id.is_some() => (String::new(), String::new()),
        (Some(t), _) => (t.clone(), "<text>".to_string()),
        (None, Some(path)) => match crate::source::files::read_capped_text(path) {
            Ok(t) => (t, crate::source::display_path(path)),
            Err(e) => return usage_error(e),
        },
        (None, None) => match crate::source::files::read_capped(std::io::stdin(), "stdin") {
            Ok(bytes) => (
                String::from_utf8_lossy(&bytes).into_owned(),
                "<stdin>".to_string(),
            ),
            Err(e) => return usage_error(e),
        },
    };
    if input.trim().is_empty() && from_kibana_id.is_none() {
        return usage_error(
            "nothing to diagnose: give the error text, --input FILE, or pipe it in",
        );
    }
    let opts = match check_options(&args.source, &args.probe, &args.kibana, None) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if args.executions.is_some() && from_kibana_id.is_none() {
        return usage_error("--executions goes with --connector-id (without --connector)");
    }
    let from_kibana = match (&from_kibana_id, &opts.kibana) {
        (None, _) => None,
        (Some(_), None) => {
            return usage_error(
                "--connector-id reads the connector's failed executions from the running Kibana: set KIBANA_URL (or --kibana-url) and its credentials",
            );
        }
        (Some(id), Some(conn)) => Some(FromKibana {
            connection: conn.clone(),
            connector_id: id.clone(),
            limit: usize::from(args.executions.unwrap_or(20)),
        }),
    };
    let version = opts.lint.version;
    // Only a version the user names picks a version's causes; the default one does not.
    let named_version = opts.lint.version_given.then_some(version);
    let confirm = !args.configs.is_empty()
        || !args.source.urls.is_empty()
        || args.source.connector.is_some()
        || opts.kibana.is_some();
    let policy = opts.lint.policy.clone();
    let mut inputs = super::input_paths(&args.configs, &opts.lint);
    inputs.extend(args.input.iter().cloned());
    let report = match diagnose(DiagnoseOptions {
        input,
        input_name,
        configs: args.configs.clone(),
        check: confirm.then_some(opts),
        policy,
        version: named_version,
        connector_type: args.connector_type.clone(),
        from_kibana,
    }) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    emit(report, &args.output, color, version, &inputs)
}
