//! The counts in this process's memory: [`ThrottleStore::Memory`](super::ThrottleStore::Memory).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::{Reservation, Slot};

/// One key's failures in its current window.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// When the window began, Unix ms.
    since: i64,
    count: u32,
}

/// The table of counts, bounded to `capacity` keys.
#[derive(Debug)]
pub(super) struct Counts {
    capacity: usize,
    windows: Mutex<HashMap<String, Window>>,
}

impl Counts {
    pub(super) fn new(capacity: usize) -> Self {
        Counts { capacity: capacity.max(2), windows: Mutex::new(HashMap::new()) }
    }

    /// Takes a slot of `user`'s, unless `client` has used up its failures;
    /// then the user's is given back.
    pub(super) fn attempt(
        &self,
        user: &str,
        client: Option<&str>,
        limit: u32,
        window: i64,
        now: i64,
    ) -> (Slot, Reservation) {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        let reservation = Reservation { user: user.to_owned(), client: client.map(str::to_owned) };
        let slot = self.take(&mut windows, user, limit, window, now);
        if slot != Slot::Taken {
            return (slot, reservation);
        }
        let client_full = client
            .and_then(|c| windows.get(c))
            .filter(|w| now.saturating_sub(w.since) < window && w.count >= limit)
            .map(|w| Slot::Full { window_ends: w.since.saturating_add(window) });
        if let Some(full) = client_full {
            give_back(&mut windows, user);
            return (full, reservation);
        }
        (Slot::Taken, reservation)
    }

    /// Forgets the user's failures.
    pub(super) fn succeeded(&self, reservation: &Reservation) {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        windows.remove(&reservation.user);
    }

    /// Counts a failure against `client`.
    pub(super) fn failed(&self, client: &str, window: i64, now: i64) {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = self.take(&mut windows, client, u32::MAX, window, now);
    }

    fn take(&self, windows: &mut HashMap<String, Window>, key: &str, limit: u32, window: i64, now: i64) -> Slot {
        if let Some(current) = windows.get_mut(key).filter(|w| now.saturating_sub(w.since) < window) {
            if current.count < limit {
                current.count += 1;
                return Slot::Taken;
            }
            return Slot::Full { window_ends: current.since.saturating_add(window) };
        }
        if limit == 0 {
            return Slot::Full { window_ends: now.saturating_add(window) };
        }
        if !windows.contains_key(key) && windows.len() >= self.capacity {
            make_room(windows, self.capacity, window, now);
        }
        windows.insert(key.to_owned(), Window { since: now, count: 1 });
        Slot::Taken
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.windows.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

fn give_back(windows: &mut HashMap<String, Window>, key: &str) {
    if let Some(window) = windows.get_mut(key) {
        window.count = window.count.saturating_sub(1);
    }
}

/// Drops expired windows, then the oldest, until a new key fits.
fn make_room(windows: &mut HashMap<String, Window>, capacity: usize, window: i64, now: i64) {
    windows.retain(|_, w| now.saturating_sub(w.since) < window);
    while windows.len() >= capacity {
        let Some(oldest) = windows.iter().min_by_key(|(_, w)| w.since).map(|(k, _)| k.clone()) else {
            return;
        };
        windows.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: i64 = 60_000;

    fn go(counts: &Counts, user: &str, client: Option<&str>, limit: u32, now: i64) -> Slot {
        counts.attempt(user, client, limit, WINDOW, now).0
    }

    #[test]
    fn the_limit_applies_per_user_and_the_window_passes() {
        let counts = Counts::new(100);
        for _ in 0..3 {
            assert_eq!(go(&counts, "user:ada", None, 3, 0), Slot::Taken);
        }
        assert_eq!(go(&counts, "user:ada", None, 3, 10_000), Slot::Full { window_ends: WINDOW });
        assert_eq!(go(&counts, "user:bob", None, 3, 10_000), Slot::Taken, "other users are not affected");
        assert_eq!(go(&counts, "user:ada", None, 3, WINDOW), Slot::Taken, "a new window");
    }

    /// An attempt that fails, as the login does when the password is wrong.
    fn fail(counts: &Counts, user: &str, client: Option<&str>, limit: u32, now: i64) -> Slot {
        let (slot, reservation) = counts.attempt(user, client, limit, WINDOW, now);
        if slot == Slot::Taken {
            if let Some(client) = &reservation.client {
                counts.failed(client, WINDOW, now);
            }
        }
        slot
    }

    #[test]
    fn the_limit_applies_per_client_across_users_and_gives_the_user_back() {
        let counts = Counts::new(100);
        assert_eq!(fail(&counts, "user:a", Some("ip:1"), 2, 0), Slot::Taken);
        assert_eq!(fail(&counts, "user:b", Some("ip:1"), 2, 0), Slot::Taken);
        assert!(matches!(fail(&counts, "user:c", Some("ip:1"), 2, 0), Slot::Full { .. }));
        // c's own slot was given back: from elsewhere, c still has two.
        assert_eq!(go(&counts, "user:c", None, 2, 0), Slot::Taken);
        assert_eq!(go(&counts, "user:c", None, 2, 0), Slot::Taken);
        assert!(matches!(go(&counts, "user:c", None, 2, 0), Slot::Full { .. }));
    }

    #[test]
    fn attempts_in_flight_from_one_address_do_not_take_its_slots() {
        let counts = Counts::new(100);
        // Ten users log in at once from one address: none has failed.
        for i in 0..10 {
            assert_eq!(go(&counts, &format!("user:{i}"), Some("ip:office"), 1, 0), Slot::Taken);
        }
    }

    #[test]
    fn a_success_forgets_the_user_and_keeps_the_clients_failures() {
        let counts = Counts::new(100);
        assert_eq!(fail(&counts, "user:ada", Some("ip:1"), 2, 0), Slot::Taken);
        let (slot, reservation) = counts.attempt("user:ada", Some("ip:1"), 2, WINDOW, 0);
        assert_eq!(slot, Slot::Taken);
        counts.succeeded(&reservation);
        // The user starts again; the address keeps its one failure.
        assert_eq!(go(&counts, "user:ada", None, 2, 0), Slot::Taken);
        assert_eq!(go(&counts, "user:ada", None, 2, 0), Slot::Taken);
        assert_eq!(fail(&counts, "user:zed", Some("ip:1"), 2, 0), Slot::Taken);
        assert!(matches!(fail(&counts, "user:zoe", Some("ip:1"), 2, 0), Slot::Full { .. }));
    }

    #[test]
    fn a_limit_of_zero_refuses_every_attempt() {
        let counts = Counts::new(100);
        assert_eq!(go(&counts, "user:ada", None, 0, 5), Slot::Full { window_ends: 5 + WINDOW });
    }

    #[test]
    fn memory_stays_bounded_and_keeps_the_newest() {
        let counts = Counts::new(50);
        for i in 0..1_000 {
            let _ = go(&counts, &format!("user:{i}"), None, 1, i);
        }
        assert_eq!(counts.tracked(), 50);
        assert!(matches!(go(&counts, "user:999", None, 1, 1_000), Slot::Full { .. }), "the newest are kept");
    }
}
