//! The faults suite, on a private PostgreSQL cluster it creates itself
//! (`initdb` on a port of its own, never the machine's shared server):
//!
//! 1. [`restart`]: PostgreSQL stopped and started again under load. During
//!    the outage every answer is the normal one or a 503 (JSON with an
//!    `error` from the API, an HTML page from the admin and the site); the
//!    app recovers without a restart; every create it acknowledged is in
//!    the database afterwards.
//! 2. [`kill`]: the app killed with SIGKILL while a recursive delete and
//!    nested writes wait inside their open transactions on a lock the suite
//!    holds (the server's own view of the blocked backend is the proof).
//!    After a restart nothing of them remains, and the dependents and the
//!    audit log agree with the rows.
//! 3. [`sigterm`]: SIGTERM under load, with requests held in flight: they
//!    finish, nothing answers 5xx, and the process exits within Rocket's
//!    grace period.
//!
//! Everything binds to 127.0.0.1, and each step has a time limit.

mod kill;
mod restart;
mod server;
mod sigterm;
mod traffic;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::app::{free_port, Tweepee};
use crate::cluster::Cluster;
use crate::http::Client;
use crate::sql;

/// Settings of the faults suite.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// The private cluster's port; a free one by default.
    #[arg(long)]
    pub(crate) port: Option<u16>,
    /// tweepee's port; a free one by default.
    #[arg(long)]
    pub(crate) app_port: Option<u16>,
    /// Which faults to run; all of them by default.
    #[arg(long = "only", value_enum)]
    pub(crate) only: Vec<Fault>,
    /// Seeded users `user0..` (the load posts as them).
    #[arg(long, default_value_t = 20)]
    pub(crate) users: usize,
    /// Seeded messages.
    #[arg(long, default_value_t = 2_000)]
    pub(crate) messages: usize,
    /// Threads sending the background load.
    #[arg(long, default_value_t = 5)]
    pub(crate) threads: usize,
    /// How PostgreSQL is stopped: `fast` ends every session cleanly,
    /// `immediate` is a crash.
    #[arg(long, value_enum, default_value_t = StopMode::Fast)]
    pub(crate) stop_mode: StopMode,
    /// Seconds PostgreSQL stays down.
    #[arg(long, default_value_t = 5)]
    pub(crate) outage_seconds: u64,
    /// The app must answer normally again within this many seconds of
    /// PostgreSQL accepting connections.
    #[arg(long, default_value_t = 10)]
    pub(crate) recovery_seconds: u64,
    /// The app's pool checkout timeout (`ROCKET_DATABASE_TIMEOUT`): how long
    /// a request waits for a connection before its 503.
    #[arg(long, default_value_t = 1)]
    pub(crate) pool_timeout_seconds: u64,
    /// Rocket's shutdown grace period (`shutdown.grace`): the process
    /// must exit within it (and one second to tear down) after SIGTERM.
    #[arg(long, default_value_t = 5)]
    pub(crate) grace_seconds: u64,
    /// Keep the logs' directory even when every check passes.
    #[arg(long)]
    pub(crate) keep_logs: bool,
}

/// One of the faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Fault {
    /// PostgreSQL restarted under load.
    Restart,
    /// The app killed with SIGKILL inside open transactions.
    Kill,
    /// SIGTERM under load.
    Sigterm,
}

/// `pg_ctl stop -m <mode>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StopMode {
    Fast,
    Immediate,
}

impl StopMode {
    fn name(self) -> &'static str {
        match self {
            StopMode::Fast => "fast",
            StopMode::Immediate => "immediate",
        }
    }
}

/// What every fault runs on: the cluster, tweepee's database on it, and
/// how to start tweepee.
#[derive(Debug)]
pub(crate) struct Setup {
    pub(crate) cluster: Cluster,
    /// tweepee's database on the cluster.
    pub(crate) url: String,
    pub(crate) tweepee: Tweepee,
    /// The port tweepee serves on, each time it is started.
    pub(crate) app_port: u16,
}

/// The checks of one fault that did not hold, each a sentence.
pub(crate) type Failures = Vec<String>;

/// A request sent from a thread of its own, to be answered later.
pub(crate) type InFlight = std::thread::JoinHandle<Result<crate::http::Reply, String>>;

/// One fault: its run on the setup, with the checks that failed.
type RunFault = fn(&Setup, &Options) -> Result<Failures, String>;

pub(crate) fn run(tweepee: &Path, options: &Options) -> Result<(), String> {
    if !cfg!(feature = "postgres") {
        return Err(server::NOT_POSTGRES.into());
    }
    let started = Instant::now();
    let dir = tempfile::Builder::new()
        .prefix("hangar-faults-")
        .tempdir()
        .map_err(|e| format!("cannot create a directory for the logs: {e}"))?;
    let setup = set_up(tweepee, options, dir.path())?;
    println!(
        "faults: private PostgreSQL on 127.0.0.1:{}, tweepee on 127.0.0.1:{}, logs in {}",
        setup.cluster.port,
        setup.app_port,
        dir.path().display()
    );
    let wanted = |fault| options.only.is_empty() || options.only.contains(&fault);
    let mut failures: Vec<(&str, String)> = Vec::new();
    let faults: [(Fault, &str, RunFault); 3] = [
        (Fault::Restart, "PostgreSQL restarted under load", restart::run),
        (Fault::Kill, "kill -9 inside open transactions", kill::run),
        (Fault::Sigterm, "SIGTERM under load", sigterm::run),
    ];
    for (fault, title, run) in faults {
        if !wanted(fault) {
            continue;
        }
        println!("\n== {title}");
        let began = Instant::now();
        let found = run(&setup, options).unwrap_or_else(|e| vec![format!("could not run: {e}")]);
        match found.len() {
            0 => println!("   ok: every check held ({:.1?})", began.elapsed()),
            n => println!("   FAILED: {n} check(s) did not hold ({:.1?})", began.elapsed()),
        }
        failures.extend(found.into_iter().map(|f| (title, f)));
    }
    println!("\nfaults: {} in {:.1?}", if failures.is_empty() { "passed" } else { "FAILED" }, started.elapsed());
    if failures.is_empty() {
        if options.keep_logs {
            keep(dir);
        }
        return Ok(());
    }
    for (title, failure) in &failures {
        println!("  FAILED [{title}] {failure}");
    }
    let kept = keep(dir);
    Err(format!("{} check(s) of the faults suite failed; the logs are in {}", failures.len(), kept.display()))
}

fn keep(dir: tempfile::TempDir) -> PathBuf {
    dir.keep()
}

/// The cluster, tweepee's database on it, seeded.
fn set_up(tweepee: &Path, options: &Options, dir: &Path) -> Result<Setup, String> {
    let port = match options.port {
        Some(port) => port,
        None => free_port()?,
    };
    let cluster = Cluster::create(port)?;
    sql::execute(&cluster.url("postgres"), "CREATE DATABASE tweepee")?;
    let url = cluster.url("tweepee");
    let tweepee = Tweepee {
        binary: tweepee.to_path_buf(),
        database_url: url.clone(),
        dir: dir.to_path_buf(),
        env: vec![
            ("ROCKET_DATABASE_TIMEOUT".into(), options.pool_timeout_seconds.to_string()),
            ("ROCKET_SHUTDOWN".into(), format!("{{grace={},mercy=2}}", options.grace_seconds)),
        ],
    };
    tweepee.seed(options.users, options.messages)?;
    let app_port = match options.app_port {
        Some(port) => port,
        None => free_port()?,
    };
    Ok(Setup { cluster, url, tweepee, app_port })
}

/// The logged-in admin's `Cookie` header on `base`.
pub(crate) fn admin_cookie(base: &str) -> Result<String, String> {
    Client::default().login(base, "admin", "admin")
}

/// `SELECT CAST(COUNT(*) AS BIGINT) AS n FROM <from>` on `url`.
pub(crate) fn count(url: &str, from: &str) -> Result<i64, String> {
    sql::number_at(url, &format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {from}"))
}

/// The lines of the app's log that say something went wrong, at most
/// `limit` of them, for a report.
pub(crate) fn error_lines(log: &Path, limit: usize) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter(|l| {
            let lower = l.to_lowercase();
            lower.contains("error") || lower.contains("panic") || lower.contains(" 500")
        })
        .take(limit)
        .map(str::to_owned)
        .collect()
}

/// The local addresses listening on TCP `port`, from `/proc/net/tcp` and
/// `/proc/net/tcp6`, as `127.0.0.1` or the hexadecimal the kernel writes.
pub(crate) fn listening_on(port: u16) -> Vec<String> {
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let columns: Vec<&str> = line.split_whitespace().collect();
            // `local_address` is column 1, `st` column 3; 0A is LISTEN.
            let (Some(local), Some("0A")) = (columns.get(1), columns.get(3).copied()) else { continue };
            let Some((address, hex_port)) = local.split_once(':') else { continue };
            if u16::from_str_radix(hex_port, 16) != Ok(port) {
                continue;
            }
            found.push(match address {
                "0100007F" => "127.0.0.1".to_owned(),
                "00000000000000000000000001000000" => "::1".to_owned(),
                "00000000" => "0.0.0.0".to_owned(),
                "00000000000000000000000000000000" => "::".to_owned(),
                other => other.to_owned(),
            });
        }
    }
    found
}
