//! Password hashing: PBKDF2-SHA256, stored as PHC strings.

use std::sync::atomic::{AtomicU32, Ordering};

use password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use pbkdf2::{Algorithm, Params, Pbkdf2};
use rand_core::OsRng;

/// The iteration count for new hashes: OWASP's recommendation for
/// PBKDF2-HMAC-SHA256.
pub const DEFAULT_ITERATIONS: u32 = 600_000;

/// A much cheaper count for test suites and seeding throwaway data. Never
/// use it for real accounts.
pub const TEST_ITERATIONS: u32 = 1_000;

static ITERATIONS: AtomicU32 = AtomicU32::new(DEFAULT_ITERATIONS);

/// Sets the iteration count [`make_password`] uses from now on, for the
/// whole process. Test suites and seeding tools lower it to
/// [`TEST_ITERATIONS`]; servers leave it at [`DEFAULT_ITERATIONS`].
pub fn set_password_iterations(iterations: u32) {
    ITERATIONS.store(iterations.max(1), Ordering::Relaxed);
}

/// The iteration count [`make_password`] uses.
pub fn password_iterations() -> u32 {
    ITERATIONS.load(Ordering::Relaxed)
}

/// Hashes `raw` with a fresh random salt, as
/// `$pbkdf2-sha256$i=600000,l=32$<salt>$<hash>`.
///
/// ```
/// use hangar::utils::{check_password, make_password};
/// # hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
/// let stored = make_password("correct horse");
/// assert!(stored.starts_with("$pbkdf2-sha256$"));
/// assert!(check_password("correct horse", &stored));
/// assert!(!check_password("Correct horse", &stored));
/// ```
pub fn make_password(raw: &str) -> String {
    make_password_with(raw, password_iterations())
}

/// Hashes `raw` with `iterations` rounds.
pub fn make_password_with(raw: &str, iterations: u32) -> String {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params { rounds: iterations.max(1), output_length: 32 };
    match Pbkdf2.hash_password_customized(raw.as_bytes(), Some(Algorithm::Pbkdf2Sha256.ident()), None, params, &salt) {
        Ok(hash) => hash.to_string(),
        // Only reachable with invalid parameters, which the ones above are not.
        Err(e) => unreachable_hash_error(&e),
    }
}

#[cold]
fn unreachable_hash_error(e: &password_hash::Error) -> String {
    log::error!("hashing a password failed: {e}");
    String::from("!")
}

/// Whether `raw` matches the stored hash `encoded`, compared in constant
/// time. New hashes are PBKDF2-SHA256 PHC strings; for users moving from
/// flask-peewee or Django, werkzeug's `pbkdf2:sha256:<n>$salt$hex` and
/// `scrypt:<n>:<r>:<p>$salt$hex` and Django's `pbkdf2_sha256$<n>$salt$b64`
/// verify too (and [`password_needs_rehash`] says to replace them). A
/// malformed or unknown hash never matches.
pub fn check_password(raw: &str, encoded: &str) -> bool {
    match PasswordHash::new(encoded) {
        Ok(hash) => Pbkdf2.verify_password(raw.as_bytes(), &hash).is_ok(),
        Err(_) => super::legacy_hash::check_legacy(raw, encoded).unwrap_or(false),
    }
}

/// Whether `encoded` should be replaced by a fresh hash: it is not
/// PBKDF2-SHA256, or uses fewer iterations than [`password_iterations`].
pub fn password_needs_rehash(encoded: &str) -> bool {
    let Ok(hash) = PasswordHash::new(encoded) else {
        return true;
    };
    if hash.algorithm != Algorithm::Pbkdf2Sha256.ident() {
        return true;
    }
    Params::try_from(&hash).map_or(true, |p| p.rounds < password_iterations())
}

/// The beginnings of the password hashes hangar stores or verifies:
/// its own PHC strings (`$pbkdf2-sha256$`), werkzeug's `pbkdf2:` and
/// `scrypt:`, and Django's `pbkdf2_sha256$` and old `sha1$`. (flask-peewee's
/// `salt$hex` has no prefix to look for.)
pub const PASSWORD_HASH_PREFIXES: [&str; 5] = ["$pbkdf2", "pbkdf2:", "scrypt:", "sha1$", "pbkdf2_sha256$"];

/// The first of [`PASSWORD_HASH_PREFIXES`] that `text` contains, if any:
/// for a test or a monitor that checks no answer ever shows a stored hash.
///
/// ```
/// use hangar::utils::{find_password_hash, make_password_with, TEST_ITERATIONS};
/// let page = format!("<td>{}</td>", make_password_with("secret", TEST_ITERATIONS));
/// assert_eq!(find_password_hash(&page), Some("$pbkdf2"));
/// assert_eq!(find_password_hash("<td>ada</td>"), None);
/// ```
pub fn find_password_hash(text: &str) -> Option<&'static str> {
    PASSWORD_HASH_PREFIXES.into_iter().find(|prefix| text.contains(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_and_exact() {
        let a = make_password_with("secret", TEST_ITERATIONS);
        let b = make_password_with("secret", TEST_ITERATIONS);
        assert_ne!(a, b, "each hash has its own salt");
        assert!(check_password("secret", &a) && check_password("secret", &b));
        for wrong in ["", "secret ", "Secret", "secre"] {
            assert!(!check_password(wrong, &a), "{wrong:?}");
        }
        assert!(!check_password("secret", "not a hash"));
        assert!(!check_password("", ""));
    }

    #[test]
    fn legacy_hashes_verify_and_need_a_rehash() {
        use super::super::legacy_hash::tests::{DJANGO, FLASK_PEEWEE_SHA1, WERKZEUG_PBKDF2, WERKZEUG_SCRYPT};
        for legacy in [WERKZEUG_PBKDF2, WERKZEUG_SCRYPT, DJANGO, FLASK_PEEWEE_SHA1] {
            assert!(check_password("secret", legacy), "{legacy}");
            assert!(!check_password("wrong", legacy), "{legacy}");
            assert!(password_needs_rehash(legacy), "{legacy}");
        }
    }

    #[test]
    fn the_iteration_count_is_recorded_and_checked() {
        let cheap = make_password_with("x", TEST_ITERATIONS);
        assert!(cheap.starts_with("$pbkdf2-sha256$i=1000,l=32$"), "{cheap}");
        assert!(password_needs_rehash(&cheap) == (password_iterations() > TEST_ITERATIONS));
        assert!(password_needs_rehash("pbkdf2:sha256:1$abc$def"));
    }

    #[test]
    fn every_stored_or_legacy_hash_is_found_in_a_text() {
        use super::super::legacy_hash::tests::{DJANGO, WERKZEUG_PBKDF2, WERKZEUG_SCRYPT};
        let fresh = make_password_with("secret", TEST_ITERATIONS);
        let django_sha1 = "sha1$saltsalt$36525a74f9a9b8e8cd8bfdf7ec660fb46c6b93aa";
        for hash in [fresh.as_str(), WERKZEUG_PBKDF2, WERKZEUG_SCRYPT, DJANGO, django_sha1] {
            let body = format!("{{\"objects\": [{{\"password\": \"{hash}\"}}]}}");
            assert!(find_password_hash(&body).is_some(), "{hash}");
        }
        assert_eq!(find_password_hash("password: hidden, sha1 and scrypt are names"), None);
    }
}
