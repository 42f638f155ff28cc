//! Debian's nginx as a child process: round-robin over two instances,
//! listening on 127.0.0.1, with its pid, logs and buffers in the suite's
//! directory. It tells which instance answered in an `X-Upstream` header.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::app;
use crate::cluster::running_as_root;

/// The configuration, with the placeholders its first lines explain.
const TEMPLATE: &str = include_str!("nginx.conf");

/// The header nginx adds to every answer: the `address:port` of the
/// instance that gave it.
pub(crate) const UPSTREAM_HEADER: &str = "X-Upstream";

/// The configuration for nginx on `listen` in front of the instances on
/// `first` and `second`, keeping its files in `dir`.
pub(crate) fn config(dir: &Path, listen: u16, first: u16, second: u16, as_root: bool) -> String {
    TEMPLATE
        .replace("{user}", if as_root { "user root;" } else { "" })
        .replace("{dir}", &dir.display().to_string())
        .replace("{listen}", &listen.to_string())
        .replace("{first}", &first.to_string())
        .replace("{second}", &second.to_string())
}

/// A running nginx; stopped when dropped.
#[derive(Debug)]
pub(crate) struct Nginx {
    child: Option<Child>,
    /// The port it listens on.
    pub(crate) port: u16,
    error_log: PathBuf,
}

impl Nginx {
    /// Writes the configuration into `dir` and starts nginx in the
    /// foreground, in front of the instances on `first` and `second`.
    pub(crate) fn start(dir: &Path, first: u16, second: u16) -> Result<Nginx, String> {
        let port = app::free_port()?;
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config(dir, port, first, second, running_as_root()))
            .map_err(|e| format!("cannot write {}: {e}", conf.display()))?;
        let log = std::fs::File::create(dir.join("nginx.out")).map_err(|e| e.to_string())?;
        let child = Command::new(binary())
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("could not start nginx ({e}): apt-get install nginx"))?;
        let mut nginx = Nginx { child: Some(child), port, error_log: dir.join("nginx-error.log") };
        nginx.wait_until_up(dir, Duration::from_secs(10))?;
        Ok(nginx)
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_until_up(&mut self, dir: &Path, limit: Duration) -> Result<(), String> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                let out = std::fs::read_to_string(dir.join("nginx.out")).unwrap_or_default();
                let log = std::fs::read_to_string(&self.error_log).unwrap_or_default();
                return Err(format!("nginx exited with {status} before listening:\n{out}{log}"));
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            sleep(Duration::from_millis(20));
        }
        Err(format!("nginx did not listen on port {} within {limit:?}", self.port))
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SIGTERM to the master stops its workers too; SIGKILL would leave
        // them serving.
        if app::signal(child.id(), "TERM").is_ok() {
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(5) {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                sleep(Duration::from_millis(10));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// `nginx` on the PATH, else Debian's `/usr/sbin/nginx` (not on a normal
/// user's PATH).
fn binary() -> PathBuf {
    let sbin = PathBuf::from("/usr/sbin/nginx");
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join("nginx").exists()))
        .unwrap_or(false);
    if on_path || !sbin.exists() {
        PathBuf::from("nginx")
    } else {
        sbin
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The guide's deployment chapter.
    const GUIDE: &str = include_str!("../../../../docs/guide/deployment.md");

    /// The lines of the block that starts with `opening` in `text`, up to
    /// its closing brace, trimmed.
    fn block<'a>(text: &'a str, opening: &str) -> Vec<&'a str> {
        text.lines()
            .map(str::trim)
            .skip_while(|line| !line.starts_with(opening))
            .skip(1)
            .take_while(|line| *line != "}")
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    }

    #[test]
    fn the_placeholders_are_all_filled() {
        // The configuration without its comments, a directive a line.
        let directives = |as_root: bool| -> Vec<String> {
            let config = super::config(Path::new("/tmp/x"), 8080, 8001, 8002, as_root);
            config.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
        };
        let config = directives(true);
        for placeholder in ["{user}", "{dir}", "{listen}", "{first}", "{second}"] {
            assert!(config.iter().all(|l| !l.contains(placeholder)), "{placeholder} left in {config:#?}");
        }
        for directive in ["user root;", "server 127.0.0.1:8001;", "server 127.0.0.1:8002;", "listen 127.0.0.1:8080;"] {
            assert!(config.iter().any(|l| l == directive), "no `{directive}` in {config:#?}");
        }
        assert!(!directives(false).iter().any(|l| l.starts_with("user ")));
    }

    #[test]
    fn the_guide_shows_the_configuration_the_suite_runs() {
        let config = super::config(Path::new("/tmp/x"), 8080, 8001, 8002, false);
        let proxied: Vec<&str> =
            block(&config, "location / {").into_iter().filter(|l| !l.starts_with("add_header")).collect();
        let guide = block(GUIDE, "location / {");
        assert!(!proxied.is_empty());
        assert_eq!(guide, proxied, "the guide's `location /` differs from src/instances/nginx.conf");
        let upstream = block(GUIDE, "upstream tweepee {");
        assert_eq!(upstream.len(), 2, "two instances in the guide's upstream: {upstream:?}");
        assert!(upstream.iter().all(|server| server.starts_with("server 127.0.0.1:")));
    }
}
