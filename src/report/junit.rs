//! `--format junit`: JUnit XML as GitLab and Jenkins render it — one `testsuite` per module, one
//! `testcase` per configuration (and, for the live modules, per webhook URL), a `failure` when
//! the module failed, `skipped` when it could not run; the findings are the failure's text.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::finding::Status;
use super::{Rendered, Report};
use crate::rules::{Module, Severity};

/// One testcase, waiting for its suite.
#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub(crate) module: Module,
    name: String,
    status: Status,
    summary: String,
    lines: Vec<String>,
}

/// XML 1.0 cannot carry most control characters (quick-junit escapes markup, not these); text
/// from peers and certificates may hold them.
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|c| (*c as u32) >= 0x20 || matches!(c, '\n' | '\r' | '\t'))
        .collect()
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
        .or_else(|| {
            f.file()
                .map(|id| format!("{}: ", r.sources.get(id).display))
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
    Case {
        module,
        name: xml_safe(name),
        status,
        summary: xml_safe(summary),
        lines: lines.iter().map(|l| xml_safe(l)).collect(),
    }
}

impl Case {
    fn test_case(&self) -> TestCase {
        let status = match self.status {
            Status::Fail => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_type("error");
                s.set_message(self.summary.as_str());
                s.set_description(self.lines.join("\n"));
                s
            }
            Status::Skip => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(self.summary.as_str());
                s
            }
            _ => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(self.name.as_str(), status);
        case.set_classname(format!("kibana-preflight.{}", self.module.name()));
        if !matches!(self.status, Status::Fail | Status::Skip) && !self.lines.is_empty() {
            case.set_system_out(self.lines.join("\n"));
        }
        case
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
            for (i, t) in r.targets.iter().enumerate() {
                let url = r.secrets.scrub(&t.shown_url());
                let mine: Vec<&super::finding::Finding> = r
                    .findings
                    .iter()
                    .filter(|f| {
                        f.module() == m.module
                            && f.target.as_deref() == Some(t.shown_url().as_str())
                    })
                    .collect();
                // A step that did not run for this target is skipped, with its reason.
                let not_run = r
                    .probes
                    .get(i)
                    .and_then(Option::as_ref)
                    .and_then(|p| super::step_not_run(p, m.module));
                let (status, why) = if m.status == Status::Skip {
                    (Status::Skip, summary.clone())
                } else if let Some(reason) = not_run {
                    (Status::Skip, format!("skipped: {reason}"))
                } else if mine.iter().any(|f| f.severity == Severity::Error) {
                    (Status::Fail, summary.clone())
                } else {
                    (Status::Pass, summary.clone())
                };
                let lines: Vec<String> = mine.iter().map(|f| finding_line(r, f)).collect();
                cases.push(case(
                    m.module,
                    &format!("{title} → {url}"),
                    status,
                    &why,
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

/// Collects testcases and writes the document at the end (suites need their counts in their
/// opening tag), one suite per module in module order.
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
        let mut report = quick_junit::Report::new("kibana-preflight");
        for module in Module::ALL {
            let mine: Vec<&Case> = self.cases.iter().filter(|c| c.module == *module).collect();
            if mine.is_empty() {
                continue;
            }
            let mut suite = TestSuite::new(module.name());
            suite.add_test_cases(mine.iter().map(|c| c.test_case()));
            report.add_test_suite(suite);
        }
        report.serialize(&mut self.out).map_err(|e| {
            // Keep the I/O cause ("No space left on device") in the message.
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            io::Error::other(message)
        })?;
        writeln!(self.out)?;
        self.out.flush()?;
        Ok(self.out)
    }
}
