//! The database a suite runs on: a fresh SQLite file, or a fresh database
//! on a PostgreSQL server.

use std::path::Path;

use crate::sql;

/// Which backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the suites use unless told otherwise: the one CI
/// starts (`HANGAR_TEST_POSTGRES_URL`).
pub(crate) fn postgres_server() -> String {
    std::env::var("HANGAR_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The URL of a fresh, empty database called `name`: a file in `dir` on
/// SQLite, a database dropped and created again on the PostgreSQL server
/// whose URL is `server`.
pub(crate) fn fresh_database(backend: Backend, name: &str, dir: &Path, server: &str) -> Result<String, String> {
    match backend {
        Backend::Sqlite => Ok(format!("sqlite://{}", dir.join(format!("{name}.db")).display())),
        Backend::Postgres => {
            sql::execute(server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
            sql::execute(server, &format!("CREATE DATABASE {name}"))?;
            let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
            Ok(format!("{base}/{name}"))
        }
    }
}
