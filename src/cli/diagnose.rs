//! `kibana-preflight diagnose [TEXT]`: explain an error text; confirm it with the checks when
//! there is something to check.

use std::io::Read;

use super::check::{check_options, emit};
use super::{DiagnoseArgs, usage_error};
use crate::diagnose::{DiagnoseOptions, diagnose};

pub(crate) fn run(args: DiagnoseArgs, color: bool) -> u8 {
    let (input, input_name) = match (&args.text, &args.input) {
        (Some(t), _) => (t.clone(), "<text>".to_string()),
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(t) => (t, crate::source::display_path(path)),
            Err(e) => return usage_error(format!("cannot read {}: {e}", path.display())),
        },
        (None, None) => {
            let mut t = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut t) {
                return usage_error(format!("cannot read stdin: {e}"));
            }
            (t, "<stdin>".to_string())
        }
    };
    if input.trim().is_empty() {
        return usage_error(
            "nothing to diagnose: give the error text, --input FILE, or pipe it in",
        );
    }
    let opts = match check_options(&args.source, &args.probe, &args.kibana, None) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let version = opts.lint.version;
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
    }) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    emit(report, &args.output, color, version, &inputs)
}
