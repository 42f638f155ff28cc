use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use diesel::r2d2::{ManageConnection, Pool, PooledConnection};

use super::{AnyConnection, ConnectionManager, DatabaseUrl, DbError, Dialect, Migrations};

/// Settings for the connection pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolOptions {
    /// The most connections open at once. An in-memory SQLite database always
    /// uses exactly one, since each connection would see its own database.
    pub max_size: u32,
    /// How long a request waits for a free connection before failing.
    pub timeout: Duration,
    /// SQL run on every new connection after hangar's own settings, as
    /// Django's `init_command`: `SET time_zone = '+00:00'` on MariaDB, say.
    /// hangar's own reads and writes do not depend on the session's
    /// settings; an app's own SQL may.
    pub on_connect: Option<String>,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions { max_size: 10, timeout: Duration::from_secs(5), on_connect: None }
    }
}

/// A pool of database connections: flask-peewee's `Database`.
///
/// It is cheap to clone. Attach [`Database::fairing`] to a Rocket app to
/// configure it from the app's settings, manage it as state, and use it as a
/// request guard:
///
/// ```
/// use hangar::db::{Database, DbError};
///
/// #[rocket::get("/count")]
/// async fn count(db: Database) -> Result<String, hangar::rest::ApiError> {
///     let n = db.run(|conn| {
///         use diesel::prelude::*;
///         diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1 + 1"))
///             .get_result::<i32>(conn)
///             .map_err(DbError::from)
///     }).await?;
///     Ok(n.to_string())
/// }
///
/// let app = rocket::build()
///     .attach(Database::fairing().default_url("sqlite::memory:"))
///     .mount("/", rocket::routes![count]);
/// # drop(app);
/// ```
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool<ConnectionManager>,
    url: DatabaseUrl,
    /// SQLite takes one writer at a time; writers that queue here wait their
    /// turn in order instead of polling the database lock with sleeps.
    writer: std::sync::Mutex<()>,
    /// One permit a connection: work waits here, as a task, for its turn,
    /// rather than on a blocking thread of its own that waits for the pool.
    /// Under more concurrent requests than connections, that keeps Tokio's
    /// blocking threads (and their memory) to about the pool's size.
    permits: Arc<rocket::tokio::sync::Semaphore>,
}

impl Database {
    /// Connects to `url` with the default pool settings.
    pub fn connect(url: &str) -> Result<Self, DbError> {
        Self::connect_with(url, &PoolOptions::default())
    }

    /// Connects to `url`. The first connection is opened at once, so a bad
    /// URL or an unreachable server fails here with a message that says so.
    pub fn connect_with(url: &str, options: &PoolOptions) -> Result<Self, DbError> {
        let url = DatabaseUrl::parse(url)?;
        if options.max_size == 0 {
            return Err(DbError::Config("the database pool size must be at least 1".into()));
        }
        let manager = ConnectionManager::new(url.clone()).on_connect(options.on_connect.clone());
        drop(manager.connect()?);
        // A connection to a server can be dropped while it idles (a restart,
        // a proxy's timeout), so the pool tests each one as it hands it out.
        // An embedded SQLite connection has no server to lose: testing it
        // ran a `SELECT 1` before every request's own statements.
        let test_on_check_out = url.dialect() != Dialect::Sqlite;
        let builder = Pool::builder().connection_timeout(options.timeout).test_on_check_out(test_on_check_out);
        let builder = if url.is_memory() {
            // One connection, kept forever: closing it would drop the database.
            builder.max_size(1).min_idle(Some(1)).idle_timeout(None).max_lifetime(None)
        } else {
            builder.max_size(options.max_size).min_idle(Some(options.max_size.min(2)))
        };
        let pool = builder.build_unchecked(manager);
        let permits = Arc::new(rocket::tokio::sync::Semaphore::new(usize::try_from(pool.max_size()).unwrap_or(1)));
        Ok(Database { inner: Arc::new(Inner { pool, url, writer: std::sync::Mutex::new(()), permits }) })
    }

    /// The URL, with any password hidden.
    pub fn url(&self) -> &DatabaseUrl {
        &self.inner.url
    }

    /// The backend's dialect.
    pub fn dialect(&self) -> Dialect {
        self.inner.url.dialect()
    }

    /// The most connections the pool opens.
    pub fn pool_size(&self) -> u32 {
        self.inner.pool.max_size()
    }

    /// Takes a connection from the pool, blocking until one is free.
    ///
    /// Use this from command-line tools and tests; in request handlers use
    /// [`Database::run`], which keeps blocking work off the async executor.
    pub fn get(&self) -> Result<PooledConnection<ConnectionManager>, DbError> {
        self.inner.pool.get().map_err(|e| {
            DbError::Pool(format!(
                "no database connection to {} became free within {:?} (pool size {}): {e}",
                self.inner.url,
                self.inner.pool.connection_timeout(),
                self.inner.pool.max_size()
            ))
        })
    }

    /// Runs `f` with a pooled connection on a blocking thread.
    ///
    /// Diesel is synchronous; this keeps its work off Rocket's executor.
    /// `f` returns a `Result` whose error type can absorb a [`DbError`], so
    /// a pool timeout and a query error come back the same way.
    pub async fn run<F, T, E>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.spawn(false, f).await
    }

    /// Like [`Database::run`], for work that writes. On SQLite, where one
    /// connection writes at a time, writers take turns in this process
    /// rather than wait on the database's lock; elsewhere it is `run`.
    pub async fn run_write<F, T, E>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.spawn(self.dialect() == Dialect::Sqlite, f).await
    }

    async fn spawn<F, T, E>(&self, take_turn: bool, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        let timeout = self.inner.pool.connection_timeout();
        let waited = rocket::tokio::time::timeout(timeout, self.inner.permits.clone().acquire_owned()).await;
        // The wait for a permit is the wait for a connection: time it out the same way.
        let Ok(Ok(permit)) = waited else {
            return Err(DbError::Pool(format!(
                "no database connection to {} became free within {timeout:?} (pool size {})",
                self.inner.url,
                self.inner.pool.max_size()
            ))
            .into());
        };
        let task = rocket::tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let _turn = take_turn.then(|| db.inner.writer.lock().unwrap_or_else(|e| e.into_inner()));
            let mut conn = db.get()?;
            f(&mut conn)
        });
        match task.await {
            Ok(result) => result,
            Err(e) => Err(DbError::Task(format!("the database task failed: {e}")).into()),
        }
    }

    /// Runs the app's pending migrations for this backend, returning the
    /// versions applied.
    pub fn migrate(&self, migrations: &Migrations) -> Result<Vec<String>, DbError> {
        let mut conn = self.get()?;
        migrations.run_pending(&mut conn)
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Database")
            .field("url", &self.inner.url)
            .field("pool_size", &self.inner.pool.max_size())
            .finish()
    }
}
