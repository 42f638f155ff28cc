//! Running wrk and reading what it prints.

use std::fmt;
use std::path::Path;
use std::process::Command;

/// One run's throughput and latency.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Run {
    /// Requests per second.
    pub(crate) rps: f64,
    /// Median latency, in milliseconds.
    pub(crate) p50: f64,
    /// 99th percentile latency, in milliseconds.
    pub(crate) p99: f64,
    /// Non-2xx/3xx answers.
    pub(crate) errors: u64,
    /// Requests answered.
    pub(crate) requests: u64,
    /// The server's CPU time (user and system) a request, in microseconds,
    /// when it was measured.
    pub(crate) cpu_us: Option<f64>,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:>9.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms", self.rps, self.p50, self.p99)?;
        match self.cpu_us {
            Some(cpu) => write!(f, "  CPU {cpu:>8.1} us/req"),
            None => Ok(()),
        }
    }
}

/// `a / b`, or 0 when there is nothing to divide by.
pub(crate) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// A duration as wrk prints it (`812.00us`, `1.23ms`, `2.01s`), in ms.
fn millis(text: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (text, 1.0)
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

/// Reads wrk's `--latency` report.
pub(crate) fn parse(output: &str) -> Option<Run> {
    let mut run = Run::default();
    for line in output.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", rps] => run.rps = rps.parse().ok()?,
            ["50%", value] => run.p50 = millis(value)?,
            ["99%", value] => run.p99 = millis(value)?,
            ["Non-2xx", "or", "3xx", "responses:", n] => run.errors = n.parse().ok()?,
            [n, "requests", "in", ..] => run.requests = n.parse().ok()?,
            _ => {}
        }
    }
    (run.rps > 0.0).then_some(run)
}

/// Loads `url` like [`wrk`], and charges the CPU time the server process
/// `server` (and the processes below it) used meanwhile to the requests.
pub(crate) fn wrk_measured(
    url: &str,
    connections: u32,
    seconds: u32,
    script: Option<&Path>,
    server: u32,
) -> Result<Run, String> {
    let before = crate::procfs::tree_cpu(server);
    let mut run = wrk(url, connections, seconds, script)?;
    let used = crate::procfs::tree_cpu(server).saturating_sub(before);
    if run.requests > 0 {
        run.cpu_us = Some(used.as_secs_f64() * 1e6 / run.requests as f64);
    }
    Ok(run)
}

/// Loads `url` for `seconds` with `connections` connections, optionally
/// through a Lua `script`.
pub(crate) fn wrk(url: &str, connections: u32, seconds: u32, script: Option<&Path>) -> Result<Run, String> {
    let mut command = Command::new("wrk");
    command.args(["--latency", "-t1", &format!("-c{connections}"), &format!("-d{seconds}s")]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output =
        command.arg(url).output().map_err(|e| format!("could not run wrk ({e}); install it: apt-get install wrk"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let run = parse(&text).ok_or_else(|| format!("could not read wrk's report for {url}:\n{text}"))?;
    if run.errors > 0 {
        return Err(format!("{url} answered {} errors under load", run.errors));
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_wrk_report() {
        let report = "Running 1s test @ http://127.0.0.1:1/\n  Latency Distribution\n     50%  812.00us\n     75%    1.10ms\n     99%    3.50ms\n  1234 requests in 1.00s, 2.00MB read\nRequests/sec:   1234.56\n";
        let run = parse(report).expect("parses");
        assert_eq!(run.requests, 1234);
        assert!((run.rps - 1234.56).abs() < 1e-9);
        assert!((run.p50 - 0.812).abs() < 1e-9);
        assert!((run.p99 - 3.5).abs() < 1e-9);
        assert_eq!(millis("2.5s"), Some(2500.0));
    }
}
