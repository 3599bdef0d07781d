//! Settings left commented out, for "did you mean to set this?" hints.

use super::Commented;
use crate::source::{FileId, Location, SourceMap, Span};

/// Settings written only in comments, e.g. `#xpack.encryptedSavedObjects.encryptionKey: "…"`.
pub(super) fn commented_settings(sources: &SourceMap, file: FileId) -> Vec<Commented> {
    let f = sources.get(file);
    let Some(text) = f.text.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut last_line = usize::MAX;
    // Only lines holding a `#` can be comments; find them without splitting the whole text.
    for hash in memchr::memchr_iter(b'#', text.as_bytes()) {
        let idx = f.pos_of_offset(hash).line as usize - 1;
        if idx == last_line {
            continue;
        }
        last_line = idx;
        let n = idx;
        let Some(line) = f.line(idx as u32 + 1) else {
            continue;
        };
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix('#') else {
            continue;
        };
        let body = rest.trim_start();
        let key_len = body
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            .count();
        let key = &body[..key_len];
        let looks_like_setting = key.contains('.') && body[key_len..].trim_start().starts_with(':');
        if looks_like_setting {
            let col = line.len() - body.len();
            let col = line[..col].chars().count() as u32 + 1;
            let start = crate::source::Pos::new(n as u32 + 1, col);
            let end = crate::source::Pos::new(n as u32 + 1, col + key.chars().count() as u32);
            out.push(Commented {
                key: key.to_string(),
                at: Location {
                    file,
                    span: Span::new(start, end),
                },
            });
        }
    }
    out
}
