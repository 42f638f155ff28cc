//! SQL run by the suites themselves, beside the app: counting rows, taking
//! locks, reading what the server says about its sessions.

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
use hangar::db::{AnyConnection, Database, PoolOptions};

/// One connection to `url`, outside any pool the app has.
pub(crate) fn connect(url: &str) -> Result<Database, String> {
    let options = PoolOptions { max_size: 2, ..PoolOptions::default() };
    Database::connect_with(url, &options).map_err(|e| format!("cannot connect to {url}: {e}"))
}

/// Runs `statements` (several, separated by `;`) on `url`.
pub(crate) fn execute(url: &str, statements: &str) -> Result<(), String> {
    let db = connect(url)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    batch(&mut conn, statements)
}

/// Runs `statements` on `conn`.
pub(crate) fn batch(conn: &mut AnyConnection, statements: &str) -> Result<(), String> {
    conn.batch_execute(statements).map_err(|e| format!("{statements}: {e}"))
}

#[derive(diesel::QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The one number `query` selects, named `n` and cast to a 64-bit integer:
/// `SELECT CAST(COUNT(*) AS BIGINT) AS n FROM message`.
pub(crate) fn number(conn: &mut AnyConnection, query: &str) -> Result<i64, String> {
    let rows: Vec<Number> = diesel::sql_query(query).load(conn).map_err(|e| format!("{query}: {e}"))?;
    rows.first().map(|r| r.n).ok_or_else(|| format!("{query}: no row"))
}

/// [`number`] on a fresh connection to `url`.
pub(crate) fn number_at(url: &str, query: &str) -> Result<i64, String> {
    let db = connect(url)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    number(&mut conn, query)
}

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

/// The one text `query` selects, named `t`: `SELECT query AS t FROM ...`.
pub(crate) fn text(conn: &mut AnyConnection, query: &str) -> Result<String, String> {
    let rows: Vec<Text> = diesel::sql_query(query).load(conn).map_err(|e| format!("{query}: {e}"))?;
    rows.into_iter().next().map(|r| r.t).ok_or_else(|| format!("{query}: no row"))
}

/// The texts `query` selects, one a row, named `t`:
/// `SELECT version AS t FROM __diesel_schema_migrations ORDER BY version`.
pub(crate) fn texts_at(url: &str, query: &str) -> Result<Vec<String>, String> {
    let db = connect(url)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let rows: Vec<Text> = diesel::sql_query(query).load(&mut *conn).map_err(|e| format!("{query}: {e}"))?;
    Ok(rows.into_iter().map(|r| r.t).collect())
}
