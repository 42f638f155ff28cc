//! The counts in the `hangar_login_throttle` table, where every instance
//! sees them: [`ThrottleStore::Database`](super::ThrottleStore::Database).
//!
//! Each step is one statement that changes a row only when its condition
//! still holds, so instances racing on one key never take more slots than
//! the limit: the database serializes the updates of a row, and a step
//! that loses the race changes nothing and tells so by its row count.

use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{OptionalExtension, QueryableByName, RunQueryDsl};

use super::{Reservation, Slot};
use crate::db::{AnyConnection, Dialect};
use crate::Error;

/// The statement `text`, written with `?` placeholders, in the backend's
/// own: PostgreSQL numbers them.
fn statement(conn: &AnyConnection, text: &str) -> String {
    in_dialect(conn.dialect(), text)
}

fn in_dialect(dialect: Dialect, text: &str) -> String {
    if dialect != Dialect::Postgres {
        return text.to_owned();
    }
    let mut numbered = String::with_capacity(text.len() + 8);
    let mut n = 0;
    for c in text.chars() {
        if c == '?' {
            n += 1;
            numbered.push_str(&format!("${n}"));
        } else {
            numbered.push(c);
        }
    }
    numbered
}

#[derive(QueryableByName)]
struct WindowStart {
    #[diesel(sql_type = BigInt)]
    window_start: i64,
}

#[derive(QueryableByName)]
struct Window {
    #[diesel(sql_type = BigInt)]
    window_start: i64,
    #[diesel(sql_type = Integer)]
    failures: i32,
}

/// Takes a slot of `user`'s, unless `client` has used up its failures;
/// then the user's is given back.
pub(super) fn attempt(
    conn: &mut AnyConnection,
    user: String,
    client: Option<String>,
    limit: u32,
    window: i64,
    now: i64,
) -> Result<(Slot, Reservation), Error> {
    let slot = take(conn, &user, limit, window, now)?;
    let reservation = Reservation { user, client };
    if slot != Slot::Taken {
        return Ok((slot, reservation));
    }
    if let Some(client) = &reservation.client {
        let read = statement(conn, "SELECT window_start, failures FROM hangar_login_throttle WHERE throttle_key = ?");
        let current = diesel::sql_query(read).bind::<Text, _>(client).get_result::<Window>(conn).optional()?;
        let limit = i64::from(limit);
        let expired = now.saturating_sub(window);
        if let Some(w) = current.filter(|w| w.window_start > expired && i64::from(w.failures) >= limit) {
            give_back(conn, &reservation.user)?;
            return Ok((Slot::Full { window_ends: w.window_start.saturating_add(window) }, reservation));
        }
    }
    Ok((Slot::Taken, reservation))
}

/// Forgets the user's failures.
pub(super) fn succeeded(conn: &mut AnyConnection, reservation: &Reservation) -> Result<(), Error> {
    let forget = statement(conn, "DELETE FROM hangar_login_throttle WHERE throttle_key = ?");
    diesel::sql_query(forget).bind::<Text, _>(&reservation.user).execute(conn)?;
    Ok(())
}

/// Counts a failure against `client`.
pub(super) fn failed(conn: &mut AnyConnection, client: &str, window: i64, now: i64) -> Result<(), Error> {
    take(conn, client, u32::MAX, window, now).map(drop)
}

/// Deletes the windows that ended at or before `expired`.
pub(super) fn prune(conn: &mut AnyConnection, expired: i64) -> Result<(), Error> {
    let prune = statement(conn, "DELETE FROM hangar_login_throttle WHERE window_start <= ?");
    diesel::sql_query(prune).bind::<BigInt, _>(expired).execute(conn)?;
    Ok(())
}

/// Whether the table is there.
pub(super) fn exists(conn: &mut AnyConnection) -> Result<(), Error> {
    diesel::sql_query("SELECT window_start FROM hangar_login_throttle WHERE 1 = 0")
        .load::<WindowStart>(conn)
        .map(drop)
        .map_err(|e| Error::Database(e.into()))
}

/// One slot of `key`'s, if its window has one left.
fn take(conn: &mut AnyConnection, key: &str, limit: u32, window: i64, now: i64) -> Result<Slot, Error> {
    let limit = i32::try_from(limit).unwrap_or(i32::MAX);
    let expired = now.saturating_sub(window);
    if limit == 0 {
        return Ok(Slot::Full { window_ends: now.saturating_add(window) });
    }
    let room = statement(
        conn,
        "UPDATE hangar_login_throttle SET failures = failures + 1 \
         WHERE throttle_key = ? AND window_start > ? AND failures < ?",
    );
    let restart = statement(
        conn,
        "UPDATE hangar_login_throttle SET failures = 1, window_start = ? WHERE throttle_key = ? AND window_start <= ?",
    );
    let insert = match conn.dialect() {
        Dialect::Sqlite => {
            "INSERT OR IGNORE INTO hangar_login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 1)"
        }
        Dialect::Postgres => {
            "INSERT INTO hangar_login_throttle (throttle_key, window_start, failures) VALUES ($1, $2, 1) \
             ON CONFLICT (throttle_key) DO NOTHING"
        }
        Dialect::Mysql => {
            "INSERT IGNORE INTO hangar_login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 1)"
        }
    };
    let read = statement(conn, "SELECT window_start FROM hangar_login_throttle WHERE throttle_key = ?");
    // Each round, one of the steps wins unless another instance changed
    // the row between them; three rounds outlast any such race but a
    // pathological one, which then counts as a full window.
    for _ in 0..3 {
        let taken = diesel::sql_query(&room)
            .bind::<Text, _>(key)
            .bind::<BigInt, _>(expired)
            .bind::<Integer, _>(limit)
            .execute(conn)?;
        if taken > 0 {
            return Ok(Slot::Taken);
        }
        let restarted = diesel::sql_query(&restart)
            .bind::<BigInt, _>(now)
            .bind::<Text, _>(key)
            .bind::<BigInt, _>(expired)
            .execute(conn)?;
        if restarted > 0 {
            return Ok(Slot::Taken);
        }
        let inserted = diesel::sql_query(insert).bind::<Text, _>(key).bind::<BigInt, _>(now).execute(conn)?;
        if inserted > 0 {
            return Ok(Slot::Taken);
        }
        let current = diesel::sql_query(&read).bind::<Text, _>(key).get_result::<WindowStart>(conn).optional()?;
        if let Some(WindowStart { window_start }) = current.filter(|w| w.window_start > expired) {
            return Ok(Slot::Full { window_ends: window_start.saturating_add(window) });
        }
    }
    Ok(Slot::Full { window_ends: now.saturating_add(window) })
}

/// Gives one slot of `key`'s back.
fn give_back(conn: &mut AnyConnection, key: &str) -> Result<(), Error> {
    let give_back = statement(
        conn,
        "UPDATE hangar_login_throttle SET failures = failures - 1 WHERE throttle_key = ? AND failures > 0",
    );
    diesel::sql_query(give_back).bind::<Text, _>(key).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_numbers_its_placeholders() {
        let text = "UPDATE t SET a = ? WHERE b = ? AND c > ?";
        assert_eq!(in_dialect(Dialect::Postgres, text), "UPDATE t SET a = $1 WHERE b = $2 AND c > $3");
        assert_eq!(in_dialect(Dialect::Mysql, text), text);
        assert_eq!(in_dialect(Dialect::Sqlite, text), text);
    }
}
