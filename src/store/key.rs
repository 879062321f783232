//! The database key and the secret a person types (the PIN, a passphrase, or
//! `LANTERNA_KEY`).
//!
//! The SQLCipher key is a random 256-bit key, drawn once when the database is created. It
//! is kept *wrapped* in a small side file next to the database (`<db>.keys`): encrypted with
//! XChaCha20-Poly1305 under a key derived from the secret with Argon2id (64 MiB, 3 passes,
//! 1 lane; about 140 ms on the development laptop in a release build, see
//! `docs/security.md`). So:
//! - a guess of the secret costs one Argon2id derivation, whoever makes it;
//! - changing the secret re-wraps 32 bytes instead of re-encrypting every page;
//! - a platform keystore can later wrap the same random key (the documented next step).
//!
//! Databases created before this scheme were keyed directly by Argon2id(secret, salt of
//! the file header); they carry no side file and are migrated on their first unlock
//! ([`super::Store::open_existing`]).
//!
//! The side file also has a sibling, `<db>.attempts`, with the wrong-secret count and the
//! time until which the next attempt must wait: it outlives the process, so neither a
//! restart of the app nor a loop of command-line runs escapes the back-off.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use super::error::{Result, StoreError};

/// Memory cost in KiB.
pub const ARGON2_MEMORY_KIB: u32 = 64 * 1024;
/// Passes.
pub const ARGON2_ITERATIONS: u32 = 3;
/// Lanes.
pub const ARGON2_LANES: u32 = 1;
/// Salt length, as SQLCipher stores it at the start of the file.
pub const SALT_LEN: usize = 16;
/// The side file's format version.
const KEY_FILE_VERSION: u32 = 1;
/// What the wrapped key is bound to, so a key file cannot be taken for another purpose.
const WRAP_AAD: &[u8] = b"lanterna database key v1";

/// Argon2id with one lane and these costs: `secret` and `salt` to 32 bytes.
pub(crate) fn argon2id(secret: &[u8], salt: &[u8], memory_kib: u32, passes: u32) -> [u8; 32] {
    let params =
        Params::new(memory_kib, passes, ARGON2_LANES, Some(32)).expect("Argon2 parameters are valid constants");
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, &mut out)
        .expect("a 16-byte salt and 32-byte output are within Argon2's limits");
    out
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| StoreError::NoRandomness(e.to_string()))?;
    Ok(b)
}

/// A SQLCipher key with its salt. Its `Debug` never shows the bytes.
#[derive(Clone)]
pub struct RawKey {
    key: [u8; 32],
    salt: [u8; SALT_LEN],
}

impl fmt::Debug for RawKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RawKey(<redacted>)")
    }
}

impl RawKey {
    /// Derives the key for `secret` with `salt`: how databases were keyed before the
    /// wrapped random key (kept to open and migrate them).
    pub fn derive(secret: &str, salt: [u8; SALT_LEN]) -> Self {
        RawKey { key: argon2id(secret.as_bytes(), &salt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS), salt }
    }

    /// A key from its parts.
    pub(crate) fn from_parts(key: [u8; 32], salt: [u8; SALT_LEN]) -> Self {
        RawKey { key, salt }
    }

    /// A fresh random salt.
    pub fn random_salt() -> [u8; SALT_LEN] {
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut salt).expect("the operating system provides randomness");
        salt
    }

    /// The salt.
    pub fn salt(&self) -> [u8; SALT_LEN] {
        self.salt
    }

    /// The value of `PRAGMA key`/`PRAGMA rekey`: raw key and salt, so SQLCipher skips its
    /// own PBKDF2 and writes this salt in the header.
    pub(crate) fn pragma_value(&self) -> String {
        format!("x'{}{}'", hex::encode(self.key), hex::encode(self.salt))
    }
}

impl Drop for RawKey {
    fn drop(&mut self) {
        // Best effort: do not leave the key in freed memory.
        self.key.iter_mut().for_each(|b| *b = 0);
    }
}

/// The side file next to a database: its random key, wrapped under the secret.
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyFile {
    version: u32,
    kdf: String,
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
    aead: String,
    nonce: String,
    wrapped: String,
    /// Set while a database keyed the old way is being re-keyed to the random key: if the
    /// re-key did not happen (a crash), the old key still opens it and the next unlock
    /// finishes the job.
    #[serde(default)]
    legacy_pending: bool,
}

impl fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyFile").field("version", &self.version).finish_non_exhaustive()
    }
}

/// The key side file of the database at `db`.
pub fn key_file_path(db: &Path) -> PathBuf {
    sibling(db, "keys")
}

/// The wrong-attempt file of the database at `db`.
pub fn attempts_path(db: &Path) -> PathBuf {
    sibling(db, "attempts")
}

fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

impl KeyFile {
    /// Wraps `key` under `secret` (a fresh salt and nonce every time).
    pub(crate) fn wrap(secret: &str, key: &[u8; 32]) -> Result<KeyFile> {
        let salt: [u8; SALT_LEN] = random()?;
        let nonce: [u8; 24] = random()?;
        let kek = argon2id(secret.as_bytes(), &salt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS);
        let wrapped = XChaCha20Poly1305::new(&kek.into())
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key, aad: WRAP_AAD })
            .map_err(|_| StoreError::NoRandomness("the key could not be wrapped".into()))?;
        Ok(KeyFile {
            version: KEY_FILE_VERSION,
            kdf: "argon2id".into(),
            memory_kib: ARGON2_MEMORY_KIB,
            passes: ARGON2_ITERATIONS,
            lanes: ARGON2_LANES,
            salt: hex::encode(salt),
            aead: "xchacha20poly1305".into(),
            nonce: hex::encode(nonce),
            wrapped: hex::encode(wrapped),
            legacy_pending: false,
        })
    }

    /// The random key, if `secret` is the one it was wrapped under; `None` otherwise.
    /// This is what one guess of the secret costs: one Argon2id and one AEAD check.
    pub fn unwrap_key(&self, secret: &str) -> Option<[u8; 32]> {
        // Never a cheaper derivation than the store's own (a file edited to make guesses
        // cheaper opens nothing), nor an absurdly expensive one.
        let sane = self.kdf == "argon2id"
            && self.aead == "xchacha20poly1305"
            && self.lanes == ARGON2_LANES
            && (ARGON2_MEMORY_KIB..=4 * 1024 * 1024).contains(&self.memory_kib)
            && (ARGON2_ITERATIONS..=64).contains(&self.passes);
        if !sane {
            return None;
        }
        let (memory, passes) = (self.memory_kib, self.passes);
        let salt = hex::decode(&self.salt).ok().filter(|s| s.len() == SALT_LEN)?;
        let nonce = hex::decode(&self.nonce).ok().filter(|n| n.len() == 24)?;
        let wrapped = hex::decode(&self.wrapped).ok()?;
        let kek = argon2id(secret.as_bytes(), &salt, memory, passes);
        let key = XChaCha20Poly1305::new(&kek.into())
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: WRAP_AAD })
            .ok()?;
        key.try_into().ok()
    }

    /// Whether a re-key of a database of the old scheme may not have happened.
    pub(crate) fn legacy_pending(&self) -> bool {
        self.legacy_pending
    }

    pub(crate) fn set_legacy_pending(&mut self, pending: bool) {
        self.legacy_pending = pending;
    }

    /// Reads the side file at `path`; `None` when there is none.
    pub fn read(path: &Path) -> Result<Option<KeyFile>> {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StoreError::Io { path: path.to_owned(), source }),
        };
        let file: KeyFile = serde_json::from_slice(&bytes).map_err(|e| StoreError::NotLanterna {
            path: path.to_owned(),
            why: format!("the key file is damaged ({e})"),
        })?;
        if file.version != KEY_FILE_VERSION {
            return Err(StoreError::NotLanterna {
                path: path.to_owned(),
                why: format!("key file version {} is not understood by this Lanterna", file.version),
            });
        }
        Ok(Some(file))
    }

    /// Writes the side file atomically (see [`write_private`]).
    pub(crate) fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).expect("a key file serialises");
        write_private(path, &json)
    }
}

/// A fresh random database key.
pub(crate) fn random_db_key() -> Result<[u8; 32]> {
    random()
}

/// Creates `path` empty and readable by its owner only (0600 on unix), failing if it exists.
pub(crate) fn create_private(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Makes an existing file readable by its owner only (no-op off unix); a missing file is fine.
pub(crate) fn restrict(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match fs::metadata(path) {
            Ok(m) if m.permissions().mode() & 0o077 != 0 => {
                fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one:
/// a private temporary file beside it, fsynced, renamed over it, and the directory fsynced.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| StoreError::Io { path: path.to_owned(), source };
    let tmp = sibling(path, &format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut f = create_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename itself made durable; some platforms cannot open a directory.
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.map_err(io)
}

/// The wrong secrets typed in a row for one database, and until when (milliseconds since
/// the Unix epoch) the next attempt has to wait. Kept outside the encrypted database, which
/// a wrong secret cannot open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    /// Wrong secrets in a row.
    pub failures: u32,
    /// No attempt before this time (milliseconds since the Unix epoch).
    pub wait_until_ms: i64,
}

impl Attempts {
    /// The attempts recorded for the database at `db` (none when the file is missing or
    /// unreadable: a damaged counter must not lock a person out for good).
    pub fn load(db: &Path) -> Attempts {
        fs::read(attempts_path(db)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Records them for the database at `db`, durably.
    pub fn save(&self, db: &Path) -> Result<()> {
        let json = serde_json::to_vec(self).expect("attempts serialise");
        write_private(&attempts_path(db), &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_deterministic_per_salt_and_redacted() {
        let salt = [7u8; SALT_LEN];
        let a = RawKey::derive("123456", salt);
        assert_eq!(a.pragma_value(), RawKey::derive("123456", salt).pragma_value());
        assert_ne!(a.pragma_value(), RawKey::derive("123457", salt).pragma_value());
        assert_ne!(a.pragma_value(), RawKey::derive("123456", [8u8; SALT_LEN]).pragma_value());
        assert_eq!(a.pragma_value().len(), 2 + 64 + 32 + 1);
        assert!(!format!("{a:?}").contains(&hex::encode(a.key)));
    }

    #[test]
    fn a_wrapped_key_opens_with_its_secret_only_and_survives_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db.keys");
        let key = random_db_key().unwrap();
        let file = KeyFile::wrap("correct horse battery", &key).unwrap();
        file.write(&path).unwrap();
        let read = KeyFile::read(&path).unwrap().unwrap();
        assert_eq!(read.unwrap_key("correct horse battery"), Some(key));
        assert_eq!(read.unwrap_key("correct horse batterY"), None);
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains(&hex::encode(key)), "the key is never stored in clear");
        // A file that asks for a cheaper derivation opens nothing.
        let mut cheap = read.clone();
        cheap.memory_kib = 8;
        cheap.passes = 1;
        assert_eq!(cheap.unwrap_key("correct horse battery"), None);
        // A damaged file is an error, not a panic.
        fs::write(&path, b"{ not json").unwrap();
        assert!(matches!(KeyFile::read(&path), Err(StoreError::NotLanterna { .. })));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.write(&path).unwrap();
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
