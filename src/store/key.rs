//! From the secret a person types (the PIN, or `LANTERNA_KEY`) to the raw SQLCipher key.
//!
//! Argon2id with 64 MiB of memory, 3 passes and 1 lane: about half a second on a
//! mid-range phone (2021-era 8-core ARM, single thread), which costs an attacker who
//! copied the file the same half second per guess on comparable hardware, while a
//! person unlocking waits once. The 16-byte salt is random per database and is the
//! first 16 bytes of the file (SQLCipher's own header salt), so no side file is needed:
//! the raw key is handed to SQLCipher as `x'<key><salt>'`.

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};

/// Memory cost in KiB.
pub const ARGON2_MEMORY_KIB: u32 = 64 * 1024;
/// Passes.
pub const ARGON2_ITERATIONS: u32 = 3;
/// Lanes.
pub const ARGON2_LANES: u32 = 1;
/// Salt length, as SQLCipher stores it at the start of the file.
pub const SALT_LEN: usize = 16;

/// A derived SQLCipher key with its salt. Its `Debug` never shows the bytes.
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
    /// Derives the key for `secret` with `salt`.
    pub fn derive(secret: &str, salt: [u8; SALT_LEN]) -> Self {
        let params = Params::new(ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_LANES, Some(32))
            .expect("Argon2 parameters are valid constants");
        let mut key = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(secret.as_bytes(), &salt, &mut key)
            .expect("a 16-byte salt and 32-byte output are within Argon2's limits");
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
}
