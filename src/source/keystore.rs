//! Reading `kibana.keystore` offline, so a setting that lives only in the keystore counts as set.
//!
//! Format (Kibana `src/cli/keystore/lib/keystore.ts`): the text `1:<base64>`; the bytes are
//! `salt[0..64) ‖ iv[64..76) ‖ tag[76..92) ‖ ciphertext[92..)`; the key is
//! PBKDF2-HMAC-SHA512(password, salt, 10000 iterations, 32 bytes); the cipher AES-256-GCM with no
//! AAD; the plaintext is `JSON.stringify` of an object keyed by full setting names.
//! The password is empty unless the keystore was protected; Kibana reads it from
//! `KBN_KEYSTORE_PASSPHRASE_FILE` (trimmed file contents) or `KEYSTORE_PASSWORD`.
//! Values read here are secrets: they are never printed.

use std::fmt;
use std::num::NonZeroU32;

use base64::Engine as _;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::pbkdf2;

const SALT: usize = 64;
const IV: usize = 12;
const TAG: usize = 16;
const ITERATIONS: u32 = 10_000;

/// Why a keystore could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeystoreError {
    /// Not `1:<base64>` of a plausible length.
    Format(String),
    /// Authentication failed: wrong password (or a damaged file).
    WrongPassword { password_given: bool },
    /// Decrypted, but not a JSON object.
    Contents(String),
}

impl fmt::Display for KeystoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeystoreError::Format(why) => write!(f, "it is not a Kibana keystore ({why})"),
            KeystoreError::WrongPassword {
                password_given: false,
            } => f.write_str("it is password-protected and no password was given"),
            KeystoreError::WrongPassword {
                password_given: true,
            } => f.write_str("the password is wrong (or the file is damaged)"),
            KeystoreError::Contents(why) => write!(f, "its contents are not valid ({why})"),
        }
    }
}

/// The decrypted entries, in file order: full setting name → JSON value.
pub(crate) type KeystoreEntries = Vec<(String, serde_json::Value)>;

/// Decrypts a keystore's text with `password` (empty string when unprotected).
pub(crate) fn decrypt(text: &str, password: &str) -> Result<KeystoreEntries, KeystoreError> {
    // Kibana splits on ':' and takes element [1].
    let mut parts = text.trim().split(':');
    let version = parts.next().unwrap_or("");
    let Some(data) = parts.next() else {
        return Err(KeystoreError::Format("no `<version>:` prefix".into()));
    };
    if version != "1" {
        return Err(KeystoreError::Format(format!(
            "unsupported keystore version {version:?}"
        )));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| KeystoreError::Format(format!("invalid base64 ({e})")))?;
    if bytes.len() < SALT + IV + TAG {
        return Err(KeystoreError::Format("too short".into()));
    }
    let (salt, rest) = bytes.split_at(SALT);
    let (iv, rest) = rest.split_at(IV);
    let (tag, ciphertext) = rest.split_at(TAG);

    let key = derive_key(password, salt);
    let nonce = Nonce::try_assume_unique_for_key(iv).expect("12-byte IV");
    // ring wants ciphertext ‖ tag.
    let mut sealed = Vec::with_capacity(ciphertext.len() + TAG);
    sealed.extend_from_slice(ciphertext);
    sealed.extend_from_slice(tag);
    let plain = key
        .open_in_place(nonce, Aad::empty(), &mut sealed)
        .map_err(|_| KeystoreError::WrongPassword {
            password_given: !password.is_empty(),
        })?;
    let value: serde_json::Value = serde_json::from_slice(plain)
        .map_err(|e| KeystoreError::Contents(format!("not JSON ({e})")))?;
    match value {
        serde_json::Value::Object(map) => Ok(map.into_iter().collect()),
        _ => Err(KeystoreError::Contents("not a JSON object".into())),
    }
}

/// The keystore password the way Kibana finds it, from the given environment lookup.
pub(crate) fn password_from_env(get: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    if let Some(path) = get("KBN_KEYSTORE_PASSPHRASE_FILE") {
        return crate::source::files::read_capped_text(std::path::Path::new(&path))
            .map(|s| s.trim().to_string())
            .map_err(|e| format!("KBN_KEYSTORE_PASSPHRASE_FILE: {e}"));
    }
    Ok(get("KEYSTORE_PASSWORD").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Kibana's own test vectors (src/cli/keystore/lib/keystore.test.ts).
    const UNPROTECTED: &str = "1:IxR0geiUTMJp8ueHDkqeUJ0I9eEw4NJPXIJi22UDyfGfJSy4mHBBuGPkkAix/x/YFfIxo4tiKGdJ2oVTtU8LgKDkVoGdL+z7ylY4n3myatt6osqhI4lzJ9MRy21UcAJki2qFUTj4TYuvhta3LId+RM5UX/dJ2468hQ==";
    const PROTECTED: &str = "1:4BnWfydL8NwFIQJg+VQKe0jlIs7uXtty6+++yaWPbSBKIX3d9nPfQ20K1C6Xh26E/gMJAQ9jh7BxK0+W3lt/iDJBJn44wqX3pQ0189iGkNBL0ibDCctz4mRy6+hqwiLxiukpH8ELAJsff8LNNHr+gNzX/2k/GvB7nQ==";

    fn expected() -> KeystoreEntries {
        vec![
            ("a1.b2.c3".into(), serde_json::json!("foo")),
            ("a2".into(), serde_json::json!("bar")),
        ]
    }

    #[test]
    fn kibana_test_vector_without_password() {
        assert_eq!(decrypt(UNPROTECTED, "").unwrap(), expected());
    }

    #[test]
    fn kibana_test_vector_with_password() {
        assert_eq!(
            decrypt(PROTECTED, ""),
            Err(KeystoreError::WrongPassword {
                password_given: false
            })
        );
        assert_eq!(decrypt(PROTECTED, "changeme").unwrap(), expected());
        assert!(matches!(
            decrypt(PROTECTED, "wrong"),
            Err(KeystoreError::WrongPassword {
                password_given: true
            })
        ));
    }

    #[test]
    fn garbage_is_a_format_error_not_a_panic() {
        for text in ["", "hello", "2:abcd", "1:!!!", "1:AAAA"] {
            assert!(
                matches!(decrypt(text, ""), Err(KeystoreError::Format(_))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn password_comes_from_the_passphrase_file_first() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pass");
        std::fs::write(&file, "  changeme\n").unwrap();
        let path = file.to_string_lossy().to_string();
        let get = |k: &str| match k {
            "KBN_KEYSTORE_PASSPHRASE_FILE" => Some(path.clone()),
            "KEYSTORE_PASSWORD" => Some("other".into()),
            _ => None,
        };
        assert_eq!(password_from_env(get).unwrap(), "changeme");
        assert_eq!(
            password_from_env(|k| (k == "KEYSTORE_PASSWORD").then(|| "pw".into())).unwrap(),
            "pw"
        );
        assert_eq!(password_from_env(|_| None).unwrap(), "");
    }
}

/// Kibana's key: PBKDF2-HMAC-SHA512 of the password with the file's salt, as AES-256-GCM.
fn derive_key(password: &str, salt: &[u8]) -> LessSafeKey {
    let mut key = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA512,
        NonZeroU32::new(ITERATIONS).expect("non-zero"),
        salt,
        password.as_bytes(),
        &mut key,
    );
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &key).expect("32-byte key"))
}

/// Encrypts entries into a keystore text, as Kibana's `kibana-keystore add` writes it.
/// The salt and IV are parameters so tests and fixtures are reproducible.
#[cfg(test)]
pub(crate) fn encrypt(
    entries: &[(String, serde_json::Value)],
    password: &str,
    salt: &[u8; SALT],
    iv: &[u8; IV],
) -> String {
    let object: serde_json::Map<String, serde_json::Value> = entries.iter().cloned().collect();
    let mut data = serde_json::to_vec(&object).expect("JSON");
    let key = derive_key(password, salt);
    let nonce = Nonce::assume_unique_for_key(*iv);
    let tag = key
        .seal_in_place_separate_tag(nonce, Aad::empty(), &mut data)
        .expect("sealing cannot fail for small inputs");
    let mut out = Vec::with_capacity(SALT + IV + TAG + data.len());
    out.extend_from_slice(salt);
    out.extend_from_slice(iv);
    out.extend_from_slice(tag.as_ref());
    out.extend_from_slice(&data);
    format!(
        "1:{}",
        base64::engine::general_purpose::STANDARD.encode(out)
    )
}

#[cfg(test)]
mod roundtrip {
    use super::*;

    #[test]
    fn encrypt_then_decrypt() {
        let entries = vec![(
            "xpack.encryptedSavedObjects.encryptionKey".to_string(),
            serde_json::json!("k".repeat(40)),
        )];
        let text = encrypt(&entries, "pw", &[7; SALT], &[9; IV]);
        assert_eq!(decrypt(&text, "pw").unwrap(), entries);
        assert!(decrypt(&text, "").is_err());
    }
}
