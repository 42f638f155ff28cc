//! `tweepee seed`: the same data every time, fast enough for a million
//! messages.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::Connection;
use hangar::db::{AnyConnection, Database};
use hangar::model::{insert_many, Value};
use hangar::utils::{make_password_with, DEFAULT_ITERATIONS, TEST_ITERATIONS};
use indicatif::ProgressBar;

use crate::models::{Message, Note, Relationship, User};
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

/// Messages written per statement batch, between progress updates.
const BATCH: usize = 5_000;

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
/// - message `i` from user `i % N`, "message <i> from user<i%N>", published
///   2024-01-01T00:00:00 plus `i` minutes;
/// - each user follows the next three (modulo N);
/// - `inactive_user`/`inactive_user`, inactive;
/// - a live note "note for user<i>" for the first ten users, and a deleted
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
        let users: Vec<Vec<Value>> = names
            .iter()
            .zip(hashes)
            .enumerate()
            .map(|(row, (name, password))| {
                let is_user = row > 0 && row <= n;
                let seconds = if is_user { i64::try_from(row - 1).unwrap_or_default() } else { 0 };
                vec![
                    Value::from(name.as_str()),
                    Value::Text(password),
                    Value::Text(format!("{name}@example.com")),
                    Value::Timestamp(start + Duration::seconds(seconds)),
                    Value::Bool(name != "inactive_user"),
                    Value::Bool(name == "admin"),
                ]
            })
            .collect();
        insert_many::<User>(conn, &["username", "password", "email", "join_date", "active", "admin"], &users)?;

        let mut written = 0;
        while written < options.messages {
            let end = (written + BATCH).min(options.messages);
            let batch: Vec<Vec<Value>> = (written..end)
                .map(|i| {
                    vec![
                        Value::Integer(user_id(i % n)),
                        Value::Text(format!("message {i} from user{}", i % n)),
                        Value::Timestamp(start + Duration::minutes(i64::try_from(i).unwrap_or_default())),
                    ]
                })
                .collect();
            insert_many::<Message>(conn, &["user_id", "content", "pub_date"], &batch)?;
            progress.inc((end - written) as u64);
            written = end;
        }

        let mut follows: Vec<Vec<Value>> = Vec::new();
        for i in 0..n {
            for k in 1..=3 {
                let pair = vec![Value::Integer(user_id(i)), Value::Integer(user_id((i + k) % n))];
                if pair[0] != pair[1] && !follows.contains(&pair) {
                    follows.push(pair);
                }
            }
        }
        insert_many::<Relationship>(conn, &["from_user_id", "to_user_id"], &follows)?;

        let notes: Vec<Vec<Value>> = (0..n.min(15))
            .map(|i| {
                vec![
                    Value::Integer(user_id(i)),
                    Value::Text(format!("note for user{i}")),
                    Value::Integer(if i < 10 { crate::models::LIVE } else { crate::models::DELETED }),
                    Value::Timestamp(start + Duration::seconds(i64::try_from(i).unwrap_or_default())),
                ]
            })
            .collect();
        insert_many::<Note>(conn, &["user_id", "message", "status", "created_date"], &notes)?;

        Ok(SeedReport {
            users: names.len(),
            messages: options.messages,
            relationships: follows.len(),
            notes: notes.len(),
        })
    })
}
