//! `tweepee seed` and the command line.

use std::process::Command;

use hangar::db::Database;
use hangar::forms::Params;
use hangar::query::{ListOptions, ListQuery};
use indicatif::ProgressBar;
use tweepee::models::{Message, Relationship, User};
use tweepee::seed::{seed, SeedOptions};

fn fresh() -> (Database, tempfile::TempDir) {
    hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = Database::connect(&format!("sqlite://{}", dir.path().join("t.db").display())).expect("opens");
    db.migrate(&tweepee::MIGRATIONS).expect("migrates");
    (db, dir)
}

fn all<M: hangar::Model>(db: &Database) -> Vec<M> {
    let options = ListOptions { paginate_by: None, ..ListOptions::default() };
    let list = ListQuery::<M>::parse_strict(&Params::default(), &options).expect("parses");
    list.fetch(&mut db.get().expect("a connection")).expect("lists").objects
}

#[test]
fn seeding_is_deterministic_and_follows_the_contract() {
    let (db, _dir) = fresh();
    let options = SeedOptions { users: 7, messages: 30, fast_hash: true };
    let report = seed(&db, options, &ProgressBar::hidden()).expect("seeds");
    assert_eq!((report.users, report.messages, report.relationships, report.notes), (9, 30, 21, 7));
    let users = all::<User>(&db);
    assert_eq!(users.first().map(|u| (u.username.as_str(), u.admin)), Some(("admin", true)));
    assert!(users.last().is_some_and(|u| u.username == "inactive_user" && !u.active));
    let user3 = users.iter().find(|u| u.username == "user3").expect("user3 exists");
    assert_eq!(
        (user3.email.as_str(), user3.join_date.to_string()),
        ("user3@example.com", "2024-01-01 00:00:03".into())
    );
    assert!(hangar::utils::check_password("user3", &user3.password));
    let messages = all::<Message>(&db);
    let eleventh = &messages[11];
    assert_eq!(eleventh.content, "message 11 from user4");
    assert_eq!(eleventh.user_id, user3.id + 1);
    assert_eq!(eleventh.pub_date.to_string(), "2024-01-01 00:11:00");
    let follows: Vec<(i32, i32)> = all::<Relationship>(&db).iter().map(|r| (r.from_user_id, r.to_user_id)).collect();
    assert_eq!(&follows[..3], [(2, 3), (2, 4), (2, 5)]);
    assert!(follows.contains(&(8, 2)), "the next three wrap around");

    let messages_before: Vec<String> = messages.iter().map(|m| format!("{m:?}")).collect();
    seed(&db, options, &ProgressBar::hidden()).expect("seeds again");
    let messages_after: Vec<String> = all::<Message>(&db).iter().map(|m| format!("{m:?}")).collect();
    assert_eq!(messages_before, messages_after, "the same data every time");
}

#[test]
fn seeding_no_users_is_refused() {
    let (db, _dir) = fresh();
    let error =
        seed(&db, SeedOptions { users: 0, messages: 1, fast_hash: true }, &ProgressBar::hidden()).expect_err("refused");
    assert_eq!(error.to_string(), "seeding needs at least one user");
}

fn tweepee(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tweepee"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("ROCKET_LOG_LEVEL", "off")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("tweepee runs")
}

#[test]
fn the_command_line_seeds_and_creates_an_admin_in_tweepee_db() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let seeded = tweepee(dir.path(), &["seed", "--users", "3", "--messages", "12", "--fast-hash"]);
    assert!(seeded.status.success(), "{seeded:?}");
    let out = String::from_utf8_lossy(&seeded.stdout);
    assert!(out.starts_with("seeded 5 users, 12 messages, 6 follows and 3 notes in "), "{out}");
    assert!(dir.path().join("tweepee.db").exists(), "the default database is tweepee.db");

    let created = tweepee(dir.path(), &["createsuperuser", "--username", "boss", "--password", "pw", "--email", "b@x"]);
    assert!(created.status.success(), "{created:?}");
    assert_eq!(String::from_utf8_lossy(&created.stdout).trim(), "created the admin user `boss`");
    let again = tweepee(dir.path(), &["createsuperuser", "--username", "boss", "--password", "pw"]);
    assert!(!again.status.success());
    assert_eq!(String::from_utf8_lossy(&again.stderr).trim(), "tweepee: a user called `boss` already exists");
    let no_tty = tweepee(dir.path(), &["createsuperuser", "--username", "quiet"]);
    assert!(!no_tty.status.success(), "without --password and without a terminal it cannot ask");
    assert!(String::from_utf8_lossy(&no_tty.stderr).starts_with("tweepee: could not read the password"), "{no_tty:?}");
    let zero = tweepee(dir.path(), &["seed", "--users", "0"]);
    assert_eq!(String::from_utf8_lossy(&zero.stderr).trim(), "tweepee: --users must be at least 1");
    let bad_flag = tweepee(dir.path(), &["seed", "--users", "many"]);
    assert!(String::from_utf8_lossy(&bad_flag.stderr).contains("invalid value 'many' for '--users <USERS>'"));
}
