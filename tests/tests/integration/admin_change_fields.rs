//! The built-in action "Change fields" on every backend: the form that
//! ticks fields and gives them values, the preview of each row before and
//! after, applying it to the rows ticked or to every row the list matches,
//! the rows the model admin refuses (nothing written), and each mistake a
//! form can make.

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use hangar::admin::{hangar_admin_log as log, Admin, AdminAction, ModelAdmin};
use hangar::auth::{Auth, Caller};
use hangar::forms::FormErrors;
use hangar::model::{Data, Value};
use hangar_tests::backends::TestDb;
use hangar_tests::models::{Message, User};
use hangar_tests::schema::message;
use rocket::http::Status;
use rocket::{Build, Rocket};

use crate::admin_support::decoded;
use crate::auth_support::{user_site, Browser};

/// Messages that may not mention spam, with the default actions.
struct NoSpam;

impl ModelAdmin for NoSpam {
    type Model = Message;

    fn validate(_caller: &Caller, data: &Data, existing: Option<&Message>) -> Result<(), FormErrors> {
        let mut errors = FormErrors::default();
        let spam = matches!(data.get("content"), Some(Value::Text(text)) if text.contains("spam"));
        // The admin's own messages may say anything.
        if spam && existing.is_none_or(|m| m.user_id != 1) {
            errors.push("content", "No spam, please.");
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn before_save(_caller: &Caller, data: &mut Data, _existing: Option<&Message>) -> Result<(), hangar::Error> {
        if let Some(Value::Text(text)) = data.get("content") {
            let trimmed = text.trim().to_owned();
            data.set("content", Value::Text(trimmed)).map_err(hangar::Error::BadRequest)?;
        }
        Ok(())
    }
}

/// Messages whose admin offers no bulk edit.
struct OnlyDelete;

impl ModelAdmin for OnlyDelete {
    type Model = Message;

    fn actions() -> Vec<AdminAction<Message>> {
        vec![AdminAction::delete_selected()]
    }
}

fn site(db: &TestDb) -> Rocket<Build> {
    Admin::<User>::new().register::<User>().register::<NoSpam>().mount(user_site(Auth::new(), db))
}

fn only_delete_site(db: &TestDb) -> Rocket<Build> {
    Admin::<User>::new().register::<User>().register::<OnlyDelete>().mount(user_site(Auth::new(), db))
}

/// Each message's key and content, by key.
fn contents(browser: &Browser) -> Vec<(i32, String)> {
    let mut conn = browser.db.conn();
    message::table.select((message::id, message::content)).order(message::id).load(&mut *conn).expect("messages")
}

/// The audit log: each entry's object key, kind and changes.
fn audit(browser: &Browser) -> Vec<(String, String, serde_json::Value)> {
    let mut conn = browser.db.conn();
    let rows: Vec<(String, String, String)> = log::table
        .select((log::object_pk, log::action, log::changes))
        .order(log::id)
        .load(&mut *conn)
        .expect("the audit log");
    rows.into_iter().map(|(pk, a, c)| (pk, a, serde_json::from_str(&c).expect("changes are JSON"))).collect()
}

const ORIGINAL: [&str; 4] = ["hello from admin", "Hello from normal", "normal again", "100% inactive_user"];

fn unchanged(browser: &Browser) {
    let now: Vec<String> = contents(browser).into_iter().map(|(_, c)| c).collect();
    assert_eq!(now, ORIGINAL);
    assert!(audit(browser).is_empty(), "nothing recorded");
}

#[rocket::async_test]
async fn the_form_previews_each_row_then_applies_the_values_to_the_rows_ticked() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let list = decoded(&browser.get("/admin/message/").await.body);
        assert!(list.contains("<option value=\"change_fields\">Change fields of selected messages</option>"), "{list}");

        // The list posts the action: the form, every field unticked.
        let ticked = [("action", "change_fields"), ("id", "2"), ("id", "3"), ("_list", "user=2")];
        let form = browser.submit("/admin/message/action/", &ticked).await;
        assert_eq!(form.status, Status::Ok, "{}", form.body);
        let page = decoded(&form.body);
        for field in ["user_id", "content", "pub_date"] {
            assert!(page.contains(&format!("id=\"pick_{field}\" name=\"_change\" value=\"{field}\">")), "{page}");
        }
        assert!(!page.contains("value=\"id\""), "the key is not offered: {page}");
        assert!(page.contains("the 2 messages ticked"), "{page}");
        unchanged(browser);

        // The preview: each row before and after; nothing written yet.
        let mut fields = ticked.to_vec();
        fields.extend([("_change", "content"), ("content", "  edited  "), ("step", "preview")]);
        let preview = browser.submit("/admin/message/action/", &fields).await;
        assert_eq!(preview.status, Status::Ok, "{}", preview.body);
        let page = decoded(&preview.body);
        assert!(page.contains("2 messages, of which 2 change, 0 already hold these values."), "{page}");
        assert!(page.contains("<del>Hello from normal</del>"), "{page}");
        assert!(page.contains("<ins>edited</ins>"), "before_save trimmed it: {page}");
        assert!(page.contains(">Apply to 2 messages</button>"), "{page}");
        assert!(page.contains("name=\"content\" value=\"  edited  \""), "the values ride along: {page}");
        unchanged(browser);

        // Applied: both rows, trimmed, each with its audit entry.
        let mut apply = ticked.to_vec();
        apply.extend([("_change", "content"), ("content", "  edited  "), ("confirm", "yes")]);
        let done = browser.submit("/admin/message/action/", &apply).await;
        assert_eq!(done.status, Status::SeeOther, "{}", done.body);
        assert_eq!(done.location.as_deref(), Some("/admin/message/?user=2"));
        assert_eq!(browser.flashes().await, ["Changed 2 Messages"]);
        let now: Vec<String> = contents(browser).into_iter().map(|(_, c)| c).collect();
        assert_eq!(now, ["hello from admin", "edited", "edited", "100% inactive_user"]);
        let entries = audit(browser);
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!((entries[0].0.as_str(), entries[0].1.as_str()), ("2", "change"));
        assert_eq!(entries[0].2, serde_json::json!({"content": ["Hello from normal", "edited"]}));
        assert_eq!(entries[1].2, serde_json::json!({"content": ["normal again", "edited"]}));

        // Again: every row already holds the value; nothing to apply.
        let again = browser.submit("/admin/message/action/", &fields).await;
        let page = decoded(&again.body);
        assert!(page.contains("2 messages, of which 0 change, 2 already hold these values."), "{page}");
        assert!(!page.contains("Apply to"), "{page}");
        let done = browser.submit("/admin/message/action/", &apply).await;
        assert_eq!(done.status, Status::SeeOther);
        assert_eq!(browser.flashes().await, ["Changed 0 Messages"]);
        assert_eq!(audit(browser).len(), 2, "nothing more recorded");
    })
    .await;
}

#[rocket::async_test]
async fn every_matching_row_changes_and_two_fields_at_once() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let fields = [
            ("action", "change_fields"),
            ("select_across", "1"),
            ("_list", "user=2"),
            ("_change", "content"),
            ("content", "bulk"),
            ("_change", "pub_date"),
            ("pub_date", "2025-05-05T05:05:05"),
        ];
        let mut preview = fields.to_vec();
        preview.push(("step", "preview"));
        let page = decoded(&browser.submit("/admin/message/action/", &preview).await.body);
        assert!(page.contains("every message the list's filters match: 2 messages"), "{page}");
        let mut apply = fields.to_vec();
        apply.push(("confirm", "yes"));
        let done = browser.submit("/admin/message/action/", &apply).await;
        assert_eq!(done.status, Status::SeeOther, "{}", done.body);
        let now: Vec<String> = contents(browser).into_iter().map(|(_, c)| c).collect();
        assert_eq!(now, ["hello from admin", "bulk", "bulk", "100% inactive_user"], "user 2's only");
        let mut conn = browser.db.conn();
        let dates: Vec<chrono::NaiveDateTime> =
            message::table.filter(message::user_id.eq(2)).select(message::pub_date).load(&mut *conn).expect("dates");
        let want = chrono::NaiveDate::from_ymd_opt(2025, 5, 5).and_then(|d| d.and_hms_opt(5, 5, 5)).expect("a date");
        assert_eq!(dates, [want, want]);
        drop(conn);
        let entries = audit(browser);
        assert_eq!(entries.len(), 2);
        let changed: Vec<&String> = entries[0].2.as_object().expect("an object").keys().collect();
        assert_eq!(changed, ["content", "pub_date"]);
    })
    .await;
}

#[rocket::async_test]
async fn a_row_the_admin_refuses_is_shown_and_nothing_is_written() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let fields = [
            ("action", "change_fields"),
            ("id", "1"),
            ("id", "2"),
            ("id", "3"),
            ("_change", "content"),
            ("content", "buy spam"),
        ];
        let mut preview = fields.to_vec();
        preview.push(("step", "preview"));
        let page = decoded(&browser.submit("/admin/message/action/", &preview).await.body);
        assert!(page.contains("3 messages, of which 1 change, 0 already hold these values, and"), "{page}");
        assert!(page.contains("<strong>2 are refused</strong>"), "{page}");
        assert!(page.contains("`content`: No spam, please."), "{page}");
        assert!(!page.contains("Apply to"), "no way to apply it: {page}");

        // Applied anyway: all or nothing, and the message says why.
        let mut apply = fields.to_vec();
        apply.push(("confirm", "yes"));
        let refused = browser.submit("/admin/message/action/", &apply).await;
        assert_eq!(refused.status, Status::SeeOther);
        let flashes = browser.flashes().await;
        assert_eq!(flashes.len(), 1);
        assert!(
            flashes[0].starts_with("Change fields of selected messages failed, and nothing was changed:"),
            "{flashes:?}"
        );
        assert!(flashes[0].contains("No spam, please."), "{flashes:?}");
        unchanged(browser);
    })
    .await;
}

#[rocket::async_test]
async fn each_mistake_of_the_form_gets_its_own_error() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let ticked = [("action", "change_fields"), ("id", "2"), ("step", "preview")];

        let mut none = ticked.to_vec();
        none.push(("content", "typed, but not ticked"));
        let page = browser.submit("/admin/message/action/", &none).await;
        assert_eq!(page.status, Status::Ok);
        let body = decoded(&page.body);
        assert!(body.contains("Tick at least one field to change."), "{body}");
        assert!(body.contains("typed, but not ticked"), "what was typed is kept: {body}");

        let mut bad_date = ticked.to_vec();
        bad_date.extend([("_change", "pub_date"), ("pub_date", "someday")]);
        let page = browser.submit("/admin/message/action/", &bad_date).await;
        assert_eq!(page.status, Status::Ok);
        let body = decoded(&page.body);
        assert!(body.contains("id=\"error_pub_date_0\""), "beside the field: {body}");
        assert!(body.contains("id=\"pick_pub_date\" name=\"_change\" value=\"pub_date\" checked>"), "{body}");

        let mut blank = ticked.to_vec();
        blank.extend([("_change", "pub_date"), ("pub_date", "")]);
        let page = decoded(&browser.submit("/admin/message/action/", &blank).await.body);
        assert!(page.contains("id=\"error_pub_date_0\""), "a required field stays required: {page}");

        for (name, says) in [("nope", "no field `nope`"), ("id", "no field `id`")] {
            let mut unknown = ticked.to_vec();
            unknown.push(("_change", name));
            let page = browser.submit("/admin/message/action/", &unknown).await;
            assert_eq!(page.status, Status::BadRequest, "{name}");
            assert!(decoded(&page.body).contains(&format!("`_change`: Messages have {says}")), "{}", page.body);
        }

        let mut forged = ticked.to_vec();
        forged.retain(|(k, _)| *k != "step");
        forged.extend([("_change", "nope"), ("confirm", "yes")]);
        let page = browser.submit("/admin/message/action/", &forged).await;
        assert_eq!(page.status, Status::SeeOther);
        let flashes = browser.flashes().await;
        assert!(flashes[0].contains("`_change`: Messages have no field `nope`"), "{flashes:?}");
        unchanged(browser);
    })
    .await;
}

#[rocket::async_test]
async fn an_admin_without_it_does_not_offer_it_and_refuses_it() {
    Browser::each(only_delete_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let list = decoded(&browser.get("/admin/message/").await.body);
        assert!(!list.contains("change_fields"), "{list}");
        let fields =
            [("action", "change_fields"), ("id", "2"), ("_change", "content"), ("content", "x"), ("confirm", "yes")];
        let refused = browser.submit("/admin/message/action/", &fields).await;
        assert_eq!(refused.status, Status::BadRequest);
        unchanged(browser);
    })
    .await;
}

#[rocket::async_test]
async fn rows_changed_since_the_preview_are_not_overwritten() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let fields =
            [("action", "change_fields"), ("id", "2"), ("id", "3"), ("_change", "content"), ("content", "bulk")];
        let mut preview = fields.to_vec();
        preview.push(("step", "preview"));
        let page = decoded(&browser.submit("/admin/message/action/", &preview).await.body);
        let seen = page
            .split("name=\"_seen\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the preview carries the rows' version")
            .to_owned();
        // Someone edits message 3 after the preview.
        diesel::update(message::table.find(3))
            .set(message::content.eq("edited meanwhile"))
            .execute(&mut *browser.db.conn())
            .expect("their edit");
        let mut apply = fields.to_vec();
        apply.extend([("confirm", "yes"), ("_seen", seen.as_str())]);
        let refused = browser.submit("/admin/message/action/", &apply).await;
        assert_eq!(refused.status, Status::SeeOther);
        let flashes = browser.flashes().await;
        assert!(flashes[0].contains("the messages changed since you saw them; look again"), "{flashes:?}");
        let now: Vec<String> = contents(browser).into_iter().map(|(_, c)| c).collect();
        assert_eq!(now, ["hello from admin", "Hello from normal", "edited meanwhile", "100% inactive_user"]);
        assert!(audit(browser).is_empty(), "nothing recorded");

        // Previewed again, it applies.
        let page = decoded(&browser.submit("/admin/message/action/", &preview).await.body);
        let seen = page.split("name=\"_seen\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default();
        let mut apply = fields.to_vec();
        apply.extend([("confirm", "yes"), ("_seen", seen)]);
        assert_eq!(browser.submit("/admin/message/action/", &apply).await.status, Status::SeeOther);
        assert_eq!(browser.flashes().await, ["Changed 2 Messages"]);
    })
    .await;
}
