//! What the private PostgreSQL server says about the app's sessions: which
//! backend waits on a lock this suite holds, what it is running, which
//! tables it has already written to in its open transaction.

use std::thread::sleep;
use std::time::{Duration, Instant};

use diesel::r2d2::PooledConnection;
use hangar::db::{AnyConnection, ConnectionManager, Database};

use crate::sql::{self, text};

/// Why the faults cannot run on this build.
pub(crate) const NOT_POSTGRES: &str =
    "the faults suite runs on PostgreSQL: build hangar-reliability with `--features postgres`";

/// A transaction this suite holds open on its own connection, with the
/// locks its statements took, until [`release`](Holder::release).
pub(crate) struct Holder {
    conn: PooledConnection<ConnectionManager>,
    /// Its backend's process id on the server.
    pub(crate) pid: i64,
    _db: Database,
}

impl std::fmt::Debug for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Holder").field("pid", &self.pid).finish_non_exhaustive()
    }
}

impl Holder {
    /// `BEGIN; <statements>` on a connection of its own to `url`, left open.
    pub(crate) fn begin(url: &str, statements: &str) -> Result<Holder, String> {
        let db = sql::connect(url)?;
        let mut conn = db.get().map_err(|e| format!("a connection to hold locks on: {e}"))?;
        let pid = sql::number(&mut conn, "SELECT CAST(pg_backend_pid() AS BIGINT) AS n")?;
        sql::batch(&mut conn, &format!("BEGIN; {statements}"))?;
        Ok(Holder { conn, pid, _db: db })
    }

    /// Ends the transaction, and with it every lock it held.
    pub(crate) fn release(mut self) -> Result<(), String> {
        sql::batch(&mut self.conn, "ROLLBACK")
    }
}

/// What a backend blocked on a [`Holder`]'s lock was doing.
#[derive(Debug, Clone)]
pub(crate) struct Waiter {
    pub(crate) pid: i64,
    /// The statement it waits in.
    pub(crate) query: String,
    /// `Lock/relation`, `Lock/transactionid`, ...
    pub(crate) wait: String,
    /// Its transaction's id: set only once it has written something.
    pub(crate) xid: String,
    /// How long its transaction has been open.
    pub(crate) open_for: String,
    /// The tables on which it holds a granted `RowExclusiveLock`: the ones
    /// it has inserted into, updated or deleted from so far.
    pub(crate) written: Vec<String>,
}

/// The backends that wait on `holder`'s locks.
pub(crate) fn waiting_on(conn: &mut AnyConnection, holder_pid: i64) -> Result<Vec<i64>, String> {
    let list = text(
        conn,
        &format!(
            "SELECT COALESCE(string_agg(CAST(pid AS TEXT), ',' ORDER BY pid), '') AS t \
             FROM pg_stat_activity WHERE {holder_pid} = ANY(pg_blocking_pids(pid))"
        ),
    )?;
    Ok(list.split(',').filter_map(|p| p.parse().ok()).collect())
}

/// Waits up to `limit` until `count` backends wait on `holder`, checking
/// `gave_up` in between (say, the request that should block has already
/// been answered).
pub(crate) fn wait_for_waiters(
    conn: &mut AnyConnection,
    holder: &Holder,
    count: usize,
    limit: Duration,
    gave_up: impl Fn() -> Option<String>,
) -> Result<Vec<i64>, String> {
    let started = Instant::now();
    loop {
        let waiters = waiting_on(conn, holder.pid)?;
        if waiters.len() >= count {
            return Ok(waiters);
        }
        if let Some(why) = gave_up() {
            return Err(why);
        }
        if started.elapsed() > limit {
            return Err(format!(
                "after {limit:?}, {} of {count} backends waited on the suite's lock (backend {})",
                waiters.len(),
                holder.pid
            ));
        }
        sleep(Duration::from_millis(20));
    }
}

/// What backend `pid` runs, waits on and has written.
pub(crate) fn describe(conn: &mut AnyConnection, pid: i64) -> Result<Waiter, String> {
    let row = |column: &str| {
        format!("SELECT COALESCE(CAST({column} AS TEXT), '') AS t FROM pg_stat_activity WHERE pid = {pid}")
    };
    let query = text(conn, &row("query"))?;
    let wait = text(conn, &row("wait_event_type || '/' || wait_event"))?;
    let xid = text(conn, &row("backend_xid"))?;
    let open_for = text(conn, &row("date_trunc('milliseconds', now() - xact_start)"))?;
    let written = text(
        conn,
        &format!(
            "SELECT COALESCE(string_agg(c.relname, ',' ORDER BY c.relname), '') AS t \
             FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
             WHERE l.pid = {pid} AND l.granted AND l.mode = 'RowExclusiveLock' AND c.relkind = 'r'"
        ),
    )?;
    let written = written.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect();
    Ok(Waiter { pid, query, wait, xid, open_for, written })
}

/// Waits up to `limit` until backend `pid` has gone (its client died and
/// the server rolled its transaction back).
pub(crate) fn wait_until_gone(conn: &mut AnyConnection, pid: i64, limit: Duration) -> Result<Duration, String> {
    let started = Instant::now();
    loop {
        let left = sql::number(
            conn,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pg_stat_activity WHERE pid = {pid}"),
        )?;
        if left == 0 {
            return Ok(started.elapsed());
        }
        if started.elapsed() > limit {
            return Err(format!("backend {pid} was still there {limit:?} after its client was killed"));
        }
        sleep(Duration::from_millis(20));
    }
}
