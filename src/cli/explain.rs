//! `kibana-preflight rules` and `kibana-preflight explain`.

use std::io::Write as _;

use owo_colors::OwoColorize;
use serde::Serialize;

use super::{ExplainArgs, ListFormat, RulesArgs, usage_error};
use crate::rules::{Module, Rule};

#[derive(Serialize)]
struct RuleJson {
    id: &'static str,
    name: &'static str,
    module: Module,
    severity: &'static str,
    summary: &'static str,
    kibana: &'static str,
}

pub(crate) fn rules(args: RulesArgs) -> u8 {
    let out = match args.format {
        ListFormat::Json => {
            let list: Vec<RuleJson> = Rule::ALL
                .iter()
                .map(|r| {
                    let m = r.meta();
                    RuleJson {
                        id: m.id,
                        name: m.name,
                        module: m.module,
                        severity: m.severity.as_str(),
                        summary: m.summary,
                        kibana: m.kibana,
                    }
                })
                .collect();
            serde_json::to_string_pretty(&list).expect("rules serialise") + "\n"
        }
        ListFormat::Text => {
            let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
            let mut s = String::new();
            for module in Module::ALL {
                s.push_str(&format!("{module}\n"));
                for r in Rule::of_module(*module) {
                    let m = r.meta();
                    s.push_str(&format!(
                        "  {}  {:<width$}  {:<7}  {}\n",
                        m.id,
                        m.name,
                        m.severity.as_str(),
                        m.summary
                    ));
                }
            }
            s.push_str("\nkibana-preflight explain <ID or name> prints a rule's documentation.\n");
            s
        }
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    0
}

pub(crate) fn explain(args: ExplainArgs, color: bool) -> u8 {
    let Some(rule) = Rule::lookup(&args.rule) else {
        let names = Rule::ALL.iter().map(|r| r.name());
        let hint = crate::suggest::suggest(&args.rule, names)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_else(|| "; `kibana-preflight rules` lists them".into());
        return usage_error(format!("no rule {:?}{hint}", args.rule));
    };
    let m = rule.meta();
    let title = format!("{} {}", m.id, m.name);
    let title = if color {
        title.bold().to_string()
    } else {
        title
    };
    let out = format!(
        "{title}\n\nmodule: {}  severity: {}\n{}\n\nKibana: {}\n\n{}\n",
        m.module, m.severity, m.summary, m.kibana, m.doc
    );
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    0
}
