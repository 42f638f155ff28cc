use std::fmt;

use diesel::backend::Backend;
use diesel::migration::{Migration, MigrationSource};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

use super::{AnyConnection, DbError, Dialect};

/// The PostgreSQL advisory lock instances hold while migrating: "hangar"
/// in ASCII, so that it does not collide with an app's own small keys.
#[cfg(feature = "postgres")]
const MIGRATION_LOCK_KEY: i64 = 0x68_61_6e_67_61_72;
/// The MySQL named lock instances hold while migrating.
#[cfg(feature = "mysql")]
const MIGRATION_LOCK_NAME: &str = "hangar_migrations";
/// How long an instance waits for another's migrations on MySQL.
#[cfg(feature = "mysql")]
const MIGRATION_LOCK_WAIT_SECS: u32 = 600;

/// An app's embedded migrations, one directory per backend.
///
/// SQL differs between backends (`SERIAL`, `AUTO_INCREMENT`,
/// `AUTOINCREMENT`), so an app keeps one migrations directory for each
/// backend it supports and embeds them with diesel's `embed_migrations!`:
///
/// ```
/// use diesel_migrations::embed_migrations;
///
/// // Paths are relative to the crate's Cargo.toml; here, the notes example's.
/// static MIGRATIONS: hangar::db::Migrations = hangar::db::Migrations::new()
///     .sqlite(embed_migrations!("../examples/notes/migrations/sqlite"))
///     .postgres(embed_migrations!("../examples/notes/migrations/postgres"))
///     .mysql(embed_migrations!("../examples/notes/migrations/mysql"));
///
/// let db = hangar::db::Database::connect("sqlite::memory:")?;
/// let applied = db.migrate(&MIGRATIONS)?;
/// assert_eq!(applied, ["20240101000000"]);
/// # Ok::<(), hangar::db::DbError>(())
/// ```
#[derive(Default)]
pub struct Migrations {
    sqlite: Option<EmbeddedMigrations>,
    postgres: Option<EmbeddedMigrations>,
    mysql: Option<EmbeddedMigrations>,
    after: Option<&'static Migrations>,
}

impl Migrations {
    /// No migrations for any backend yet.
    pub const fn new() -> Self {
        Migrations { sqlite: None, postgres: None, mysql: None, after: None }
    }

    /// Runs (and reverts) `first` too, as part of this set: an app's
    /// migrations after hangar's, such as [`crate::auth::MIGRATIONS`].
    pub const fn after(mut self, first: &'static Migrations) -> Self {
        self.after = Some(first);
        self
    }

    /// The migrations to run on SQLite.
    pub const fn sqlite(mut self, migrations: EmbeddedMigrations) -> Self {
        self.sqlite = Some(migrations);
        self
    }

    /// The migrations to run on PostgreSQL.
    pub const fn postgres(mut self, migrations: EmbeddedMigrations) -> Self {
        self.postgres = Some(migrations);
        self
    }

    /// The migrations to run on MySQL and MariaDB.
    pub const fn mysql(mut self, migrations: EmbeddedMigrations) -> Self {
        self.mysql = Some(migrations);
        self
    }

    fn for_dialect(&self, dialect: Dialect) -> Option<&EmbeddedMigrations> {
        match dialect {
            Dialect::Sqlite => self.sqlite.as_ref(),
            Dialect::Postgres => self.postgres.as_ref(),
            Dialect::Mysql => self.mysql.as_ref(),
        }
    }

    /// This set and the ones it comes after, for `dialect`, as one source.
    fn source(&self, dialect: Dialect) -> Result<Chain<'_>, DbError> {
        let mut sets = Vec::new();
        let mut next = Some(self);
        while let Some(migrations) = next {
            match migrations.for_dialect(dialect) {
                Some(set) => sets.push(set),
                None => {
                    return Err(DbError::Migration(format!(
                        "this app has no migrations for {dialect}; add them with `Migrations::{}`",
                        dialect.feature()
                    )))
                }
            }
            next = migrations.after;
        }
        Ok(Chain(sets))
    }

    /// Reverts every applied migration, newest first, dropping what they
    /// created; returns the versions reverted.
    pub fn revert_all(&self, conn: &mut AnyConnection) -> Result<Vec<String>, DbError> {
        let dialect = conn.dialect();
        let source = self.source(dialect)?;
        let failed = |e: Box<dyn std::error::Error + Send + Sync>| {
            DbError::Migration(format!("reverting the {dialect} migrations failed: {e}"))
        };
        let reverted = match conn {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(c) => c.revert_all_migrations(source).map_err(failed)?,
            #[cfg(feature = "postgres")]
            AnyConnection::Postgres(c) => c.revert_all_migrations(source).map_err(failed)?,
            #[cfg(feature = "mysql")]
            AnyConnection::Mysql(c) => c.revert_all_migrations(source).map_err(failed)?,
        };
        Ok(reverted.iter().map(ToString::to_string).collect())
    }

    /// Runs every pending migration for the connection's backend and returns
    /// the versions it applied.
    ///
    /// Instances of an app that launch together take turns: each holds a
    /// lock while it reads what is pending and applies it (an advisory lock
    /// on PostgreSQL, a named lock on MySQL, an immediate transaction on
    /// SQLite), so every migration runs once and every instance succeeds.
    pub fn run_pending(&self, conn: &mut AnyConnection) -> Result<Vec<String>, DbError> {
        let dialect = conn.dialect();
        let source = self.source(dialect)?;
        let failed = |e: Box<dyn std::error::Error + Send + Sync>| {
            DbError::Migration(format!("running the {dialect} migrations failed: {e}"))
        };
        let applied = match conn {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(c) => {
                // Diesel runs each migration in a transaction of its own; inside
                // this one they become savepoints.
                c.immediate_transaction(|c| c.run_pending_migrations(source).map(|v| versions(&v))).map_err(failed)?
            }
            #[cfg(feature = "postgres")]
            AnyConnection::Postgres(c) => {
                use diesel::RunQueryDsl;
                diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                    .execute(c)
                    .map_err(|e| DbError::Migration(format!("taking the migration lock failed: {e}")))?;
                let applied = c.run_pending_migrations(source).map(|v| versions(&v)).map_err(failed);
                let unlocked = diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")).execute(c);
                let applied = applied?;
                unlocked.map_err(|e| DbError::Migration(format!("releasing the migration lock failed: {e}")))?;
                applied
            }
            #[cfg(feature = "mysql")]
            AnyConnection::Mysql(c) => {
                use diesel::RunQueryDsl;
                let taken: Option<i64> =
                    diesel::select(diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                        &format!("GET_LOCK('{MIGRATION_LOCK_NAME}', {MIGRATION_LOCK_WAIT_SECS})"),
                    ))
                    .get_result(c)
                    .map_err(|e| DbError::Migration(format!("taking the migration lock failed: {e}")))?;
                if taken != Some(1) {
                    return Err(DbError::Migration(format!(
                        "another instance held the migration lock `{MIGRATION_LOCK_NAME}` for \
                         {MIGRATION_LOCK_WAIT_SECS} s; is a migration stuck?"
                    )));
                }
                let applied = c.run_pending_migrations(source).map(|v| versions(&v)).map_err(failed);
                let released =
                    diesel::select(diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                        &format!("RELEASE_LOCK('{MIGRATION_LOCK_NAME}')"),
                    ))
                    .get_result::<Option<i64>>(c);
                let applied = applied?;
                released.map_err(|e| DbError::Migration(format!("releasing the migration lock failed: {e}")))?;
                applied
            }
        };
        Ok(applied)
    }
}

fn versions(applied: &[diesel::migration::MigrationVersion<'_>]) -> Vec<String> {
    applied.iter().map(ToString::to_string).collect()
}

impl fmt::Debug for Migrations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Migrations")
            .field("sqlite", &self.sqlite.is_some())
            .field("postgres", &self.postgres.is_some())
            .field("mysql", &self.mysql.is_some())
            .field("after", &self.after)
            .finish()
    }
}

/// Several sets of embedded migrations lent to diesel as one source.
struct Chain<'a>(Vec<&'a EmbeddedMigrations>);

impl<DB: Backend> MigrationSource<DB> for Chain<'_> {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<DB>>>> {
        let mut all = Vec::new();
        for set in &self.0 {
            all.extend(<EmbeddedMigrations as MigrationSource<DB>>::migrations(*set)?);
        }
        Ok(all)
    }
}
