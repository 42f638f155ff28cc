//! A private PostgreSQL cluster: `initdb` into a temporary directory, served
//! on a port of its own on 127.0.0.1, stopped and started at will. The
//! fault suite restarts it under load; the machine's shared server is never
//! touched.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A cluster this process made; stopped (immediately) and deleted when
/// dropped.
#[derive(Debug)]
pub(crate) struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    log: PathBuf,
    /// The port it listens on.
    pub(crate) port: u16,
    /// Kept for its `Drop`, which deletes the directory.
    _dir: tempfile::TempDir,
}

/// The directory of `initdb` and `pg_ctl`: on the PATH, else the newest
/// under Debian's `/usr/lib/postgresql/<version>/bin`.
fn bin_dir() -> Result<PathBuf, String> {
    if let Ok(output) = Command::new("sh").args(["-c", "command -v pg_ctl"]).output() {
        let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if !path.is_empty() {
            let real = std::fs::canonicalize(&path).unwrap_or_else(|_| PathBuf::from(&path));
            if let Some(dir) = real.parent() {
                return Ok(dir.to_path_buf());
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| "PostgreSQL's server programs are not installed: apt-get install postgresql".to_owned())?
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop().ok_or_else(|| "no pg_ctl under /usr/lib/postgresql".to_owned())
}

/// PostgreSQL refuses to run as root: as root, the cluster belongs to the
/// `postgres` user and its programs run as that user.
pub(crate) fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Cluster {
    /// Creates and starts a cluster on `port`, with trust authentication
    /// for the `postgres` user on 127.0.0.1.
    pub(crate) fn create(port: u16) -> Result<Cluster, String> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new().prefix("hangar-pg-").tempdir().map_err(|e| e.to_string())?;
        let data = dir.path().join("data");
        let log = dir.path().join("postgres.log");
        if running_as_root() {
            chown_postgres(dir.path())?;
        }
        let cluster = Cluster { bin, data, log, port, _dir: dir };
        cluster.run(
            "initdb",
            &["-D", &cluster.data.display().to_string(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"],
        )?;
        cluster.start()?;
        Ok(cluster)
    }

    /// The URL of database `name` on it.
    pub(crate) fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Starts the server and waits until it accepts connections.
    pub(crate) fn start(&self) -> Result<(), String> {
        let options = format!("-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off", self.port, self.socket_dir());
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data.display().to_string(),
                "-l",
                &self.log.display().to_string(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        )
    }

    /// Stops the server: `fast` ends every session and shuts down cleanly,
    /// `immediate` is a crash.
    pub(crate) fn stop(&self, mode: &str) -> Result<(), String> {
        self.run("pg_ctl", &["-D", &self.data.display().to_string(), "-m", mode, "-w", "stop"])
    }

    fn socket_dir(&self) -> String {
        self.data.parent().unwrap_or(Path::new("/tmp")).display().to_string()
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let path = self.bin.join(program);
        let mut command = if running_as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let output = command.args(args).output().map_err(|e| format!("could not run {}: {e}", path.display()))?;
        if output.status.success() {
            Ok(())
        } else {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            Err(format!(
                "{program} {} failed: {}{}\n{log}",
                args.join(" "),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop("immediate");
    }
}

fn chown_postgres(dir: &Path) -> Result<(), String> {
    let status = Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(dir)
        .status()
        .map_err(|e| format!("could not run chown: {e}"))?;
    status.success().then_some(()).ok_or_else(|| format!("chown postgres {} failed", dir.display()))
}
