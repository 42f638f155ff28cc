//! What the pool does as it hands out a connection: a connection to a
//! server is tested first, so one the server dropped is replaced rather
//! than failing the request; an embedded SQLite connection, which has no
//! server to lose, is handed out untested, with no statement of its own.
//!
//! The statements are counted on the pooled connection itself, so that
//! another pool filling itself in the background (the test database's
//! own) cannot add to the count.

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::{Connection, Instrumentation, InstrumentationEvent};
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, RunQueryDsl};
use hangar::db::{AnyConnection, Database, DbError, Dialect, PoolOptions};
use hangar_tests::backends::{backends, TestDb};

/// Statements started, in every connection.
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// Counts into [`STATEMENTS`] the statements `conn` starts.
fn count_statements(conn: &mut AnyConnection) {
    let counter: Box<dyn Instrumentation> = Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
        }
    });
    conn.set_instrumentation(counter);
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The server's id of the session `conn` is.
fn session_id(conn: &mut AnyConnection, dialect: Dialect) -> Result<i64, DbError> {
    let sql = match dialect {
        Dialect::Postgres => "SELECT CAST(pg_backend_pid() AS BIGINT) AS id",
        Dialect::Mysql => "SELECT CAST(CONNECTION_ID() AS SIGNED) AS id",
        Dialect::Sqlite => "SELECT 1 AS id",
    };
    Ok(diesel::sql_query(sql).get_result::<Id>(conn)?.id)
}

#[rocket::async_test]
async fn a_connection_is_tested_only_where_a_server_can_drop_it() {
    for dialect in backends() {
        let test = TestDb::bare(dialect);
        // One connection, so every request below is handed the same one.
        let db = Database::connect_with(&test.url, &PoolOptions { max_size: 1, ..PoolOptions::default() })
            .expect("the pool opens");
        let first = db
            .run(move |conn| {
                count_statements(conn);
                session_id(conn, dialect)
            })
            .await
            .expect("a first request");

        STATEMENTS.store(0, Ordering::Relaxed);
        db.run(move |conn| session_id(conn, dialect)).await.expect("a second request");
        let tested = dialect != Dialect::Sqlite;
        let expected = if tested { 2 } else { 1 };
        assert_eq!(STATEMENTS.load(Ordering::Relaxed), expected, "statements for one request on {dialect}");

        if !tested {
            continue;
        }
        // The server ends the pooled session, as a restart or an idle
        // timeout would; the next request gets a new one and succeeds.
        let kill = match dialect {
            Dialect::Postgres => format!("SELECT CAST(1 AS BIGINT) AS id FROM pg_terminate_backend({first}) AS t"),
            _ => format!("KILL {first}"),
        };
        let mut admin = test.db.get().expect("another connection");
        match dialect {
            Dialect::Postgres => drop(diesel::sql_query(kill).get_result::<Id>(&mut *admin).expect("terminated")),
            _ => drop(diesel::sql_query(kill).execute(&mut *admin).expect("killed")),
        }
        let gone = match dialect {
            Dialect::Postgres => format!("SELECT COUNT(*) AS id FROM pg_stat_activity WHERE pid = {first}"),
            _ => format!("SELECT COUNT(*) AS id FROM information_schema.processlist WHERE id = {first}"),
        };
        for _ in 0..100 {
            if diesel::sql_query(&gone).get_result::<Id>(&mut *admin).expect("the sessions").id == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let next = db.run(move |conn| session_id(conn, dialect)).await;
        let next =
            next.unwrap_or_else(|e| panic!("a request after the server dropped the connection on {dialect}: {e}"));
        assert_ne!(next, first, "a new session on {dialect}");
    }
}
