//! hangar's default user model, and the migrations that create its table.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_migrations::embed_migrations;
use serde::Serialize;

use crate::db::Migrations;

#[allow(missing_docs)]
mod schema {
    diesel::table! {
        /// The `users` table of [`User`](super::User).
        users (id) {
            id -> Integer,
            username -> Text,
            password -> Text,
            email -> Text,
            join_date -> Timestamp,
            active -> Bool,
            admin -> Bool,
            staff -> Bool,
        }
    }
}

pub use schema::users;

/// A user: flask-peewee's `User`. Its REST resource never shows the password
/// hash or the email, and a body cannot set `admin` or `active`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Identifiable,
    Serialize,
    hangar::Model,
    hangar::RestResource,
    hangar::UserModel,
)]
#[diesel(table_name = users)]
#[model(verbose_name_plural = "Users", display = username)]
#[rest(exclude(password, email, staff), readonly_fields(admin, active, staff))]
pub struct User {
    /// The primary key.
    pub id: i32,
    /// The unique name to log in with.
    #[model(max_length = 150, not_blank)]
    pub username: String,
    /// The PBKDF2 hash of the password.
    #[model(max_length = 255)]
    #[serde(skip)]
    pub password: String,
    /// The email address.
    #[model(max_length = 255, db_default)]
    pub email: String,
    /// When the user joined.
    #[model(db_default)]
    pub join_date: NaiveDateTime,
    /// Whether the user may log in.
    pub active: bool,
    /// Whether the user may use the admin.
    #[model(verbose_name = "Can access admin")]
    pub admin: bool,
    /// Whether the user may use the admin as far as their permissions go.
    #[model(verbose_name = "Staff", db_default)]
    pub staff: bool,
}

/// The `users` table on every backend, the login throttle's
/// ([`THROTTLE_MIGRATIONS`](super::THROTTLE_MIGRATIONS)), and the
/// permissions' ([`PERMISSION_MIGRATIONS`](super::PERMISSION_MIGRATIONS)). An app that uses
/// [`User`] runs these before its own:
/// `Migrations::new().after(&hangar::auth::MIGRATIONS)`.
pub static MIGRATIONS: Migrations = Migrations::new()
    .after(&super::PERMISSION_MIGRATIONS)
    .sqlite(embed_migrations!("migrations/users/sqlite"))
    .postgres(embed_migrations!("migrations/users/postgres"))
    .mysql(embed_migrations!("migrations/users/mysql"));
