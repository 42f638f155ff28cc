//! flask-peewee, the peer: `bench/peer/app.py` (flask-peewee 4.0.1 over
//! tweepee's tables) under gunicorn with two sync workers, in a virtualenv
//! that `bench/peer/setup.sh` makes from pinned versions on PyPI.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The folder of the peer's files.
fn peer_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peer")
}

/// A running gunicorn, stopped when dropped.
#[derive(Debug)]
pub(crate) struct Peer {
    child: Child,
    /// Its port on 127.0.0.1.
    pub(crate) port: u16,
}

impl Peer {
    /// gunicorn's master process: its workers are below it.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sets up the virtualenv in `venv`, adds the peer's own users
    /// (`peer0`, `peeradmin`, with werkzeug's default hash: tweepee's hashes
    /// are hangar's, which flask-peewee cannot check), and starts gunicorn on
    /// `database`, the SQLite file path or the PostgreSQL URL.
    pub(crate) fn start(venv: &Path, database: &str, port: u16, log: &Path) -> Result<Peer, String> {
        let dir = peer_dir();
        // peewee opens a connection a request unless pooled; hangar pools.
        let database = match database.strip_prefix("postgres://").or_else(|| database.strip_prefix("postgresql://")) {
            Some(rest) => format!("postgres+pool://{rest}?max_connections=8"),
            None => database.to_owned(),
        };
        let database = database.as_str();
        let setup = Command::new("bash")
            .arg(dir.join("setup.sh"))
            .arg(venv)
            .status()
            .map_err(|e| format!("could not run bench/peer/setup.sh: {e}"))?;
        if !setup.success() {
            return Err("bench/peer/setup.sh failed; run it by hand to see why, or pass --no-peer".into());
        }
        let added = Command::new(venv.join("bin/python"))
            .arg(dir.join("add_users.py"))
            .env("PEER_DATABASE", database)
            .status()
            .map_err(|e| format!("could not run bench/peer/add_users.py: {e}"))?;
        if !added.success() {
            return Err("bench/peer/add_users.py failed".into());
        }
        let log_file = std::fs::File::create(log).map_err(|e| e.to_string())?;
        let child = Command::new(venv.join("bin/gunicorn"))
            .args(["--workers", "2", "--bind", &format!("127.0.0.1:{port}"), "--no-control-socket", "--chdir"])
            .arg(&dir)
            .args(["--log-level", "warning", "app:app"])
            .env("PEER_DATABASE", database)
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("could not start gunicorn: {e}"))?;
        let mut peer = Peer { child, port };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                return Err(format!("gunicorn did not listen on {port} within 30 s; see {}", log.display()));
            }
            if let Ok(Some(status)) = peer.child.try_wait() {
                return Err(format!("gunicorn exited ({status}); see {}", log.display()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // Both workers up: the master answers from either.
        std::thread::sleep(Duration::from_millis(500));
        Ok(peer)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        // SIGTERM lets gunicorn stop its workers; SIGKILL would orphan them.
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
