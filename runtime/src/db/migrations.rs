use std::fmt;

use diesel::backend::Backend;
use diesel::migration::{Migration, MigrationSource};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

use super::{AnyConnection, DbError, Dialect};

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
    pub fn run_pending(&self, conn: &mut AnyConnection) -> Result<Vec<String>, DbError> {
        let dialect = conn.dialect();
        let source = self.source(dialect)?;
        let failed = |e: Box<dyn std::error::Error + Send + Sync>| {
            DbError::Migration(format!("running the {dialect} migrations failed: {e}"))
        };
        let applied = match conn {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(c) => c.run_pending_migrations(source).map_err(failed)?,
            #[cfg(feature = "postgres")]
            AnyConnection::Postgres(c) => c.run_pending_migrations(source).map_err(failed)?,
            #[cfg(feature = "mysql")]
            AnyConnection::Mysql(c) => c.run_pending_migrations(source).map_err(failed)?,
        };
        Ok(applied.iter().map(ToString::to_string).collect())
    }
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
