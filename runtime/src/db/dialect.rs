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

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl AnyConnection {
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
