//! Where reports go: one or more outputs, each in its format (`--format`, `--output FILE`, and
//! GitHub annotations added automatically under `GITHUB_ACTIONS`). Each report is rendered once
//! per output on the thread that produced it; the writers only copy bytes, in input order.

use std::io::{self, Write};

use super::github::GithubStream;
use super::json::JsonStream;
use super::junit::JunitStream;
use super::sarif::SarifStream;
use super::text::{Paint, TextStream};
use super::{FailOn, Rendered, Report};
use crate::version::Version;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReportFormat {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
}

/// What renderers need to know, shared by every output.
#[derive(Clone, Debug)]
pub(crate) struct RenderOptions {
    pub(crate) paint: Paint,
    pub(crate) fail_on: FailOn,
    /// Several configurations: text gets a heading per configuration and a summary table.
    pub(crate) multi: bool,
    pub(crate) version: Version,
    /// Base URL of the rule pages (`…/docs/rules/`), for SARIF `helpUri`.
    pub(crate) docs_url: Option<String>,
}

/// Renders one report for one output.
pub(crate) fn part(kind: ReportFormat, s: &RenderOptions, r: &Report) -> Rendered {
    match kind {
        ReportFormat::Text => super::text::part(r, s.paint, s.multi),
        ReportFormat::Json => super::json::part(r, s.fail_on),
        ReportFormat::Sarif => super::sarif::part(r),
        ReportFormat::Junit => super::junit::part(r),
        ReportFormat::Github => super::github::part(r),
    }
}

pub(crate) type Out = Box<dyn Write + Send>;

/// One output being written.
pub(crate) enum Sink {
    Text(TextStream<Out>),
    Json(JsonStream<Out>),
    Sarif(SarifStream<Out>),
    Junit(JunitStream<Out>),
    Github(GithubStream<Out>),
}

impl Sink {
    pub(crate) fn begin(kind: ReportFormat, out: Out, s: &RenderOptions) -> io::Result<Sink> {
        Ok(match kind {
            ReportFormat::Text => {
                Sink::Text(TextStream::new(out, s.paint, s.fail_on).summarise(s.multi))
            }
            ReportFormat::Json => Sink::Json(JsonStream::begin(out, s.version, s.fail_on)?),
            ReportFormat::Sarif => Sink::Sarif(SarifStream::begin(out, s.docs_url.as_deref())?),
            ReportFormat::Junit => Sink::Junit(JunitStream::new(out)),
            ReportFormat::Github => Sink::Github(GithubStream::new(out, s.fail_on)),
        })
    }

    pub(crate) fn write(&mut self, part: &Rendered) -> io::Result<()> {
        match self {
            Sink::Text(x) => x.write(part),
            Sink::Json(x) => x.write(part),
            Sink::Sarif(x) => x.write(part),
            Sink::Junit(x) => x.write(part),
            Sink::Github(x) => x.write(part),
        }
    }

    pub(crate) fn finish(self) -> io::Result<()> {
        let mut out = match self {
            Sink::Text(x) => x.finish()?,
            Sink::Json(x) => x.finish()?,
            Sink::Sarif(x) => x.finish()?,
            Sink::Junit(x) => x.finish()?,
            Sink::Github(x) => x.finish()?,
        };
        out.flush()
    }
}

/// Every output of a run.
pub(crate) struct Outputs {
    pub(crate) kinds: Vec<ReportFormat>,
    pub(crate) settings: RenderOptions,
    sinks: Vec<Sink>,
}

impl Outputs {
    /// `outs`: each format with where it goes.
    pub(crate) fn begin(
        outs: Vec<(ReportFormat, Out)>,
        settings: RenderOptions,
    ) -> io::Result<Outputs> {
        let mut kinds = Vec::new();
        let mut sinks = Vec::new();
        for (kind, out) in outs {
            kinds.push(kind);
            sinks.push(Sink::begin(kind, out, &settings)?);
        }
        Ok(Outputs {
            kinds,
            settings,
            sinks,
        })
    }

    /// Renders a report for every output (call on any thread).
    pub(crate) fn render(
        kinds: &[ReportFormat],
        settings: &RenderOptions,
        r: &Report,
    ) -> Vec<Rendered> {
        kinds.iter().map(|k| part(*k, settings, r)).collect()
    }

    pub(crate) fn write(&mut self, parts: &[Rendered]) -> io::Result<()> {
        for (sink, part) in self.sinks.iter_mut().zip(parts) {
            sink.write(part)?;
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> io::Result<()> {
        for sink in self.sinks {
            sink.finish()?;
        }
        Ok(())
    }
}
