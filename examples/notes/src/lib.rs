//! hangar's getting-started app: notes, listed as JSON with filters,
//! ordering and pagination.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_migrations::embed_migrations;
use hangar::db::{Database, Migrations};
use hangar::forms::Params;
use hangar::query::{ListOptions, ListQuery};
use hangar::rest::{list_envelope, ApiError};
use hangar::Model as _;
use rocket::http::uri::Origin;
use rocket::serde::json::Json;
use rocket::{get, routes, Build, Rocket};
use serde::Serialize;

diesel::table! {
    note (id) {
        id -> Integer,
        message -> Text,
        created_date -> Timestamp,
    }
}

/// A note.
#[derive(Debug, Queryable, Selectable, Serialize, hangar::Model)]
#[diesel(table_name = note)]
pub struct Note {
    pub id: i32,
    pub message: String,
    pub created_date: NaiveDateTime,
}

/// The schema on every backend.
pub static MIGRATIONS: Migrations = Migrations::new()
    .sqlite(embed_migrations!("migrations/sqlite"))
    .postgres(embed_migrations!("migrations/postgres"))
    .mysql(embed_migrations!("migrations/mysql"));

/// `GET /api/note/?message__ilike=%hello%&ordering=-id&limit=2`
#[get("/api/note")]
async fn list(db: Database, uri: &Origin<'_>) -> Result<Json<serde_json::Value>, ApiError> {
    let list = ListQuery::<Note>::parse_strict(&Params::of_query(uri), &ListOptions::default())?;
    let page = db.run(move |conn| list.fetch(conn)).await?;
    let objects = page.objects.iter().map(serde_json::to_value).collect::<Result<_, _>>();
    let objects = objects.map_err(|e| hangar::Error::BadRequest(e.to_string()))?;
    let query = uri.query().map(|q| q.as_str());
    Ok(Json(list_envelope(Note::meta(), &page, uri.path().as_str(), query, objects)))
}

/// The app: notes on `sqlite://notes.db` unless `DATABASE_URL` or
/// `database_url` says otherwise.
pub fn rocket() -> Rocket<Build> {
    app(rocket::build())
}

/// The notes routes and database, mounted on `base`.
pub fn app(base: Rocket<Build>) -> Rocket<Build> {
    base.attach(Database::fairing().default_url("sqlite://notes.db").migrations(&MIGRATIONS)).mount("/", routes![list])
}
