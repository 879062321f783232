//! Codes and tokens: random, shown once, stored as SHA-256.

use sha2::{Digest, Sha256};

/// The enrollment code alphabet: no 0/O, 1/I.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the system has randomness");
    b
}

/// A one-time enrollment code: 16 symbols of 5 bits (80 bits), `ABCD-EFGH-JKLM-NPQR`.
pub fn code() -> String {
    let groups: Vec<String> =
        random::<16>().chunks(4).map(|c| c.iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect()).collect();
    groups.join("-")
}

/// True for something shaped like a code.
pub fn is_code(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 4 && groups.iter().all(|g| g.len() == 4 && g.bytes().all(|b| ALPHABET.contains(&b)))
}

/// A device or coordinator token: 256 random bits as hex.
pub fn token() -> String {
    hex::encode(random::<32>())
}

/// What is stored of a code or token.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_their_shape_and_differ() {
        let (a, b) = (code(), code());
        assert!(is_code(&a) && is_code(&b) && a != b, "{a} {b}");
        assert!(!is_code("ABCD-EFGH-JKLM-NPQ0") && !is_code("abcd-efgh-jklm-npqr"));
        assert_eq!(token().len(), 64);
    }
}
