//! Mounting the database in a Rocket app.

use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Build, Ignite, Rocket, Sentinel};

use super::{Database, DatabaseConfig, DbError, Migrations, PoolOptions};

/// Connects the app's [`Database`] at launch and manages it as state.
///
/// The URL comes from `DATABASE_URL`, else `database_url` in Rocket's
/// configuration, else [`DatabaseFairing::default_url`]. A bad URL, a
/// backend that was not compiled in, or an unreachable server stops the
/// launch with a message that says which and what to do.
#[derive(Debug, Default)]
pub struct DatabaseFairing {
    default_url: Option<String>,
    migrations: Option<&'static Migrations>,
    pool: PoolOptions,
}

impl Database {
    /// A fairing that connects the database when the app launches.
    pub fn fairing() -> DatabaseFairing {
        DatabaseFairing::default()
    }
}

impl DatabaseFairing {
    /// The URL to use when neither `DATABASE_URL` nor `database_url` is set.
    #[must_use]
    pub fn default_url(mut self, url: impl Into<String>) -> Self {
        self.default_url = Some(url.into());
        self
    }

    /// Runs these migrations at launch.
    #[must_use]
    pub fn migrations(mut self, migrations: &'static Migrations) -> Self {
        self.migrations = Some(migrations);
        self
    }

    /// The pool size when `database_pool_size` is not configured.
    #[must_use]
    pub fn pool_size(mut self, max_size: u32) -> Self {
        self.pool.max_size = max_size;
        self
    }

    async fn connect(&self, rocket: &Rocket<Build>) -> Result<Database, DbError> {
        let env_url = std::env::var("DATABASE_URL").ok();
        let config = DatabaseConfig::resolve(rocket.figment(), env_url, self.default_url.as_deref(), &self.pool)?;
        let migrations = self.migrations;
        let task = rocket::tokio::task::spawn_blocking(move || {
            let db = Database::connect_with(&config.url, &config.pool)?;
            if let Some(migrations) = migrations {
                for version in db.migrate(migrations)? {
                    log::info!("applied migration {version}");
                }
            }
            Ok::<_, DbError>(db)
        });
        task.await.map_err(|e| DbError::Task(format!("connecting to the database failed: {e}")))?
    }
}

#[rocket::async_trait]
impl Fairing for DatabaseFairing {
    fn info(&self) -> Info {
        Info { name: "hangar database", kind: Kind::Ignite }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        match self.connect(&rocket).await {
            Ok(db) => {
                log::info!("database: {} (pool of {})", db.url(), db.pool_size());
                Ok(rocket.manage(db))
            }
            Err(e) => {
                log::error!("{e}");
                eprintln!("hangar: {e}");
                Err(rocket)
            }
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Database {
    type Error = DbError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, DbError> {
        match request.rocket().state::<Database>() {
            Some(db) => Outcome::Success(db.clone()),
            None => Outcome::Error((
                Status::InternalServerError,
                DbError::Config("the database is not managed; attach `Database::fairing()`".into()),
            )),
        }
    }
}

impl Sentinel for Database {
    /// Stops the launch when a route asks for the database but no
    /// [`DatabaseFairing`] is attached.
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        let missing = rocket.state::<Database>().is_none();
        if missing {
            log::error!("a route uses `Database`, but no database is managed; attach `Database::fairing()`");
        }
        missing
    }
}
