//! `tweepee seed`: the same data every time, fast enough for a million
//! messages.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use hangar::db::{AnyConnection, Database};
use hangar::utils::{make_password_with, DEFAULT_ITERATIONS, TEST_ITERATIONS};
use indicatif::ProgressBar;

use crate::models::{DELETED, LIVE};
use crate::schema::{message, note, relationship, users};
use crate::MIGRATIONS;

/// How much to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedOptions {
    /// Users `user0` to `user{N-1}`, besides `admin` and `inactive_user`.
    pub users: usize,
    /// Messages, spread over the users in turn.
    pub messages: usize,
    /// Hash passwords at the test cost: fast, and only for throwaway data.
    pub fast_hash: bool,
}

/// What was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    /// Users, `admin` and `inactive_user` included.
    pub users: usize,
    /// Messages.
    pub messages: usize,
    /// Follows.
    pub relationships: usize,
    /// Notes.
    pub notes: usize,
}

/// Messages written per statement, between progress updates.
const BATCH: usize = 5_000;

/// The most values one statement binds: under SQLite's limit (32,766),
/// PostgreSQL's and MySQL's (65,535).
const MAX_BINDS: usize = 30_000;

/// Executes `$statement`, a typed Diesel INSERT of many rows, on `$conn`'s
/// own backend connection. Diesel's multi-row INSERT compiles for
/// SQLite's, PostgreSQL's and MySQL's connections but not through
/// `MultiConnection`: its backend's `InsertWithDefaultKeyword` is not ISO
/// SQL's, and SQLite's multi-row insert is a type of its own.
macro_rules! execute_on_backend {
    ($conn:expr, $statement:expr) => {{
        #[allow(unreachable_patterns)]
        match $conn {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(c) => $statement.execute(c),
            #[cfg(feature = "postgres")]
            AnyConnection::Postgres(c) => $statement.execute(c),
            #[cfg(feature = "mysql")]
            AnyConnection::Mysql(c) => $statement.execute(c),
            // hangar has a backend that tweepee's features leave out.
            _ => Err(diesel::result::Error::QueryBuilderError(
                "seeding this backend needs tweepee's feature of the same name".into(),
            )),
        }
    }};
}

/// `rows` in statements of at most [`MAX_BINDS`] values, for rows of
/// `width` values each.
pub(crate) fn batches<R>(rows: Vec<R>, width: usize) -> impl Iterator<Item = Vec<R>> {
    let per_statement = (MAX_BINDS / width.max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        Some(rows.by_ref().take(per_statement).collect())
    })
}

fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default()
}

/// Hashes every password, spread over the machine's cores.
fn hash_all(passwords: &[String], iterations: u32, progress: &ProgressBar) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = passwords.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = passwords
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| {
                            let hash = make_password_with(p, iterations);
                            progress.inc(1);
                            hash
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    })
}

/// The user id of `user{i}`: `admin` is 1.
fn user_id(i: usize) -> i32 {
    i32::try_from(i + 2).unwrap_or(i32::MAX)
}

/// Drops the data and creates it again:
///
/// - `admin`/`admin`, an admin, first;
/// - `user0` to `user{N-1}`, each with its name as password, the email
///   `user<i>@example.com` and join date 2024-01-01 plus `i` seconds;
/// - message `i` from user `i % N`, `"message <i> from user<i%N>"`, published
///   2024-01-01T00:00:00 plus `i` minutes;
/// - each user follows the next three (modulo N);
/// - `inactive_user`/`inactive_user`, inactive;
/// - a live note `"note for user<i>"` for the first ten users, and a deleted
///   one for users 10 to 14.
pub fn seed(db: &Database, options: SeedOptions, progress: &ProgressBar) -> Result<SeedReport, hangar::Error> {
    if options.users == 0 {
        return Err(hangar::Error::BadRequest("seeding needs at least one user".into()));
    }
    let mut conn = db.get()?;
    MIGRATIONS.revert_all(&mut conn)?;
    MIGRATIONS.run_pending(&mut conn)?;

    let n = options.users;
    let iterations = if options.fast_hash { TEST_ITERATIONS } else { DEFAULT_ITERATIONS };
    let mut names = vec!["admin".to_owned()];
    names.extend((0..n).map(|i| format!("user{i}")));
    names.push("inactive_user".to_owned());
    progress.set_length((names.len() + options.messages) as u64);
    progress.set_message("hashing passwords");
    let hashes = hash_all(&names, iterations, progress);

    progress.set_message("writing");
    let conn: &mut AnyConnection = &mut conn;
    conn.transaction::<_, hangar::Error, _>(|conn| {
        let start = epoch();
        let users: Vec<_> = names
            .iter()
            .zip(hashes)
            .enumerate()
            .map(|(row, (name, password))| {
                let is_user = row > 0 && row <= n;
                let seconds = if is_user { i64::try_from(row - 1).unwrap_or_default() } else { 0 };
                (
                    users::username.eq(name.clone()),
                    users::password.eq(password),
                    users::email.eq(format!("{name}@example.com")),
                    users::join_date.eq(start + Duration::seconds(seconds)),
                    users::active.eq(name != "inactive_user"),
                    users::admin.eq(name == "admin"),
                )
            })
            .collect();
        for batch in batches(users, 6) {
            execute_on_backend!(conn, diesel::insert_into(users::table).values(batch))?;
        }

        let mut written = 0;
        while written < options.messages {
            let end = (written + BATCH).min(options.messages);
            let batch: Vec<_> = (written..end)
                .map(|i| {
                    (
                        message::user_id.eq(user_id(i % n)),
                        message::content.eq(format!("message {i} from user{}", i % n)),
                        message::pub_date.eq(start + Duration::minutes(i64::try_from(i).unwrap_or_default())),
                    )
                })
                .collect();
            execute_on_backend!(conn, diesel::insert_into(message::table).values(batch))?;
            progress.inc((end - written) as u64);
            written = end;
        }

        let mut follows: Vec<(i32, i32)> = Vec::new();
        for i in 0..n {
            for k in 1..=3 {
                let pair = (user_id(i), user_id((i + k) % n));
                if pair.0 != pair.1 && !follows.contains(&pair) {
                    follows.push(pair);
                }
            }
        }
        let relationships = follows.len();
        let follows: Vec<_> = follows
            .into_iter()
            .map(|(from, to)| (relationship::from_user_id.eq(from), relationship::to_user_id.eq(to)))
            .collect();
        for batch in batches(follows, 2) {
            execute_on_backend!(conn, diesel::insert_into(relationship::table).values(batch))?;
        }

        let notes: Vec<_> = (0..n.min(15))
            .map(|i| {
                (
                    note::user_id.eq(user_id(i)),
                    note::message.eq(format!("note for user{i}")),
                    note::status.eq(if i < 10 { LIVE } else { DELETED }),
                    note::created_date.eq(start + Duration::seconds(i64::try_from(i).unwrap_or_default())),
                )
            })
            .collect();
        let note_count = notes.len();
        execute_on_backend!(conn, diesel::insert_into(note::table).values(notes))?;

        Ok(SeedReport { users: names.len(), messages: options.messages, relationships, notes: note_count })
    })
}
