//! tweepee, peewee's Twitter clone, on hangar: users who follow each other
//! and post messages and notes, with a REST API at `/api/` and login at
//! `/accounts/login/`.

pub mod admin;
pub mod api;
pub mod demo;
pub mod models;
pub mod schema;
pub mod seed;
pub mod site;
pub mod social;

use diesel_migrations::embed_migrations;
use hangar::auth::Auth;
use hangar::db::{Database, DatabaseConfig, DbError, Migrations, PoolOptions};
use hangar::templates::Templates;
use rocket::fairing::AdHoc;
use rocket::{Build, Rocket};

use crate::models::User;

/// hangar's tables: `users`, then the admin's audit log.
static HANGAR_MIGRATIONS: Migrations = hangar::admin::MIGRATIONS.after(&hangar::auth::MIGRATIONS);

/// The schema on every backend, after hangar's tables.
pub static MIGRATIONS: Migrations = Migrations::new()
    .after(&HANGAR_MIGRATIONS)
    .sqlite(embed_migrations!("migrations/sqlite"))
    .postgres(embed_migrations!("migrations/postgres"))
    .mysql(embed_migrations!("migrations/mysql"));

/// The database when neither `DATABASE_URL` nor `database_url` names one.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://tweepee.db";

/// hangar's templates and tweepee's own, embedded in the binary: every
/// file under `templates/`, named by its path there. `templates/hangar/base.hbs`
/// replaces hangar's page frame, so the login and error pages look like the
/// rest of the site.
pub fn templates() -> Result<Templates, hangar::Error> {
    let mut templates = Templates::embedded()?;
    templates.add_all(hangar::embed_templates!("templates"))?;
    Ok(templates)
}

/// The app on its configured database.
pub fn rocket() -> Rocket<Build> {
    app(rocket::build())
}

/// The app's database, routes and API, mounted on `base`.
pub fn app(base: Rocket<Build>) -> Rocket<Build> {
    mount(base.attach(Database::fairing().default_url(DEFAULT_DATABASE_URL).migrations(&MIGRATIONS)))
}

/// The app's routes and API on a database already connected and migrated,
/// such as a test's.
pub fn app_on(base: Rocket<Build>, db: Database) -> Rocket<Build> {
    mount(base.manage(db))
}

fn mount(base: Rocket<Build>) -> Rocket<Build> {
    let base = base
        .attach(AdHoc::try_on_ignite("tweepee templates", |rocket| async {
            match templates() {
                Ok(templates) => Ok(rocket.manage(templates)),
                Err(e) => {
                    eprintln!("tweepee: {e}");
                    Err(rocket)
                }
            }
        }))
        .mount("/", site::routes())
        .register("/", site::catchers());
    let mut auth = Auth::<User>::new();
    // `login_throttle_limit` in Rocket.toml (or ROCKET_LOGIN_THROTTLE_LIMIT)
    // sets how many failed logins a client or a username gets in 15
    // minutes: a fuzzer that sends bad credentials on purpose needs more
    // than the default 10.
    if let Ok(limit) = base.figment().extract_inner::<u32>("login_throttle_limit") {
        auth = auth.throttle(limit, std::time::Duration::from_secs(15 * 60));
    }
    let base = auth.mount(base);
    let base = admin::admin().mount(base);
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
