//! The load suite: tweepee in release under a mixed workload from wrk,
//! one wrk process per kind of request, all at once. It fails on any 5xx,
//! on too few 2xx of any kind, on a timed-out request, and when the rows in
//! `message` are not the seeded ones plus the acknowledged creates minus
//! the acknowledged deletes.

mod cpu;
mod kinds;
mod verdict;
mod wrk;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::app::{self, Tweepee};
use crate::backend::{self, Backend};
use crate::http::Client;
use crate::sql;

use kinds::{Kind, Layout, Plan};
use verdict::{Floor, Rows};
use wrk::Tally;

/// The wrk scripts, embedded: [`Plan::lua`] goes first, then these two.
const TALLY_LUA: &str = include_str!("../lua/tally.lua");
const REQUESTS_LUA: &str = include_str!("../lua/requests.lua");

/// Settings of the load suite.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// The database tweepee runs on.
    #[arg(long, value_enum, default_value = "sqlite")]
    backend: Backend,
    /// How long wrk runs.
    #[arg(long, default_value_t = 20)]
    seconds: u32,
    /// Connections in all, shared out between the 8 kinds of request.
    #[arg(long, default_value_t = 64)]
    connections: u32,
    /// The PostgreSQL server on which the database `hangar_load` is made
    /// afresh (default: HANGAR_TEST_POSTGRES_URL, else the local server).
    #[arg(long)]
    database_url: Option<String>,
    /// Users to seed: creates, changes and deletes are spread over them,
    /// and each is warmed up before the run (see [`warm_up`]).
    #[arg(long, default_value_t = 16)]
    users: usize,
    /// Messages to seed: the first half is read and changed, the second
    /// half deleted, each once; deletes stop (and say so) if they run out.
    #[arg(long, default_value_t = 200_000)]
    messages: usize,
    /// Each kind needs at least this many 2xx answers a second.
    #[arg(long, default_value_t = 5.0)]
    min_2xx_per_second: f64,
    /// And at least this share of its answers must be 2xx.
    #[arg(long, default_value_t = 0.999)]
    min_2xx_share: f64,
    /// Seconds after which wrk counts a request as timed out (a failure).
    #[arg(long, default_value_t = 5)]
    timeout: u32,
    /// How long before the end creates and deletes stop, in ms, so none is
    /// in flight when wrk stops and the rows can be counted exactly.
    #[arg(long, default_value_t = 1000)]
    quiet_ms: u64,
    /// tweepee's database pool size (ROCKET_DATABASE_POOL_SIZE); hangar's
    /// default when left out.
    #[arg(long)]
    pool_size: Option<u32>,
    /// Keep the working directory (database file, tweepee's log, scripts)
    /// even when the run passes.
    #[arg(long)]
    keep: bool,
}

/// The connections of each kind: `total` shared out as evenly as it goes.
fn shares(total: u32) -> Result<Vec<(Kind, u32)>, String> {
    let kinds = Kind::ALL.len() as u32;
    if total < kinds {
        return Err(format!("--connections must be at least {kinds}: one for each kind of request"));
    }
    Ok(Kind::ALL.iter().zip(0..).map(|(kind, i)| (*kind, total / kinds + u32::from(i < total % kinds))).collect())
}

fn unix_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis())
}

pub(crate) fn run(tweepee: &Path, options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let dir = tempfile::Builder::new().prefix("hangar-load-").tempdir().map_err(|e| e.to_string())?;
    let outcome = run_in(tweepee, options, dir.path());
    let kept = options.keep || outcome.is_err();
    let path = if kept { Some(dir.keep()) } else { None };
    if let Some(path) = &path {
        println!("kept {} (tweepee.log, the database file on SQLite, the wrk scripts)", path.display());
    }
    println!("load suite on {:?}: {:.1} s wall time", options.backend, started.elapsed().as_secs_f64());
    outcome
}

fn run_in(tweepee: &Path, options: &Options, dir: &Path) -> Result<(), String> {
    let connections = shares(options.connections)?;
    let layout = Layout::new(options.users, options.messages)?;
    let seconds = options.seconds;
    if u64::from(seconds) * 1000 <= options.quiet_ms * 2 {
        return Err(format!("--seconds {seconds} is too short for a quiet tail of {} ms", options.quiet_ms));
    }
    wrk_is_installed()?;

    let server = options.database_url.clone().unwrap_or_else(backend::postgres_server);
    let database_url = backend::fresh_database(options.backend, "hangar_load", dir, &server)?;
    let mut env = Vec::new();
    if let Some(size) = options.pool_size {
        env.push(("ROCKET_DATABASE_POOL_SIZE".to_owned(), size.to_string()));
    }
    let app =
        Tweepee { binary: tweepee.to_path_buf(), database_url: database_url.clone(), dir: dir.to_path_buf(), env };
    let seeding = Instant::now();
    app.seed(options.users, options.messages)?;
    println!(
        "seeded {} users and {} messages on {:?} in {:.1} s",
        options.users,
        options.messages,
        options.backend,
        seeding.elapsed().as_secs_f64()
    );
    let mut running = app.serve(app::free_port()?, "tweepee")?;
    let base = running.base();
    let cookie = Client::default().login(&base, "admin", "admin")?;
    let warming = Instant::now();
    warm_up(&base, options.users)?;
    println!(
        "warmed up the Basic credentials of {} users in {:.1} s (two writes each, one user at a time)",
        options.users,
        warming.elapsed().as_secs_f64()
    );

    let cpu_before = cpu::mark(running.pid());
    let wrk_started = Instant::now();
    let quiet_from_ms = unix_ms() + u128::from(seconds) * 1000 - u128::from(options.quiet_ms);
    let mut children = Vec::new();
    for (kind, conns) in &connections {
        let plan = Plan { kind: *kind, layout: &layout, cookie: &cookie, quiet_from_ms };
        let script = write_script(dir, &plan)?;
        let settings = wrk::Settings { base: &base, connections: *conns, seconds, timeout: options.timeout };
        children.push((*kind, *conns, wrk::spawn(&script, settings)?));
    }
    println!(
        "{} connections on {} kinds of request for {seconds} s against {base} ({:?})",
        options.connections,
        connections.len(),
        options.backend
    );
    let mut tallies: Vec<(Kind, u32, Tally)> = Vec::new();
    let mut errors = Vec::new();
    for (kind, conns, child) in children {
        match wrk::finish(child, kind) {
            Ok(tally) => tallies.push((kind, conns, tally)),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let cpu = cpu::since(cpu_before, running.pid(), wrk_started.elapsed());

    let floor = Floor {
        per_second: options.min_2xx_per_second,
        share: options.min_2xx_share,
        seconds,
        quiet_ms: options.quiet_ms,
    };
    println!("\n{}", verdict::table(&tallies, &floor));
    println!("{cpu}");
    let mut failures = verdict::failures(&tallies, &floor);
    for (kind, _, tally) in &tallies {
        if tally.exhausted {
            println!("note: {} ran out of seeded ids and stopped early; seed more with --messages", kind.name());
        }
        if !tally.samples.is_empty() {
            println!("{}: first unexpected answers: {}", kind.name(), tally.samples.join(" | "));
        }
    }

    let acked = |kind: Kind| tallies.iter().find(|(k, _, _)| *k == kind).map_or(0, |(_, _, t)| t.acked);
    let unanswered: u64 = tallies.iter().filter(|(k, _, _)| k.counts_rows()).map(|(_, _, t)| t.unanswered()).sum();
    let (creates, deletes) = (to_i64(acked(Kind::Create)), to_i64(acked(Kind::Delete)));
    let seeded = to_i64(options.messages as u64);
    let doomed = to_i64((layout.doomed.end() + 1 - layout.doomed.start()) as u64);
    let expected = Rows { total: seeded + creates - deletes, created: creates, doomed_left: doomed - deletes };
    let found = count_rows(&database_url, &layout)?;
    println!(
        "rows: {} in message = {seeded} seeded + {creates} acknowledged creates - {deletes} acknowledged deletes? {}",
        found.total,
        if found == expected { "yes" } else { "NO" }
    );
    failures.extend(verdict::row_failures(expected, found, unanswered));

    failures.extend(still_serving(&base));
    let (status, took) = running.terminate(Duration::from_secs(30))?;
    println!("tweepee stopped on SIGTERM with {status} in {:.2} s", took.as_secs_f64());
    failures.extend(panics(&running.log));

    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{} broken promises:\n  - {}", failures.len(), failures.join("\n  - ")))
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Fails early, before seeding, when wrk is missing.
fn wrk_is_installed() -> Result<(), String> {
    std::process::Command::new("wrk")
        .arg("--version")
        .output()
        .map(drop)
        .map_err(|e| format!("could not run wrk ({e}); install it: apt-get install -y wrk"))
}

/// Sends two writes with each user's Basic credentials, one user after
/// the other.
///
/// tweepee's seed hashes passwords at the test cost; the first write with a
/// user's credentials re-hashes the password at the full cost and the next
/// one verifies that new hash (the credential cache remembered the old
/// one): two full-cost PBKDF2 runs a user. Done here, they stay out of the
/// measured run, which then shows the steady state: every later request
/// with the same credentials is answered from the cache. One at a time,
/// because the login throttle counts password checks in flight from one
/// address, and every request here comes from 127.0.0.1. Each write changes
/// the content of the user's first message (id `user + 1`), which only
/// detail and change read.
fn warm_up(base: &str, users: usize) -> Result<(), String> {
    let client = Client::new(Duration::from_secs(60));
    for user in 0..users {
        let name = format!("user{user}");
        let auth = crate::http::basic(&name, &name);
        let url = format!("{base}/api/message/{}/", user + 1);
        let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
        for _ in 0..2 {
            let reply = client.send("PUT", &url, &headers, Some(r#"{"content": "warm-up"}"#))?;
            if reply.status != 200 {
                return Err(format!("warming up {name}: PUT {url} answered {}: {}", reply.status, reply.body));
            }
        }
    }
    Ok(())
}

/// Writes `plan`'s script into `dir`.
fn write_script(dir: &Path, plan: &Plan<'_>) -> Result<PathBuf, String> {
    let path = dir.join(format!("{}.lua", plan.kind.name()));
    let text = format!("{}\n{TALLY_LUA}\n{REQUESTS_LUA}", plan.lua());
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// The messages in the database at `url`, counted three ways.
fn count_rows(url: &str, layout: &Layout) -> Result<Rows, String> {
    let count =
        |filter: &str| sql::number_at(url, &format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM message{filter}"));
    Ok(Rows {
        total: count("")?,
        created: count(&format!(" WHERE id > {}", layout.messages))?,
        doomed_left: count(&format!(" WHERE id BETWEEN {} AND {}", layout.doomed.start(), layout.doomed.end()))?,
    })
}

/// A failure when tweepee no longer answers a plain list after the run.
fn still_serving(base: &str) -> Option<String> {
    match Client::new(Duration::from_secs(10)).get(&format!("{base}/api/message/?limit=1"), &[]) {
        Ok(reply) if reply.status == 200 => None,
        Ok(reply) => Some(format!("after the run, GET /api/message/?limit=1 answered {}", reply.status)),
        Err(e) => Some(format!("after the run, tweepee did not answer: {e}")),
    }
}

/// A failure for each panic in tweepee's log.
fn panics(log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter(|line| line.contains("panicked"))
        .map(|line| format!("tweepee panicked ({}): {line}", log.display()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_shared_out_evenly() {
        let counts = |total| shares(total).expect("enough").into_iter().map(|(_, c)| c).collect::<Vec<_>>();
        assert_eq!(counts(64), [8; 8]);
        assert_eq!(counts(10), [2, 2, 1, 1, 1, 1, 1, 1]);
        assert!(shares(7).is_err());
    }
}
