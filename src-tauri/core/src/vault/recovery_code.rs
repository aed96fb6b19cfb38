//! The recovery code: 128 random bits, written down once at setup, that
//! unwraps the same keys as the owner's passphrase.

use super::crypto;
use super::secret::Passphrase;
use crate::error::Result;

/// 128 random bits as eight groups of four hex digits: easy to write down.
pub(crate) fn new() -> Result<Passphrase> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 16]);
    crypto::fill_random(bytes.as_mut()).map_err(crypto::random_failed)?;
    let hex = zeroize::Zeroizing::new(hex::encode_upper(&bytes[..]));
    let groups: Vec<&str> = (0..8).map(|i| &hex[i * 4..i * 4 + 4]).collect();
    Ok(Passphrase::new(groups.join("-")))
}

/// Accepts a recovery code however it was typed (case, spaces, dashes).
pub(crate) fn normalise(typed: &Passphrase) -> Passphrase {
    let cleaned: String = typed
        .expose()
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if cleaned.len() != 32 {
        return typed.clone();
    }
    let groups: Vec<&str> = (0..8).map(|i| &cleaned[i * 4..i * 4 + 4]).collect();
    Passphrase::new(groups.join("-"))
}
