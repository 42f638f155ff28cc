//! The database layer: URLs, connection errors, per-connection settings,
//! migrations, the pool, and the Rocket fairing.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use hangar::db::{Database, DbError, Dialect, Migrations, PoolOptions};
use hangar_tests::backends::{backends, each_backend, TestDb};
use hangar_tests::schema::{message, users};
use hangar_tests::MIGRATIONS;
use rocket::figment::Figment;

fn connect_error(url: &str) -> String {
    match Database::connect_with(url, &PoolOptions { timeout: Duration::from_secs(2), ..PoolOptions::default() }) {
        Ok(db) => panic!("{url} should not connect, but gave {db:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_unknown_scheme_names_the_scheme_and_the_ones_that_work() {
    let message = connect_error("oracle://scott:tiger@db/orcl");
    assert_eq!(
        message,
        "the database URL scheme `oracle` is not supported; use sqlite://path, sqlite::memory:, \
         postgres://user@host/db or mysql://user@host/db"
    );
    assert!(!message.contains("tiger"));
}

#[test]
fn a_backend_left_out_of_the_build_names_its_feature() {
    for (dialect, url) in [(Dialect::Postgres, "postgres://u:pw@h/db"), (Dialect::Mysql, "mysql://u:pw@h/db")] {
        if !dialect.is_compiled_in() {
            let message = connect_error(url);
            assert!(message.contains(&format!("enable hangar's `{}` feature", dialect.feature())), "{message}");
            assert!(message.contains("u:***@h"), "the password is hidden: {message}");
        }
    }
}

#[test]
fn an_unreachable_server_names_the_host_and_what_to_check() {
    if Dialect::Postgres.is_compiled_in() {
        let message = connect_error("postgres://postgres:secret@127.0.0.1:1/nothing");
        assert!(message.starts_with("could not connect to PostgreSQL at 127.0.0.1:1"), "{message}");
        assert!(message.contains("check that the server is running"), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }
    if Dialect::Mysql.is_compiled_in() {
        let message = connect_error("mysql://root:secret@127.0.0.1:1/nothing");
        assert!(message.starts_with("could not connect to MySQL at 127.0.0.1:1"), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }
}

#[test]
fn an_sqlite_file_in_a_missing_directory_says_so() {
    let message = connect_error("sqlite:///no/such/directory/app.db");
    assert!(message.starts_with("could not connect to SQLite at /no/such/directory/app.db"), "{message}");
    assert!(message.ends_with("check that the directory exists and is writable"), "{message}");
}

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = Text)]
    value: String,
}

fn pragma(conn: &mut hangar::db::AnyConnection, name: &str, column: &str) -> String {
    diesel::sql_query(format!("SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}()"))
        .get_result::<Pragma>(conn)
        .expect("the pragma reads")
        .value
}

#[test]
fn every_sqlite_connection_gets_wal_foreign_keys_and_a_busy_timeout() {
    let test = TestDb::empty(Dialect::Sqlite);
    // Several connections, not just the first.
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = test.conn();
        assert_eq!(pragma(&mut conn, "journal_mode", "journal_mode"), "wal");
        assert_eq!(pragma(&mut conn, "foreign_keys", "foreign_keys"), "1");
        assert_eq!(pragma(&mut conn, "busy_timeout", "timeout"), "5000");
        held.push(conn);
    }
}

fn noon() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2024, 1, 1).and_then(|d| d.and_hms_opt(12, 0, 0)).expect("a valid time")
}

#[test]
fn foreign_keys_are_enforced_and_answer_400() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let failed = diesel::insert_into(message::table)
            .values((message::user_id.eq(999), message::content.eq("x"), message::pub_date.eq(noon())))
            .execute(&mut **conn)
            .expect_err("a dangling foreign key is refused");
        let error = hangar::Error::from(failed);
        assert_eq!(error.status().code, 400, "{error}");
        // PostgreSQL and MariaDB name the key; SQLite says only that one failed.
        let message = error.to_string();
        let named = message == "`user_id` refers to an object that does not exist";
        assert!(named || message.starts_with("a related object does not exist"), "{error}");
        assert_eq!(named, t.dialect != hangar::db::Dialect::Sqlite, "{error}");
    });
}

#[test]
fn a_unique_violation_answers_409() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let failed = diesel::insert_into(users::table)
            .values((
                users::username.eq("admin"),
                users::password.eq("x"),
                users::email.eq("x"),
                users::join_date.eq(noon()),
                users::active.eq(true),
                users::admin.eq(false),
            ))
            .execute(&mut **conn)
            .expect_err("a duplicate username is refused");
        let error = hangar::Error::from(failed);
        assert_eq!(error.status().code, 409, "{error}");
        assert_eq!(error.to_string(), "this `username` is already taken", "on {}", t.dialect);
    });
}

#[test]
fn migrations_run_once_and_a_missing_backend_is_named() {
    for dialect in backends() {
        let test = TestDb::empty(dialect);
        assert_eq!(test.db.migrate(&MIGRATIONS).expect("nothing left to run"), Vec::<String>::new());
        static NONE: Migrations = Migrations::new();
        let message = test.db.migrate(&NONE).expect_err("no migrations for this backend").to_string();
        assert_eq!(
            message,
            format!("this app has no migrations for {dialect}; add them with `Migrations::{}`", dialect.feature())
        );
    }
}

#[test]
fn instances_launching_together_apply_each_migration_once() {
    // Several instances of an app behind a proxy start at once and each runs
    // the pending migrations: every one must succeed, and each migration
    // must run exactly once between them.
    const INSTANCES: usize = 4;
    for dialect in backends() {
        let test = TestDb::bare(dialect);
        let start = std::sync::Barrier::new(INSTANCES);
        let applied: Vec<Vec<String>> = std::thread::scope(|scope| {
            let instances: Vec<_> = (0..INSTANCES)
                .map(|_| {
                    scope.spawn(|| {
                        let db = Database::connect(&test.url).expect("another pool on the same database");
                        start.wait();
                        db.migrate(&MIGRATIONS)
                    })
                })
                .collect();
            instances
                .into_iter()
                .map(|instance| {
                    let result = instance.join().expect("the instance thread finishes");
                    result.unwrap_or_else(|e| panic!("an instance failed to migrate on {dialect}: {e}"))
                })
                .collect()
        });
        let mut versions: Vec<String> = applied.into_iter().flatten().collect();
        let count = versions.len();
        versions.sort();
        versions.dedup();
        assert_eq!(count, versions.len(), "a migration ran twice on {dialect}");
        assert!(!versions.is_empty(), "no migration ran on {dialect}");
        assert_eq!(test.db.migrate(&MIGRATIONS).expect("nothing left"), Vec::<String>::new(), "on {dialect}");
    }
}

#[test]
fn an_in_memory_database_keeps_its_one_connection() {
    let db = Database::connect("sqlite::memory:").expect("memory opens");
    assert_eq!(db.pool_size(), 1);
    db.get()
        .expect("a connection")
        .batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (41);")
        .expect("writes");
    let n: i64 = diesel::select(diesel::dsl::sql::<BigInt>("(SELECT x + 1 FROM t)"))
        .get_result(&mut *db.get().expect("a connection"))
        .expect("reads back");
    assert_eq!(n, 42);
}

#[test]
fn a_busy_pool_times_out_with_a_clear_error() {
    let test = TestDb::empty(Dialect::Sqlite);
    let url = test.db.url().to_string();
    let options = PoolOptions { max_size: 1, timeout: Duration::from_millis(200), ..PoolOptions::default() };
    let db = Database::connect_with(&url, &options).expect("opens");
    let _held = db.get().expect("the only connection");
    let error = db.get().err().expect("none is free").to_string();
    assert!(error.starts_with("no database connection to sqlite://"), "{error}");
    assert!(error.contains("(pool size 1)"), "{error}");
    assert_eq!(hangar::Error::from(DbError::Pool(error)).status().code, 503);
}

#[rocket::async_test]
async fn requests_beyond_the_pool_wait_as_tasks_then_time_out_clearly() {
    let test = TestDb::empty(Dialect::Sqlite);
    let url = test.db.url().to_string();
    let options = PoolOptions { max_size: 1, timeout: Duration::from_millis(300), ..PoolOptions::default() };
    let db = Database::connect_with(&url, &options).expect("opens");
    let busy = db.clone();
    let holder = rocket::tokio::spawn(async move {
        busy.run(|_conn| {
            std::thread::sleep(Duration::from_millis(900));
            Ok::<_, DbError>(())
        })
        .await
    });
    rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    let waited = db.run(|_conn| Ok::<_, DbError>(())).await.expect_err("the one connection is busy").to_string();
    assert!(waited.starts_with("no database connection to sqlite://"), "{waited}");
    assert!(waited.contains("within 300ms (pool size 1)"), "{waited}");
    holder.await.expect("the holder finishes").expect("and its work succeeds");
    db.run(|_conn| Ok::<_, DbError>(())).await.expect("the connection is free again");
}

#[rocket::async_test]
async fn concurrent_writers_wait_for_each_other() {
    for dialect in backends() {
        let test = TestDb::seeded(dialect);
        let writes = (0..16).map(|i| {
            let db = test.db.clone();
            rocket::tokio::spawn(async move {
                db.run(move |conn| {
                    conn.batch_execute(&format!(
                        "INSERT INTO note (user_id, message, status, created_date) VALUES (1, 'w{i}', 1, '2024-01-01 00:00:00')"
                    ))
                    .map_err(DbError::from)
                })
                .await
            })
        });
        for write in writes.collect::<Vec<_>>() {
            write.await.expect("the task runs").unwrap_or_else(|e| panic!("on {dialect}: {e}"));
        }
        let count: i64 = test
            .db
            .run(|conn| {
                diesel::select(diesel::dsl::sql::<BigInt>("(SELECT COUNT(*) FROM note)"))
                    .get_result(conn)
                    .map_err(DbError::from)
            })
            .await
            .expect("counts");
        assert_eq!(count, 4 + 16, "on {dialect}");
    }
}

fn figment(pairs: &[(&str, serde_json::Value)]) -> Figment {
    pairs.iter().fold(rocket::Config::figment(), |f, (k, v)| f.merge((*k, v.clone())))
}

#[rocket::async_test]
async fn the_fairing_reads_the_config_and_manages_the_pool() {
    let test = TestDb::empty(Dialect::Sqlite);
    let url = test.db.url().to_string();
    let config = figment(&[("database_url", url.clone().into()), ("database_pool_size", 3.into())]);
    let rocket = rocket::custom(config)
        .attach(Database::fairing().default_url("sqlite::memory:").migrations(&MIGRATIONS))
        .ignite()
        .await
        .expect("launches");
    let db = rocket.state::<Database>().expect("the pool is managed");
    assert_eq!(db.pool_size(), 3);
    assert_eq!(db.url().to_string(), url);
}

#[rocket::async_test]
async fn a_bad_config_stops_the_launch() {
    for pairs in [
        vec![("database_url", "oracle://x".into())],
        vec![("database_url", "sqlite::memory:".into()), ("database_pool_size", "lots".into())],
        vec![("database_url", "sqlite::memory:".into()), ("database_pool_size", 0.into())],
        vec![("database_url", "sqlite:///no/such/dir/x.db".into())],
    ] {
        let rocket = rocket::custom(figment(&pairs)).attach(Database::fairing()).ignite().await;
        match rocket {
            Ok(_) => panic!("{pairs:?} should not launch"),
            Err(e) => assert!(matches!(e.kind(), rocket::error::ErrorKind::FailedFairings(_)), "{pairs:?}: {e}"),
        }
    }
}

#[rocket::async_test]
async fn a_route_that_needs_the_database_without_the_fairing_does_not_launch() {
    #[rocket::get("/")]
    fn uses_db(_db: Database) -> &'static str {
        "never"
    }
    let ignited = rocket::custom(figment(&[])).mount("/", rocket::routes![uses_db]).ignite().await;
    let kind = ignited.as_ref().err().map(rocket::Error::kind);
    assert!(matches!(kind, Some(rocket::error::ErrorKind::SentinelAborts(_))), "{kind:?}");
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

#[test]
fn on_connect_runs_on_every_new_connection_and_a_bad_one_says_so() {
    for dialect in backends() {
        let test = TestDb::bare(dialect);
        let (set, read) = match dialect {
            Dialect::Sqlite => (
                "PRAGMA application_id = 4321",
                "SELECT CAST(application_id AS TEXT) AS value FROM pragma_application_id",
            ),
            Dialect::Postgres => {
                ("SET application_name = 'hangar-4321'", "SELECT current_setting('application_name') AS value")
            }
            Dialect::Mysql => ("SET @hangar = 'hangar-4321'", "SELECT @hangar AS value"),
        };
        let options = PoolOptions { max_size: 2, on_connect: Some(set.to_owned()), ..PoolOptions::default() };
        let db = Database::connect_with(&test.url, &options).expect("opens");
        let (mut first, mut second) = (db.get().expect("a connection"), db.get().expect("another"));
        for conn in [&mut first, &mut second] {
            let value = diesel::sql_query(read).get_result::<Setting>(&mut **conn).expect("reads").value;
            assert!(value.ends_with("4321"), "{dialect}: {value}");
        }
        let bad = PoolOptions { on_connect: Some("SET nothing that exists".to_owned()), ..PoolOptions::default() };
        let error = Database::connect_with(&test.url, &bad).expect_err("refused").to_string();
        assert!(error.contains("could not prepare"), "{dialect}: {error}");
    }
}
