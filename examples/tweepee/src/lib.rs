//! tweepee, peewee's Twitter clone, on hangar: users who follow each other
//! and post messages and notes, with a REST API at `/api/`.

pub mod api;
pub mod models;
pub mod schema;
pub mod seed;

use diesel_migrations::embed_migrations;
use hangar::db::{Database, DatabaseConfig, DbError, Migrations, PoolOptions};
use rocket::serde::json::Json;
use rocket::{get, routes, Build, Rocket};

/// The schema on every backend, after hangar's `users` table.
pub static MIGRATIONS: Migrations = Migrations::new()
    .after(&hangar::auth::MIGRATIONS)
    .sqlite(embed_migrations!("migrations/sqlite"))
    .postgres(embed_migrations!("migrations/postgres"))
    .mysql(embed_migrations!("migrations/mysql"));

/// The database when neither `DATABASE_URL` nor `database_url` names one.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://tweepee.db";

/// Where things are.
#[get("/")]
fn index() -> Json<serde_json::Value> {
    Json(serde_json::json!({"name": "tweepee", "api": "/api/", "openapi": "/api/openapi.json"}))
}

/// The app on its configured database.
pub fn rocket() -> Rocket<Build> {
    app(rocket::build())
}

/// The app's database, routes and API, mounted on `base`.
pub fn app(base: Rocket<Build>) -> Rocket<Build> {
    let base = base
        .attach(Database::fairing().default_url(DEFAULT_DATABASE_URL).migrations(&MIGRATIONS))
        .mount("/", routes![index]);
    api::api().mount(base)
}

/// The configured database, migrated, for the command-line tools: from
/// `DATABASE_URL`, else `database_url` in Rocket's configuration, else
/// `tweepee.db`.
pub fn database() -> Result<Database, DbError> {
    let env_url = std::env::var("DATABASE_URL").ok();
    let config = DatabaseConfig::resolve(
        &rocket::Config::figment(),
        env_url,
        Some(DEFAULT_DATABASE_URL),
        &PoolOptions::default(),
    )?;
    let db = Database::connect_with(&config.url, &config.pool)?;
    db.migrate(&MIGRATIONS)?;
    Ok(db)
}
