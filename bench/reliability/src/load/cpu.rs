//! Where the machine's CPU went during a run, read from `/proc`: the
//! server's own time beside the whole machine's, so the figures can be
//! read knowing that wrk, PostgreSQL and the app share the same cores.

use std::time::Duration;

/// Clock ticks a second, the unit of `/proc`'s CPU times.
fn ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
        .filter(|t| *t > 0.0)
        .unwrap_or(100.0)
}

/// User plus system CPU time of `pid`, in ticks.
fn process_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the name, which may hold spaces: state(0) ... utime(11) stime(12).
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Busy and total ticks of all the machine's cores, from `/proc/stat`'s
/// `cpu` line (idle and iowait count as not busy).
fn machine_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    parse_machine(stat.lines().next()?)
}

fn parse_machine(line: &str) -> Option<(u64, u64)> {
    let mut words = line.split_whitespace();
    if words.next()? != "cpu" {
        return None;
    }
    let ticks: Vec<u64> = words.map(str::parse).collect::<Result<_, _>>().ok()?;
    // user nice system idle iowait irq softirq steal (guest is inside user).
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3)? + ticks.get(4).copied().unwrap_or(0);
    Some((total - idle, total))
}

/// A reading taken before a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    server: Option<u64>,
    machine: Option<(u64, u64)>,
}

/// Reads the counters now; `server` is the app's process id.
pub(crate) fn mark(server: Option<u32>) -> Mark {
    Mark { server: server.and_then(process_ticks), machine: machine_ticks() }
}

/// The server's CPU time since `before`, and how busy the machine was, as
/// a sentence.
pub(crate) fn since(before: Mark, server: Option<u32>, wall: Duration) -> String {
    let after = mark(server);
    let ticks = ticks_per_second();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut out = String::new();
    if let (Some(a), Some(b)) = (after.server, before.server) {
        let seconds = a.saturating_sub(b) as f64 / ticks;
        out.push_str(&format!(
            "tweepee used {seconds:.1} CPU-s in {:.1} s ({:.0}% of {cores} cores)",
            wall.as_secs_f64(),
            100.0 * seconds / (wall.as_secs_f64() * cores as f64).max(1e-9)
        ));
    }
    if let (Some((busy_a, total_a)), Some((busy_b, total_b))) = (after.machine, before.machine) {
        let total = total_a.saturating_sub(total_b).max(1) as f64;
        let busy = busy_a.saturating_sub(busy_b) as f64;
        out.push_str(&format!(
            "{}the machine was {:.0}% busy (wrk, the database and anything else running)",
            if out.is_empty() { "" } else { "; " },
            100.0 * busy / total
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_machine_line_of_proc_stat() {
        let line = "cpu  100 5 50 800 45 0 0 0 0 0";
        assert_eq!(super::parse_machine(line), Some((155, 1000)));
        assert_eq!(super::parse_machine("cpu0 1 2 3 4"), None);
    }
}
