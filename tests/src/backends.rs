//! Real databases for tests: a fresh one per test, on every backend this
//! build and environment provide.
//!
//! SQLite always runs, in a temporary file. PostgreSQL runs when hangar is
//! built with `postgres` and `HANGAR_TEST_POSTGRES_URL` names a server
//! (e.g. `postgres://postgres@127.0.0.1:5432/postgres`); MariaDB/MySQL when
//! built with `mysql` and `HANGAR_TEST_MYSQL_URL` is set (e.g.
//! `mysql://root@127.0.0.1:3306/test`). Each test gets its own database on
//! that server, dropped afterwards. A backend that is left out is reported
//! once per test binary on stderr.

use std::io::Write as _;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;

use diesel::connection::SimpleConnection;
use hangar::db::{AnyConnection, Database, Dialect, PoolOptions};

use crate::MIGRATIONS;

/// The environment variable naming a backend's test server.
pub fn env_var(dialect: Dialect) -> Option<&'static str> {
    match dialect {
        Dialect::Sqlite => None,
        Dialect::Postgres => Some("HANGAR_TEST_POSTGRES_URL"),
        Dialect::Mysql => Some("HANGAR_TEST_MYSQL_URL"),
    }
}

/// The backends to test on, reporting once which are skipped and why.
pub fn backends() -> Vec<Dialect> {
    static REPORT: Once = Once::new();
    let mut available = vec![Dialect::Sqlite];
    let mut skipped = Vec::new();
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let var = env_var(dialect).unwrap_or_default();
        let configured = std::env::var(var).is_ok_and(|v| !v.is_empty());
        match (dialect.is_compiled_in(), configured) {
            (true, true) => available.push(dialect),
            (false, _) => {
                skipped.push(format!("{dialect} skipped: build with `--features {}` and set {var}", dialect.feature()));
            }
            (true, false) => skipped.push(format!("{dialect} skipped: set {var} to a server URL")),
        }
    }
    REPORT.call_once(|| {
        // Written to the real stderr, past the test harness's capture, so a
        // skipped backend is never silent.
        let mut stderr = std::io::stderr();
        for line in &skipped {
            let _ = writeln!(stderr, "hangar-tests: {line}");
        }
    });
    available
}

/// A fresh, migrated, seeded database.
#[derive(Debug)]
pub struct TestDb {
    pub db: Database,
    pub dialect: Dialect,
    /// The URL `db` was opened with, for a second pool on the same database.
    pub url: String,
    drop_sql: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a server URL has a scheme");
    let (rest, query) = rest.split_once('?').map_or((rest, None), |(r, q)| (r, Some(q)));
    let authority = rest.split('/').next().unwrap_or(rest);
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

impl TestDb {
    /// An empty database with the fixture schema, not seeded.
    pub fn empty(dialect: Dialect) -> TestDb {
        let test = TestDb::bare(dialect);
        test.db.migrate(&MIGRATIONS).expect("the fixture migrations run");
        test
    }

    /// A database with no tables at all, for an app that runs its own
    /// migrations (as tweepee's tests do).
    pub fn bare(dialect: Dialect) -> TestDb {
        TestDb::bare_with(dialect, None)
    }

    /// A database with no tables, whose every connection's session is in
    /// the time zone `offset` (`+05:45`): what hangar reads and writes must
    /// not depend on it.
    pub fn bare_in_zone(dialect: Dialect, offset: &str) -> TestDb {
        let sql = match dialect {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some(format!("SET TIME ZONE INTERVAL '{offset}' HOUR TO MINUTE")),
            Dialect::Mysql => Some(format!("SET time_zone = '{offset}'")),
        };
        TestDb::bare_with(dialect, sql)
    }

    fn bare_with(dialect: Dialect, on_connect: Option<String>) -> TestDb {
        hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
        let options = PoolOptions { max_size: 4, on_connect, ..PoolOptions::default() };
        match dialect {
            Dialect::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                let db = Database::connect_with(&url, &options).expect("SQLite opens");
                TestDb { db, dialect, url, drop_sql: None, _dir: Some(dir) }
            }
            Dialect::Postgres | Dialect::Mysql => {
                let var = env_var(dialect).unwrap_or_default();
                let server = std::env::var(var).unwrap_or_else(|_| panic!("{var} is set"));
                let name = format!("hangar_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
                let admin = Database::connect_with(&server, &PoolOptions { max_size: 1, ..options.clone() })
                    .unwrap_or_else(|e| panic!("{dialect} test server: {e}"));
                admin
                    .get()
                    .expect("a connection")
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("CREATE DATABASE");
                let drop = match dialect {
                    Dialect::Postgres => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    _ => format!("DROP DATABASE IF EXISTS {name}"),
                };
                let url = with_database(&server, &name);
                let db =
                    Database::connect_with(&url, &options).unwrap_or_else(|e| panic!("{dialect} test database: {e}"));
                TestDb { db, dialect, url, drop_sql: Some((server, drop)), _dir: None }
            }
        }
    }

    /// A database with the fixture schema and rows.
    pub fn seeded(dialect: Dialect) -> TestDb {
        let test = TestDb::empty(dialect);
        crate::fixture::seed(&mut test.conn());
        test
    }

    /// A pooled connection.
    pub fn conn(&self) -> impl std::ops::DerefMut<Target = AnyConnection> {
        self.db.get().expect("a pooled connection")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, sql)) = &self.drop_sql {
            let dropped = Database::connect(server)
                .and_then(|admin| admin.get()?.batch_execute(sql).map_err(hangar::db::DbError::Query));
            if let Err(e) = dropped {
                let _ = writeln!(std::io::stderr(), "hangar-tests: could not drop a test database: {e}");
            }
        }
    }
}

/// Runs `test` on a freshly seeded database on every backend, naming the
/// backend when it fails.
pub fn each_backend(test: impl Fn(&TestDb)) {
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| test(&db))) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic");
            let _ = writeln!(std::io::stderr(), "hangar-tests: failed on {dialect}: {message}");
            resume_unwind(panic);
        }
    }
}
