//! What a load run must show: the table of every kind's figures, and the
//! promises checked against them and against the database.

use std::fmt::Write as _;

use super::kinds::Kind;
use super::wrk::Tally;

/// The floor on 2xx answers of every kind, and the quiet tail to leave out
/// of the writing kinds' rates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Floor {
    /// Each kind must have at least this many 2xx answers a second of the
    /// run. On this workload a healthy tweepee answers hundreds a second
    /// for each kind even on two shared cores, so the default (5/s: 100 in
    /// 20 s) is cleared many times over, while a kind that answers
    /// mostly 4xx, or one stalled behind a lock, falls short.
    pub(crate) per_second: f64,
    /// And at least this share of each kind's answers must be 2xx: every
    /// request is built to succeed, so anything else is a fault, but one
    /// stray answer in a thousand is reported rather than failed.
    pub(crate) share: f64,
    /// The run's length, in seconds.
    pub(crate) seconds: u32,
    /// How long before the end the writes that count rows stop, in ms.
    pub(crate) quiet_ms: u64,
}

impl Floor {
    /// The 2xx answers `tally` needs.
    fn needed(&self, tally: &Tally) -> u64 {
        let by_rate = (self.per_second * f64::from(self.seconds)).ceil() as u64;
        let by_share = (self.share * tally.requests as f64).ceil() as u64;
        by_rate.max(by_share)
    }

    /// Requests a second over the time the kind was sending: the quiet
    /// tail is left out for the kinds that have one.
    fn rate(&self, tally: &Tally) -> f64 {
        let mut us = tally.duration_us as f64;
        if tally.kind.is_some_and(Kind::counts_rows) && !tally.exhausted {
            us -= self.quiet_ms as f64 * 1000.0;
        }
        if us > 0.0 {
            tally.requests as f64 * 1e6 / us
        } else {
            0.0
        }
    }
}

/// The table: one row a kind, then the total.
pub(crate) fn table(tallies: &[(Kind, u32, Tally)], floor: &Floor) -> String {
    let mut out = format!(
        "{:<11} {:>5} {:>9} {:>8} {:>8} {:>8} {:>8} {:>9} {:>5} {:>6} {:>5} {:>7}\n",
        "kind", "conns", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "2xx", "3xx", "4xx", "5xx", "socket"
    );
    let mut total = (0u32, 0u64, 0.0f64, 0u64, 0u64, 0u64, 0u64, 0u64);
    for (kind, connections, t) in tallies {
        let rate = floor.rate(t);
        let _ = writeln!(
            out,
            "{:<11} {:>5} {:>9} {:>8.1} {:>8.2} {:>8.2} {:>8.1} {:>9} {:>5} {:>6} {:>5} {:>7}",
            kind.name(),
            connections,
            t.requests,
            rate,
            t.p50_us as f64 / 1000.0,
            t.p99_us as f64 / 1000.0,
            t.max_us as f64 / 1000.0,
            t.s2xx,
            t.s3xx,
            t.s4xx,
            t.s5xx,
            t.socket_errors()
        );
        total.0 += connections;
        total.1 += t.requests;
        total.2 += rate;
        total.3 += t.s2xx;
        total.4 += t.s3xx;
        total.5 += t.s4xx;
        total.6 += t.s5xx;
        total.7 += t.socket_errors();
    }
    let _ = writeln!(
        out,
        "{:<11} {:>5} {:>9} {:>8.1} {:>8} {:>8} {:>8} {:>9} {:>5} {:>6} {:>5} {:>7}",
        "all", total.0, total.1, total.2, "", "", "", total.3, total.4, total.5, total.6, total.7
    );
    out
}

/// Every broken promise among the tallies: a 5xx, too few 2xx, a socket
/// error, a write answered 2xx that did not acknowledge one row. Empty when
/// all hold.
pub(crate) fn failures(tallies: &[(Kind, u32, Tally)], floor: &Floor) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, _, t) in tallies {
        let name = kind.name();
        let samples = if t.samples.is_empty() { String::new() } else { format!("; first: {}", t.samples.join(" | ")) };
        if t.s5xx > 0 {
            out.push(format!("{name}: {} answers were 5xx{samples}", t.s5xx));
        }
        let needed = floor.needed(t);
        if t.s2xx < needed {
            out.push(format!(
                "{name}: {} of {} answers were 2xx, fewer than the {needed} needed ({}/s over {} s, and {:.1}% of the answers){samples}",
                t.s2xx,
                t.requests,
                floor.per_second,
                floor.seconds,
                floor.share * 100.0
            ));
        }
        if t.timeout > 0 {
            out.push(format!(
                "{name}: {} requests timed out: an answer took longer than wrk's --timeout (raise --timeout to see how long, or look for a stall)",
                t.timeout
            ));
        }
        if t.connect + t.read + t.write > 0 {
            out.push(format!(
                "{name}: socket errors: {} connect, {} read, {} write (the server refused or dropped connections)",
                t.connect, t.read, t.write
            ));
        }
        if kind.counts_rows() && t.acked != t.s2xx {
            out.push(format!(
                "{name}: {} answers were 2xx but only {} acknowledged one row (201 for a create, {{\"deleted\": 1}} for a delete)",
                t.s2xx, t.acked
            ));
        }
    }
    out
}

/// Message counts expected from the acknowledged writes, beside those found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rows {
    /// All messages.
    pub(crate) total: i64,
    /// Messages above the seeded ids: the creates.
    pub(crate) created: i64,
    /// Messages left in the range the deletes work on.
    pub(crate) doomed_left: i64,
}

/// How `found` differs from `expected`, one sentence each; empty if not at all.
pub(crate) fn row_failures(expected: Rows, found: Rows, unanswered_writes: u64) -> Vec<String> {
    let mut out = Vec::new();
    let hint = if unanswered_writes > 0 {
        format!(" ({unanswered_writes} creates or deletes were sent but never answered, so their outcome is unknown)")
    } else {
        String::new()
    };
    if found.total != expected.total {
        out.push(format!(
            "the message table has {} rows, not the {} that the seed plus acknowledged creates minus acknowledged deletes make{hint}",
            found.total, expected.total
        ));
    }
    if found.created != expected.created {
        out.push(format!(
            "{} messages were created, but {} creates were acknowledged{hint}",
            found.created, expected.created
        ));
    }
    if found.doomed_left != expected.doomed_left {
        out.push(format!(
            "{} messages are left of those the deletes worked on, not the {} acknowledged deletes leave{hint}",
            found.doomed_left, expected.doomed_left
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floor() -> Floor {
        Floor { per_second: 5.0, share: 0.999, seconds: 20, quiet_ms: 1000 }
    }

    fn tally(kind: Kind, s2xx: u64, s4xx: u64) -> Tally {
        Tally {
            kind: Some(kind),
            requests: s2xx + s4xx,
            issued: s2xx + s4xx,
            acked: if kind.counts_rows() { s2xx } else { 0 },
            s2xx,
            s4xx,
            duration_us: 20_000_000,
            ..Tally::default()
        }
    }

    #[test]
    fn a_run_answering_mostly_4xx_fails_the_floor() {
        let healthy = [(Kind::List, 8, tally(Kind::List, 4000, 0)), (Kind::Create, 8, tally(Kind::Create, 3000, 0))];
        assert!(failures(&healthy, &floor()).is_empty());
        let refused = [(Kind::Create, 8, tally(Kind::Create, 90, 9000))];
        let found = failures(&refused, &floor());
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("90 of 9090 answers were 2xx"), "{found:?}");
        let slow = [(Kind::Detail, 8, tally(Kind::Detail, 99, 0))];
        assert!(failures(&slow, &floor())[0].contains("fewer than the 100 needed"));
    }

    #[test]
    fn a_5xx_a_timeout_or_an_unacknowledging_delete_fails() {
        let mut t = tally(Kind::Delete, 4000, 0);
        t.s5xx = 1;
        t.timeout = 2;
        t.acked = 3999;
        let found = failures(&[(Kind::Delete, 8, t)], &floor());
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn the_writing_kinds_rate_leaves_out_the_quiet_tail() {
        let create = tally(Kind::Create, 1900, 0);
        assert!((floor().rate(&create) - 100.0).abs() < 1e-9);
        let list = tally(Kind::List, 2000, 0);
        assert!((floor().rate(&list) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn rows_that_differ_are_named() {
        let expected = Rows { total: 10, created: 3, doomed_left: 2 };
        assert!(row_failures(expected, expected, 0).is_empty());
        let found = Rows { total: 11, created: 4, doomed_left: 2 };
        let failures = row_failures(expected, found, 1);
        assert_eq!(failures.len(), 2);
        assert!(
            failures[1].contains("4 messages were created, but 3 creates were acknowledged (1 creates"),
            "{failures:?}"
        );
    }
}
