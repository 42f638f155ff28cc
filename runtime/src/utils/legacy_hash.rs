//! Password hashes from other frameworks, verified so that their users can
//! log in and be rehashed: werkzeug's (flask-peewee), flask-peewee's own
//! older salted SHA-1, and Django's.

use base64ct::{Base64, Encoding};
use pbkdf2::pbkdf2_hmac;
use sha2::Sha256;

/// Whether `a` and `b` are equal, in time that depends only on their lengths.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// werkzeug: `pbkdf2:sha256:<iterations>$<salt>$<hex>`.
fn werkzeug_pbkdf2(raw: &str, encoded: &str) -> Option<bool> {
    let (method, rest) = encoded.split_once('$')?;
    let (salt, expected) = rest.split_once('$')?;
    let iterations: u32 = method.strip_prefix("pbkdf2:sha256:")?.parse().ok().filter(|n| *n > 0)?;
    let mut key = vec![0u8; expected.len() / 2];
    pbkdf2_hmac::<Sha256>(raw.as_bytes(), salt.as_bytes(), iterations, &mut key);
    Some(same(hex(&key).as_bytes(), expected.as_bytes()))
}

/// werkzeug: `scrypt:<n>:<r>:<p>$<salt>$<hex>`, a 64-byte key.
fn werkzeug_scrypt(raw: &str, encoded: &str) -> Option<bool> {
    let (method, rest) = encoded.split_once('$')?;
    let (salt, expected) = rest.split_once('$')?;
    let mut parts = method.strip_prefix("scrypt:")?.split(':').map(str::parse::<u32>);
    let (n, r, p) = (parts.next()?.ok()?, parts.next()?.ok()?, parts.next()?.ok()?);
    if !n.is_power_of_two() || n < 2 {
        return None;
    }
    let log_n = u8::try_from(n.trailing_zeros()).ok()?;
    let params = scrypt::Params::new(log_n, r, p, expected.len() / 2).ok()?;
    let mut key = vec![0u8; expected.len() / 2];
    scrypt::scrypt(raw.as_bytes(), salt.as_bytes(), &params, &mut key).ok()?;
    Some(same(hex(&key).as_bytes(), expected.as_bytes()))
}

/// flask-peewee before werkzeug's hashes: `<5 hex salt>$<40 hex>`, the
/// SHA-1 of the salt then the password. Weak, which is why a successful
/// login replaces it at once.
fn flask_peewee_sha1(raw: &str, encoded: &str) -> Option<bool> {
    use sha1::{Digest, Sha1};
    let (salt, expected) = encoded.split_once('$')?;
    let is_hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    if salt.len() != 5 || expected.len() != 40 || !is_hex(salt) || !is_hex(expected) {
        return None;
    }
    let digest = Sha1::new().chain_update(salt.as_bytes()).chain_update(raw.as_bytes()).finalize();
    Some(same(hex(&digest).as_bytes(), expected.to_ascii_lowercase().as_bytes()))
}

/// Django: `pbkdf2_sha256$<iterations>$<salt>$<base64>`.
fn django_pbkdf2(raw: &str, encoded: &str) -> Option<bool> {
    let mut parts = encoded.split('$');
    if parts.next()? != "pbkdf2_sha256" {
        return None;
    }
    let iterations: u32 = parts.next()?.parse().ok().filter(|n| *n > 0)?;
    let (salt, expected) = (parts.next()?, parts.next()?);
    let expected = Base64::decode_vec(expected).ok()?;
    let mut key = vec![0u8; expected.len()];
    pbkdf2_hmac::<Sha256>(raw.as_bytes(), salt.as_bytes(), iterations, &mut key);
    Some(same(&key, &expected))
}

/// Whether `raw` matches `encoded` in one of the legacy formats; `None` when
/// `encoded` is in none of them.
pub(crate) fn check_legacy(raw: &str, encoded: &str) -> Option<bool> {
    werkzeug_pbkdf2(raw, encoded)
        .or_else(|| werkzeug_scrypt(raw, encoded))
        .or_else(|| django_pbkdf2(raw, encoded))
        .or_else(|| flask_peewee_sha1(raw, encoded))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    // The keys are Python's `hashlib.pbkdf2_hmac("sha256", b"secret", b"saltsalt", 1000)` and
    // `hashlib.scrypt(b"secret", salt=b"saltsalt", n=16, r=8, p=1, dklen=64)`, which werkzeug and
    // Django call, in their formats.
    pub(crate) const WERKZEUG_PBKDF2: &str =
        "pbkdf2:sha256:1000$saltsalt$86047d1ecaad2aea56c699eff32f7d4eb3c36a34d3ffd3dc49394d69fa5d2d74";
    pub(crate) const DJANGO: &str = "pbkdf2_sha256$1000$saltsalt$hgR9HsqtKupWxpnv8y99TrPDajTT/9PcSTlNafpdLXQ=";
    // Python's `salt + hashlib.sha1(b"abcde" + b"secret").hexdigest()`, as flask-peewee's
    // old `make_password` wrote it.
    pub(crate) const FLASK_PEEWEE_SHA1: &str = "abcde$36525a74f9a9b8e8cd8bfdf7ec660fb46c6b93aa";
    pub(crate) const WERKZEUG_SCRYPT: &str = "scrypt:16:8:1$saltsalt$b474fb18baa9d2e61b881d34f4c7881e732e10c67cea4c748e0069ab9bf1a3cea39ce289e74d565b218e6bc57c842dd73a5cb6beb14af2af7b94e53fd58eeef4";

    #[test]
    fn werkzeug_and_django_pbkdf2_verify() {
        assert_eq!(check_legacy("secret", WERKZEUG_PBKDF2), Some(true));
        assert_eq!(check_legacy("Secret", WERKZEUG_PBKDF2), Some(false));
        assert_eq!(check_legacy("secret", DJANGO), Some(true));
        assert_eq!(check_legacy("secret ", DJANGO), Some(false));
    }

    #[test]
    fn flask_peewee_salted_sha1_verifies() {
        assert_eq!(check_legacy("secret", FLASK_PEEWEE_SHA1), Some(true));
        assert_eq!(check_legacy("Secret", FLASK_PEEWEE_SHA1), Some(false));
        assert_eq!(check_legacy("secret", "abcd$e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"), None, "a 5-character salt");
        assert_eq!(check_legacy("secret", "abcde$not-hex"), None);
    }

    #[test]
    fn werkzeug_scrypt_verifies() {
        assert_eq!(check_legacy("secret", WERKZEUG_SCRYPT), Some(true));
        assert_eq!(check_legacy("nope", WERKZEUG_SCRYPT), Some(false));
        assert_eq!(check_legacy("secret", "scrypt:15:8:1$saltsalt$00"), None, "n must be a power of two");
    }

    #[test]
    fn anything_else_is_not_legacy() {
        for encoded in ["", "plain", "md5$x$y", "pbkdf2:sha1:1000$s$h", "pbkdf2_sha256$x$s$h"] {
            assert_eq!(check_legacy("secret", encoded), None, "{encoded}");
        }
    }
}
