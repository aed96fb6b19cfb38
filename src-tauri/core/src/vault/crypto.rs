//! The vault's cryptography, built only from vetted primitives: ring for
//! randomness, AES-256-GCM and HMAC; argon2 for Argon2id; crypto_box
//! sealed boxes for delivering keys to a colleague's public key.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::secret::{Passphrase, SecretKey};

/// Argon2id cost parameters, stored with each keyring entry so they can be
/// raised later without breaking existing logins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Base64 of a random 16-byte salt.
    pub salt: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// Today's default: m = 64 MiB, t = 3, p = 1, a fresh salt.
    pub fn fresh() -> Result<Self, CryptoError> {
        let mut salt = [0u8; 16];
        fill_random(&mut salt)?;
        Ok(KdfParams {
            salt: B64.encode(salt),
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        })
    }
}

/// Something went wrong inside the cryptography. Deliberately vague: which
/// check failed is not something to tell an attacker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CryptoError {
    /// The key did not open the sealed value (wrong key or tampered data).
    Unopenable,
    /// Stored material is not in the expected shape.
    Malformed,
    /// The OS random source failed.
    Random,
}

/// The OS random source failing is an I/O failure to the person using Circle.
pub(crate) fn random_failed(_: CryptoError) -> crate::error::Error {
    crate::error::Error::Io(std::io::Error::other("the OS random source failed"))
}

pub fn fill_random(out: &mut [u8]) -> Result<(), CryptoError> {
    SystemRandom::new()
        .fill(out)
        .map_err(|_| CryptoError::Random)
}

/// A new random 256-bit key.
pub fn random_key() -> Result<SecretKey, CryptoError> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    fill_random(bytes.as_mut())?;
    Ok(SecretKey::from_bytes(*bytes))
}

/// Passphrase → Argon2id → key-encryption key.
pub fn derive_kek(passphrase: &Passphrase, params: &KdfParams) -> Result<SecretKey, CryptoError> {
    let salt = B64
        .decode(&params.salt)
        .map_err(|_| CryptoError::Malformed)?;
    let argon_params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )
    .map_err(|_| CryptoError::Malformed)?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.expose().as_bytes(), &salt, out.as_mut())
        .map_err(|_| CryptoError::Malformed)?;
    Ok(SecretKey::from_bytes(*out))
}

/// A value sealed with AES-256-GCM: base64 of nonce ‖ ciphertext ‖ tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sealed(pub String);

/// Seals `plaintext` under `key`. `context` is bound as associated data, so a
/// sealed value moved to another purpose or another person does not open.
pub fn seal(key: &SecretKey, context: &str, plaintext: &[u8]) -> Result<Sealed, CryptoError> {
    let aead = aead_key(key)?;
    let mut nonce_bytes = [0u8; NONCE_LEN];
    fill_random(&mut nonce_bytes)?;
    let mut in_out = plaintext.to_vec();
    aead.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce_bytes),
        Aad::from(context.as_bytes()),
        &mut in_out,
    )
    .map_err(|_| CryptoError::Malformed)?;
    let mut out = nonce_bytes.to_vec();
    out.extend_from_slice(&in_out);
    Ok(Sealed(B64.encode(out)))
}

/// Opens a value sealed by [`seal`] with the same key and context.
pub fn open(
    key: &SecretKey,
    context: &str,
    sealed: &Sealed,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let raw = B64.decode(&sealed.0).map_err(|_| CryptoError::Malformed)?;
    if raw.len() < NONCE_LEN + AES_256_GCM.tag_len() {
        return Err(CryptoError::Malformed);
    }
    let (nonce_bytes, ciphertext) = raw.split_at(NONCE_LEN);
    let nonce =
        Nonce::try_assume_unique_for_key(nonce_bytes).map_err(|_| CryptoError::Malformed)?;
    let aead = aead_key(key)?;
    let mut in_out = Zeroizing::new(ciphertext.to_vec());
    let plain_len = aead
        .open_in_place(nonce, Aad::from(context.as_bytes()), &mut in_out)
        .map_err(|_| CryptoError::Unopenable)?
        .len();
    in_out.truncate(plain_len);
    Ok(in_out)
}

/// Opens a sealed 32-byte key.
pub fn open_key(key: &SecretKey, context: &str, sealed: &Sealed) -> Result<SecretKey, CryptoError> {
    let bytes = open(key, context, sealed)?;
    let array: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| CryptoError::Malformed)?;
    Ok(SecretKey::from_bytes(array))
}

fn aead_key(key: &SecretKey) -> Result<LessSafeKey, CryptoError> {
    UnboundKey::new(&AES_256_GCM, key.expose())
        .map(LessSafeKey::new)
        .map_err(|_| CryptoError::Malformed)
}

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac(key: &SecretKey, message: &[u8]) -> Vec<u8> {
    let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.expose());
    ring::hmac::sign(&k, message).as_ref().to_vec()
}

/// Constant-time check of an HMAC-SHA256 tag.
pub fn hmac_matches(key: &SecretKey, message: &[u8], tag: &[u8]) -> bool {
    let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.expose());
    ring::hmac::verify(&k, message, tag).is_ok()
}

/// A person's key-delivery key pair (X25519). The public half is stored in the
/// clear; the secret half is sealed under the person's key-encryption key.
pub struct DeliveryKeyPair {
    pub secret: SecretKey,
    pub public: String,
}

impl DeliveryKeyPair {
    pub fn generate() -> Result<Self, CryptoError> {
        let secret = random_key()?;
        let public = delivery_public_key(&secret);
        Ok(DeliveryKeyPair { secret, public })
    }
}

/// The base64 public key that belongs to a delivery secret key.
pub fn delivery_public_key(secret: &SecretKey) -> String {
    let sk = crypto_box::SecretKey::from_bytes(*secret.expose());
    B64.encode(sk.public_key().as_bytes())
}

/// Seals `plaintext` so only the holder of the matching secret key can open it.
pub fn seal_to(public_b64: &str, plaintext: &[u8]) -> Result<String, CryptoError> {
    let bytes: [u8; 32] = B64
        .decode(public_b64)
        .map_err(|_| CryptoError::Malformed)?
        .try_into()
        .map_err(|_| CryptoError::Malformed)?;
    let public = crypto_box::PublicKey::from_bytes(bytes);
    let boxed = public
        .seal(&mut crypto_box::aead::OsRng, plaintext)
        .map_err(|_| CryptoError::Random)?;
    Ok(B64.encode(boxed))
}

/// Opens a value sealed by [`seal_to`].
pub fn open_sealed_box(
    secret: &SecretKey,
    boxed_b64: &str,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let boxed = B64.decode(boxed_b64).map_err(|_| CryptoError::Malformed)?;
    let sk = crypto_box::SecretKey::from_bytes(*secret.expose());
    sk.unseal(&boxed)
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Unopenable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap_params() -> KdfParams {
        KdfParams {
            memory_kib: 1024,
            iterations: 1,
            ..KdfParams::fresh().unwrap()
        }
    }

    #[test]
    fn sealed_key_opens_only_with_the_same_key_and_context() {
        let kek = random_key().unwrap();
        let data_key = random_key().unwrap();
        let sealed = seal(&kek, "practice/alice", data_key.expose()).unwrap();
        assert_eq!(
            open_key(&kek, "practice/alice", &sealed).unwrap().expose(),
            data_key.expose()
        );
        assert_eq!(
            open_key(&kek, "practice/bob", &sealed)
                .map(|_| ())
                .unwrap_err(),
            CryptoError::Unopenable
        );
        let other = random_key().unwrap();
        assert_eq!(
            open_key(&other, "practice/alice", &sealed)
                .map(|_| ())
                .unwrap_err(),
            CryptoError::Unopenable
        );
    }

    #[test]
    fn a_flipped_bit_in_a_sealed_value_is_refused() {
        let kek = random_key().unwrap();
        let sealed = seal(&kek, "c", b"thirty-two bytes of key material").unwrap();
        let mut raw = B64.decode(&sealed.0).unwrap();
        raw[20] ^= 1;
        let tampered = Sealed(B64.encode(raw));
        assert_eq!(
            open(&kek, "c", &tampered).map(|_| ()).unwrap_err(),
            CryptoError::Unopenable
        );
    }

    #[test]
    fn the_same_passphrase_and_salt_derive_the_same_key() {
        let params = cheap_params();
        let a = derive_kek(&"a long passphrase".into(), &params).unwrap();
        let b = derive_kek(&"a long passphrase".into(), &params).unwrap();
        let c = derive_kek(&"a long passphrasE".into(), &params).unwrap();
        assert_eq!(a.expose(), b.expose());
        assert_ne!(a.expose(), c.expose());
    }

    #[test]
    fn sealed_boxes_open_only_for_their_recipient() {
        let alice = DeliveryKeyPair::generate().unwrap();
        let bob = DeliveryKeyPair::generate().unwrap();
        let boxed = seal_to(&alice.public, b"new keys").unwrap();
        assert_eq!(
            open_sealed_box(&alice.secret, &boxed).unwrap().as_slice(),
            b"new keys"
        );
        assert!(open_sealed_box(&bob.secret, &boxed).is_err());
    }
}
