//! The r2d2 connection manager: picks the backend from the URL, connects
//! with an error that says where and why, and prepares each connection.

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ManageConnection, R2D2Connection};
use diesel::Connection as _;

use super::{AnyConnection, DatabaseUrl, DbError, Dialect};

/// How long an SQLite connection waits for a lock before failing.
pub(crate) const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// Opens connections for the pool.
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    on_connect: Option<String>,
}

impl ConnectionManager {
    /// A manager for `url`.
    pub fn new(url: DatabaseUrl) -> Self {
        ConnectionManager { url, on_connect: None }
    }

    /// The manager, running `sql` on every new connection after hangar's
    /// own settings.
    pub fn on_connect(self, sql: Option<String>) -> Self {
        ConnectionManager { on_connect: sql, ..self }
    }

    /// The URL it connects to.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    fn connect_error(&self, error: &diesel::ConnectionError) -> DbError {
        let dialect = self.url.dialect();
        let hint = match dialect {
            Dialect::Sqlite => "check that the directory exists and is writable",
            Dialect::Postgres | Dialect::Mysql => {
                "check that the server is running and that the URL names the right host, port, user and database"
            }
        };
        let reason = error.to_string();
        let reason = reason.trim().trim_end_matches('.');
        DbError::Connect(format!(
            "could not connect to {dialect} at {location} ({url}): {reason}; {hint}",
            location = self.url.location(),
            url = self.url,
        ))
    }

    fn open(&self) -> Result<AnyConnection, diesel::ConnectionError> {
        let target = self.url.target();
        Ok(match self.url.dialect() {
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => AnyConnection::Sqlite(diesel::SqliteConnection::establish(target)?),
            #[cfg(feature = "postgres")]
            Dialect::Postgres => AnyConnection::Postgres(diesel::PgConnection::establish(target)?),
            #[cfg(feature = "mysql")]
            Dialect::Mysql => AnyConnection::Mysql(diesel::MysqlConnection::establish(target)?),
            #[allow(unreachable_patterns)]
            other => {
                return Err(diesel::ConnectionError::BadConnection(format!(
                    "{other} is not compiled in; enable hangar's `{}` feature",
                    other.feature()
                )))
            }
        })
    }
}

/// Settings applied to every new connection.
fn prepare(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    match conn.dialect() {
        // WAL lets readers and a writer work at once; the busy timeout makes
        // concurrent writers wait instead of failing; SQLite leaves foreign
        // keys unenforced unless asked.
        Dialect::Sqlite => {
            conn.batch_execute(&format!(
                "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; \
                 PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON;"
            ))?;
            // Decimals are text on SQLite; this orders them by value.
            // Diesel 2.3 hands a collation its two strings right side first
            // (`runtime/tests/decimal_collation.rs` holds it to that), so
            // they are swapped back here.
            #[cfg(feature = "sqlite")]
            if let Some(sqlite) = conn.as_sqlite() {
                sqlite.register_collation(super::raw::DECIMAL_COLLATION, |right: &str, left: &str| {
                    super::raw::compare_decimal_text(left, right)
                })?;
            }
            Ok(())
        }
        Dialect::Postgres | Dialect::Mysql => Ok(()),
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = AnyConnection;
    type Error = DbError;

    fn connect(&self) -> Result<AnyConnection, DbError> {
        let mut conn = self.open().map_err(|e| self.connect_error(&e))?;
        let on_connect = self.on_connect.as_deref();
        prepare(&mut conn).and_then(|()| on_connect.map_or(Ok(()), |sql| conn.batch_execute(sql))).map_err(|e| {
            DbError::Connect(format!("could not prepare the {} connection ({}): {e}", self.url.dialect(), self.url))
        })?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), DbError> {
        conn.ping().map_err(DbError::Query)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}
