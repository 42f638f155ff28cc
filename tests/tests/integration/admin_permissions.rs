//! Permissions in the admin, on every backend: who gets in (admins, and
//! staff with a permission granted), then every view against each
//! permission granted directly, through a group, or not at all, each cell
//! a direct request (a POST with a valid CSRF token, so that a 403 is the
//! permission's); the object-level hooks; the read-only edit page; panels;
//! and the launch without the permissions' tables.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use hangar::admin::{Admin, AdminPanel, ModelAdmin};
use hangar::auth::{
    hangar_group, hangar_group_permission, hangar_permission, hangar_user_group, hangar_user_permission, Auth, Caller,
    Permission,
};
use hangar::db::{AnyConnection, Dialect};
use hangar::Model as _;
use hangar_tests::backends::{backends, TestDb};
use hangar_tests::models::{Message, User};
use hangar_tests::schema::{message, users};
use rocket::http::Status;
use rocket::{Build, Rocket};

use crate::admin_support::{ActiveUsers, LiveNotes, NoteCount};
use crate::auth_support::{user_site, Browser, Page};

/// Messages, with the object-level hooks refusing three messages by their
/// content, to anyone: `frozen` may not be changed, `kept` not deleted,
/// and `secret` not even seen (nor changed).
struct PickyMessages;

impl ModelAdmin for PickyMessages {
    type Model = Message;

    fn has_view_permission(caller: &Caller, obj: Option<&Message>) -> bool {
        obj.is_none_or(|m| m.content != "secret") && caller.has_permission("message", Permission::View)
    }

    fn has_change_permission(caller: &Caller, obj: Option<&Message>) -> bool {
        obj.is_none_or(|m| m.content != "frozen" && m.content != "secret")
            && caller.has_permission("message", Permission::Change)
    }

    fn has_delete_permission(caller: &Caller, obj: Option<&Message>) -> bool {
        obj.is_none_or(|m| m.content != "kept") && caller.has_permission("message", Permission::Delete)
    }
}

/// A panel that says staff may see it.
struct StaffNotice;

impl AdminPanel for StaffNotice {
    fn slug(&self) -> &str {
        "staff-notice"
    }

    fn title(&self) -> &str {
        "Staff notice"
    }

    fn template(&self) -> &str {
        "panels/staff_notice"
    }

    fn context(&self, _caller: &Caller, _conn: &mut AnyConnection) -> Result<serde_json::Value, hangar::Error> {
        Ok(serde_json::json!({}))
    }

    fn check_user_permission(&self, caller: &Caller) -> bool {
        caller.is_admin() || caller.is_staff()
    }
}

/// The site: login, and an admin over users, messages and notes with two
/// panels, one for admins only.
fn site(db: &TestDb) -> Rocket<Build> {
    let mut templates = hangar::templates::Templates::embedded().expect("templates");
    templates.add("panels/note_count", "<p class=\"note-count\">{{count}} notes</p>").expect("parses");
    templates.add("panels/staff_notice", "<p class=\"staff-notice\">For staff</p>").expect("parses");
    let site = user_site(Auth::new(), db).manage(templates);
    Admin::<User>::new()
        .register::<ActiveUsers>()
        .register::<PickyMessages>()
        .register::<LiveNotes>()
        .panel(NoteCount)
        .panel(StaffNotice)
        .mount(site)
}

/// A user whose password is their name.
fn add_user(conn: &mut AnyConnection, name: &str, staff: bool, active: bool) -> i32 {
    diesel::insert_into(users::table)
        .values((
            users::username.eq(name),
            users::password.eq(hangar::utils::make_password(name)),
            users::email.eq(format!("{name}@example.com")),
            users::active.eq(active),
            users::admin.eq(false),
            users::staff.eq(staff),
        ))
        .execute(conn)
        .expect("the user inserts");
    users::table.filter(users::username.eq(name)).select(users::id).first(conn).expect("the user is there")
}

/// The row of `permission` on the model `slug`, which the admin made at
/// launch.
fn permission_id(conn: &mut AnyConnection, slug: &str, permission: Permission) -> i32 {
    hangar_permission::table
        .filter(hangar_permission::model.eq(slug))
        .filter(hangar_permission::action.eq(permission.name()))
        .select(hangar_permission::id)
        .first(conn)
        .expect("the admin made the permission's row at launch")
}

/// How a permission reaches a user.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    Direct,
    Group,
}

/// Grants `permission` on the model `slug` to the user `user`, directly or
/// through a group of their own.
fn grant(conn: &mut AnyConnection, user: i32, slug: &str, permission: Permission, source: Source) {
    let permission_id = permission_id(conn, slug, permission);
    match source {
        Source::Direct => {
            diesel::insert_into(hangar_user_permission::table)
                .values((
                    hangar_user_permission::user_pk.eq(user.to_string()),
                    hangar_user_permission::permission_id.eq(permission_id),
                ))
                .execute(conn)
                .expect("the grant inserts");
        }
        Source::Group => {
            let name = format!("group {user} {slug} {}", permission.name());
            diesel::insert_into(hangar_group::table)
                .values(hangar_group::name.eq(&name))
                .execute(conn)
                .expect("inserts");
            let group: i32 = hangar_group::table
                .filter(hangar_group::name.eq(&name))
                .select(hangar_group::id)
                .first(conn)
                .expect("the group is there");
            diesel::insert_into(hangar_group_permission::table)
                .values((
                    hangar_group_permission::group_id.eq(group),
                    hangar_group_permission::permission_id.eq(permission_id),
                ))
                .execute(conn)
                .expect("the group's grant inserts");
            diesel::insert_into(hangar_user_group::table)
                .values((hangar_user_group::user_pk.eq(user.to_string()), hangar_user_group::group_id.eq(group)))
                .execute(conn)
                .expect("the membership inserts");
        }
    }
}

/// A message of `content`, by `normal`; its key.
fn add_message(conn: &mut AnyConnection, content: &str) -> i32 {
    diesel::insert_into(message::table)
        .values((
            message::user_id.eq(2),
            message::content.eq(content),
            message::pub_date
                .eq(chrono::NaiveDate::from_ymd_opt(2024, 5, 1).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("a date")),
        ))
        .execute(conn)
        .expect("the message inserts");
    message::table
        .filter(message::content.eq(content))
        .select(message::id)
        .order(message::id.desc())
        .first(conn)
        .expect("the message is there")
}

fn message_exists(conn: &mut AnyConnection, id: i32) -> bool {
    message::table.find(id).count().get_result::<i64>(conn).expect("counts") == 1
}

/// Logs out, then in as `user`.
async fn switch_to(browser: &Browser, user: &str) {
    let _ = browser.post("/accounts/logout/", &[("csrf_token", &browser.csrf().await)]).await;
    browser.as_user(user).await;
}

/// `page` answered `ok` when `allowed`, else a 403 page saying why.
#[track_caller]
fn expect(page: &Page, allowed: bool, ok: Status, cell: &str) {
    if allowed {
        assert_eq!(page.status, ok, "{cell}: {}", page.body);
    } else {
        assert_eq!(page.status, Status::Forbidden, "{cell}: {}", page.body);
        assert!(page.body.contains("permission") || page.body.contains("may not"), "{cell}: {}", page.body);
    }
}

/// Every `<form method="post"` of `body` and its action.
fn post_forms(body: &str) -> Vec<String> {
    body.split("<form")
        .skip(1)
        .filter(|f| f.contains("method=\"post\""))
        .map(|f| f.chars().take(120).collect())
        .collect()
}

/// Every view of the messages' admin, as the caller logged in sees it: with
/// `has(p)` saying whether they were granted `p` on messages (and on the
/// users the picker lists).
async fn every_view(browser: &Browser, cell: &str, has: impl Fn(Permission) -> bool) {
    let view = has(Permission::View) || has(Permission::Change);
    let any = Permission::ALL.into_iter().any(&has);

    let dashboard = browser.get("/admin/").await;
    assert_eq!(dashboard.status, Status::Ok, "{cell}: {}", dashboard.body);
    assert_eq!(dashboard.body.contains("Messages"), any, "{cell}: the dashboard lists messages iff any permission");
    assert_eq!(dashboard.body.contains("href=\"/admin/message/add/\""), has(Permission::Add), "{cell}: the add link");
    assert_eq!(dashboard.body.contains("href=\"/admin/message/\""), view, "{cell}: the list link");

    let list = browser.get("/admin/message/").await;
    expect(&list, view, Status::Ok, &format!("{cell}: list"));
    if view {
        assert_eq!(list.body.contains("/admin/message/add/"), has(Permission::Add), "{cell}: the list's add link");
        let ticks = has(Permission::Delete) || has(Permission::Change);
        assert_eq!(list.body.contains("name=\"id\""), ticks, "{cell}: the row checkboxes");
        assert_eq!(list.body.contains("Delete selected"), has(Permission::Delete), "{cell}: bulk delete");
        assert_eq!(list.body.contains("Change fields of selected"), has(Permission::Change), "{cell}: bulk edit");
    }
    let export = browser.get("/admin/message/export/").await;
    expect(&export, view, Status::Ok, &format!("{cell}: export page"));
    let csv = browser.get("/admin/message/export/?format=csv&fields=content").await;
    expect(&csv, view, Status::Ok, &format!("{cell}: export file"));
    if view {
        assert!(csv.body.contains("Hello from normal"), "{cell}: {}", csv.body);
    }
    let history = browser.get("/admin/message/2/history/").await;
    expect(&history, view, Status::Ok, &format!("{cell}: history"));
    let picker = browser.get("/admin/message/lookup/user/?q=").await;
    expect(&picker, view, Status::Ok, &format!("{cell}: picker"));
    if view {
        assert!(picker.body.contains("\"normal\""), "{cell}: {}", picker.body);
    }

    // Adding.
    let add_page = browser.get("/admin/message/add/").await;
    expect(&add_page, has(Permission::Add), Status::Ok, &format!("{cell}: add page"));
    let content = format!("added by {cell}");
    let fields = [("user_id", "2"), ("content", content.as_str()), ("pub_date", "2024-05-01T10:00:00")];
    let added = browser.submit("/admin/message/add/", &fields).await;
    expect(&added, has(Permission::Add), Status::SeeOther, &format!("{cell}: add"));
    let stored =
        message::table.filter(message::content.eq(&content)).count().get_result::<i64>(&mut *browser.db.conn());
    assert_eq!(stored.expect("counts") == 1, has(Permission::Add), "{cell}: the added row");
    if has(Permission::Add) {
        // Back to the list only for a caller who may see it.
        let back = if view { "/admin/message/" } else { "/admin/" };
        assert_eq!(added.location.as_deref(), Some(back), "{cell}");
    }

    // Editing.
    let id = add_message(&mut browser.db.conn(), "to edit");
    let edit_url = format!("/admin/message/{id}/");
    let edit = browser.get(&edit_url).await;
    expect(&edit, view, Status::Ok, &format!("{cell}: edit page"));
    if view {
        let change = has(Permission::Change);
        assert_eq!(edit.body.contains("name=\"_save\""), change, "{cell}: the save buttons");
        assert_eq!(edit.body.contains("name=\"content\""), change, "{cell}: the inputs");
        assert_eq!(edit.body.contains(&format!("{edit_url}delete/")), has(Permission::Delete), "{cell}: delete link");
        assert_eq!(post_forms(&edit.body).len(), if change { 2 } else { 1 }, "{cell}: {:?}", post_forms(&edit.body));
    }
    let fields = [("user_id", "2"), ("content", "edited"), ("pub_date", "2024-05-01T10:00:00")];
    let edited = browser.submit(&edit_url, &fields).await;
    expect(&edited, has(Permission::Change), Status::SeeOther, &format!("{cell}: edit"));
    let content: String =
        message::table.find(id).select(message::content).first(&mut *browser.db.conn()).expect("the row");
    assert_eq!(content == "edited", has(Permission::Change), "{cell}: the edited row");
    // Editing in bulk: the form, its preview, and applying it.
    let change = has(Permission::Change);
    let id = add_message(&mut browser.db.conn(), "to edit in bulk");
    let key = id.to_string();
    let bulk = [("action", "change_fields"), ("id", key.as_str()), ("_change", "content"), ("content", "bulk")];
    let form = browser.submit("/admin/message/action/", &bulk[..2]).await;
    expect(&form, change, Status::Ok, &format!("{cell}: bulk edit form"));
    let mut preview = bulk.to_vec();
    preview.push(("step", "preview"));
    let previewed = browser.submit("/admin/message/action/", &preview).await;
    expect(&previewed, change, Status::Ok, &format!("{cell}: bulk edit preview"));
    let mut apply = bulk.to_vec();
    apply.push(("confirm", "yes"));
    let applied = browser.submit("/admin/message/action/", &apply).await;
    expect(&applied, change, Status::SeeOther, &format!("{cell}: bulk edit"));
    let content: String =
        message::table.find(id).select(message::content).first(&mut *browser.db.conn()).expect("the row");
    assert_eq!(content == "bulk", change, "{cell}: the row edited in bulk");
    // A missing row: 403 before the lookup, 404 after it.
    let missing = browser.get("/admin/message/99999/").await;
    let expected = if view { Status::NotFound } else { Status::Forbidden };
    assert_eq!(missing.status, expected, "{cell}: a missing row");

    // Deleting, one and in bulk.
    let delete = has(Permission::Delete);
    let id = add_message(&mut browser.db.conn(), "to delete");
    let delete_url = format!("/admin/message/{id}/delete/");
    expect(&browser.get(&delete_url).await, delete, Status::Ok, &format!("{cell}: delete page"));
    let deleted = browser.submit(&delete_url, &[]).await;
    expect(&deleted, delete, Status::SeeOther, &format!("{cell}: delete"));
    assert_eq!(message_exists(&mut browser.db.conn(), id), !delete, "{cell}: the deleted row");
    let (a, b) = (add_message(&mut browser.db.conn(), "bulk a"), add_message(&mut browser.db.conn(), "bulk b"));
    let bulk_page = browser.get(&format!("/admin/message/delete/?id={a}&id={b}")).await;
    expect(&bulk_page, delete, Status::Ok, &format!("{cell}: bulk delete page"));
    let (a_key, b_key) = (a.to_string(), b.to_string());
    let bulk = browser.submit("/admin/message/delete/", &[("id", &a_key), ("id", &b_key)]).await;
    expect(&bulk, delete, Status::SeeOther, &format!("{cell}: bulk delete"));
    assert_eq!(
        message_exists(&mut browser.db.conn(), a) || message_exists(&mut browser.db.conn(), b),
        !delete,
        "{cell}: the bulk rows"
    );
}

#[rocket::async_test]
async fn every_view_honours_each_permission_granted_directly_through_a_group_or_not_at_all() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;
        every_view(browser, "admin", |_| true).await;
        for source in [Source::Direct, Source::Group] {
            for permission in Permission::ALL {
                let name = format!("{source:?}-{}", permission.name()).to_lowercase();
                {
                    let mut conn = browser.db.conn();
                    let user = add_user(&mut conn, &name, true, true);
                    grant(&mut conn, user, "message", permission, source);
                    grant(&mut conn, user, User::meta().slug, permission, source);
                }
                switch_to(browser, &name).await;
                every_view(browser, &name, |p| p == permission).await;
            }
        }
        // Nothing on messages: in through a note's permission, and refused
        // everywhere on messages.
        let name = "notes-only";
        {
            let mut conn = browser.db.conn();
            let user = add_user(&mut conn, name, true, true);
            grant(&mut conn, user, "note", Permission::View, Source::Direct);
        }
        switch_to(browser, name).await;
        every_view(browser, name, |_| false).await;
        let notes = browser.get("/admin/note/").await;
        assert_eq!(notes.status, Status::Ok, "{}", notes.body);
        // Several together: the list's add link, checkboxes and bulk delete.
        let name = "viewer-adder-deleter";
        {
            let mut conn = browser.db.conn();
            let user = add_user(&mut conn, name, true, true);
            for permission in [Permission::View, Permission::Add, Permission::Delete] {
                grant(&mut conn, user, "message", permission, Source::Group);
                grant(&mut conn, user, User::meta().slug, permission, Source::Direct);
            }
        }
        switch_to(browser, name).await;
        every_view(browser, name, |p| p != Permission::Change).await;
    })
    .await;
}

#[rocket::async_test]
async fn only_active_staff_with_a_grant_get_in() {
    Browser::each(site, async |browser: &Browser| {
        {
            let mut conn = browser.db.conn();
            let not_staff = add_user(&mut conn, "granted", false, true);
            grant(&mut conn, not_staff, "message", Permission::View, Source::Direct);
            add_user(&mut conn, "bare", true, true);
            let inactive = add_user(&mut conn, "gone", true, false);
            grant(&mut conn, inactive, "message", Permission::View, Source::Direct);
        }
        for name in ["granted", "bare"] {
            switch_to(browser, name).await;
            for uri in ["/admin/", "/admin/message/", "/admin/message/2/", "/admin/staff-notice/"] {
                let page = browser.get(uri).await;
                assert_eq!(page.status, Status::Forbidden, "{name} {uri}: {}", page.body);
            }
            let csrf = browser.csrf().await;
            let page = browser.post("/admin/message/2/delete/", &[("csrf_token", &csrf)]).await;
            assert_eq!(page.status, Status::Forbidden, "{name}");
        }
        let _ = browser.post("/accounts/logout/", &[("csrf_token", &browser.csrf().await)]).await;
        let _ = browser.log_in("gone", "gone", "/admin/").await;
        let page = browser.get("/admin/message/").await;
        assert_eq!(page.status, Status::SeeOther, "to the login page");
        assert!(page.location.is_some_and(|l| l.starts_with("/accounts/login/")));
        assert!(message_exists(&mut browser.db.conn(), 2));
    })
    .await;
}

#[rocket::async_test]
async fn the_object_level_hooks_refuse_one_object_and_let_the_others_be() {
    Browser::each(site, async |browser: &Browser| {
        let (frozen, kept, secret, other, third) = {
            let mut conn = browser.db.conn();
            let user = add_user(&mut conn, "all4", true, true);
            for permission in Permission::ALL {
                grant(&mut conn, user, "message", permission, Source::Direct);
            }
            let ids = ["frozen", "kept", "secret", "other", "third"].map(|c| add_message(&mut conn, c));
            (ids[0], ids[1], ids[2], ids[3], ids[4])
        };
        browser.as_user("all4").await;
        let fields =
            |content: &'static str| [("user_id", "2"), ("content", content), ("pub_date", "2024-05-01T10:00:00")];

        // `frozen`: seen read-only, a POST refused.
        let page = browser.get(&format!("/admin/message/{frozen}/")).await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        assert!(!page.body.contains("name=\"_save\"") && page.body.contains("frozen"), "{}", page.body);
        let posted = browser.submit(&format!("/admin/message/{frozen}/"), &fields("thawed")).await;
        assert_eq!(posted.status, Status::Forbidden, "{}", posted.body);
        // Even a form with errors is refused, not shown again.
        let invalid = browser.submit(&format!("/admin/message/{frozen}/"), &[("pub_date", "never")]).await;
        assert_eq!(invalid.status, Status::Forbidden, "{}", invalid.body);

        // `kept`: its delete link hidden, the delete refused, alone or in bulk.
        let page = browser.get(&format!("/admin/message/{kept}/")).await;
        assert!(page.body.contains("name=\"_save\""), "{}", page.body);
        assert!(!page.body.contains(&format!("/admin/message/{kept}/delete/")), "{}", page.body);
        for uri in [format!("/admin/message/{kept}/delete/"), format!("/admin/message/delete/?id={other}&id={kept}")] {
            assert_eq!(browser.get(&uri).await.status, Status::Forbidden, "{uri}");
        }
        assert_eq!(browser.submit(&format!("/admin/message/{kept}/delete/"), &[]).await.status, Status::Forbidden);
        let (other_key, kept_key) = (other.to_string(), kept.to_string());
        let bulk = browser.submit("/admin/message/delete/", &[("id", &other_key), ("id", &kept_key)]).await;
        assert_eq!(bulk.status, Status::Forbidden);
        // A missing row is a 404 before any refusal.
        let missing = browser.submit("/admin/message/delete/", &[("id", &kept_key), ("id", "99999")]).await;
        assert_eq!(missing.status, Status::NotFound);
        {
            let mut conn = browser.db.conn();
            assert!(message_exists(&mut conn, kept) && message_exists(&mut conn, other), "nothing deleted");
        }

        // `secret`: not seen at all.
        for uri in [format!("/admin/message/{secret}/"), format!("/admin/message/{secret}/history/")] {
            assert_eq!(browser.get(&uri).await.status, Status::Forbidden, "{uri}");
        }
        assert_eq!(
            browser.submit(&format!("/admin/message/{secret}/"), &fields("out")).await.status,
            Status::Forbidden
        );

        // The others: changed and deleted as the grants say.
        let saved = browser.submit(&format!("/admin/message/{other}/"), &fields("changed")).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
        let saved = browser.submit(&format!("/admin/message/{frozen}/delete/"), &[]).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
        let third_key = third.to_string();
        let bulk = browser.submit("/admin/message/delete/", &[("id", &other_key), ("id", &third_key)]).await;
        assert_eq!(bulk.status, Status::SeeOther, "{}", bulk.body);
        let mut conn = browser.db.conn();
        assert!(!message_exists(&mut conn, frozen) && !message_exists(&mut conn, other));
        assert!(!message_exists(&mut conn, third) && message_exists(&mut conn, kept));
    })
    .await;
}

#[rocket::async_test]
async fn a_read_only_edit_page_has_no_form_that_would_fail() {
    Browser::each(site, async |browser: &Browser| {
        {
            let mut conn = browser.db.conn();
            let user = add_user(&mut conn, "viewer", true, true);
            grant(&mut conn, user, "message", Permission::View, Source::Group);
            grant(&mut conn, user, "note", Permission::View, Source::Direct);
        }
        browser.as_user("viewer").await;
        let page = browser.get("/admin/message/2/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        // The only form posts the logout.
        let forms = post_forms(&page.body);
        assert_eq!(forms.len(), 1, "{forms:?}");
        assert!(forms[0].contains("action=\"/accounts/logout/\""), "{forms:?}");
        for absent in ["<input type=\"file\"", "<textarea", "<select", "name=\"content\"", "type=\"submit\" name=\"_"] {
            assert!(!page.body.contains(absent), "{absent} in {}", page.body);
        }
        assert!(page.body.contains("Hello from normal") && page.body.contains("History"), "{}", page.body);
        assert!(page.body.contains("<h1>View Message: "), "{}", page.body);
        // A note's edit page, with its read-only field, is read-only too.
        let note = browser.get("/admin/note/1/").await;
        assert_eq!(note.status, Status::Ok, "{}", note.body);
        assert_eq!(post_forms(&note.body).len(), 1, "{}", note.body);
    })
    .await;
}

#[rocket::async_test]
async fn the_dashboard_and_sidebar_show_what_the_caller_may_use() {
    Browser::each(site, async |browser: &Browser| {
        // Changes to a note and a message, for the dashboard's log.
        browser.as_user("admin").await;
        let fields = [("user_id", "2"), ("content", "logged message"), ("pub_date", "2024-05-01T10:00:00")];
        assert_eq!(browser.submit("/admin/message/add/", &fields).await.status, Status::SeeOther);
        let fields = [("user_id", "2"), ("message", "logged note"), ("status", "1")];
        let note = browser.submit("/admin/note/add/", &fields).await;
        assert_eq!(note.status, Status::SeeOther, "{}", note.body);
        let page = browser.get("/admin/").await;
        let (logged_message, logged_note) =
            ("</span> Message <a href=\"/admin/message/", "</span> Note <a href=\"/admin/note/");
        for needle in ["Note count", "Staff notice", logged_message, logged_note] {
            assert!(page.body.contains(needle), "{needle} in {}", page.body);
        }
        {
            let mut conn = browser.db.conn();
            let user = add_user(&mut conn, "adder", true, true);
            grant(&mut conn, user, "message", Permission::View, Source::Direct);
            grant(&mut conn, user, "note", Permission::Add, Source::Group);
        }
        switch_to(browser, "adder").await;
        let page = browser.get("/admin/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        // Messages to view, notes to add, no people; the log of messages only.
        assert!(page.body.contains("href=\"/admin/message/\""), "{}", page.body);
        assert!(!page.body.contains("href=\"/admin/message/add/\""), "{}", page.body);
        assert!(page.body.contains("href=\"/admin/note/add/\""), "{}", page.body);
        assert!(!page.body.contains("href=\"/admin/note/\""), "{}", page.body);
        assert!(!page.body.contains("/admin/user/"), "{}", page.body);
        assert!(page.body.contains(logged_message) && !page.body.contains(logged_note), "{}", page.body);
        // The admins' panel is hidden, and its page refused; the staff's shown.
        assert!(!page.body.contains("Note count") && !page.body.contains("note-count"), "{}", page.body);
        assert!(page.body.contains("For staff") && page.body.contains("/admin/staff-notice/"), "{}", page.body);
        assert_eq!(browser.get("/admin/note-count/").await.status, Status::Forbidden);
        assert_eq!(browser.get("/admin/staff-notice/").await.status, Status::Ok);
        // A note added by one who may not see the list goes back home.
        let fields = [("user_id", "2"), ("message", "added blind"), ("status", "1")];
        let added = browser.submit("/admin/note/add/", &fields).await;
        assert_eq!(added.location.as_deref(), Some("/admin/"), "{}", added.body);
        assert_eq!(browser.get("/admin/note/").await.status, Status::Forbidden);
    })
    .await;
}

#[rocket::async_test]
async fn the_admin_makes_every_models_permissions_at_launch_and_refuses_to_launch_without_their_tables() {
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        for _ in 0..2 {
            // Twice: a second instance finds the rows made.
            let client = rocket::local::asynchronous::Client::untracked(site(&db)).await.expect("launches");
            drop(client);
        }
        let mut conn = db.conn();
        for slug in ["user", "message", "note"] {
            let count: i64 = hangar_permission::table
                .filter(hangar_permission::model.eq(slug))
                .count()
                .get_result(&mut *conn)
                .expect("counts");
            assert_eq!(count, 4, "{dialect}: {slug}");
        }
        let name: String = hangar_permission::table
            .filter(hangar_permission::model.eq("message"))
            .filter(hangar_permission::action.eq("change"))
            .select(hangar_permission::name)
            .first(&mut *conn)
            .expect("the row");
        assert_eq!(name, format!("Can change {}", Message::meta().verbose_name.to_lowercase()));
        let drop_sql = match dialect {
            Dialect::Mysql => "SET FOREIGN_KEY_CHECKS = 0; DROP TABLE hangar_permission; SET FOREIGN_KEY_CHECKS = 1;",
            Dialect::Postgres => "DROP TABLE hangar_permission CASCADE;",
            _ => "DROP TABLE hangar_group_permission; DROP TABLE hangar_user_permission; DROP TABLE hangar_permission;",
        };
        conn.batch_execute(drop_sql).expect("drops");
        drop(conn);
        let launched = rocket::local::asynchronous::Client::untracked(site(&db)).await;
        let Err(error) = launched else { panic!("{dialect}: the admin launched without its permissions' table") };
        assert!(
            matches!(error.kind(), rocket::error::ErrorKind::FailedFairings(f) if f.iter().any(|f| f.name == "hangar admin permissions")),
            "{dialect}: {error:?}"
        );
    }
}
