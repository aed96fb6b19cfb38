//! Types that hold secrets. They zero their memory when dropped and never
//! print their contents.

use std::fmt;
use zeroize::Zeroizing;

/// A 256-bit symmetric key (database key, key-encryption key, audit key).
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; 32]>);

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        SecretKey(Zeroizing::new(bytes))
    }

    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// SQLCipher's raw-key form, `x'…'`, for `PRAGMA key` and `ATTACH … KEY`.
    /// Raw keys skip SQLCipher's own KDF: ours are already random 256-bit keys.
    pub fn sqlcipher_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.expose())))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// A passphrase or recovery code as typed. Zeroed on drop, never printed.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: impl Into<String>) -> Self {
        Passphrase(Zeroizing::new(text.into()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

impl From<&str> for Passphrase {
    fn from(text: &str) -> Self {
        Passphrase::new(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secret_material() {
        let key = SecretKey::from_bytes([0xAB; 32]);
        let pass = Passphrase::new("correct horse battery staple");
        let shown = format!("{key:?} {pass:?}");
        assert!(!shown.contains("ab") && !shown.contains("AB") && !shown.contains("horse"));
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn sqlcipher_literal_is_raw_hex_key() {
        let key = SecretKey::from_bytes([1; 32]);
        let lit = key.sqlcipher_literal();
        assert_eq!(lit.len(), 64 + 3);
        assert!(lit.starts_with("x'0101") && lit.ends_with('\''));
    }
}
