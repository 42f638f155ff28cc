//! Remembering verified Basic credentials, so that PBKDF2 does not run on
//! every request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

type Fingerprint = [u8; 32];

struct Entry {
    /// A digest of the password hash the credentials were checked against:
    /// when the stored hash changes, the entry no longer matches.
    hash: Fingerprint,
    expires: Instant,
}

/// A bounded, in-memory cache of credentials that passed a password check.
///
/// Entries are keyed by an HMAC-SHA256 of the username and password under a
/// random per-process key, so the cache holds no password and no usable
/// hash. An entry matches only while the user's stored password hash is the
/// one it was verified against, and only for its time to live. A wrong
/// password is never stored.
pub struct CredentialCache {
    key: [u8; 32],
    entries: Mutex<HashMap<Fingerprint, Entry>>,
    /// One lock per credentials being checked, so that concurrent requests
    /// with the same credentials run PBKDF2 once between them.
    checking: Mutex<HashMap<Fingerprint, Arc<rocket::tokio::sync::Mutex<()>>>>,
    ttl: Duration,
    capacity: usize,
    disabled: bool,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// How often the cache saved a password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Requests answered from the cache.
    pub hits: u64,
    /// Requests that ran the password check.
    pub misses: u64,
}

impl CredentialCache {
    /// A cache of at most `capacity` entries, each valid for `ttl`.
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        CredentialCache {
            key,
            entries: Mutex::new(HashMap::new()),
            checking: Mutex::new(HashMap::new()),
            ttl,
            capacity: capacity.max(1),
            disabled: false,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn fingerprint(&self, username: &str, password: &str) -> Fingerprint {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.key) else {
            return [0; 32];
        };
        // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        mac.update(&(username.len() as u64).to_be_bytes());
        mac.update(username.as_bytes());
        mac.update(password.as_bytes());
        mac.finalize().into_bytes().into()
    }

    fn hash_digest(stored_hash: &str) -> Fingerprint {
        Sha256::digest(stored_hash.as_bytes()).into()
    }

    /// No cache at all: every request runs PBKDF2, each on its own. For
    /// measuring what the cache saves.
    pub fn disabled() -> Self {
        CredentialCache { disabled: true, ..CredentialCache::new(1, Duration::ZERO) }
    }

    /// Whether `username` and `password` were verified against
    /// `stored_hash` within the time to live.
    pub fn verified(&self, username: &str, password: &str, stored_hash: &str) -> bool {
        let key = self.fingerprint(username, password);
        let hit = self.peek(&key, stored_hash);
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        hit
    }

    /// Records that `username` and `password` match `stored_hash`.
    pub fn remember(&self, username: &str, password: &str, stored_hash: &str) {
        let key = self.fingerprint(username, password);
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let now = Instant::now();
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, e| e.expires > now);
            if entries.len() >= self.capacity {
                let oldest = entries.iter().min_by_key(|(_, e)| e.expires).map(|(k, _)| *k);
                if let Some(oldest) = oldest {
                    entries.remove(&oldest);
                }
            }
        }
        entries.insert(key, Entry { hash: Self::hash_digest(stored_hash), expires: now + self.ttl });
    }

    /// Whether `username` and `password` match `stored_hash`: from the cache,
    /// or by running `check` (PBKDF2) and remembering a success. Concurrent
    /// calls with the same credentials wait for one check instead of each
    /// running their own.
    pub async fn verify<F>(&self, username: &str, password: &str, stored_hash: &str, check: F) -> bool
    where
        F: std::future::Future<Output = bool>,
    {
        if self.disabled {
            return check.await;
        }
        if self.verified(username, password, stored_hash) {
            return true;
        }
        let key = self.fingerprint(username, password);
        let lock = match self.checking.lock() {
            Ok(mut checking) => checking.entry(key).or_default().clone(),
            Err(_) => Arc::default(),
        };
        let turn = lock.lock().await;
        // Another request may have checked the same credentials meanwhile.
        let ok = self.peek(&key, stored_hash) || {
            let ok = check.await;
            if ok {
                self.remember(username, password, stored_hash);
            }
            ok
        };
        drop(turn);
        if let Ok(mut checking) = self.checking.lock() {
            if Arc::strong_count(&lock) <= 2 {
                checking.remove(&key);
            }
        }
        ok
    }

    fn peek(&self, key: &Fingerprint, stored_hash: &str) -> bool {
        self.entries.lock().is_ok_and(|entries| {
            entries.get(key).is_some_and(|e| e.expires > Instant::now() && e.hash == Self::hash_digest(stored_hash))
        })
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed) }
    }
}

impl Default for CredentialCache {
    /// 10,000 entries of five minutes.
    fn default() -> Self {
        CredentialCache::new(10_000, Duration::from_secs(300))
    }
}

impl std::fmt::Debug for CredentialCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialCache").field("entries", &self.len()).field("ttl", &self.ttl).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_credential_matches_only_its_hash_and_password() {
        let cache = CredentialCache::new(10, Duration::from_secs(60));
        cache.remember("alice", "pw", "$hash1");
        assert!(cache.verified("alice", "pw", "$hash1"));
        assert!(!cache.verified("alice", "pw", "$hash2"), "a changed password hash invalidates");
        assert!(!cache.verified("alice", "wrong", "$hash1"));
        assert!(!cache.verified("alicep", "w", "$hash1"), "the username and password are kept apart");
        assert_eq!(cache.stats(), CacheStats { hits: 1, misses: 3 });
    }

    #[rocket::async_test]
    async fn concurrent_checks_of_the_same_credentials_run_once() {
        let cache = Arc::new(CredentialCache::new(10, Duration::from_secs(60)));
        let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let checks = (0..8).map(|_| {
            let (cache, runs) = (cache.clone(), runs.clone());
            rocket::tokio::spawn(async move {
                let check = async {
                    runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    rocket::tokio::time::sleep(Duration::from_millis(20)).await;
                    true
                };
                cache.verify("bob", "pw", "$h", check).await
            })
        });
        for check in checks.collect::<Vec<_>>() {
            assert!(check.await.unwrap_or(false));
        }
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
        let wrong = cache.verify("bob", "nope", "$h", async { false }).await;
        assert!(!wrong && cache.len() == 1, "a failed check is not remembered");
    }

    #[test]
    fn entries_expire_and_the_cache_stays_bounded() {
        let cache = CredentialCache::new(3, Duration::from_millis(0));
        cache.remember("a", "pw", "$h");
        assert!(!cache.verified("a", "pw", "$h"), "a zero time to live never hits");
        let cache = CredentialCache::new(3, Duration::from_secs(60));
        for i in 0..10 {
            cache.remember(&format!("user{i}"), "pw", "$h");
        }
        assert_eq!(cache.len(), 3);
        assert!(cache.verified("user9", "pw", "$h"), "the newest entry stays");
    }
}
