//! Reading files from disk with the limits a linter needs: a size cap, UTF-8 text, and a clear
//! distinction between "cannot read this path" (an input error) and "read it, but the content is
//! not what Kibana could use" (a finding). Also reads the CA files `customHostSettings` names,
//! the way Kibana reads them at startup.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::Pos;
use crate::certs::cert::Cert;

/// Larger than any real kibana.yml by orders of magnitude; guards memory and time.
pub(crate) const MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// Reads at most [`MAX_FILE_SIZE`] bytes from `reader`: every input the tool reads (files,
/// stdin, secrets files, CA files, API bodies) goes through this one limit, so `/dev/zero` or a
/// runaway peer cannot grow memory without bound. `Err` says the limit was passed.
pub(crate) fn read_capped(reader: impl std::io::Read, what: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {what}: {}", io_reason(&e)))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(format!("{what} is larger than {MAX_FILE_SIZE} bytes"));
    }
    Ok(bytes)
}

/// A whole file through [`read_capped`], as UTF-8 text.
pub(crate) fn read_capped_text(path: &Path) -> Result<String, String> {
    let what = path.display().to_string();
    let file =
        fs::File::open(path).map_err(|e| format!("cannot read {what}: {}", io_reason(&e)))?;
    let bytes = read_capped(file, &what)?;
    String::from_utf8(bytes).map_err(|_| format!("{what} is not UTF-8 text"))
}

/// A path that could not be read at all. The run stops with exit code 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.reason)
    }
}

/// A file that was read but is not usable text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ContentIssue {
    TooLarge {
        size: u64,
    },
    /// NUL bytes: a binary file.
    Binary {
        at: Pos,
    },
    /// Not UTF-8 at this position.
    NotUtf8 {
        at: Pos,
    },
}

/// Reads a text file, refusing directories, missing files and anything over the size cap.
pub(crate) fn read_text(path: &Path) -> Result<Result<String, ContentIssue>, ReadError> {
    let err = |reason: String| ReadError {
        path: path.to_path_buf(),
        reason,
    };
    // Open first and ask the open file: one path lookup instead of two.
    let file = fs::File::open(path).map_err(|e| err(io_reason(&e)))?;
    let meta = file.metadata().map_err(|e| err(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(err("it is a directory, not a file".into()));
    }
    if !meta.is_file() {
        return Err(err("it is not a regular file".into()));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Ok(Err(ContentIssue::TooLarge { size: meta.len() }));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(io_reason(&e)))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Ok(Err(ContentIssue::TooLarge {
            size: bytes.len() as u64,
        }));
    }
    Ok(decode(bytes))
}

/// Checks that bytes are text Kibana could parse, and turns them into a String.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, ContentIssue> {
    if let Some(i) = bytes.iter().position(|b| *b == 0) {
        return Err(ContentIssue::Binary {
            at: pos_at(&bytes, i),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let i = e.utf8_error().valid_up_to();
        ContentIssue::NotUtf8 {
            at: pos_at(e.as_bytes(), i),
        }
    })
}

fn pos_at(bytes: &[u8], i: usize) -> Pos {
    let before = &bytes[..i];
    let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u32
        + 1;
    Pos::new(line, col)
}

/// Describes an I/O error the way a user would say it.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// What a PEM text holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PemContent {
    Certificates(Vec<Cert>),
    /// PEM blocks, but none is a certificate (e.g. a private key).
    OtherBlocks(Vec<String>),
    /// No PEM block at all (DER, or not a certificate file).
    NotPem,
    /// A CERTIFICATE block that does not parse.
    Invalid(String),
}

/// Summarises the certificates in a PEM text, as Node's TLS would read the `ca` option.
pub(crate) fn inspect_pem(data: &[u8]) -> PemContent {
    let mut certs = Vec::new();
    let mut others = Vec::new();
    for pem in x509_parser::pem::Pem::iter_from_buffer(data) {
        let pem = match pem {
            Ok(p) => p,
            Err(e) => return PemContent::Invalid(format!("damaged PEM block ({e})")),
        };
        if pem.label != "CERTIFICATE" && pem.label != "TRUSTED CERTIFICATE" {
            others.push(pem.label.clone());
            continue;
        }
        match Cert::from_der(&pem.contents) {
            Some(cert) => certs.push(cert),
            None => {
                let why = pem
                    .parse_x509()
                    .err()
                    .map_or_else(|| "unknown error".to_string(), |e| e.to_string());
                return PemContent::Invalid(format!("a certificate does not parse ({why})"));
            }
        }
    }
    if !certs.is_empty() {
        PemContent::Certificates(certs)
    } else if !others.is_empty() {
        PemContent::OtherBlocks(others)
    } else {
        PemContent::NotPem
    }
}

/// A CA file named by `customHostSettings[].ssl.certificateAuthoritiesFiles`, as found here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CaFileStatus {
    Read(PemContent),
    /// Kibana logs `error reading file "<f>" specified in xpack.actions.customHosts, ignoring`.
    Unreadable {
        reason: String,
        node_error: String,
    },
}

/// Reads a CA file like Kibana's `readFileSync(file, 'utf8')`, relative paths against the
/// current directory (Kibana uses its own working directory).
pub(crate) fn read_ca_file(path: &str) -> CaFileStatus {
    let p = Path::new(path);
    match fs::metadata(p) {
        Ok(meta) if meta.is_dir() => {
            return CaFileStatus::Unreadable {
                reason: "it is a directory".into(),
                node_error: "EISDIR: illegal operation on a directory, read".to_string(),
            };
        }
        Ok(meta) if meta.len() > MAX_FILE_SIZE => {
            return CaFileStatus::Unreadable {
                reason: format!("it is larger than {MAX_FILE_SIZE} bytes"),
                node_error: String::new(),
            };
        }
        _ => {}
    }
    match fs::File::open(p).and_then(|f| {
        read_capped(f, path).map_err(|e| std::io::Error::new(std::io::ErrorKind::FileTooLarge, e))
    }) {
        Ok(bytes) => CaFileStatus::Read(inspect_pem(&bytes)),
        Err(e) => {
            let node_error = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    format!("ENOENT: no such file or directory, open '{path}'")
                }
                std::io::ErrorKind::PermissionDenied => {
                    format!("EACCES: permission denied, open '{path}'")
                }
                _ => e.to_string(),
            };
            CaFileStatus::Unreadable {
                reason: io_reason(&e),
                node_error,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_and_missing_files_are_read_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            read_text(dir.path())
                .unwrap_err()
                .reason
                .contains("directory")
        );
        let missing = dir.path().join("nope.yml");
        assert_eq!(read_text(&missing).unwrap_err().reason, "no such file");
    }

    #[test]
    fn binary_and_invalid_utf8_have_positions() {
        assert_eq!(
            decode(b"a: 1\nb: \x00".to_vec()),
            Err(ContentIssue::Binary { at: Pos::new(2, 4) })
        );
        assert_eq!(
            decode(b"a: 1\nb: \xff".to_vec()),
            Err(ContentIssue::NotUtf8 { at: Pos::new(2, 4) })
        );
        assert_eq!(decode(b"a: 1\n".to_vec()).unwrap(), "a: 1\n");
    }

    #[test]
    fn oversized_files_are_not_read_into_memory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yml");
        let f = fs::File::create(&path).unwrap();
        f.set_len(MAX_FILE_SIZE + 1).unwrap();
        assert!(matches!(
            read_text(&path).unwrap(),
            Err(ContentIssue::TooLarge { .. })
        ));
    }

    #[test]
    fn pem_inspection_tells_keys_from_certificates() {
        assert_eq!(inspect_pem(b"hello"), PemContent::NotPem);
        let key = b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            inspect_pem(key),
            PemContent::OtherBlocks(vec!["PRIVATE KEY".into()])
        );
        let bad = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(matches!(inspect_pem(bad), PemContent::Invalid(_)));
    }

    #[test]
    fn missing_ca_files_carry_nodes_error_text() {
        assert_eq!(
            read_ca_file("this-file-does-not-exist"),
            CaFileStatus::Unreadable {
                reason: "no such file".into(),
                node_error: "ENOENT: no such file or directory, open 'this-file-does-not-exist'"
                    .into(),
            }
        );
    }
}
