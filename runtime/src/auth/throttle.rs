//! Counting failed logins, per username and per client address, so that
//! guessing passwords is slow.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many failed logins are allowed in a window before the login answers
/// 429, and how many usernames and addresses are tracked at most.
///
/// The default is 10 failures in 15 minutes, tracking 10,000 keys: memory
/// stays bounded however many names an attacker tries. When the table is
/// full, expired entries go first, then the oldest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Failures allowed per window; the next attempt is refused.
    pub limit: u32,
    /// How long failures are remembered.
    pub window: Duration,
    /// The most usernames and addresses tracked at once.
    pub capacity: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig { limit: 10, window: Duration::from_secs(15 * 60), capacity: 10_000 }
    }
}

/// Failures in the current window of one key.
#[derive(Debug, Clone, Copy)]
struct Failures {
    since: Instant,
    count: u32,
}

/// The failed-login counter; see [`ThrottleConfig`].
#[derive(Debug)]
pub(crate) struct LoginThrottle {
    config: ThrottleConfig,
    failures: Mutex<HashMap<String, Failures>>,
}

/// The longest username a key holds; longer ones share the key of their
/// first characters, so a key's size stays bounded too.
const KEY_CHARS: usize = 150;

fn user_key(username: &str) -> String {
    let name: String = username.chars().take(KEY_CHARS).collect();
    format!("user:{}", name.to_lowercase())
}

fn keys(username: &str, client: Option<IpAddr>) -> [Option<String>; 2] {
    [Some(user_key(username)), client.map(|ip| format!("ip:{ip}"))]
}

impl LoginThrottle {
    pub(crate) fn new(config: ThrottleConfig) -> Self {
        LoginThrottle { config, failures: Mutex::new(HashMap::new()) }
    }

    /// How long to wait before trying again, when `username` or `client`
    /// has used up its failures; `None` when the attempt may go ahead.
    pub(crate) fn retry_after(&self, username: &str, client: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        keys(username, client)
            .iter()
            .flatten()
            .filter_map(|key| failures.get(key))
            .filter(|f| f.count >= self.config.limit)
            .filter_map(|f| (f.since + self.config.window).checked_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max()
    }

    /// Counts a failed login against `username` and `client`.
    pub(crate) fn record_failure(&self, username: &str, client: Option<IpAddr>, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        for key in keys(username, client).into_iter().flatten() {
            if !failures.contains_key(&key) && failures.len() >= self.config.capacity {
                self.make_room(&mut failures, now);
            }
            let entry = failures.entry(key).or_insert(Failures { since: now, count: 0 });
            if now.duration_since(entry.since) >= self.config.window {
                *entry = Failures { since: now, count: 0 };
            }
            entry.count = entry.count.saturating_add(1);
        }
    }

    /// Forgets the failures of `username`, after it logged in. The client's
    /// count stays: one good password does not buy more guesses at others.
    pub(crate) fn record_success(&self, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        failures.remove(&user_key(username));
    }

    fn make_room(&self, failures: &mut HashMap<String, Failures>, now: Instant) {
        let window = self.config.window;
        failures.retain(|_, f| now.duration_since(f.since) < window);
        if failures.len() >= self.config.capacity {
            if let Some(oldest) = failures.iter().min_by_key(|(_, f)| f.since).map(|(k, _)| k.clone()) {
                failures.remove(&oldest);
            }
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.failures.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    fn throttle(limit: u32, capacity: usize) -> LoginThrottle {
        LoginThrottle::new(ThrottleConfig { limit, window: Duration::from_secs(60), capacity })
    }

    #[test]
    fn the_limit_applies_per_username_whatever_its_case() {
        let t = throttle(3, 100);
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(t.retry_after("ada", None, now), None);
            t.record_failure("Ada", None, now);
        }
        let wait = t.retry_after("ADA", None, now + Duration::from_secs(10)).expect("throttled");
        assert_eq!(wait, Duration::from_secs(50));
        assert_eq!(t.retry_after("bob", None, now), None, "other usernames are not affected");
        assert_eq!(t.retry_after("ada", None, now + Duration::from_secs(60)), None, "the window passes");
    }

    #[test]
    fn the_limit_applies_per_client_across_usernames() {
        let t = throttle(2, 100);
        let now = Instant::now();
        t.record_failure("a", IP, now);
        t.record_failure("b", IP, now);
        assert!(t.retry_after("c", IP, now).is_some(), "a third name from the same address");
        assert!(t.retry_after("c", None, now).is_none());
    }

    #[test]
    fn a_success_clears_the_username_but_not_the_client() {
        let t = throttle(1, 100);
        let now = Instant::now();
        t.record_failure("ada", IP, now);
        t.record_success("ada");
        assert!(t.retry_after("ada", None, now).is_none());
        assert!(t.retry_after("ada", IP, now).is_some());
    }

    #[test]
    fn long_usernames_share_a_bounded_key() {
        let t = throttle(1, 100);
        let now = Instant::now();
        t.record_failure(&"a".repeat(10_000), None, now);
        assert!(t.retry_after(&"a".repeat(KEY_CHARS + 1), None, now).is_some());
        assert!(user_key(&"a".repeat(10_000)).len() <= KEY_CHARS + 5);
    }

    #[test]
    fn memory_stays_bounded() {
        let t = throttle(1, 50);
        let now = Instant::now();
        for i in 0..1_000 {
            t.record_failure(&format!("user{i}"), None, now + Duration::from_millis(i));
        }
        assert_eq!(t.tracked(), 50);
        assert!(t.retry_after("user999", None, now + Duration::from_secs(1)).is_some(), "the newest are kept");
    }
}
