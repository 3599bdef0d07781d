//! `--format junit`: JUnit XML as GitLab and Jenkins render it — one `testsuite` per module, one
//! `testcase` per configuration (and, for the live modules, per webhook URL), a `failure` when
//! the module failed, `skipped` when it could not run; the findings are the failure's text.

use std::io::{self, Write};

use super::finding::Status;
use super::{Rendered, Report};
use crate::rules::{Module, Severity};

/// One testcase, rendered, waiting for its suite.
#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub(crate) module: Module,
    pub(crate) xml: String,
    pub(crate) failed: bool,
    pub(crate) skipped: bool,
}

/// XML attribute and text escaping.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

fn finding_line(r: &Report, f: &super::finding::Finding) -> String {
    let s = &r.secrets;
    let meta = f.rule.meta();
    let place = f
        .primary
        .as_ref()
        .map(|p| {
            format!(
                "{}:{}:{}: ",
                r.sources.get(p.location.file).display,
                p.location.span.start.line,
                p.location.span.start.col
            )
        })
        .unwrap_or_default();
    let mut line = format!(
        "{place}{}[{} {}]: {}",
        f.severity.as_str(),
        meta.id,
        meta.name,
        s.scrub(&f.message)
    );
    if let Some(h) = &f.help {
        line.push_str(&format!("\n  help: {}", s.scrub(h)));
    }
    line
}

fn case(module: Module, name: &str, status: Status, summary: &str, lines: &[String]) -> Case {
    let classname = format!("kibana-preflight.{}", module.name());
    let mut xml = format!(
        "    <testcase classname=\"{}\" name=\"{}\">\n",
        escape(&classname),
        escape(name)
    );
    match status {
        Status::Fail => xml.push_str(&format!(
            "      <failure type=\"error\" message=\"{}\">{}</failure>\n",
            escape(summary),
            escape(&lines.join("\n"))
        )),
        Status::Skip => xml.push_str(&format!(
            "      <skipped message=\"{}\"/>\n",
            escape(summary)
        )),
        _ if !lines.is_empty() => xml.push_str(&format!(
            "      <system-out>{}</system-out>\n",
            escape(&lines.join("\n"))
        )),
        _ => {}
    }
    xml.push_str("    </testcase>\n");
    Case {
        module,
        xml,
        failed: status == Status::Fail,
        skipped: status == Status::Skip,
    }
}

pub(crate) fn part(r: &Report) -> Rendered {
    let title = r.title();
    let mut cases = Vec::new();
    for m in &r.modules {
        let lines: Vec<String> = r
            .findings
            .iter()
            .filter(|f| f.module() == m.module && f.target.is_none())
            .map(|f| finding_line(r, f))
            .collect();
        let summary = r.secrets.scrub(&m.summary);
        if m.module.live()
            && !r.targets.is_empty()
            && m.module != Module::KibanaApi
            && m.module != Module::Deploy
        {
            // One testcase per URL for the endpoint checks.
            for t in &r.targets {
                let url = r.secrets.scrub(&t.shown_url());
                let mine: Vec<&super::finding::Finding> = r
                    .findings
                    .iter()
                    .filter(|f| {
                        f.module() == m.module
                            && f.target.as_deref() == Some(t.shown_url().as_str())
                    })
                    .collect();
                let status = if m.status == Status::Skip {
                    Status::Skip
                } else if mine.iter().any(|f| f.severity == Severity::Error) {
                    Status::Fail
                } else {
                    Status::Pass
                };
                let lines: Vec<String> = mine.iter().map(|f| finding_line(r, f)).collect();
                cases.push(case(
                    m.module,
                    &format!("{title} → {url}"),
                    status,
                    &summary,
                    &lines,
                ));
            }
        } else {
            cases.push(case(m.module, &title, m.status, &summary, &lines));
        }
    }
    Rendered {
        junit: cases,
        ..Rendered::base(r)
    }
}

/// Collects testcases by module and writes the document at the end (suites need their counts
/// in their opening tag).
pub(crate) struct JunitStream<W: Write> {
    out: W,
    cases: Vec<Case>,
}

impl<W: Write> JunitStream<W> {
    pub(crate) fn new(out: W) -> JunitStream<W> {
        JunitStream {
            out,
            cases: Vec::new(),
        }
    }

    pub(crate) fn write(&mut self, part: &Rendered) -> io::Result<()> {
        self.cases.extend(part.junit.iter().cloned());
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        let count = |cases: &[&Case]| {
            (
                cases.len(),
                cases.iter().filter(|c| c.failed).count(),
                cases.iter().filter(|c| c.skipped).count(),
            )
        };
        let all: Vec<&Case> = self.cases.iter().collect();
        let (tests, failures, skipped) = count(&all);
        writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            self.out,
            "<testsuites name=\"kibana-preflight\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">"
        )?;
        for module in Module::ALL {
            let mine: Vec<&Case> = self.cases.iter().filter(|c| c.module == *module).collect();
            if mine.is_empty() {
                continue;
            }
            let (tests, failures, skipped) = count(&mine);
            writeln!(
                self.out,
                "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
                module.name()
            )?;
            for c in mine {
                self.out.write_all(c.xml.as_bytes())?;
            }
            writeln!(self.out, "  </testsuite>")?;
        }
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()?;
        Ok(self.out)
    }
}
