//! PostgreSQL stopped and started again under load, the app left running.
//!
//! Besides the load, one request of each face is held inside a query when
//! PostgreSQL stops (waiting on a lock the suite holds on `relationship`,
//! which the load does not read), so that the server ends the very
//! connection the request is using: it too must answer a 503.
//!
//! Checked: before the stop every answer is normal; from the stop on, every
//! answer is either the normal one or a 503, never another 5xx and never
//! none at all; an API 503 is JSON with an `error`, an admin or site 503 is
//! HTML; once PostgreSQL accepts connections again, every face answers
//! normally within `--recovery-seconds` and keeps doing so; and every
//! message whose create was acknowledged (201 with an id) is in the
//! database afterwards. Also checked: the app and the cluster listen on
//! 127.0.0.1 only.

use std::thread::sleep;
use std::time::{Duration, Instant};

use super::server::{wait_for_waiters, Holder};
use super::traffic::{count, tally, Face, Mix, Record, Traffic};
use super::{admin_cookie, error_lines, listening_on, Failures, InFlight, Options, Setup};
use crate::http::Client;
use crate::sql;

/// Seconds of load before the stop, and after recovery.
const STEADY: Duration = Duration::from_secs(3);

/// A request's client-side limit: well above the pool's checkout timeout,
/// so a slow 503 is still an answer.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(15);

pub(super) fn run(setup: &Setup, options: &Options) -> Result<Failures, String> {
    let app = setup.tweepee.serve(setup.app_port, "restart")?;
    let pid = app.pid();
    let mut failures = Failures::new();
    for (what, port) in [("tweepee", setup.app_port), ("PostgreSQL", setup.cluster.port)] {
        let addresses = listening_on(port);
        println!("   {what} listens on port {port} at: {}", addresses.join(", "));
        if addresses.is_empty() || addresses.iter().any(|a| a != "127.0.0.1") {
            failures.push(format!("{what} should listen on 127.0.0.1 only, it listens at {addresses:?}"));
        }
    }
    let base = app.base();
    let mix = Mix { base: base.clone(), admin_cookie: admin_cookie(&base)?, users: options.users, tag: "restart" };
    let traffic = Traffic::start(&mix, options.threads, CLIENT_TIMEOUT, Duration::from_millis(10));

    sleep(STEADY);
    let held = hold_in_query(setup, &base, &mix.admin_cookie)?;
    let stop_at = traffic.now();
    setup.cluster.stop(options.stop_mode.name())?;
    let down_at = traffic.now();
    sleep(Duration::from_secs(options.outage_seconds));
    let start_at = traffic.now();
    setup.cluster.start()?;
    let up_at = traffic.now();
    println!(
        "   load on {} threads; `pg_ctl stop -m {}` at {:.1?} (down at {:.1?}), started again at {:.1?} (accepting at {:.1?})",
        options.threads,
        options.stop_mode.name(),
        stop_at,
        down_at,
        start_at,
        up_at
    );

    let limit = Duration::from_secs(options.recovery_seconds);
    let recovered_at = wait_for_recovery(&traffic, up_at, limit);
    if recovered_at.is_some() {
        sleep(STEADY);
    }
    let records = traffic.finish();
    let still_running = pid.is_some_and(alive);
    drop(app);

    check_held(held, &mut failures)?;
    let before: Vec<&Record> = records.iter().filter(|r| r.end < stop_at).collect();
    let outage: Vec<&Record> = records.iter().filter(|r| r.end >= stop_at && r.start <= up_at).collect();
    let recovering: Vec<&Record> =
        records.iter().filter(|r| r.start > up_at && recovered_at.is_none_or(|at| r.start < at)).collect();
    let after: Vec<&Record> = records.iter().filter(|r| recovered_at.is_some_and(|at| r.start >= at)).collect();
    println!("   before the stop   {}", tally(before.iter().copied()));
    println!("   during the outage {}", tally(outage.iter().copied()));
    println!("   recovering        {}", tally(recovering.iter().copied()));
    println!("   after recovery    {}", tally(after.iter().copied()));
    match recovered_at {
        Some(at) => println!(
            "   recovered {:.1?} after PostgreSQL accepted connections again, without restarting the app (pid {})",
            at.saturating_sub(up_at),
            pid.unwrap_or_default()
        ),
        None => failures
            .push(format!("the app did not answer normally on every face within {limit:?} of PostgreSQL's restart")),
    }
    if !still_running {
        failures.push("the app's process exited during the outage".into());
    }

    if before.is_empty() || before.iter().any(|r| !r.is_normal()) {
        failures.push(format!("before the stop, not every answer was normal: {}", tally(before.iter().copied())));
    }
    check_answers(&records, stop_at, &mut failures);
    if let Some(at) = recovered_at {
        let late: Vec<&&Record> = after.iter().filter(|r| !r.is_normal()).collect();
        if !late.is_empty() {
            failures.push(format!(
                "{} request(s) started after recovery ({at:?}) were not answered normally, first: {}",
                late.len(),
                describe(late[0])
            ));
        }
    }
    check_acknowledged(&setup.url, &records, &mut failures)?;
    let errors = error_lines(&setup.tweepee.dir.join("restart.log"), 8);
    if !errors.is_empty() {
        println!("   the app's log, first error lines:");
        for line in errors {
            println!("     {line}");
        }
    }
    Ok(failures)
}

/// Process `pid` is running: not gone, not a zombie waiting for its exit
/// status to be read.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next()).is_some_and(|state| state != "Z")
    })
}

/// Waits until every face has answered normally to a request sent after
/// `up_at`; when that happened, or `None` after `limit`.
fn wait_for_recovery(traffic: &Traffic, up_at: Duration, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit + Duration::from_secs(1) {
        let records = traffic.snapshot();
        let first_normal = |face: Face| {
            records.iter().filter(|r| r.face == face && r.start > up_at && r.is_normal()).map(|r| r.start).min()
        };
        let faces = [Face::Api, Face::Admin, Face::Site].map(first_normal);
        if faces.iter().all(Option::is_some) {
            let at = faces.into_iter().flatten().max().unwrap_or(up_at);
            return (at.saturating_sub(up_at) <= limit).then_some(at);
        }
        sleep(Duration::from_millis(100));
    }
    None
}

/// Every answer from the stop on is normal or a well-formed 503.
fn check_answers(records: &[Record], stop_at: Duration, failures: &mut Failures) {
    let from_stop: Vec<&Record> = records.iter().filter(|r| r.end >= stop_at).collect();
    let unanswered: Vec<&&Record> = from_stop.iter().filter(|r| r.outcome.is_err()).collect();
    if let Some(first) = unanswered.first() {
        failures.push(format!("{} request(s) got no answer at all, first: {}", unanswered.len(), describe(first)));
    }
    let other_5xx: Vec<&&Record> =
        from_stop.iter().filter(|r| r.status().is_some_and(|s| s >= 500 && s != 503)).collect();
    if let Some(first) = other_5xx.first() {
        failures.push(format!(
            "{} answer(s) were a 5xx other than 503 ({}), first: {}",
            other_5xx.len(),
            tally(other_5xx.iter().map(|r| **r)),
            describe(first)
        ));
    }
    let odd: Vec<&&Record> =
        from_stop.iter().filter(|r| r.status().is_some_and(|s| s < 500 && s != r.normal)).collect();
    if let Some(first) = odd.first() {
        failures.push(format!(
            "{} answer(s) were neither the normal status nor a 503 ({}), first: {}",
            odd.len(),
            tally(odd.iter().map(|r| **r)),
            describe(first)
        ));
    }
    let unavailable: Vec<&&Record> = from_stop.iter().filter(|r| r.status() == Some(503)).collect();
    let malformed: Vec<&&Record> = unavailable
        .iter()
        .copied()
        .filter(|r| {
            let Ok(answer) = &r.outcome else { return false };
            match r.face {
                Face::Api => !answer.content_type.contains("json") || answer.error.is_none(),
                Face::Admin | Face::Site => !answer.content_type.contains("html"),
            }
        })
        .collect();
    println!(
        "   503s: {} ({} well formed: JSON with an error from the API, HTML from the admin and the site)",
        unavailable.len(),
        unavailable.len() - malformed.len()
    );
    if let Some(first) = malformed.first() {
        failures.push(format!("{} 503(s) had the wrong kind of body, first: {}", malformed.len(), describe(first)));
    }
    println!(
        "   other 5xx: {}; neither normal nor 503: {}; no answer: {}",
        other_5xx.len(),
        odd.len(),
        unanswered.len()
    );
}

/// Every acknowledged create is in the database, with its content.
fn check_acknowledged(url: &str, records: &[Record], failures: &mut Failures) -> Result<(), String> {
    let acknowledged: Vec<(i64, &str)> = records.iter().filter_map(Record::acknowledged).collect();
    let mut missing = Vec::new();
    for chunk in acknowledged.chunks(200) {
        let ids: Vec<String> = chunk.iter().map(|(id, _)| id.to_string()).collect();
        let found = sql::number_at(
            url,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM message WHERE id IN ({}) AND content LIKE 'restart t%'",
                ids.join(",")
            ),
        )?;
        if usize::try_from(found).unwrap_or(0) != chunk.len() {
            for (id, content) in chunk {
                let there = sql::number_at(
                    url,
                    &format!(
                        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM message WHERE id = {id} AND content = '{}'",
                        content.replace('\'', "''")
                    ),
                )?;
                if there == 0 {
                    missing.push(*id);
                }
            }
        }
    }
    let attempted = count(records, |r| r.creates.is_some());
    let failed_but_there = unacknowledged_present(url, records)?;
    println!(
        "   creates: {attempted} sent, {} acknowledged, {} of those missing afterwards; {failed_but_there} not acknowledged but written anyway",
        acknowledged.len(),
        missing.len()
    );
    if !missing.is_empty() {
        failures.push(format!("acknowledged messages are missing after the restart: ids {missing:?}"));
    }
    Ok(())
}

/// How many creates answered with something other than a 201 (or not at
/// all) wrote their message anyway: a commit whose answer was lost. Not a
/// broken promise, but worth a line in the report.
fn unacknowledged_present(url: &str, records: &[Record]) -> Result<usize, String> {
    let mut n = 0;
    for record in records.iter().filter(|r| r.creates.is_some() && r.acknowledged().is_none()) {
        let content = record.creates.as_deref().unwrap_or_default().replace('\'', "''");
        let there = sql::number_at(
            url,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM message WHERE content = '{content}'"),
        )?;
        n += usize::try_from(there).unwrap_or(0);
    }
    Ok(n)
}

/// One record, for a failure's sentence.
fn describe(record: &Record) -> String {
    let what = match &record.outcome {
        Ok(answer) => format!("{} {} {:?}", answer.status, answer.content_type, answer.excerpt),
        Err(e) => e.clone(),
    };
    format!("{} at {:.2?}..{:.2?}: {what}", record.label, record.start, record.end)
}

/// Requests held inside a query on the suite's lock, with the lock.
struct Held {
    holder: Holder,
    requests: Vec<(Face, String, InFlight)>,
}

/// Holds one request of each face inside a query: the suite locks
/// `relationship`, then asks for the API's follows, the admin's list of
/// them and the site's `/following` page (as `user0`), and waits until the
/// server shows all three waiting on the lock.
fn hold_in_query(setup: &Setup, base: &str, admin_cookie: &str) -> Result<Held, String> {
    let user_cookie = Client::default().login(base, "user0", "user0")?;
    let holder = Holder::begin(&setup.url, "LOCK TABLE relationship IN ACCESS EXCLUSIVE MODE")?;
    let asks = [
        (Face::Api, "/api/relationship/", String::new()),
        (Face::Admin, "/admin/relationship/", admin_cookie.to_owned()),
        (Face::Site, "/following", user_cookie),
    ];
    let requests: Vec<_> = asks
        .into_iter()
        .map(|(face, path, cookie)| {
            let url = format!("{base}{path}");
            let thread = std::thread::spawn(move || {
                let headers: Vec<(&str, &str)> =
                    if cookie.is_empty() { Vec::new() } else { vec![("Cookie", cookie.as_str())] };
                Client::new(CLIENT_TIMEOUT).get(&url, &headers)
            });
            (face, format!("GET {path}"), thread)
        })
        .collect();
    let watch = sql::connect(&setup.url)?;
    let mut conn = watch.get().map_err(|e| e.to_string())?;
    let waiting = wait_for_waiters(&mut conn, &holder, requests.len(), Duration::from_secs(20), || {
        requests
            .iter()
            .find(|(_, _, t)| t.is_finished())
            .map(|(_, label, _)| format!("{label} was answered before it reached the suite's lock"))
    });
    match waiting {
        Ok(backends) => {
            println!(
                "   held inside a query when PostgreSQL stops: {} (backends {backends:?} wait on the suite's lock)",
                requests.iter().map(|(_, label, _)| label.as_str()).collect::<Vec<_>>().join(", ")
            );
            Ok(Held { holder, requests })
        }
        Err(e) => {
            let _ = holder.release();
            Err(e)
        }
    }
}

/// Each held request answered a well-formed 503.
fn check_held(held: Held, failures: &mut Failures) -> Result<(), String> {
    // The server ended the lock's session with the others; its
    // connection is dead.
    drop(held.holder);
    let mut seen = Vec::new();
    for (face, label, thread) in held.requests {
        let reply = thread.join().map_err(|_| format!("{label}'s thread panicked"))?;
        match reply {
            Ok(reply) => {
                let body_kind = if face == Face::Api { "json" } else { "html" };
                let error = reply.json().get("error").and_then(|e| e.as_str()).map(str::to_owned);
                seen.push(format!("{label} → {} {}", reply.status, reply.content_type));
                let well_formed = reply.content_type.contains(body_kind) && (face != Face::Api || error.is_some());
                if reply.status != 503 || !well_formed {
                    failures.push(format!(
                        "{label}, inside a query when PostgreSQL stopped, answered {} {} {:?}, not a 503 with {}",
                        reply.status,
                        reply.content_type,
                        reply.body.chars().take(120).collect::<String>(),
                        if face == Face::Api { "a JSON error" } else { "an HTML page" }
                    ));
                }
            }
            Err(e) => {
                seen.push(format!("{label} → no answer"));
                failures.push(format!("{label}, inside a query when PostgreSQL stopped, got no answer: {e}"));
            }
        }
    }
    println!("   the held requests: {}", seen.join("; "));
    Ok(())
}
