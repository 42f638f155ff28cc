//! tweepee's admin at `/admin/`: users, relationships, messages and notes,
//! a "Notes" panel to read and post notes, and a "User stats" panel that
//! charts signups and messages over the last week; groups, and the
//! moderators' group, staff who may view and change messages and view
//! users; on a user's page, their messages inline; and the actions
//! "Deactivate selected users" and "Delete messages of selected users".

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use hangar::admin::{Admin, AdminAction, AdminPanel, Inline, ModelAdmin};
use hangar::auth::{AdminRequired, Caller, CsrfForm, Permission, Session};
use hangar::db::{AnyConnection, Database};
use hangar::model::Value;
use hangar::Model as _;
use rocket::response::Redirect;
use rocket::{post, routes, Route};
use serde_json::{json, Value as Json};

use crate::models::{Message, Note, Relationship, User, LIVE};
use crate::schema::{message, note, users};
use crate::social;

/// The admin: users (hangar's, with their messages), relationships,
/// messages and notes, and the two panels.
pub fn admin() -> Admin<User> {
    Admin::<User>::new()
        .site_title("tweepee admin")
        .register::<UserAdmin>()
        .register::<Relationship>()
        .register::<Message>()
        .register::<Note>()
        .register::<hangar::auth::Group>()
        .panel(NotesPanel)
        .panel(UserStatsPanel)
}

/// The moderators' group: they may view and change messages and view
/// users, and delete nothing.
pub const MODERATORS: &str = "moderator";

/// What the moderators' group is granted, by model.
const MODERATOR_GRANTS: [(&str, Permission); 3] =
    [("message", Permission::View), ("message", Permission::Change), ("user", Permission::View)];

/// Makes the moderators' group, with its permissions, unless it exists;
/// returns its key.
pub fn create_moderators(conn: &mut AnyConnection) -> Result<i32, hangar::Error> {
    use hangar::auth::{hangar_group, hangar_group_permission, hangar_permission};

    let existing: Option<i32> = hangar_group::table
        .filter(hangar_group::name.eq(MODERATORS))
        .select(hangar_group::id)
        .first(conn)
        .optional()?;
    if let Some(group) = existing {
        return Ok(group);
    }
    hangar::auth::sync_permissions(conn, &[Message::meta(), User::meta()])?;
    diesel::insert_into(hangar_group::table).values(hangar_group::name.eq(MODERATORS)).execute(conn)?;
    let group: i32 =
        hangar_group::table.filter(hangar_group::name.eq(MODERATORS)).select(hangar_group::id).first(conn)?;
    for (model, permission) in MODERATOR_GRANTS {
        let id: i32 = hangar_permission::table
            .filter(hangar_permission::model.eq(model))
            .filter(hangar_permission::action.eq(permission.name()))
            .select(hangar_permission::id)
            .first(conn)?;
        diesel::insert_into(hangar_group_permission::table)
            .values((hangar_group_permission::group_id.eq(group), hangar_group_permission::permission_id.eq(id)))
            .execute(conn)?;
    }
    Ok(group)
}

/// Makes the user `user` a moderator: staff, in the moderators' group.
pub fn make_moderator(conn: &mut AnyConnection, user: i32) -> Result<(), hangar::Error> {
    use hangar::auth::hangar_user_group;

    let group = create_moderators(conn)?;
    diesel::update(users::table.filter(users::id.eq(user))).set(users::staff.eq(true)).execute(conn)?;
    diesel::insert_into(hangar_user_group::table)
        .values((hangar_user_group::user_pk.eq(user.to_string()), hangar_user_group::group_id.eq(group)))
        .execute(conn)?;
    Ok(())
}

/// hangar's `User`, whose admin tweepee does not derive, with the user's
/// messages inline on their page: newest first, and one blank row to write
/// another.
#[derive(Debug)]
pub struct UserAdmin;

impl ModelAdmin for UserAdmin {
    type Model = User;

    fn inlines() -> Vec<Inline> {
        const MESSAGES: Inline = Inline::of::<Message, User>().ordering(&["-pub_date"]).extra(1);
        vec![MESSAGES]
    }

    /// Bulk delete and bulk edit, deactivating users (they can no longer
    /// log in; their sessions end), and deleting their messages, which asks
    /// first.
    fn actions() -> Vec<AdminAction<User>> {
        vec![
            AdminAction::delete_selected(),
            AdminAction::change_fields(),
            AdminAction::<User>::new("deactivate", "Deactivate selected users", |ctx| {
                let mut done = 0;
                while let Some(users) = ctx.next_batch()? {
                    done += ctx.update(&users, &[("active", Value::Bool(false))])?;
                }
                Ok(format!("Deactivated {done} {}", if done == 1 { "user" } else { "users" }))
            }),
            AdminAction::<User>::new("delete_messages", "Delete messages of selected users", |ctx| {
                let mut deleted = 0;
                while let Some(users) = ctx.next_batch()? {
                    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                    let theirs = Message::all().filter(message::user_id.eq_any(ids));
                    let messages = Message::load(theirs, ctx.conn())?;
                    deleted += ctx.delete(&messages)?;
                }
                Ok(format!("Deleted {deleted} {}", if deleted == 1 { "message" } else { "messages" }))
            })
            .permission(Permission::Delete)
            .confirm("Their messages are deleted, with every message's own audit entry; the users stay."),
        ]
    }
}

/// The latest three notes, and a form to post one.
#[derive(Debug)]
pub struct NotesPanel;

impl AdminPanel for NotesPanel {
    fn slug(&self) -> &str {
        "notes"
    }

    fn title(&self) -> &str {
        "Notes"
    }

    fn template(&self) -> &str {
        "tweepee/panels/notes"
    }

    fn context(&self, _caller: &Caller, conn: &mut AnyConnection) -> Result<Json, hangar::Error> {
        // hangar's `users` table lives in another crate, so Diesel cannot
        // join it: the notes, then their authors, in two queries.
        let latest: Vec<(String, i32, NaiveDateTime)> = note::table
            .filter(note::status.eq(LIVE))
            .order(note::created_date.desc())
            .then_order_by(note::id.desc())
            .limit(3)
            .select((note::message, note::user_id, note::created_date))
            .load(conn)
            .map_err(hangar::Error::from)?;
        let keys: Vec<Value> = latest.iter().map(|(_, user, _)| Value::Integer(*user)).collect();
        let authors = hangar::model::load_by_keys::<User>(conn, &keys).map_err(hangar::Error::from)?;
        let notes: Vec<Json> = latest
            .iter()
            .map(|(message, user, created)| {
                let username = authors.iter().find(|a| a.id == *user).map_or("", |a| a.username.as_str());
                json!({"message": message, "username": username, "created": created.format("%Y-%m-%d %H:%M").to_string()})
            })
            .collect();
        Ok(json!({"notes": notes}))
    }

    fn routes(&self) -> Vec<Route> {
        routes![create_note]
    }
}

/// `POST /admin/notes/create/`: a live note by the admin posting it.
#[post("/create", data = "<form>")]
async fn create_note(admin: AdminRequired<'_, User>, form: CsrfForm, db: Database, session: Session<'_>) -> Redirect {
    let text = form.0.get("message").unwrap_or_default().trim().to_owned();
    if text.is_empty() {
        session.flash("danger", "A note needs some text.");
        return Redirect::to("/admin/");
    }
    let (user, now) = (admin.id, Utc::now().naive_utc());
    let created =
        db.run_write(move |conn| social::post_note(conn, user, &text, LIVE, now).map_err(hangar::Error::from)).await;
    match created {
        Ok(_) => session.flash("success", "Your note has been posted"),
        Err(e) => session.flash("danger", e.public_message()),
    }
    Redirect::to("/admin/")
}

/// Signups and messages per day over the last seven days, as a bar chart
/// drawn on the server.
#[derive(Debug)]
pub struct UserStatsPanel;

/// The chart's size, in SVG units.
const CHART_WIDTH: i64 = 420;
const CHART_HEIGHT: i64 = 120;

impl AdminPanel for UserStatsPanel {
    fn slug(&self) -> &str {
        "user-stats"
    }

    fn title(&self) -> &str {
        "User stats"
    }

    fn template(&self) -> &str {
        "tweepee/panels/user_stats"
    }

    fn context(&self, _caller: &Caller, conn: &mut AnyConnection) -> Result<Json, hangar::Error> {
        let today = Utc::now().date_naive();
        let mut days = Vec::with_capacity(7);
        for back in (0..7).rev() {
            let day = today - Duration::days(back);
            let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
            let end = start + Duration::days(1);
            let signups: i64 = users::table
                .filter(users::join_date.ge(start).and(users::join_date.lt(end)))
                .count()
                .get_result(conn)
                .map_err(hangar::Error::from)?;
            let messages: i64 = message::table
                .filter(message::pub_date.ge(start).and(message::pub_date.lt(end)))
                .count()
                .get_result(conn)
                .map_err(hangar::Error::from)?;
            days.push((day.format("%a %d").to_string(), signups, messages));
        }
        let most = days.iter().map(|(_, s, m)| (*s).max(*m)).max().unwrap_or(0).max(1);
        let slot = CHART_WIDTH / 7;
        let bar = (slot - 8) / 2;
        let scale = |n: i64| (n * (CHART_HEIGHT - 20)) / most;
        let bars: Vec<Json> = days
            .iter()
            .enumerate()
            .map(|(i, (label, signups, messages))| {
                let x = i64::try_from(i).unwrap_or(0) * slot + 4;
                let (hs, hm) = (scale(*signups), scale(*messages));
                json!({
                    "label": label, "signups": signups, "messages": messages,
                    "x": x, "x2": x + bar, "width": bar, "label_x": x + bar,
                    "signups_y": CHART_HEIGHT - 16 - hs, "signups_height": hs,
                    "messages_y": CHART_HEIGHT - 16 - hm, "messages_height": hm,
                    "label_y": CHART_HEIGHT - 2,
                })
            })
            .collect();
        let total_signups: i64 = days.iter().map(|(_, s, _)| s).sum();
        let total_messages: i64 = days.iter().map(|(_, _, m)| m).sum();
        Ok(json!({
            "bars": bars, "width": CHART_WIDTH, "height": CHART_HEIGHT,
            "total_signups": total_signups, "total_messages": total_messages,
        }))
    }
}
