//! Counting failed logins, per username and per client address, so that
//! guessing passwords is slow: for the login form and HTTP Basic alike.
//!
//! An attempt takes one of its username's slots *before* its password is
//! checked, and is refused once the username has used up the window's
//! slots, or its client address has as many failures. A success gives the
//! username's slots back; a failure also counts against the address. Since
//! the username's slot is taken first, concurrent guesses at one user
//! cannot run more checks than the limit, however many instances they are
//! spread over. The address's failures are counted after the check, so
//! that users logging in at once from one address (an office behind NAT)
//! do not take each other's slots.
//!
//! The counts live in the database by default ([`table`]), where every
//! instance of the app sees them; [`memory`] keeps them in this process,
//! for an app that runs as one.

mod memory;
mod table;

use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel_migrations::embed_migrations;

use crate::db::{Database, Migrations};
use crate::Error;

/// The `hangar_login_throttle` table, where the login throttle keeps its
/// counts, on every backend. [`MIGRATIONS`](super::MIGRATIONS) runs it
/// before the `users` table; an app with a user model of its own runs it
/// too: `Migrations::new().after(&hangar::auth::THROTTLE_MIGRATIONS)`.
pub const THROTTLE_MIGRATIONS: Migrations = Migrations::new()
    .sqlite(embed_migrations!("migrations/throttle/sqlite"))
    .postgres(embed_migrations!("migrations/throttle/postgres"))
    .mysql(embed_migrations!("migrations/throttle/mysql"));

/// Where the login throttle keeps its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ThrottleStore {
    /// In the `hangar_login_throttle` table ([`THROTTLE_MIGRATIONS`]):
    /// every instance of the app counts the same failures. The default.
    #[default]
    Database,
    /// In this process's memory, at most
    /// [`capacity`](ThrottleConfig::capacity) keys: for an app that runs as
    /// one process, or has no table for the counts.
    Memory,
}

/// How many failed logins are allowed in a window before the login answers
/// 429, and where they are counted.
///
/// The default is 10 failures in 15 minutes, counted in the database. In
/// memory, at most 10,000 keys are tracked, so memory stays bounded however
/// many names an attacker tries: when the table is full, expired entries go
/// first, then the oldest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Failures allowed per window; the next attempt is refused.
    pub limit: u32,
    /// How long failures are remembered, from the window's first.
    pub window: Duration,
    /// The most usernames and addresses tracked at once in memory.
    pub capacity: usize,
    /// Where the counts are kept.
    pub store: ThrottleStore,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            limit: 10,
            window: Duration::from_secs(15 * 60),
            capacity: 10_000,
            store: ThrottleStore::Database,
        }
    }
}

/// The longest username a key holds; longer ones share the key of their
/// first characters, so a key's size stays bounded too.
const KEY_CHARS: usize = 150;

/// How often, at most, one process deletes the table's expired windows.
const PRUNE_EVERY_MS: i64 = 60_000;

/// The key of `username`: case-blind, bounded, and storable on every
/// backend (PostgreSQL's text takes no NUL).
fn user_key(username: &str) -> String {
    let name: String = username.chars().take(KEY_CHARS).map(|c| if c == '\0' { '\u{FFFD}' } else { c }).collect();
    format!("user:{}", name.to_lowercase())
}

fn client_key(client: IpAddr) -> String {
    format!("ip:{client}")
}

/// Now, in Unix milliseconds: the table's clock, shared by instances.
fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// What one key's count says about one more attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// A slot was taken.
    Taken,
    /// The window's slots are used up; it ends at this instant (Unix ms).
    Full { window_ends: i64 },
}

/// The throttle of an app that takes HTTP Basic in its REST API without
/// mounting [`Auth`](super::Auth): the defaults, counted in the app's
/// memory, since without `Auth` nothing says the table is there.
/// `RestApi::mount` manages one per app.
#[derive(Debug)]
pub(crate) struct Unmounted(pub(crate) Arc<LoginThrottle>);

impl Unmounted {
    pub(crate) fn new() -> Self {
        let config = ThrottleConfig { store: ThrottleStore::Memory, ..ThrottleConfig::default() };
        Unmounted(Arc::new(LoginThrottle::new(config)))
    }
}

/// Whether a login attempt may check its password.
#[derive(Debug)]
#[must_use]
pub(crate) enum Attempt {
    /// It may: the username's slot was taken for it; report how the check
    /// went with [`LoginThrottle::succeeded`] or [`LoginThrottle::failed`].
    Go(Reservation),
    /// It may not, for this long.
    Wait(Duration),
}

/// The username's slot an attempt took, and the address it came from.
#[derive(Debug)]
pub(crate) struct Reservation {
    user: String,
    client: Option<String>,
}

/// The failed-login counter; see [`ThrottleConfig`].
#[derive(Debug)]
pub(crate) struct LoginThrottle {
    config: ThrottleConfig,
    memory: memory::Counts,
    /// When this process last deleted the table's expired windows.
    pruned_at: AtomicI64,
}

impl LoginThrottle {
    pub(crate) fn new(config: ThrottleConfig) -> Self {
        LoginThrottle { config, memory: memory::Counts::new(config.capacity), pruned_at: AtomicI64::new(0) }
    }

    fn window_ms(&self) -> i64 {
        i64::try_from(self.config.window.as_millis()).unwrap_or(i64::MAX)
    }

    /// Takes a slot for a login as `username` from `client`, or says how
    /// long to wait when either has used up its failures.
    pub(crate) async fn attempt(
        &self,
        db: &Database,
        username: &str,
        client: Option<IpAddr>,
    ) -> Result<Attempt, Error> {
        let now = now_ms();
        let user = user_key(username);
        let client = client.map(client_key);
        let (limit, window) = (self.config.limit, self.window_ms());
        match self.config.store {
            ThrottleStore::Memory => Ok(self.memory.attempt(&user, client.as_deref(), limit, window, now)),
            ThrottleStore::Database => {
                let prune = self.prune_due(now);
                db.run_write(move |conn| {
                    if prune {
                        table::prune(conn, now.saturating_sub(window))?;
                    }
                    table::attempt(conn, user, client, limit, window, now)
                })
                .await
            }
        }
        .map(|(slot, reservation)| match slot {
            Slot::Taken => Attempt::Go(reservation),
            Slot::Full { window_ends } => Attempt::Wait(wait_until(window_ends, now)),
        })
    }

    /// Gives back the slots of an attempt whose password was right: the
    /// username's failures are forgotten. The address's stay: one good
    /// password does not buy more guesses at others.
    pub(crate) async fn succeeded(&self, db: &Database, reservation: Reservation) -> Result<(), Error> {
        match self.config.store {
            ThrottleStore::Memory => {
                self.memory.succeeded(&reservation);
                Ok(())
            }
            ThrottleStore::Database => db.run_write(move |conn| table::succeeded(conn, &reservation)).await,
        }
    }

    /// Counts the failure of an attempt whose password was wrong against
    /// its address too; the username's slot stays taken.
    pub(crate) async fn failed(&self, db: &Database, reservation: Reservation) -> Result<(), Error> {
        let Some(client) = reservation.client else {
            return Ok(());
        };
        let (window, now) = (self.window_ms(), now_ms());
        match self.config.store {
            ThrottleStore::Memory => {
                self.memory.failed(&client, window, now);
                Ok(())
            }
            ThrottleStore::Database => db.run_write(move |conn| table::failed(conn, &client, window, now)).await,
        }
    }

    /// Whether this process should delete expired windows now; at most
    /// once a minute, whichever request comes first.
    fn prune_due(&self, now: i64) -> bool {
        let last = self.pruned_at.load(Ordering::Relaxed);
        now.saturating_sub(last) >= PRUNE_EVERY_MS
            && self.pruned_at.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
    }

    /// Whether the database has the table, for a store that needs it: a
    /// clear error at launch instead of a failed login later.
    pub(crate) fn check_table(&self, db: &Database) -> Result<(), String> {
        if self.config.store != ThrottleStore::Database {
            return Ok(());
        }
        let mut conn = db.get().map_err(|e| e.to_string())?;
        table::exists(&mut conn).map_err(|e| {
            format!(
                "the login throttle keeps its counts in the table `hangar_login_throttle`, which the database \
                 lacks ({e}): run `hangar::auth::THROTTLE_MIGRATIONS` (`hangar::auth::MIGRATIONS` includes \
                 them), or count in this process with `Auth::throttle_in_memory()`"
            )
        })
    }
}

/// How long from `now` until `ends`, both Unix ms; at least a second.
fn wait_until(ends: i64, now: i64) -> Duration {
    let ms = u64::try_from(ends.saturating_sub(now)).unwrap_or(0);
    Duration::from_millis(ms).max(Duration::from_secs(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_blind_and_bounded() {
        assert_eq!(user_key("Ada"), user_key("ADA"));
        assert!(user_key(&"a".repeat(10_000)).chars().count() <= KEY_CHARS + 5);
        assert_eq!(user_key(&"a".repeat(10_000)), user_key(&"a".repeat(KEY_CHARS + 1)));
        assert_eq!(client_key(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)), "ip:127.0.0.1");
        assert_eq!(user_key("a\0b"), "user:a\u{FFFD}b", "no NUL reaches the database");
    }

    #[test]
    fn the_wait_is_at_least_a_second() {
        assert_eq!(wait_until(10_000, 4_000), Duration::from_secs(6));
        assert_eq!(wait_until(10_000, 9_999), Duration::from_secs(1));
        assert_eq!(wait_until(10_000, 20_000), Duration::from_secs(1));
    }

    #[test]
    fn one_process_prunes_at_most_once_a_minute() {
        let throttle = LoginThrottle::new(ThrottleConfig::default());
        assert!(throttle.prune_due(PRUNE_EVERY_MS));
        assert!(!throttle.prune_due(PRUNE_EVERY_MS + 1_000));
        assert!(throttle.prune_due(2 * PRUNE_EVERY_MS));
    }
}
