//! `--format github`: GitHub Actions workflow-command annotations (reference-tools.md §4.2),
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`, with the toolkit's
//! escaping, no `col`/`endColumn` on multi-line ranges, and a Markdown summary appended to
//! `$GITHUB_STEP_SUMMARY` at the end, since GitHub shows only a few annotations per step.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::finding::Finding;
use super::{FailOn, Rendered, Report, Totals};
use crate::rules::Severity;

/// Message data: `%`, `\r`, `\n`.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values: also `:` and `,`.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(r: &Report, f: &Finding) -> String {
    let s = &r.secrets;
    let meta = f.rule.meta();
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(p) = &f.primary {
        let file = r.sources.get(p.location.file);
        let span = p.location.span;
        props.push(format!("file={}", escape_property(&file.display)));
        props.push(format!("line={}", span.start.line));
        props.push(format!("endLine={}", span.end.line));
        // GitHub mis-renders columns on multi-line ranges: give them for one line only.
        if span.start.line == span.end.line {
            props.push(format!("col={}", span.start.col));
            props.push(format!("endColumn={}", span.end.col.max(span.start.col)));
        }
    } else if let Some(id) = f.file() {
        // A finding about the whole file: the file, no line.
        props.push(format!(
            "file={}",
            escape_property(&r.sources.get(id).display)
        ));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} {}", meta.id, meta.name))
    ));
    let mut message = s.scrub(&f.message);
    if let Some(k) = &f.kibana {
        message.push_str(&format!("\nKibana: {}", s.scrub(k)));
    }
    if let Some(h) = &f.help {
        message.push_str(&format!("\nFix: {}", s.scrub(h)));
    }
    format!(
        "::{command} {}::{}\n",
        props.join(","),
        escape_data(&message)
    )
}

pub(crate) fn part(r: &Report) -> Rendered {
    let mut body = String::new();
    for f in &r.findings {
        body.push_str(&annotation(r, f));
    }
    Rendered {
        body: body.into_bytes(),
        items: r.findings.len(),
        ..Rendered::base(r)
    }
}

/// Writes annotations as reports arrive; appends the step summary at the end.
pub(crate) struct GithubStream<W: Write> {
    out: W,
    fail_on: FailOn,
    totals: Totals,
    files: Vec<(String, Totals)>,
    rules: BTreeMap<crate::rules::Rule, usize>,
    /// Modules that did not run, per configuration, so the summary never implies they passed.
    not_run: BTreeMap<(crate::rules::Module, String), Vec<String>>,
    summary_path: Option<std::path::PathBuf>,
}

impl<W: Write> GithubStream<W> {
    pub(crate) fn new(out: W, fail_on: FailOn) -> GithubStream<W> {
        GithubStream {
            out,
            fail_on,
            totals: Totals::default(),
            files: Vec::new(),
            rules: BTreeMap::new(),
            not_run: BTreeMap::new(),
            summary_path: std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|p| !p.is_empty())
                .map(Into::into),
        }
    }

    pub(crate) fn write(&mut self, part: &Rendered) -> io::Result<()> {
        self.out.write_all(&part.body)?;
        self.totals.add(part.totals);
        self.files.push((part.title.clone(), part.totals));
        for r in &part.rules {
            *self.rules.entry(*r).or_default() += 1;
        }
        for (module, status, summary) in &part.modules {
            if *status == super::finding::Status::Skip {
                let why = summary.trim_start_matches("skipped: ").to_string();
                self.not_run
                    .entry((*module, why))
                    .or_default()
                    .push(part.title.clone());
            }
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        if let Some(path) = &self.summary_path {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            f.write_all(self.markdown().as_bytes())?;
        }
        Ok(self.out)
    }

    /// The step summary: verdict, files with findings, rules that fired most.
    fn markdown(&self) -> String {
        let t = self.totals;
        let verdict = if self.fail_on.failed(t) {
            "❌ failed"
        } else {
            "✅ ok"
        };
        let mut md = format!(
            "## kibana-preflight: {verdict}\n\n{} error(s), {} warning(s), {} note(s) in {} configuration(s).\n\n",
            t.errors,
            t.warnings,
            t.notes,
            self.files.len()
        );
        let with: Vec<&(String, Totals)> = self
            .files
            .iter()
            .filter(|(_, t)| t.errors + t.warnings + t.notes > 0)
            .collect();
        if !with.is_empty() {
            md.push_str("| configuration | errors | warnings | notes |\n|---|---:|---:|---:|\n");
            for (name, t) in with.iter().take(100) {
                md.push_str(&format!(
                    "| `{}` | {} | {} | {} |\n",
                    name.replace('|', "\\|"),
                    t.errors,
                    t.warnings,
                    t.notes
                ));
            }
            if with.len() > 100 {
                md.push_str(&format!("| … {} more | | | |\n", with.len() - 100));
            }
            md.push('\n');
        }
        let top = super::most_fired(&self.rules, 10);
        if !top.is_empty() {
            md.push_str("| rule | findings |\n|---|---:|\n");
            for (rule, n) in top {
                md.push_str(&format!("| {} `{}` | {n} |\n", rule.id(), rule.name()));
            }
            md.push('\n');
        }
        if !self.not_run.is_empty() {
            md.push_str("Not checked (skipped, not passed):\n\n| module | why | configurations |\n|---|---|---:|\n");
            for ((module, why), configs) in &self.not_run {
                md.push_str(&format!(
                    "| `{}` | {} | {} |\n",
                    module.name(),
                    why.replace('|', "\\|"),
                    configs.len()
                ));
            }
            md.push('\n');
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
