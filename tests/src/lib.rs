//! hangar's integration-test support: flask-peewee's fixture models, their
//! rows, and a fresh database per test on every available backend.

#![allow(missing_docs, clippy::missing_panics_doc, clippy::print_stderr)]

pub mod api;
pub mod backends;
pub mod fixture;
pub mod models;
pub mod openapi;
pub mod schema;
pub mod statements;

use diesel_migrations::embed_migrations;
use hangar::db::Migrations;

/// hangar's tables the fixture needs beside its own user model: the audit
/// log, the permissions and groups, and the login throttle's counts.
static HANGAR_MIGRATIONS: Migrations = hangar::admin::MIGRATIONS.after(&hangar::auth::PERMISSION_MIGRATIONS);

/// The fixture schema on every backend.
pub static MIGRATIONS: Migrations = Migrations::new()
    .after(&HANGAR_MIGRATIONS)
    .sqlite(embed_migrations!("migrations/sqlite"))
    .postgres(embed_migrations!("migrations/postgres"))
    .mysql(embed_migrations!("migrations/mysql"));
