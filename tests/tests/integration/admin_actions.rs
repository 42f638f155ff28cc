//! Admin actions on every backend: on the rows ticked, on every row the
//! list's filters match, with a confirmation, refused by a permission or
//! an object-level hook, failing halfway, and the built-in delete; each
//! with its audit entries, or none when nothing was written.

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use hangar::admin::{hangar_admin_log as log, Admin, AdminAction, ModelAdmin};
use hangar::auth::{Auth, Caller, Permission};
use hangar::model::Value;
use hangar::Model as _;
use hangar_tests::backends::TestDb;
use hangar_tests::models::{Message, User};
use hangar_tests::schema::{message, users};
use rocket::http::Status;
use rocket::{Build, Rocket};

use crate::admin_support::decoded;
use crate::auth_support::{user_site, Browser};

/// Messages, with two actions of their own beside the built-in delete.
struct MessageActions;

impl ModelAdmin for MessageActions {
    type Model = Message;

    fn actions() -> Vec<AdminAction<Message>> {
        vec![
            AdminAction::delete_selected(),
            AdminAction::new("redact", "Redact selected messages", |ctx| {
                let mut redacted = 0;
                while let Some(messages) = ctx.next_batch()? {
                    redacted += ctx.update(&messages, &[("content", Value::Text("[redacted]".into()))])?;
                }
                Ok(format!("Redacted {redacted} messages"))
            }),
            // Writes its first batch, then fails: nothing may be kept.
            AdminAction::new("explode", "Explode selected messages", |ctx| {
                while let Some(messages) = ctx.next_batch()? {
                    ctx.update(&messages, &[("content", Value::Text("boom".into()))])?;
                }
                Err(hangar::Error::BadRequest("the printer is on fire".into()))
            }),
        ]
    }
}

/// People: deactivate them (not the admin, whom the object-level hook
/// protects), or delete their messages, which asks first.
struct PeopleActions;

impl ModelAdmin for PeopleActions {
    type Model = User;

    fn actions() -> Vec<AdminAction<User>> {
        vec![
            AdminAction::delete_selected(),
            AdminAction::<User>::new("deactivate", "Deactivate selected people", |ctx| {
                let mut changed = 0;
                while let Some(people) = ctx.next_batch()? {
                    changed += ctx.update(&people, &[("active", Value::Bool(false))])?;
                }
                Ok(format!("Deactivated {changed} people"))
            }),
            AdminAction::<User>::new("delete_messages", "Delete the messages of selected people", |ctx| {
                let mut deleted = 0;
                while let Some(people) = ctx.next_batch()? {
                    let ids: Vec<i32> = people.iter().map(|p| p.id).collect();
                    let messages = Message::load(Message::all().filter(message::user_id.eq_any(ids)), ctx.conn())?;
                    deleted += ctx.delete(&messages)?;
                }
                Ok(format!("Deleted {deleted} messages"))
            })
            .permission(Permission::Delete)
            .confirm("Their messages are deleted; the people stay."),
        ]
    }

    fn has_change_permission(caller: &Caller, obj: Option<&User>) -> bool {
        caller.is_admin() && obj.is_none_or(|user| user.username != "admin")
    }
}

/// Messages that may be seen but neither changed nor deleted: the
/// admin-only door lets only admins in, so the model-level refusal is this
/// admin's own hooks.
struct ReadOnlyMessages;

impl ModelAdmin for ReadOnlyMessages {
    type Model = Message;

    fn actions() -> Vec<AdminAction<Message>> {
        MessageActions::actions()
    }

    fn has_change_permission(_caller: &Caller, _obj: Option<&Message>) -> bool {
        false
    }

    fn has_delete_permission(_caller: &Caller, _obj: Option<&Message>) -> bool {
        false
    }
}

fn actions_site(db: &TestDb) -> Rocket<Build> {
    Admin::<User>::new().register::<PeopleActions>().register::<MessageActions>().mount(user_site(Auth::new(), db))
}

fn read_only_site(db: &TestDb) -> Rocket<Build> {
    Admin::<User>::new().register::<ReadOnlyMessages>().mount(user_site(Auth::new(), db))
}

/// Each message's key and content, by key.
fn contents(browser: &Browser) -> Vec<(i32, String)> {
    let mut conn = browser.db.conn();
    message::table.select((message::id, message::content)).order(message::id).load(&mut *conn).expect("messages")
}

/// The audit log: each entry's model, object key, kind and changes.
fn audit(browser: &Browser) -> Vec<(String, String, String, serde_json::Value)> {
    let mut conn = browser.db.conn();
    let rows: Vec<(String, String, String, String)> = log::table
        .select((log::model, log::object_pk, log::action, log::changes))
        .order(log::id)
        .load(&mut *conn)
        .expect("the audit log");
    rows.into_iter().map(|(m, pk, a, c)| (m, pk, a, serde_json::from_str(&c).expect("changes are JSON"))).collect()
}

fn active(browser: &Browser) -> Vec<(String, bool)> {
    let mut conn = browser.db.conn();
    users::table.select((users::username, users::active)).order(users::id).load(&mut *conn).expect("users")
}

#[rocket::async_test]
async fn the_list_offers_the_actions_and_one_runs_on_the_rows_ticked() {
    Browser::each(actions_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let list = browser.get("/admin/message/?user=2").await;
        assert_eq!(list.status, Status::Ok);
        for needle in [
            "<form method=\"post\" action=\"/admin/message/action/\" class=\"bulk\">",
            "<option value=\"delete_selected\">Delete selected messages</option>",
            "<option value=\"redact\">Redact selected messages</option>",
            "name=\"select_across\" value=\"1\"> Select all 2 messages matching",
            "name=\"_list\" value=\"user=2\"",
        ] {
            assert!(decoded(&list.body).contains(needle), "{needle} in {}", list.body);
        }

        let missing_token =
            browser.post("/admin/message/action/", &[("action", "redact"), ("id", "1"), ("id", "3")]).await;
        assert_eq!(missing_token.status, Status::Forbidden);
        assert!(contents(browser).iter().all(|(_, c)| c != "[redacted]"));

        let done = browser
            .submit("/admin/message/action/", &[("action", "redact"), ("id", "1"), ("id", "3"), ("_list", "user=2")])
            .await;
        assert_eq!(done.status, Status::SeeOther, "{}", done.body);
        assert_eq!(done.location.as_deref(), Some("/admin/message/?user=2"), "back to the list as it was");
        assert_eq!(browser.flashes().await, ["Redacted 2 messages"]);
        let redacted: Vec<i32> =
            contents(browser).into_iter().filter(|(_, c)| c == "[redacted]").map(|(id, _)| id).collect();
        assert_eq!(redacted, [1, 3]);
        let entries = audit(browser);
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[0].0, "message");
        assert_eq!((entries[0].1.as_str(), entries[0].2.as_str()), ("1", "change"));
        assert_eq!(entries[0].3, serde_json::json!({"content": ["hello from admin", "[redacted]"]}));
        assert_eq!((entries[1].1.as_str(), entries[1].2.as_str()), ("3", "change"));
        assert_eq!(entries[1].3, serde_json::json!({"content": ["normal again", "[redacted]"]}));

        // Nothing ticked, no action chosen, an unknown action, a bad key.
        let nothing = browser.submit("/admin/message/action/", &[("action", "redact")]).await;
        assert_eq!(nothing.status, Status::SeeOther);
        assert_eq!(browser.flashes().await, ["Select the messages to act on first."]);
        let unchosen = browser.submit("/admin/message/action/", &[("action", ""), ("id", "2")]).await;
        assert_eq!(unchosen.status, Status::SeeOther);
        assert_eq!(browser.flashes().await, ["Choose an action first."]);
        let unknown = browser.submit("/admin/message/action/", &[("action", "shred"), ("id", "2")]).await;
        assert_eq!(unknown.status, Status::BadRequest);
        assert!(decoded(&unknown.body).contains("`action`: Messages have no action `shred`"), "{}", unknown.body);
        let bad_key = browser.submit("/admin/message/action/", &[("action", "redact"), ("id", "two")]).await;
        assert_eq!(bad_key.status, Status::BadRequest);
        assert!(decoded(&bad_key.body).contains("`id`: `two` is not a key"), "{}", bad_key.body);
        assert_eq!(audit(browser).len(), 2, "nothing more was written");
    })
    .await;
}

#[rocket::async_test]
async fn select_across_takes_every_row_the_filters_match_and_no_other() {
    Browser::each(actions_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        // Ticked on the page: message 2 only; across: both of user 2's,
        // searched too, and none of the others.
        let done = browser
            .submit(
                "/admin/message/action/",
                &[("action", "redact"), ("id", "2"), ("select_across", "1"), ("_list", "user=2&q=normal&page=1")],
            )
            .await;
        assert_eq!(done.status, Status::SeeOther, "{}", done.body);
        assert_eq!(done.location.as_deref(), Some("/admin/message/?user=2&q=normal&page=1"));
        assert_eq!(browser.flashes().await, ["Redacted 2 messages"]);
        assert_eq!(
            contents(browser),
            [
                (1, "hello from admin".to_owned()),
                (2, "[redacted]".to_owned()),
                (3, "[redacted]".to_owned()),
                (4, "100% inactive_user".to_owned())
            ]
        );
        let keys: Vec<String> = audit(browser).into_iter().map(|(_, pk, _, _)| pk).collect();
        assert_eq!(keys, ["2", "3"]);

        // A search narrows what "all" means.
        let searched = browser
            .submit(
                "/admin/message/action/",
                &[("action", "redact"), ("select_across", "1"), ("_list", "q=inactive_user")],
            )
            .await;
        assert_eq!(searched.status, Status::SeeOther);
        assert_eq!(browser.flashes().await, ["Redacted 1 messages"]);
        assert_eq!(contents(browser)[3].1, "[redacted]");
        assert_eq!(contents(browser)[0].1, "hello from admin");
    })
    .await;
}

#[rocket::async_test]
async fn an_action_that_asks_first_shows_its_page_and_runs_only_when_confirmed() {
    Browser::each(actions_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/user/action/?action=delete_messages&id=2&_list=active%3Dtrue").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        let body = decoded(&page.body);
        for needle in [
            "Are you sure you want to apply “Delete the messages of selected people” to the Person “normal”?",
            "Their messages are deleted; the people stay.",
            "<input type=\"hidden\" name=\"action\" value=\"delete_messages\">",
            "<input type=\"hidden\" name=\"id\" value=\"2\">",
            "<input type=\"hidden\" name=\"_list\" value=\"active=true\">",
            "name=\"confirm\" value=\"yes\"",
            "href=\"/admin/user/?active=true\">No, take me back</a>",
        ] {
            assert!(body.contains(needle), "{needle} in {body}");
        }
        // Posted from the list, unconfirmed: the same page, nothing written.
        let unconfirmed = browser.submit("/admin/user/action/", &[("action", "delete_messages"), ("id", "2")]).await;
        assert_eq!(unconfirmed.status, Status::Ok);
        assert!(decoded(&unconfirmed.body).contains("Are you sure"), "{}", unconfirmed.body);
        assert_eq!(contents(browser).len(), 4);
        assert!(audit(browser).is_empty());

        let confirmed = browser
            .submit("/admin/user/action/", &[("action", "delete_messages"), ("id", "2"), ("confirm", "yes")])
            .await;
        assert_eq!(confirmed.status, Status::SeeOther, "{}", confirmed.body);
        assert_eq!(browser.flashes().await, ["Deleted 2 messages"]);
        let left: Vec<i32> = contents(browser).into_iter().map(|(id, _)| id).collect();
        assert_eq!(left, [1, 4]);
        assert_eq!(active(browser)[1], ("normal".to_owned(), true), "the person stays");
        // The other model's rows are in the log, each with every value.
        let entries = audit(browser);
        assert_eq!(entries.len(), 2, "{entries:?}");
        for ((model, pk, kind, changes), (key, content)) in
            entries.iter().zip([("2", "Hello from normal"), ("3", "normal again")])
        {
            assert_eq!((model.as_str(), pk.as_str(), kind.as_str()), ("message", key, "delete"));
            assert_eq!(changes["content"], serde_json::json!([content, null]));
            assert_eq!(changes["user_id"], serde_json::json!([2, null]));
        }
    })
    .await;
}

#[rocket::async_test]
async fn an_action_needing_a_permission_the_caller_lacks_is_not_offered_and_refused() {
    Browser::each(read_only_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let list = browser.get("/admin/message/").await;
        assert_eq!(list.status, Status::Ok);
        assert!(
            !list.body.contains("value=\"redact\"") && !list.body.contains("value=\"delete_selected\""),
            "{}",
            list.body
        );
        assert!(!list.body.contains("name=\"action\""), "no menu without actions: {}", list.body);
        for action in ["redact", "delete_selected"] {
            let refused =
                browser.submit("/admin/message/action/", &[("action", action), ("id", "1"), ("confirm", "yes")]).await;
            assert_eq!(refused.status, Status::Forbidden, "{action}: {}", refused.body);
            let shown = browser.get(&format!("/admin/message/action/?action={action}&id=1")).await;
            assert_eq!(shown.status, Status::Forbidden, "{action}");
        }
        assert_eq!(contents(browser)[0], (1, "hello from admin".to_owned()));
        assert!(audit(browser).is_empty());
    })
    .await;
}

#[rocket::async_test]
async fn a_row_the_object_hook_refuses_refuses_the_whole_action() {
    Browser::each(actions_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        // normal (2) would be allowed, admin (1) is not: neither changes.
        let refused =
            browser.submit("/admin/user/action/", &[("action", "deactivate"), ("id", "2"), ("id", "1")]).await;
        assert_eq!(refused.status, Status::SeeOther, "{}", refused.body);
        assert_eq!(
            browser.flashes().await,
            ["Deactivate selected people failed, and nothing was changed: You may not change the Person “admin”."]
        );
        assert_eq!(
            active(browser),
            [("admin".to_owned(), true), ("normal".to_owned(), true), ("inactive".to_owned(), false)]
        );
        assert!(audit(browser).is_empty());
        // The confirmation page says so too, before anything is tried.
        let page = browser.get("/admin/user/action/?action=deactivate&select_across=1").await;
        assert_eq!(page.status, Status::SeeOther);
        assert!(browser.flashes().await[0].contains("You may not change the Person “admin”"));

        // Without the admin, the action runs; a row already inactive
        // changes nothing and has no entry.
        let done = browser.submit("/admin/user/action/", &[("action", "deactivate"), ("id", "2"), ("id", "3")]).await;
        assert_eq!(done.status, Status::SeeOther);
        assert_eq!(browser.flashes().await, ["Deactivated 2 people"]);
        assert_eq!(active(browser)[1], ("normal".to_owned(), false));
        let entries = audit(browser);
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!((entries[0].0.as_str(), entries[0].1.as_str(), entries[0].2.as_str()), ("user", "2", "change"));
        assert_eq!(entries[0].3, serde_json::json!({"active": [true, false]}));
    })
    .await;
}

#[rocket::async_test]
async fn an_action_that_fails_keeps_nothing_it_wrote_and_says_why() {
    Browser::each(actions_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let before = contents(browser);
        let failed = browser
            .submit("/admin/message/action/", &[("action", "explode"), ("select_across", "1"), ("_list", "")])
            .await;
        assert_eq!(failed.status, Status::SeeOther, "{}", failed.body);
        assert_eq!(failed.location.as_deref(), Some("/admin/message/"));
        assert_eq!(
            browser.flashes().await,
            ["Explode selected messages failed, and nothing was changed: the printer is on fire"]
        );
        assert_eq!(contents(browser), before);
        assert!(audit(browser).is_empty());
    })
    .await;
}

#[rocket::async_test]
async fn the_built_in_delete_is_an_action_with_the_delete_page_s_confirmation() {
    Browser::each(actions_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let asked =
            browser.submit("/admin/message/action/", &[("action", "delete_selected"), ("id", "1"), ("id", "3")]).await;
        assert_eq!(asked.status, Status::Ok, "{}", asked.body);
        let body = decoded(&asked.body);
        assert!(body.contains("to these 2 Messages?"), "{body}");
        assert!(body.contains("Everything listed below goes with them"), "{body}");
        assert!(body.contains("class=\"danger\">Yes, I'm sure"), "{body}");
        assert_eq!(contents(browser).len(), 4);

        let done = browser
            .submit(
                "/admin/message/action/",
                &[("action", "delete_selected"), ("id", "1"), ("id", "3"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(done.status, Status::SeeOther);
        assert_eq!(browser.flashes().await, ["Deleted 2 Messages"]);
        let left: Vec<i32> = contents(browser).into_iter().map(|(id, _)| id).collect();
        assert_eq!(left, [2, 4]);
        let entries = audit(browser);
        let deleted: Vec<(&str, &str)> = entries.iter().map(|(_, pk, kind, _)| (pk.as_str(), kind.as_str())).collect();
        assert_eq!(deleted, [("1", "delete"), ("3", "delete")]);

        // A person: the page lists what goes with them; the log has them.
        let asked = browser.submit("/admin/user/action/", &[("action", "delete_selected"), ("id", "3")]).await;
        let body = decoded(&asked.body);
        for needle in ["the Person “inactive”", "1 Message deleted too", "1 Note deleted too"] {
            assert!(body.contains(needle), "{needle} in {body}");
        }
        let done = browser
            .submit("/admin/user/action/", &[("action", "delete_selected"), ("id", "3"), ("confirm", "yes")])
            .await;
        assert_eq!(done.status, Status::SeeOther, "{}", done.body);
        assert_eq!(browser.flashes().await, ["Deleted 1 Person"]);
        let entries = audit(browser);
        let has = |model: &str, pk: &str, kind: &str| entries.iter().any(|e| e.0 == model && e.1 == pk && e.2 == kind);
        assert!(
            has("user", "3", "delete") && has("message", "4", "delete") && has("note", "4", "delete"),
            "{entries:?}"
        );
        let message = entries.iter().find(|e| e.0 == "message" && e.1 == "4").expect("the message's entry");
        assert_eq!(message.3["content"], serde_json::json!(["100% inactive_user", null]));
        let person = entries.iter().find(|e| e.0 == "user" && e.1 == "3").expect("the person's entry");
        assert_eq!(person.3["password"], serde_json::json!(["(hidden)", null]), "passwords stay hidden");

        // The bulk delete URL runs the same action.
        let bulk = browser.submit("/admin/message/delete/", &[("id", "2")]).await;
        assert_eq!(bulk.status, Status::SeeOther);
        assert_eq!(browser.flashes().await, ["Deleted 1 Message"]);
        assert!(audit(browser).iter().any(|e| e.0 == "message" && e.1 == "2" && e.2 == "delete"));
    })
    .await;
}

#[rocket::async_test]
async fn a_confirmation_over_rows_changed_since_it_was_shown_changes_nothing() {
    Browser::each(actions_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = decoded(&browser.get("/admin/user/action/?action=delete_messages&id=2").await.body);
        let seen = page
            .split("name=\"_seen\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the confirmation carries the rows' version")
            .to_owned();
        // The person is renamed while the page is open.
        diesel::update(users::table.find(2))
            .set(users::username.eq("renamed"))
            .execute(&mut *browser.db.conn())
            .expect("renamed");
        let fields = [("action", "delete_messages"), ("id", "2"), ("confirm", "yes"), ("_seen", seen.as_str())];
        let refused = browser.submit("/admin/user/action/", &fields).await;
        assert_eq!(refused.status, Status::SeeOther);
        let flashes = browser.flashes().await;
        assert!(flashes[0].contains("changed since you saw them"), "{flashes:?}");
        assert_eq!(contents(browser).len(), 4, "nothing deleted");
        assert!(audit(browser).is_empty());
    })
    .await;
}
