//! tweepee's release binary as a child process: seeded, served on a port of
//! 127.0.0.1, stopped with SIGTERM or killed with SIGKILL.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The secret key every instance shares: a session made by one is valid on
/// the others. Generated once for these suites; never use it for a real app.
pub(crate) const SECRET_KEY: &str = "hWsQpGxN3VUpbcoY4ffvbbhCmWg0wGVzUvVOvXbYqkM=";

/// tweepee's binary beside this one's (`target/release/tweepee`).
pub(crate) fn beside_this_binary() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    let tweepee = me.with_file_name("tweepee");
    if tweepee.exists() {
        Ok(tweepee)
    } else {
        Err(format!(
            "no tweepee binary at {}: build it with `cargo build --release -p tweepee`, or pass --tweepee",
            tweepee.display()
        ))
    }
}

/// A port nothing listens on now.
pub(crate) fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// How to run tweepee: which binary, on which database, with which extra
/// environment.
#[derive(Debug, Clone)]
pub(crate) struct Tweepee {
    pub(crate) binary: PathBuf,
    pub(crate) database_url: String,
    /// Where logs and the working directory go.
    pub(crate) dir: PathBuf,
    /// More `ROCKET_*` settings, such as `ROCKET_DATABASE_POOL_SIZE`.
    pub(crate) env: Vec<(String, String)>,
}

impl Tweepee {
    fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .current_dir(&self.dir)
            .env("DATABASE_URL", &self.database_url)
            .env("ROCKET_SECRET_KEY", SECRET_KEY)
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env("ROCKET_LOG_LEVEL", "critical")
            .env("TWEEPEE_NO_DEMO", "1")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// `tweepee seed`: drops the data and creates `admin`/`admin`, users
    /// `user0` to `user<N-1>` (each with their name as password) and
    /// `messages` messages, hashing at the test cost.
    pub(crate) fn seed(&self, users: usize, messages: usize) -> Result<(), String> {
        let output = self
            .command()
            .args(["seed", "--users", &users.to_string(), "--messages", &messages.to_string(), "--fast-hash"])
            .output()
            .map_err(|e| format!("could not run {}: {e}", self.binary.display()))?;
        if !output.status.success() {
            return Err(format!("tweepee seed failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        Ok(())
    }

    /// Serves on `port` and waits until it answers.
    pub(crate) fn serve(&self, port: u16, name: &str) -> Result<Running, String> {
        let log = self.dir.join(format!("{name}.log"));
        let out = File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = self
            .command()
            .arg("serve")
            .env("ROCKET_PORT", port.to_string())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", self.binary.display()))?;
        let mut running = Running { child: Some(child), port, log };
        running.wait_until_up(Duration::from_secs(60))?;
        Ok(running)
    }
}

/// A serving tweepee; killed when dropped.
#[derive(Debug)]
pub(crate) struct Running {
    child: Option<Child>,
    /// The port it serves on.
    pub(crate) port: u16,
    /// Its stdout and stderr.
    pub(crate) log: PathBuf,
}

impl Running {
    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The process id.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    fn wait_until_up(&mut self, limit: Duration) -> Result<(), String> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!("tweepee exited with {status} before serving:\n{}", self.log_tail()));
                }
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            sleep(Duration::from_millis(50));
        }
        Err(format!("tweepee did not serve on port {} within {limit:?}:\n{}", self.port, self.log_tail()))
    }

    /// The last lines of its log, for an error message.
    pub(crate) fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Sends SIGTERM and waits up to `limit` for the process to exit; the
    /// exit status and how long it took.
    pub(crate) fn terminate(&mut self, limit: Duration) -> Result<(ExitStatus, Duration), String> {
        let Some(mut child) = self.child.take() else {
            return Err("the process is already gone".into());
        };
        let started = Instant::now();
        signal(child.id(), "TERM")?;
        while started.elapsed() < limit {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                return Ok((status, started.elapsed()));
            }
            sleep(Duration::from_millis(10));
        }
        let _ = child.kill();
        let _ = child.wait();
        Err(format!("tweepee did not exit within {limit:?} of SIGTERM"))
    }

    /// SIGKILL: no cleanup, no goodbye.
    pub(crate) fn kill9(&mut self) -> Result<(), String> {
        if let Some(mut child) = self.child.take() {
            child.kill().map_err(|e| format!("kill -9 failed: {e}"))?;
            child.wait().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.kill9();
    }
}

/// `kill -<name> <pid>`.
pub(crate) fn signal(pid: u32, name: &str) -> Result<(), String> {
    let status = Command::new("kill")
        .args([format!("-{name}"), pid.to_string()])
        .status()
        .map_err(|e| format!("could not run kill: {e}"))?;
    status.success().then_some(()).ok_or_else(|| format!("kill -{name} {pid} failed"))
}
