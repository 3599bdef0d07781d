//! Where settings come from: kibana.yml files (located YAML), `${VAR}` substitution, a Docker
//! container's environment, the Kibana keystore, and the CA files settings point at. Everything
//! read here keeps its origin so a finding can point at it. Nothing here knows about checks.

pub(crate) mod docker_env;
pub(crate) mod embedded;
pub(crate) mod env;
pub(crate) mod files;
pub(crate) mod keystore;
#[rustfmt::skip]
mod saphyr;
pub(crate) mod scalar;
pub(crate) mod yaml;

use std::path::Path;
use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
pub(crate) type FileId = usize;

/// A position in a text file: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct Pos {
    pub(crate) line: u32,
    pub(crate) col: u32,
}

impl Pos {
    pub(crate) fn new(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }
}

/// A range in a text file; `end` is exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct Span {
    pub(crate) start: Pos,
    pub(crate) end: Pos,
}

impl Span {
    pub(crate) fn new(start: Pos, end: Pos) -> Span {
        Span { start, end }
    }

    pub(crate) fn point(pos: Pos) -> Span {
        Span {
            start: pos,
            end: pos,
        }
    }
}

/// A span in a known file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Location {
    pub(crate) file: FileId,
    pub(crate) span: Span,
}

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Written in a file we can point into (kibana.yml, a Docker env file).
    File(Location),
    /// An entry of the Kibana keystore (no position: the file is encrypted).
    Keystore { file: FileId, key: String },
    /// Kibana's built-in default.
    Default,
}

impl Origin {
    pub(crate) fn location(&self) -> Option<Location> {
        match self {
            Origin::File(loc) => Some(*loc),
            _ => None,
        }
    }

    pub(crate) fn file(&self) -> Option<FileId> {
        match self {
            Origin::File(loc) => Some(loc.file),
            Origin::Keystore { file, .. } => Some(*file),
            Origin::Default => None,
        }
    }
}

/// What role a file plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SourceKind {
    KibanaYml,
    DockerEnv,
    EnvFile,
    Keystore,
    /// A connector spec (`--connector`): the create request's JSON body.
    ConnectorSpec,
    /// An error text given to `diagnose`.
    ErrorText,
    /// The tool's own `kibana-preflight.toml`.
    ToolConfig,
}

/// One file the run read, with its text (when it is text) for snippets.
#[derive(Debug)]
pub(crate) struct SourceFile {
    /// The path as the user gave it, for messages.
    pub(crate) display: String,
    pub(crate) kind: SourceKind,
    pub(crate) text: Option<Arc<str>>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// The text of a 1-based line, without its line break.
    pub(crate) fn line(&self, line: u32) -> Option<&str> {
        let text = self.text.as_deref()?;
        let idx = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(idx)?;
        let end = self.line_starts.get(idx + 1).copied().unwrap_or(text.len());
        let raw = &text[start..end];
        Some(raw.trim_end_matches(['\n', '\r']))
    }

    /// The text covered by a span, when it is in range.
    pub(crate) fn slice(&self, span: Span) -> Option<&str> {
        let text = self.text.as_deref()?;
        let start = self.offset(span.start)?;
        let end = self.offset(span.end)?.max(start);
        text.get(start..end)
    }

    /// Byte offset of a position (columns are characters).
    pub(crate) fn offset(&self, pos: Pos) -> Option<usize> {
        let text = self.text.as_deref()?;
        let idx = (pos.line as usize).checked_sub(1)?;
        let Some(&start) = self.line_starts.get(idx) else {
            // One past the last line: the end of the text.
            return (idx == self.line_starts.len()).then_some(text.len());
        };
        let line_end = self.line_starts.get(idx + 1).copied().unwrap_or(text.len());
        let col = (pos.col as usize).saturating_sub(1);
        let mut offset = start;
        for (n, (i, _)) in text[start..line_end].char_indices().enumerate() {
            if n == col {
                return Some(start + i);
            }
            offset = start + i;
        }
        // Column at (or past) the line end.
        let _ = offset;
        Some(line_end)
    }

    /// The position of a byte offset.
    pub(crate) fn pos_of_offset(&self, offset: usize) -> Pos {
        let text = self.text.as_deref().unwrap_or("");
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let col = text
            .get(start..offset.min(text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        Pos::new(idx as u32 + 1, col as u32 + 1)
    }

    /// Finds `needle` inside `within` and returns its span.
    pub(crate) fn find_in(&self, within: Span, needle: &str) -> Option<Span> {
        let text = self.text.as_deref()?;
        let start = self.offset(within.start)?;
        let end = self.offset(within.end)?.max(start);
        let found = text.get(start..end)?.find(needle)? + start;
        Some(Span::new(
            self.pos_of_offset(found),
            self.pos_of_offset(found + needle.len()),
        ))
    }
}

/// Every file a run read. Findings refer to files by [`FileId`].
#[derive(Debug, Default)]
pub(crate) struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub(crate) fn new() -> SourceMap {
        SourceMap::default()
    }

    pub(crate) fn add(
        &mut self,
        display: String,
        kind: SourceKind,
        text: Option<Arc<str>>,
    ) -> FileId {
        let line_starts = match text.as_deref() {
            Some(t) => line_starts(t),
            None => Vec::new(),
        };
        self.files.push(SourceFile {
            display,
            kind,
            text,
            line_starts,
        });
        self.files.len() - 1
    }

    pub(crate) fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub(crate) fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate()
    }
}

/// Byte offsets where lines start. A line ends at `\n`; a `\r` before it belongs to the break.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        memchr::memchr_iter(b'\n', text.as_bytes())
            .map(|i| i + 1)
            .filter(|i| *i < text.len()),
    );
    starts
}

/// The name to show for a path: as given, relative when possible.
pub(crate) fn display_path(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        let mut map = SourceMap::new();
        let id = map.add("k.yml".into(), SourceKind::KibanaYml, Some(Arc::from(text)));
        map.files.remove(id)
    }

    #[test]
    fn lines_without_breaks_including_crlf() {
        let f = file("a: 1\r\nb: 2\r\n");
        assert_eq!(f.line(1), Some("a: 1"));
        assert_eq!(f.line(2), Some("b: 2"));
        assert_eq!(f.line(3), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = file("k: \"bücher\" x\n");
        let span = f
            .find_in(Span::new(Pos::new(1, 1), Pos::new(1, 14)), "x")
            .unwrap();
        assert_eq!(span.start, Pos::new(1, 13));
        assert_eq!(f.slice(span), Some("x"));
    }
}
