//! One connection type over every compiled-in backend.

#![allow(missing_docs, missing_debug_implementations, unreachable_pub)]

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!("hangar needs at least one database backend: enable its `sqlite`, `postgres` or `mysql` feature");

/// A connection to SQLite, PostgreSQL or MySQL/MariaDB, whichever the
/// database URL names. Every hangar query runs on it.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    #[cfg(feature = "sqlite")]
    Sqlite(diesel::SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(diesel::PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(diesel::MysqlConnection),
}
