//! The admin's audit log across instances: changes and additions made at
//! the same time through nginx, so through both instances, each land in
//! `hangar_admin_log` once, with the object's primary key and the admin
//! who made them, beside the changes the session checks made directly on
//! each instance.

use std::thread;

use super::{ensure, forms, Site, Verdict};
use crate::sql;

/// A change the admin made, as the audit log should record it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    model: String,
    object_pk: String,
    action: String,
    /// A field the entry's `changes` must name.
    field: String,
}

impl Change {
    pub(crate) fn new(model: &str, object_pk: i64, action: &str, field: &str) -> Self {
        Change { model: model.into(), object_pk: object_pk.to_string(), action: action.into(), field: field.into() }
    }
}

/// Users whose email the admin changes, and users the admin adds, all at
/// once through nginx.
const EDITED: [&str; 4] = ["user3", "user4", "user5", "user6"];
const ADDED: [&str; 4] = ["added0", "added1", "added2", "added3"];

/// What one of the concurrent admin requests did: which instance
/// answered the post, with which status.
fn through_proxy(site: &Site, username: &str, add: bool) -> Result<(String, u16), String> {
    let email = format!("{username}@instances.example");
    let reply = if add {
        let fields = [
            ("username", username),
            ("password", username),
            ("email", email.as_str()),
            ("active", "on"),
            ("join_date", "2024-02-01T00:00:00"),
        ];
        forms::submit(&site.client, &site.proxy.base(), "/admin/user/add/", &site.admin_cookie, &fields)?
    } else {
        let path = format!("/admin/user/{}/", site.user_pk(username)?);
        forms::submit(&site.client, &site.proxy.base(), &path, &site.admin_cookie, &[("email", &email)])?
    };
    Ok((site.answered_by(&reply), reply.status))
}

pub(crate) fn changes_through_both(site: &mut Site) -> Verdict {
    let work: Vec<(&str, bool)> = EDITED.iter().map(|u| (*u, false)).chain(ADDED.iter().map(|u| (*u, true))).collect();
    let shared: &Site = site;
    let answers: Vec<Result<(String, u16), String>> = thread::scope(|scope| {
        let handles: Vec<_> =
            work.iter().map(|&(user, add)| scope.spawn(move || through_proxy(shared, user, add))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("a request thread panicked".into()))).collect()
    });
    let mut served = Vec::new();
    for ((user, add), answer) in work.iter().zip(answers) {
        let (instance, status) = answer?;
        ensure(status == 303, || format!("the admin's {} of {user} through nginx answered {status}", verb(*add)))?;
        served.push(format!("{} {user}: {instance}", verb(*add)));
    }
    ensure(served.iter().any(|s| s.ends_with("first")) && served.iter().any(|s| s.ends_with("second")), || {
        format!("nginx did not use both instances: {served:?}")
    })?;
    for (user, add) in &work {
        let pk = site.user_pk(user)?;
        site.changes.push(if *add {
            Change::new("user", pk, "add", "username")
        } else {
            Change::new("user", pk, "change", "email")
        });
    }

    let admin_pk = site.user_pk("admin")?.to_string();
    let rows = sql::texts_at(
        &site.database_url,
        "SELECT CONCAT_WS('|', CAST(id AS VARCHAR), user_pk, username, model, object_pk, action, changes) AS t \
         FROM hangar_admin_log ORDER BY id",
    )?;
    let entries: Vec<Vec<&str>> = rows.iter().map(|row| row.splitn(7, '|').collect()).collect();
    ensure(entries.len() == site.changes.len(), || {
        format!("{} changes made through the admin, {} audit entries: {rows:#?}", site.changes.len(), entries.len())
    })?;
    for change in &site.changes {
        let matching: Vec<&Vec<&str>> = entries
            .iter()
            .filter(|e| {
                e.len() == 7
                    && e[1] == admin_pk
                    && e[2] == "admin"
                    && e[3] == change.model
                    && e[4] == change.object_pk
                    && e[5] == change.action
                    && e[6].contains(&format!("\"{}\"", change.field))
            })
            .collect();
        ensure(matching.len() == 1, || format!("{change:?} has {} audit entries among {rows:#?}", matching.len()))?;
    }
    Ok(format!(
        "{} entries in hangar_admin_log, one per change, each by admin (pk {admin_pk}) with the object's pk: \
         the password change (through the first), the deactivation (through the second), and at once through \
         nginx {}",
        entries.len(),
        served.join(", ")
    ))
}

fn verb(add: bool) -> &'static str {
    if add {
        "add"
    } else {
        "change"
    }
}
