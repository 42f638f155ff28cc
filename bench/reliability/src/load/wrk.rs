//! One wrk process per kind of request, and the report line its Lua
//! `done` prints (`hangar-load kind=... requests=... ...`).

use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::kinds::Kind;

/// What one kind's wrk process counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    /// Which kind; `None` until the report names one.
    pub(crate) kind: Option<Kind>,
    /// Answers wrk read.
    pub(crate) requests: u64,
    /// How long wrk ran, in microseconds.
    pub(crate) duration_us: u64,
    /// Requests the script built.
    pub(crate) issued: u64,
    /// Times the script held a connection back (quiet tail, or no ids left).
    pub(crate) held: u64,
    /// Whether a delete ran out of ids to delete.
    pub(crate) exhausted: bool,
    /// Creates answered 201; deletes answered 200 with `{"deleted": 1}`.
    pub(crate) acked: u64,
    pub(crate) s1xx: u64,
    pub(crate) s2xx: u64,
    pub(crate) s3xx: u64,
    pub(crate) s4xx: u64,
    pub(crate) s5xx: u64,
    /// Latency percentiles and maximum, in microseconds.
    pub(crate) p50_us: u64,
    pub(crate) p99_us: u64,
    pub(crate) max_us: u64,
    /// wrk's socket errors.
    pub(crate) connect: u64,
    pub(crate) read: u64,
    pub(crate) write: u64,
    pub(crate) timeout: u64,
    /// The first unexpected answers (3xx/4xx, and 5xx): status, then the
    /// start of the body.
    pub(crate) samples: Vec<String>,
}

impl Tally {
    /// Socket errors of every sort.
    pub(crate) fn socket_errors(&self) -> u64 {
        self.connect + self.read + self.write + self.timeout
    }

    /// Requests sent whose answer wrk never read: cut off by a timeout, a
    /// socket error or the end of the run.
    pub(crate) fn unanswered(&self) -> u64 {
        self.issued.saturating_sub(self.requests)
    }
}

/// Reads wrk's output: the `hangar-load` line and its samples. `None` when
/// there is no report line (the script failed before `done`).
pub(crate) fn parse(output: &str) -> Result<Tally, String> {
    let mut tally = None;
    let mut samples = Vec::new();
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("hangar-load ") {
            tally = Some(parse_report(rest)?);
        } else if let Some(rest) = line.strip_prefix("hangar-load-sample ") {
            let sample = rest.split_once(' ').map_or("", |(_, sample)| sample);
            samples.push(sample.to_owned());
        }
    }
    let mut tally = tally.ok_or("wrk printed no `hangar-load` report line")?;
    tally.samples = samples;
    Ok(tally)
}

fn parse_report(line: &str) -> Result<Tally, String> {
    let mut tally = Tally::default();
    for pair in line.split_whitespace() {
        let (key, value) = pair.split_once('=').ok_or_else(|| format!("`{pair}` is not key=value"))?;
        if key == "kind" {
            tally.kind = Some(Kind::named(value).ok_or_else(|| format!("unknown kind `{value}`"))?);
            continue;
        }
        let n: u64 = value.parse().map_err(|_| format!("`{key}={value}` is not a whole number"))?;
        let slot = match key {
            "requests" => &mut tally.requests,
            "duration_us" => &mut tally.duration_us,
            "issued" => &mut tally.issued,
            "held" => &mut tally.held,
            "exhausted" => {
                tally.exhausted = n > 0;
                continue;
            }
            "acked" => &mut tally.acked,
            "s1xx" => &mut tally.s1xx,
            "s2xx" => &mut tally.s2xx,
            "s3xx" => &mut tally.s3xx,
            "s4xx" => &mut tally.s4xx,
            "s5xx" => &mut tally.s5xx,
            "p50_us" => &mut tally.p50_us,
            "p99_us" => &mut tally.p99_us,
            "max_us" => &mut tally.max_us,
            "connect" => &mut tally.connect,
            "read" => &mut tally.read,
            "write" => &mut tally.write,
            "timeout" => &mut tally.timeout,
            // wrk's own non-2xx/3xx count: the status classes say more.
            _ => continue,
        };
        *slot = n;
    }
    if tally.kind.is_none() {
        return Err("the report names no kind".into());
    }
    Ok(tally)
}

/// How to run wrk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings<'a> {
    /// `http://127.0.0.1:<port>`.
    pub(crate) base: &'a str,
    pub(crate) connections: u32,
    pub(crate) seconds: u32,
    /// A request not answered within this many seconds is a timeout.
    pub(crate) timeout: u32,
}

/// Starts wrk with `script`, one thread (so one Lua state counts every
/// connection's requests).
pub(crate) fn spawn(script: &Path, settings: Settings<'_>) -> Result<Child, String> {
    Command::new("wrk")
        .args([
            "--latency".to_owned(),
            "-t1".to_owned(),
            format!("-c{}", settings.connections),
            format!("-d{}s", settings.seconds),
            format!("--timeout={}s", settings.timeout),
            "-s".to_owned(),
        ])
        .arg(script)
        .arg(settings.base)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run wrk ({e}); install it: apt-get install -y wrk"))
}

/// Waits for `child` and reads its report.
pub(crate) fn finish(child: Child, kind: Kind) -> Result<Tally, String> {
    let output = child.wait_with_output().map_err(|e| format!("wrk for {}: {e}", kind.name()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("wrk for {} exited with {}:\n{stdout}{stderr}", kind.name(), output.status));
    }
    let tally = parse(&stdout).map_err(|e| format!("wrk for {}: {e}:\n{stdout}{stderr}", kind.name()))?;
    if tally.kind != Some(kind) {
        return Err(format!("wrk for {} reported on another kind:\n{stdout}", kind.name()));
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 20s test @ http://127.0.0.1:8000\n  1 threads and 8 connections\n  Latency Distribution\n     50%    3.10ms\n     99%   41.00ms\n  20123 requests in 20.00s, 9.01MB read\n  Non-2xx or 3xx responses: 2\nRequests/sec:   1006.10\n\
hangar-load kind=delete requests=20123 duration_us=20000512 issued=20125 held=8 exhausted=0 acked=20119 s1xx=0 s2xx=20121 s3xx=0 s4xx=1 s5xx=1 p50_us=3100 p99_us=41000 max_us=120345 connect=0 read=0 write=0 timeout=2 status=2\n\
hangar-load-sample kind=delete 404 {\"error\": \"Not Found\"}\n\
hangar-load-sample kind=delete 500 {\"error\": \"database is locked\"}\n";

    #[test]
    fn reads_the_report_line_and_its_samples() {
        let tally = parse(REPORT).expect("parses");
        assert_eq!(tally.kind, Some(Kind::Delete));
        assert_eq!((tally.requests, tally.issued, tally.acked, tally.duration_us), (20123, 20125, 20119, 20000512));
        assert_eq!((tally.s2xx, tally.s4xx, tally.s5xx), (20121, 1, 1));
        assert_eq!((tally.p50_us, tally.p99_us, tally.max_us), (3100, 41000, 120345));
        assert_eq!((tally.timeout, tally.socket_errors(), tally.unanswered()), (2, 2, 2));
        assert!(!tally.exhausted);
        assert_eq!(tally.samples, ["404 {\"error\": \"Not Found\"}", "500 {\"error\": \"database is locked\"}"]);
    }

    #[test]
    fn a_missing_or_garbled_report_is_an_error() {
        assert!(parse("Running 20s test\nRequests/sec: 1.0\n").is_err());
        assert!(parse("hangar-load kind=delete requests=many\n").is_err());
        assert!(parse("hangar-load kind=upsert requests=1\n").is_err());
        assert!(parse("hangar-load requests=1\n").is_err());
    }
}
