use std::fmt;

use super::AnyConnection;

/// Which SQL dialect a connection speaks.
///
/// Almost every query is written once for all backends; the few operators
/// whose SQL differs (case-sensitive `LIKE`, for one) ask for the dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    Mysql,
}

impl Dialect {
    /// The backend's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SQLite",
            Dialect::Postgres => "PostgreSQL",
            Dialect::Mysql => "MySQL",
        }
    }

    /// The cargo feature of `hangar` that compiles this backend in.
    pub fn feature(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
        }
    }

    /// Whether this build of hangar includes the backend.
    pub fn is_compiled_in(self) -> bool {
        match self {
            Dialect::Sqlite => cfg!(feature = "sqlite"),
            Dialect::Postgres => cfg!(feature = "postgres"),
            Dialect::Mysql => cfg!(feature = "mysql"),
        }
    }
}

impl Dialect {
    /// The dialect a statement is being written for.
    pub(crate) fn of(out: &diesel::query_builder::AstPass<'_, '_, super::MultiBackend>) -> Dialect {
        match out.backend() {
            #[cfg(feature = "sqlite")]
            super::MultiBackend::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            super::MultiBackend::Postgres(_) => Dialect::Postgres,
            #[cfg(feature = "mysql")]
            super::MultiBackend::Mysql(_) => Dialect::Mysql,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl AnyConnection {
    /// The PostgreSQL connection inside, for the app's own Diesel queries
    /// on PostgreSQL's types (`Uuid`, `Jsonb`, `Timestamptz`, `Numeric`),
    /// which the multi-backend connection cannot run; `None` on another
    /// backend.
    ///
    /// ```no_run
    /// # use diesel::prelude::*;
    /// # fn demo(conn: &mut hangar::db::AnyConnection) -> QueryResult<()> {
    /// if let Some(pg) = conn.as_postgres() {
    ///     diesel::sql_query("SELECT 1").execute(pg)?;
    /// }
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "postgres")]
    pub fn as_postgres(&mut self) -> Option<&mut diesel::PgConnection> {
        match self {
            AnyConnection::Postgres(conn) => Some(conn),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The MySQL or MariaDB connection inside, for the app's own Diesel
    /// queries on its types; `None` on another backend.
    #[cfg(feature = "mysql")]
    pub fn as_mysql(&mut self) -> Option<&mut diesel::MysqlConnection> {
        match self {
            AnyConnection::Mysql(conn) => Some(conn),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The SQLite connection inside; `None` on another backend.
    #[cfg(feature = "sqlite")]
    pub fn as_sqlite(&mut self) -> Option<&mut diesel::SqliteConnection> {
        match self {
            AnyConnection::Sqlite(conn) => Some(conn),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The dialect this connection speaks.
    pub fn dialect(&self) -> Dialect {
        match self {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            AnyConnection::Postgres(_) => Dialect::Postgres,
            #[cfg(feature = "mysql")]
            AnyConnection::Mysql(_) => Dialect::Mysql,
        }
    }
}
