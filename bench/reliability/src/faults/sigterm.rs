//! SIGTERM under load, with requests held in flight.
//!
//! The suite locks the `relationship` table, so that a few requests for the
//! whole list of follows (`/api/relationship/`, unpaginated) wait inside
//! the app; once the server shows them waiting, the app gets SIGTERM while
//! the background load goes on, and the lock is released a second later.
//! Checked: the held requests complete with the whole list; no answer is a
//! 5xx; requests the app refuses once it stops accepting connections are
//! counted apart (they are not answers); every acknowledged create is in
//! the database; and the process exits, successfully, within Rocket's
//! grace period (`shutdown.grace`, set to `--grace-seconds`) and a second
//! to tear down. Rocket 0.5 waits out the whole grace period whenever a
//! connection is open at the signal, so under load the exit comes at the
//! grace period, not before.

use std::thread::{sleep, JoinHandle};
use std::time::Duration;

use super::server::{wait_for_waiters, Holder};
use super::traffic::{count, tally, Mix, Record, Traffic};
use super::{admin_cookie, error_lines, Failures, InFlight, Options, Setup};
use crate::http::Client;
use crate::sql;

/// Requests held in flight across the signal.
const HELD: usize = 3;

/// How long the process may take to tear down after the grace period.
const TEAR_DOWN: Duration = Duration::from_secs(1);

/// How long after the signal the held requests are let go.
const HOLD_AFTER_SIGNAL: Duration = Duration::from_secs(1);

pub(super) fn run(setup: &Setup, options: &Options) -> Result<Failures, String> {
    let mut app = setup.tweepee.serve(setup.app_port, "sigterm")?;
    let base = app.base();
    let mix = Mix { base: base.clone(), admin_cookie: admin_cookie(&base)?, users: options.users, tag: "sigterm" };
    let follows = super::count(&setup.url, "relationship")?;
    let traffic = Traffic::start(&mix, options.threads, Duration::from_secs(30), Duration::from_millis(5));
    sleep(Duration::from_secs(2));

    let holder = Holder::begin(&setup.url, "LOCK TABLE relationship IN ACCESS EXCLUSIVE MODE")?;
    let held: Vec<InFlight> = (0..HELD)
        .map(|_| {
            let url = format!("{base}/api/relationship/");
            std::thread::spawn(move || Client::new(Duration::from_secs(30)).get(&url, &[]))
        })
        .collect();
    let watch = sql::connect(&setup.url)?;
    let mut conn = watch.get().map_err(|e| e.to_string())?;
    let waiting = wait_for_waiters(&mut conn, &holder, HELD, Duration::from_secs(20), || {
        held.iter().any(JoinHandle::is_finished).then(|| "a held request was answered before the lock".to_owned())
    });
    let waiting = match waiting {
        Ok(waiting) => waiting,
        Err(e) => {
            let _ = holder.release();
            return Err(e);
        }
    };
    println!("   {HELD} requests for /api/relationship/ held in flight: backends {waiting:?} wait on the suite's lock");

    let signal_at = traffic.now();
    let releaser = std::thread::spawn(move || {
        sleep(HOLD_AFTER_SIGNAL);
        holder.release()
    });
    let grace = Duration::from_secs(options.grace_seconds);
    // The limit to wait for the exit: the grace period and Rocket's mercy
    // period (2 s) and its last second of forced shutdown, and some more,
    // so that a late exit is measured, not just refused.
    let exited = app.terminate(grace + Duration::from_secs(5));
    releaser.join().map_err(|_| "the lock's thread panicked".to_owned())??;
    sleep(Duration::from_millis(300));
    let records = traffic.finish();

    let mut failures = Failures::new();
    match &exited {
        Ok((status, took)) => {
            println!(
                "   SIGTERM at {signal_at:.2?}: exited with {status} after {took:.2?} (bound: grace period {grace:?} + {TEAR_DOWN:?}; held requests let go after {HOLD_AFTER_SIGNAL:?})"
            );
            if !status.success() {
                failures.push(format!("the app exited with {status} after SIGTERM"));
            }
            // Rocket 0.5 waits out the whole grace period whenever a
            // connection is still open at the signal (keep-alive ones
            // included), then exits: the bound is the grace period and a
            // second for the process to tear down, well before the mercy
            // period would end.
            if *took > grace + TEAR_DOWN {
                failures.push(format!(
                    "the app took {took:.2?} to exit after SIGTERM, beyond the grace period {grace:?} (+{TEAR_DOWN:?})"
                ));
            }
        }
        Err(e) => failures.push(e.clone()),
    }

    for (i, held) in held.into_iter().enumerate() {
        let reply = held.join().map_err(|_| "a held request's thread panicked".to_owned())?;
        match reply {
            Ok(reply) => {
                let objects = reply.json().get("objects").and_then(|o| o.as_array()).map_or(0, Vec::len);
                println!("   held request {}: {} with {objects} of {follows} follows", i + 1, reply.status);
                if reply.status != 200 || i64::try_from(objects).unwrap_or(-1) != follows {
                    failures.push(format!(
                        "a request in flight at SIGTERM did not get its whole answer: {} with {objects} of {follows} follows",
                        reply.status
                    ));
                }
            }
            Err(e) => failures.push(format!("a request in flight at SIGTERM got no answer: {e}")),
        }
    }

    let before: Vec<&Record> = records.iter().filter(|r| r.start < signal_at).collect();
    let after: Vec<&Record> = records.iter().filter(|r| r.start >= signal_at).collect();
    println!("   load before the signal {}", tally(before.iter().copied()));
    println!("   load after the signal  {}", tally(after.iter().copied()));
    let server_errors = count(&records, |r| r.status().is_some_and(|s| s >= 500));
    let refused = count(&records, |r| r.start >= signal_at && r.outcome.is_err());
    let cut = count(&records, |r| r.start < signal_at && r.outcome.is_err());
    println!(
        "   5xx: {server_errors}; refused or closed after the signal (not answers): {refused}; cut off though sent before it: {cut}; last load answer {:.2?} after the signal",
        records.iter().filter(|r| r.outcome.is_ok()).map(|r| r.end).max().unwrap_or_default().saturating_sub(signal_at)
    );
    if server_errors > 0 {
        failures.push(format!("{server_errors} answer(s) under SIGTERM were 5xx"));
    }
    if cut > 0 {
        let first = records.iter().find(|r| r.start < signal_at && r.outcome.is_err());
        failures.push(format!(
            "{cut} request(s) sent before SIGTERM got no answer, first: {:?}",
            first.map(|r| (r.label, r.start, r.end, r.outcome.clone().err()))
        ));
    }
    let odd = count(&records, |r| r.outcome.is_ok() && !r.is_normal());
    if odd > 0 {
        failures.push(format!("{odd} answer(s) under SIGTERM were not the normal status"));
    }
    let acknowledged: Vec<i64> = records.iter().filter_map(Record::acknowledged).map(|(id, _)| id).collect();
    if !acknowledged.is_empty() {
        let ids: Vec<String> = acknowledged.iter().map(i64::to_string).collect();
        let found = super::count(&setup.url, &format!("message WHERE id IN ({})", ids.join(",")))?;
        println!("   creates acknowledged: {}, in the database: {found}", acknowledged.len());
        let found = usize::try_from(found).unwrap_or(0);
        if found != acknowledged.len() {
            failures.push(format!("{} acknowledged create(s) are missing", acknowledged.len().saturating_sub(found)));
        }
    }
    for line in error_lines(&setup.tweepee.dir.join("sigterm.log"), 5) {
        println!("     log: {line}");
    }
    Ok(failures)
}
