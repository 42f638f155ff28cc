//! The database layer: flask-peewee's `Database`, done the Rocket way.
//!
//! - One connection type, [`AnyConnection`], over SQLite (the default
//!   feature, bundled), PostgreSQL (`postgres`) and MySQL/MariaDB (`mysql`).
//! - An r2d2 pool whose manager picks the backend from the URL and says what
//!   went wrong when it cannot connect.
//! - Every SQLite connection gets WAL, `foreign_keys = ON` and a busy timeout.
//! - [`Database::run`] keeps Diesel's blocking work on blocking threads.
//! - [`Database::fairing`] reads the URL from `DATABASE_URL`, else
//!   `database_url` in Rocket's configuration, else the app's default, runs
//!   the app's [`Migrations`], and manages the pool as state and a request
//!   guard.

mod config;
mod connection;
mod dialect;
mod error;
mod fairing;
mod manager;
mod migrations;
mod pool;
pub(crate) mod raw;
mod url;
mod violation;

pub use config::{DatabaseConfig, UrlSource};
pub(crate) use connection::MultiRawValue;
pub use connection::{AnyConnection, MultiBackend};
pub use dialect::Dialect;
pub use error::DbError;
pub use fairing::DatabaseFairing;
pub use manager::ConnectionManager;
pub use migrations::Migrations;
pub use pool::{Database, PoolOptions};
pub(crate) use raw::{parse_timestamp_text, sqlite_timestamp};
pub use url::DatabaseUrl;
pub use violation::{violation, Violation};
