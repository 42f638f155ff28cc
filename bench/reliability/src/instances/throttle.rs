//! The login throttle across instances: wrong passwords for one user sent
//! all at once through nginx, so spread over both instances, run at most
//! the throttle's limit of password checks between them; the rest answer
//! 429 with `Retry-After`. The count lives in `hangar_login_throttle`,
//! which must say exactly the limit. An instance counting in its own
//! memory would let each instance run its own limit of checks.
//!
//! Every attempt also sends `X-Real-IP: 203.0.113.9`, as a client trying to
//! pass for another address would: nginx replaces it with the address it
//! sees (127.0.0.1), so that is the address the throttle must count.

use std::collections::BTreeMap;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{Site, Verdict};
use crate::http::{basic as basic_credentials, csrf_token, Reply};
use crate::sql;

/// The throttle's table.
const TABLE: &str = "hangar_login_throttle";

/// The address a client claims in its own `X-Real-IP`.
const SPOOFED: &str = "203.0.113.9";

/// What the login form says when the password check ran and failed.
const INCORRECT: &str = "Incorrect username or password";

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ending {
    /// The password was checked, and was wrong.
    Checked,
    /// Refused before any check: 429 with `Retry-After`.
    Refused,
    /// Anything else, which is a failure of the check.
    Other(u16),
}

/// The suite's requests all come from 127.0.0.1, which the earlier checks'
/// failed Basic logins have already counted against; forget that address's
/// failures so that the user's own count is what stops the burst.
fn forget_the_address(site: &Site) -> String {
    match sql::execute(&site.database_url, &format!("DELETE FROM {TABLE} WHERE throttle_key LIKE 'ip:%'")) {
        Ok(()) => String::new(),
        Err(e) => format!(" (forgetting 127.0.0.1's earlier failures failed: {e})"),
    }
}

/// Sends `attempts` at once, each from a thread of its own, and sorts the
/// answers by instance and ending.
fn burst<F>(site: &Site, attempts: usize, attempt: F) -> Result<(BTreeMap<String, Vec<Ending>>, f64), String>
where
    F: Fn(usize) -> Result<(Reply, Ending), String> + Sync,
{
    let barrier = Barrier::new(attempts);
    let started = Instant::now();
    let answers: Vec<Result<(Reply, Ending), String>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..attempts)
            .map(|i| {
                let (barrier, attempt) = (&barrier, &attempt);
                scope.spawn(move || {
                    barrier.wait();
                    attempt(i)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("an attempt's thread panicked".into()))).collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut by_instance: BTreeMap<String, Vec<Ending>> = BTreeMap::new();
    for answer in answers {
        let (reply, ending) = answer?;
        by_instance.entry(site.answered_by(&reply)).or_default().push(ending);
    }
    Ok((by_instance, seconds))
}

fn refused(reply: &Reply) -> bool {
    reply.status == 429 && reply.header("Retry-After").is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s > 0))
}

/// What the burst did and what the table says, or why the throttle failed.
fn judge(site: &Site, username: &str, limit: usize, answers: &BTreeMap<String, Vec<Ending>>, seconds: f64) -> Verdict {
    let all: Vec<Ending> = answers.values().flatten().copied().collect();
    let checked = all.iter().filter(|e| **e == Ending::Checked).count();
    let tally: Vec<String> = answers
        .iter()
        .map(|(instance, endings)| {
            let mut counts: BTreeMap<Ending, usize> = BTreeMap::new();
            for ending in endings {
                *counts.entry(*ending).or_default() += 1;
            }
            let counts: Vec<String> = counts
                .iter()
                .map(|(ending, n)| match ending {
                    Ending::Checked => format!("{n} checked"),
                    Ending::Refused => format!("{n}×429"),
                    Ending::Other(status) => format!("{n}×{status} (unexpected)"),
                })
                .collect();
            format!("{instance} {}", counts.join(" + "))
        })
        .collect();
    let key = format!("user:{username}");
    let count = |condition: &str, column: &str| {
        sql::number_at(
            &site.database_url,
            &format!("SELECT CAST({column} AS BIGINT) AS n FROM {TABLE} WHERE throttle_key = '{condition}'"),
        )
    };
    let counted = count(&key, "failures");
    let summary = format!(
        "{} attempts in {seconds:.2} s: {}; {checked} password checks ran (limit {limit}); {TABLE} `{key}` failures = {}",
        all.len(),
        tally.join(", "),
        counted.as_ref().map_or_else(|e| format!("unreadable ({e})"), i64::to_string),
    );
    let mut faults = Vec::new();
    if all.iter().any(|e| matches!(e, Ending::Other(_))) {
        faults.push("an attempt ended neither in a failed check nor in 429 with Retry-After".to_owned());
    }
    if answers.len() < 2 {
        faults.push("nginx did not spread the attempts over both instances".to_owned());
    }
    if checked > limit {
        faults.push(format!("{checked} password checks ran, more than the limit of {limit}"));
    }
    if checked == 0 {
        faults.push("no password check ran at all".to_owned());
    }
    if counted.is_err() {
        faults.push(format!("no count for `{key}` in {TABLE}"));
    }
    if let Ok(n) = counted {
        if usize::try_from(n) != Ok(limit) {
            faults.push(format!("the table counts {n} failures for `{key}`, not {limit}"));
        }
        let spoofed = count(&format!("ip:{SPOOFED}"), "COUNT(*)");
        let seen = count("ip:127.0.0.1", "COUNT(*)");
        if (spoofed.as_ref().ok(), seen.as_ref().ok()) != (Some(&0), Some(&1)) {
            faults.push(format!(
                "the address counted is not nginx's: rows for ip:{SPOOFED} {spoofed:?}, for ip:127.0.0.1 {seen:?}"
            ));
        }
    }
    if faults.is_empty() {
        Ok(format!("{summary}; the address counted is 127.0.0.1, not the X-Real-IP the client sent"))
    } else {
        Err(format!("{summary}: {}", faults.join("; ")))
    }
}

/// Wrong passwords for `user7` through the login form.
pub(crate) fn login_form(site: &Site, attempts: usize, limit: usize) -> Verdict {
    let username = "user7";
    let note = forget_the_address(site);
    let login = format!("{}/accounts/login/", site.proxy.base());
    // Each attempt its own session and CSRF token, fetched beforehand (from
    // either instance) so that the posts leave together.
    let mut forms = Vec::with_capacity(attempts);
    for _ in 0..attempts {
        let page = site.client.get(&login, &[])?;
        let token = csrf_token(&page.body).ok_or("the login page has no CSRF token")?;
        forms.push((page.cookies.join("; "), token));
    }
    let (answers, seconds) = burst(site, attempts, |i| {
        let (cookie, token) = &forms[i];
        let body =
            format!("csrf_token={}&username={username}&password=wrong{i}", hangar::forms::encode_component(token));
        let headers = [
            ("Cookie", cookie.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Real-IP", SPOOFED),
        ];
        let reply = site.client.send("POST", &login, &headers, Some(&body))?;
        let ending = if reply.status == 200 && reply.body.contains(INCORRECT) {
            Ending::Checked
        } else if refused(&reply) {
            Ending::Refused
        } else {
            Ending::Other(reply.status)
        };
        Ok((reply, ending))
    })?;
    judge(site, username, limit, &answers, seconds).map(|v| v + &note).map_err(|e| e + &note)
}

/// Wrong Basic passwords for `user8` on a request the API authenticates
/// (a DELETE of a message that does not exist).
pub(crate) fn basic(site: &Site, attempts: usize, limit: usize) -> Verdict {
    let username = "user8";
    let note = forget_the_address(site);
    let url = format!("{}/api/message/0/", site.proxy.base());
    let (answers, seconds) = burst(site, attempts, |i| {
        let credentials = basic_credentials(username, &format!("wrong{i}"));
        let headers = [("Authorization", credentials.as_str()), ("X-Real-IP", SPOOFED)];
        let reply = site.client.send("DELETE", &url, &headers, None)?;
        let ending = if reply.status == 401 {
            Ending::Checked
        } else if refused(&reply) && reply.json()["error"].is_string() {
            Ending::Refused
        } else {
            Ending::Other(reply.status)
        };
        Ok((reply, ending))
    })?;
    judge(site, username, limit, &answers, seconds).map(|v| v + &note).map_err(|e| e + &note)
}

/// A window that ended a day ago, and one that began a minute ago, both
/// written before the instances start.
const ENDED: &str = "user:ended-window";
const OPEN: &str = "user:open-window";

/// Writes the two windows [`pruned`] looks for; call it before the
/// instances start, since each instance prunes at its first attempt and
/// then at most once a minute.
pub(crate) fn plant_windows(database_url: &str) -> Result<(), String> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let ms = |ago: Duration| now.saturating_sub(ago).as_millis();
    sql::execute(
        database_url,
        &format!(
            "INSERT INTO {TABLE} (throttle_key, window_start, failures) VALUES ('{ENDED}', {}, 3), ('{OPEN}', {}, 3)",
            ms(Duration::from_secs(24 * 3600)),
            ms(Duration::from_secs(60))
        ),
    )
}

/// The ended window is gone, the open one is not.
pub(crate) fn pruned(site: &Site) -> Verdict {
    let rows = |key: &str| {
        sql::number_at(
            &site.database_url,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {TABLE} WHERE throttle_key = '{key}'"),
        )
    };
    let (ended, open) = (rows(ENDED)?, rows(OPEN)?);
    if (ended, open) == (0, 1) {
        Ok(format!(
            "`{ENDED}` (a window begun a day ago, written before the instances started) was deleted; `{OPEN}` (begun a \
             minute ago) was kept"
        ))
    } else {
        Err(format!("rows left for `{ENDED}`: {ended} (wanted 0), for `{OPEN}`: {open} (wanted 1)"))
    }
}
