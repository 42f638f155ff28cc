//! hangar's getting-started app, flask-peewee's in Rust: a Note model with
//! the admin at `/admin/`, the REST API at `/api/` and login at
//! `/accounts/login/`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_migrations::embed_migrations;
use hangar::admin::Admin;
use hangar::auth::{Auth, User};
use hangar::db::{Database, Migrations};
use hangar::rest::{authn::UserAuthentication, RestApi};
use rocket::{Build, Rocket};
use serde::Serialize;

diesel::table! {
    note (id) {
        id -> Integer,
        message -> Text,
        created_date -> Timestamp,
    }
}

/// A note: anyone may read them; a logged-in user may write them.
#[derive(Debug, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel)]
#[diesel(table_name = note)]
#[admin(columns(message, created_date), search_fields(message), ordering("-created_date"))]
pub struct Note {
    pub id: i32,
    #[admin(widget = textarea)]
    pub message: String,
    pub created_date: NaiveDateTime,
}

static HANGAR_MIGRATIONS: Migrations = hangar::admin::MIGRATIONS.after(&hangar::auth::MIGRATIONS);

/// hangar's users and audit log, then the notes, on every backend.
pub static MIGRATIONS: Migrations = Migrations::new()
    .after(&HANGAR_MIGRATIONS)
    .sqlite(embed_migrations!("migrations/sqlite"))
    .postgres(embed_migrations!("migrations/postgres"))
    .mysql(embed_migrations!("migrations/mysql"));

/// The app: notes on `sqlite://notes.db` unless `DATABASE_URL` or
/// `database_url` says otherwise.
pub fn rocket() -> Rocket<Build> {
    app(rocket::build())
}

/// The database, login, admin and API, mounted on `base`.
pub fn app(base: Rocket<Build>) -> Rocket<Build> {
    let base = base.attach(Database::fairing().default_url("sqlite://notes.db").migrations(&MIGRATIONS));
    let base = Auth::<User>::new().mount(base);
    let base = Admin::<User>::new().register::<Note>().register::<User>().mount(base);
    RestApi::new("/api").default_auth(UserAuthentication::<User>::new()).register::<Note>().mount(base)
}
