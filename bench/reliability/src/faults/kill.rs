//! The app killed with SIGKILL inside its open transactions, with no test
//! hook in the app: the suite holds a lock on the private cluster that the
//! transaction needs partway through, waits until the server shows the
//! app's backend blocked on it with its earlier writes done (an
//! assigned transaction id and `RowExclusiveLock`s on the tables it wrote),
//! kills the app, releases the lock, and restarts the app.
//!
//! Three writes, each in one transaction:
//! - the admin's recursive delete of a user with messages, follows and a
//!   note, blocked at the user's own row after its dependents went;
//! - the API's nested write, a follow of a user created in the same body,
//!   blocked at the follow after the user was inserted;
//! - the admin's add of a message, blocked at its audit entry after the
//!   message was inserted.
//!
//! After each restart nothing of the write remains: the counts are those
//! from before, the rows written are gone, no audit entry names them; and
//! across the database the dependents and the audit log agree with the
//! rows. Last, the same delete runs to its end on the restarted app, so the
//! checks are seen to notice a delete that did happen.

use std::time::Duration;

use super::server::{describe, wait_for_waiters, wait_until_gone, Holder, Waiter};
use super::{admin_cookie, count, Failures, InFlight, Options, Setup};
use crate::app::Running;
use crate::http::{basic, csrf_token, Client, Reply};
use crate::sql;

/// How long a blocked request may take to reach the lock.
const REACH_LIMIT: Duration = Duration::from_secs(20);

/// The seeded user the delete takes: `user5`, with messages, follows both
/// ways and a live note.
const VICTIM: &str = "user5";

pub(super) fn run(setup: &Setup, _options: &Options) -> Result<Failures, String> {
    let mut failures = Failures::new();
    let mut app = setup.tweepee.serve(setup.app_port, "kill-delete")?;
    recursive_delete(setup, &mut app, &mut failures)?;
    let mut app = setup.tweepee.serve(setup.app_port, "kill-nested")?;
    nested_write(setup, &mut app, &mut failures)?;
    let mut app = setup.tweepee.serve(setup.app_port, "kill-audit")?;
    admin_add(setup, &mut app, &mut failures)?;
    let app = setup.tweepee.serve(setup.app_port, "kill-after")?;
    agreement(&setup.url, &mut failures)?;
    completed_delete(setup, &app, &mut failures)?;
    Ok(failures)
}

/// Holds `lock`, sends `request` from a thread, waits until the app's
/// backend waits on the lock in a statement starting with `blocked_in`,
/// having written to every table of `written`, then kills the app and
/// releases the lock. What the server showed of the backend.
fn kill_inside(
    setup: &Setup,
    app: &mut Running,
    lock: &str,
    request: impl FnOnce() -> Result<Reply, String> + Send + 'static,
    blocked_in: &str,
    written: &[&str],
    failures: &mut Failures,
) -> Result<Waiter, String> {
    let holder = Holder::begin(&setup.url, lock)?;
    let sent: InFlight = std::thread::spawn(request);
    let watch = sql::connect(&setup.url)?;
    let mut conn = watch.get().map_err(|e| e.to_string())?;
    let waiters = wait_for_waiters(&mut conn, &holder, 1, REACH_LIMIT, || {
        sent.is_finished().then(|| "the request was answered before it reached the suite's lock".to_owned())
    });
    let waiters = match waiters {
        Ok(waiters) => waiters,
        Err(e) => {
            let _ = holder.release();
            let reply = if sent.is_finished() { sent.join().ok().map(|r| format!("{r:?}")) } else { None };
            return Err(format!("{e}; the reply: {}", reply.unwrap_or_else(|| "none yet".into())));
        }
    };
    let waiter = describe(&mut conn, waiters[0])?;
    println!("   lock held by the suite (backend {}): {lock}", holder.pid);
    println!(
        "   the app's backend {} waits ({}) in: {}",
        waiter.pid,
        waiter.wait,
        waiter.query.chars().take(110).collect::<String>()
    );
    println!(
        "     its transaction: id {}, open for {}, holding RowExclusiveLock (written to, or writing) on: {}",
        if waiter.xid.is_empty() { "none" } else { &waiter.xid },
        waiter.open_for,
        waiter.written.join(", ")
    );
    let inside = waiter.query.starts_with(blocked_in)
        && !waiter.xid.is_empty()
        && written.iter().all(|t| waiter.written.iter().any(|w| w == t));
    if !inside {
        failures.push(format!(
            "the kill would not land inside the transaction: expected a backend blocked in `{blocked_in}…` having \
             written to {written:?}, saw {waiter:?}"
        ));
    }
    app.kill9()?;
    println!("   kill -9 sent to the app with that transaction open");
    let reply = sent.join().map_err(|_| "the request's thread panicked".to_owned())?;
    if let Ok(reply) = &reply {
        failures.push(format!("the killed app still answered the blocked request: {} {}", reply.status, reply.body));
    }
    holder.release()?;
    let gone = wait_until_gone(&mut conn, waiter.pid, Duration::from_secs(10))?;
    println!("   lock released; the app's backend ended {gone:.1?} later (its transaction rolled back)");
    Ok(waiter)
}

/// The counts of `user_id`'s rows and dependents, and of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Footprint {
    users: i64,
    user: i64,
    messages: i64,
    follows: i64,
    notes: i64,
    audit: i64,
    audit_of_user: i64,
}

impl Footprint {
    fn of(url: &str, user_id: i64) -> Result<Footprint, String> {
        Ok(Footprint {
            users: count(url, "users")?,
            user: count(url, &format!("users WHERE id = {user_id}"))?,
            messages: count(url, &format!("message WHERE user_id = {user_id}"))?,
            follows: count(url, &format!("relationship WHERE from_user_id = {user_id} OR to_user_id = {user_id}"))?,
            notes: count(url, &format!("note WHERE user_id = {user_id}"))?,
            audit: count(url, "hangar_admin_log")?,
            audit_of_user: count(url, &format!("hangar_admin_log WHERE model = 'user' AND object_pk = '{user_id}'"))?,
        })
    }
}

fn user_id(url: &str, username: &str) -> Result<i64, String> {
    sql::number_at(url, &format!("SELECT CAST(MAX(id) AS BIGINT) AS n FROM users WHERE username = '{username}'"))
}

/// The admin's delete of `user_id` as `cookie`: its confirmation page for
/// the CSRF token, then the POST. The POST's reply.
fn admin_delete(base: &str, cookie: &str, user_id: i64) -> Result<Reply, String> {
    let client = Client::new(Duration::from_secs(60));
    let url = format!("{base}/admin/user/{user_id}/delete/");
    let page = client.get(&url, &[("Cookie", cookie)])?;
    let token = csrf_token(&page.body).ok_or_else(|| format!("the delete page ({}) has no CSRF token", page.status))?;
    client.send(
        "POST",
        &url,
        &[("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")],
        Some(&format!("csrf_token={}", hangar::forms::encode_component(&token))),
    )
}

fn recursive_delete(setup: &Setup, app: &mut Running, failures: &mut Failures) -> Result<(), String> {
    println!("-- the admin's recursive delete of {VICTIM}, killed inside its transaction");
    let id = user_id(&setup.url, VICTIM)?;
    let before = Footprint::of(&setup.url, id)?;
    println!(
        "   {VICTIM} (id {id}): {} messages, {} follows, {} notes; {} audit entries",
        before.messages, before.follows, before.notes, before.audit
    );
    if before.messages == 0 || before.follows == 0 || before.notes == 0 {
        return Err(format!("{VICTIM} should have messages, follows and a note to delete: {before:?}"));
    }
    let (base, cookie) = (app.base(), admin_cookie(&app.base())?);
    kill_inside(
        setup,
        app,
        &format!("SELECT id FROM users WHERE id = {id} FOR UPDATE"),
        move || admin_delete(&base, &cookie, id),
        "DELETE FROM \"users\"",
        &["message", "note", "relationship"],
        failures,
    )?;
    let after = Footprint::of(&setup.url, id)?;
    println!(
        "   after the restart: {VICTIM} {}, {} messages, {} follows, {} notes; {} audit entries ({} for {VICTIM})",
        if after.user == 1 { "still there" } else { "GONE" },
        after.messages,
        after.follows,
        after.notes,
        after.audit,
        after.audit_of_user
    );
    if after != before {
        failures.push(format!("the killed delete left a partial write: before {before:?}, after {after:?}"));
    }
    Ok(())
}

/// The username the nested write creates.
const NESTED_USER: &str = "killed_nested";

fn nested_write(setup: &Setup, app: &mut Running, failures: &mut Failures) -> Result<(), String> {
    println!("-- the API's nested write (a follow of a user created in the same body), killed inside its transaction");
    let users = count(&setup.url, "users")?;
    let follows = count(&setup.url, "relationship")?;
    let base = app.base();
    let body = serde_json::json!({
        "to_user": {
            "username": NESTED_USER,
            "password": "nested-password",
            "email": "killed_nested@example.com",
            "join_date": "2024-06-01T00:00:00",
            "active": true,
            "admin": false,
        }
    })
    .to_string();
    kill_inside(
        setup,
        app,
        "LOCK TABLE relationship IN EXCLUSIVE MODE",
        move || {
            Client::new(Duration::from_secs(60)).send(
                "POST",
                &format!("{base}/api/relationship/"),
                &[("Authorization", &basic("admin", "admin")), ("Content-Type", "application/json")],
                Some(&body),
            )
        },
        "INSERT INTO \"relationship\"",
        &["users"],
        failures,
    )?;
    let (users_after, follows_after) = (count(&setup.url, "users")?, count(&setup.url, "relationship")?);
    let created = count(&setup.url, &format!("users WHERE username = '{NESTED_USER}'"))?;
    println!(
        "   after the restart: users {users} → {users_after}, follows {follows} → {follows_after}, `{NESTED_USER}` rows: {created}"
    );
    if (users_after, follows_after, created) != (users, follows, 0) {
        failures.push(format!(
            "the killed nested write left a partial write: users {users} → {users_after}, follows {follows} → \
             {follows_after}, {created} user(s) named {NESTED_USER}"
        ));
    }
    Ok(())
}

/// The content of the message the admin's add writes.
const ADDED_CONTENT: &str = "added through the admin, then killed";

fn admin_add(setup: &Setup, app: &mut Running, failures: &mut Failures) -> Result<(), String> {
    println!("-- the admin's add of a message (the row, then its audit entry), killed inside its transaction");
    let messages = count(&setup.url, "message")?;
    let audit = count(&setup.url, "hangar_admin_log")?;
    let (base, cookie) = (app.base(), admin_cookie(&app.base())?);
    let author = user_id(&setup.url, "user1")?;
    kill_inside(
        setup,
        app,
        "LOCK TABLE hangar_admin_log IN EXCLUSIVE MODE",
        move || admin_add_message(&base, &cookie, author),
        "INSERT INTO \"hangar_admin_log\"",
        &["message"],
        failures,
    )?;
    let (messages_after, audit_after) = (count(&setup.url, "message")?, count(&setup.url, "hangar_admin_log")?);
    let written = count(&setup.url, &format!("message WHERE content = '{ADDED_CONTENT}'"))?;
    println!(
        "   after the restart: messages {messages} → {messages_after}, audit entries {audit} → {audit_after}, the added message's rows: {written}"
    );
    if (messages_after, audit_after, written) != (messages, audit, 0) {
        failures.push(format!(
            "the killed add left a partial write: messages {messages} → {messages_after}, audit entries {audit} → \
             {audit_after}, {written} row(s) with its content"
        ));
    }
    Ok(())
}

/// The admin's add form for a message by `author`, posted.
fn admin_add_message(base: &str, cookie: &str, author: i64) -> Result<Reply, String> {
    let client = Client::new(Duration::from_secs(60));
    let url = format!("{base}/admin/message/add/");
    let page = client.get(&url, &[("Cookie", cookie)])?;
    let token = csrf_token(&page.body).ok_or_else(|| format!("the add page ({}) has no CSRF token", page.status))?;
    let fields = [
        ("csrf_token", token.as_str()),
        ("user_id", &author.to_string()),
        ("content", ADDED_CONTENT),
        ("pub_date", "2024-06-01T12:00:00"),
    ]
    .map(|(k, v)| format!("{k}={}", hangar::forms::encode_component(v)));
    client.send(
        "POST",
        &url,
        &[("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")],
        Some(&fields.join("&")),
    )
}

/// Across the database, the dependents and the audit log agree with the
/// rows: no message, follow or note points at a missing user; no user
/// the audit log says was deleted exists; every message the audit log says
/// was added exists unless it also says it was deleted.
fn agreement(url: &str, failures: &mut Failures) -> Result<(), String> {
    let checks = [
        ("messages of missing users", "message m WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id)"),
        (
            "follows of missing users",
            "relationship r WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.from_user_id) \
             OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.to_user_id)",
        ),
        ("notes of missing users", "note n WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = n.user_id)"),
        (
            "users the audit log says were deleted",
            "hangar_admin_log a WHERE a.model = 'user' AND a.action = 'delete' \
             AND EXISTS (SELECT 1 FROM users u WHERE CAST(u.id AS TEXT) = a.object_pk)",
        ),
        (
            "messages the audit log says were added but are missing",
            "hangar_admin_log a WHERE a.model = 'message' AND a.action = 'add' \
             AND NOT EXISTS (SELECT 1 FROM message m WHERE CAST(m.id AS TEXT) = a.object_pk) \
             AND NOT EXISTS (SELECT 1 FROM hangar_admin_log d WHERE d.model = 'message' AND d.action = 'delete' \
             AND d.object_pk = a.object_pk)",
        ),
    ];
    let mut found = Vec::new();
    for (what, from) in checks {
        let n = count(url, from)?;
        found.push(format!("{what}: {n}"));
        if n != 0 {
            failures.push(format!("the dependents or the audit log disagree with the rows: {n} {what}"));
        }
    }
    println!("-- agreement across the database: {}", found.join("; "));
    Ok(())
}

/// The same delete, not blocked, on the restarted app: it goes through,
/// taking the dependents with it and leaving one audit entry, which the
/// same checks see.
fn completed_delete(setup: &Setup, app: &Running, failures: &mut Failures) -> Result<(), String> {
    let id = user_id(&setup.url, VICTIM)?;
    let before = Footprint::of(&setup.url, id)?;
    let reply = admin_delete(&app.base(), &admin_cookie(&app.base())?, id)?;
    let after = Footprint::of(&setup.url, id)?;
    println!(
        "-- the same delete, unblocked, on the restarted app: {}; {VICTIM} {}, {} messages, {} follows, {} notes left; audit entries {} → {} ({} for {VICTIM})",
        reply.status,
        if after.user == 0 { "gone" } else { "STILL THERE" },
        after.messages,
        after.follows,
        after.notes,
        before.audit,
        after.audit,
        after.audit_of_user
    );
    let expected = Footprint {
        users: before.users - 1,
        user: 0,
        messages: 0,
        follows: 0,
        notes: 0,
        // The user's entry, and one for each row the delete takes with it.
        audit: before.audit + 1 + before.messages + before.follows + before.notes,
        audit_of_user: 1,
    };
    if after != expected || !(300..400).contains(&reply.status) {
        failures.push(format!(
            "the unblocked delete did not complete as expected: {} and {after:?}, expected {expected:?}",
            reply.status
        ));
    }
    agreement(&setup.url, failures)
}
