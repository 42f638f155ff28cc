//! Inlines on every backend: a child model's rows added, edited and
//! deleted on the parent's form in one save; an invalid child keeping
//! everything from being written; `max_num`, readonly fields and ordering;
//! the tabular and stacked layouts; the child's permissions and hooks; the
//! audit log.

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl, TextExpressionMethods};
use hangar::admin::{hangar_admin_log, Admin, Inline, InlineLayout, ModelAdmin};
use hangar::auth::{Auth, Caller};
use hangar::forms::FormErrors;
use hangar::model::{BoxedQuery, Data, Value};
use hangar::Model as _;
use hangar_tests::backends::TestDb;
use hangar_tests::models::*;
use hangar_tests::schema::{amodel, bmodel, message};
use rocket::http::Status;
use rocket::{Build, Rocket};

use crate::admin_support::decoded;
use crate::auth_support::{user_site, Browser};

/// The users' admin, with their messages stacked, newest first.
struct UserPage;

impl ModelAdmin for UserPage {
    type Model = User;

    fn inlines() -> Vec<Inline> {
        const MESSAGES: Inline = Inline::of::<Message, User>()
            .layout(InlineLayout::Stacked)
            .extra(1)
            .max_num(3)
            .readonly_fields(&["pub_date"])
            .ordering(&["-pub_date"]);
        vec![MESSAGES]
    }
}

/// The users' admin with the same inline, read-only to everyone.
struct ViewOnlyUserPage;

impl ModelAdmin for ViewOnlyUserPage {
    type Model = User;

    fn inlines() -> Vec<Inline> {
        UserPage::inlines()
    }

    fn has_change_permission(_caller: &Caller, _obj: Option<&User>) -> bool {
        false
    }
}

/// Messages no one may see.
struct NoView;

impl ModelAdmin for NoView {
    type Model = Message;

    fn has_view_permission(_caller: &Caller, _obj: Option<&Message>) -> bool {
        false
    }

    fn has_change_permission(_caller: &Caller, _obj: Option<&Message>) -> bool {
        false
    }
}

/// Messages no one may change.
struct NoChange;

impl ModelAdmin for NoChange {
    type Model = Message;

    fn has_change_permission(_caller: &Caller, _obj: Option<&Message>) -> bool {
        false
    }
}

/// Messages no one may add.
struct NoAdd;

impl ModelAdmin for NoAdd {
    type Model = Message;

    fn has_add_permission(_caller: &Caller) -> bool {
        false
    }
}

/// Messages no one may delete, and only those saying hello.
struct NoDeleteHelloOnly;

impl ModelAdmin for NoDeleteHelloOnly {
    type Model = Message;

    fn get_query(_caller: &Caller) -> BoxedQuery<Message> {
        Message::all().filter(message::content.like("Hello%"))
    }

    fn has_delete_permission(_caller: &Caller, _obj: Option<&Message>) -> bool {
        false
    }
}

/// Messages that may not mention spam, stored trimmed.
struct Vetted;

impl ModelAdmin for Vetted {
    type Model = Message;

    fn validate(_caller: &Caller, data: &Data, _existing: Option<&Message>) -> Result<(), FormErrors> {
        let mut errors = FormErrors::default();
        if matches!(data.get("content"), Some(Value::Text(text)) if text.contains("spam")) {
            errors.push("content", "No spam, please.");
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn before_save(_caller: &Caller, data: &mut Data, _existing: Option<&Message>) -> Result<(), hangar::Error> {
        if matches!(data.get("content"), Some(Value::Text(text)) if text.contains("forbidden")) {
            return Err(hangar::Error::BadRequest("`content` may not say forbidden".to_owned()));
        }
        if let Some(Value::Text(text)) = data.get("content") {
            let trimmed = text.trim().to_owned();
            data.set("content", Value::Text(trimmed)).map_err(hangar::Error::BadRequest)?;
        }
        Ok(())
    }
}

/// The site, with messages administered by `M`.
fn site<M: ModelAdmin<Model = Message>>(db: &TestDb) -> Rocket<Build> {
    site_with::<UserPage, M>(db)
}

/// The site, with users administered by `U` and messages by `M`.
fn site_with<U: ModelAdmin<Model = User>, M: ModelAdmin<Model = Message>>(db: &TestDb) -> Rocket<Build> {
    let site = user_site(Auth::new(), db);
    Admin::<User>::new().register::<U>().register::<M>().register::<AModel>().register::<BModel>().mount(site)
}

/// The `b_field`s of the B rows of A row `a`, by key.
fn b_rows(browser: &Browser, a: i32) -> Vec<(i32, String)> {
    let mut conn = browser.db.db.get().expect("a connection");
    bmodel::table
        .filter(bmodel::a_id.eq(a))
        .select((bmodel::id, bmodel::b_field))
        .order(bmodel::id)
        .load(&mut *conn)
        .expect("B rows")
}

/// The contents of `user`'s messages, by key.
fn messages(browser: &Browser, user: i32) -> Vec<String> {
    let mut conn = browser.db.db.get().expect("a connection");
    message::table
        .filter(message::user_id.eq(user))
        .select(message::content)
        .order(message::id)
        .load(&mut *conn)
        .expect("messages")
}

/// The audit log's (model, action, object) entries, oldest first.
fn audit(browser: &Browser) -> Vec<(String, String, String)> {
    let mut conn = browser.db.db.get().expect("a connection");
    hangar_admin_log::table
        .select((hangar_admin_log::model, hangar_admin_log::action, hangar_admin_log::object_pk))
        .order(hangar_admin_log::id)
        .load(&mut *conn)
        .expect("the log")
}

/// Adds B rows to A row 1: `b0` (key 3) and `b9` (key 4).
fn more_b_rows(browser: &Browser) {
    let mut conn = browser.db.db.get().expect("a connection");
    for b in ["b0", "b9"] {
        diesel::insert_into(bmodel::table)
            .values((bmodel::a_id.eq(1), bmodel::b_field.eq(b)))
            .execute(&mut *conn)
            .expect("a B row");
    }
}

/// The fields of user 2's form as the fixture has them.
const NORMAL: [(&str, &str); 5] = [
    ("username", "normal"),
    ("email", "normal@example.com"),
    ("join_date", "2024-01-02T00:00:00"),
    ("active", "on"),
    ("_save", "1"),
];

#[rocket::async_test]
async fn a_tabular_inline_adds_edits_and_deletes_children_in_one_save() {
    Browser::each(site::<Message>, async |browser: &Browser| {
        browser.as_user("admin").await;
        more_b_rows(browser);
        let page = browser.get("/admin/amodel/1/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        assert!(page.body.contains("class=\"fieldset inline-group inline-tabular\""), "{}", page.body);
        assert!(page.body.contains("<table class=\"inline-table\">"));
        // Three rows, by `ordering("-b_field")`, then `extra = 2` blank ones,
        // within `max_num = 4`: one.
        let order: Vec<usize> = ["value=\"b9\"", "value=\"b1\"", "value=\"b0\""]
            .iter()
            .map(|needle| page.body.find(needle).unwrap_or_else(|| panic!("{needle} in {}", page.body)))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "newest b_field first: {order:?}");
        assert!(page.body.contains("name=\"bmodel-TOTAL_FORMS\" id=\"id_bmodel-TOTAL_FORMS\" value=\"4\""));
        assert!(page.body.contains("name=\"bmodel-INITIAL_FORMS\" id=\"id_bmodel-INITIAL_FORMS\" value=\"3\""));
        assert!(page.body.contains("name=\"bmodel-3-b_field\" value=\"\""), "{}", page.body);
        assert!(page.body.contains("name=\"bmodel-0-DELETE\""));
        assert!(page.body.contains("<template data-inline-template>"));
        assert!(page.body.contains("name=\"bmodel-__prefix__-b_field\""));

        let saved = browser
            .submit(
                "/admin/amodel/1/",
                &[
                    ("a_field", "a1 edited"),
                    ("bmodel-TOTAL_FORMS", "4"),
                    ("bmodel-INITIAL_FORMS", "3"),
                    ("bmodel-0-id", "4"),
                    ("bmodel-0-b_field", "b9 edited"),
                    ("bmodel-1-id", "1"),
                    ("bmodel-1-b_field", "b1"),
                    ("bmodel-2-id", "3"),
                    ("bmodel-2-b_field", "b0"),
                    ("bmodel-2-DELETE", "on"),
                    ("bmodel-3-b_field", "brand new"),
                    ("_save", "1"),
                ],
            )
            .await;
        assert_eq!(saved.status, Status::SeeOther, "{}", decoded(&saved.body));
        assert_eq!(
            b_rows(browser, 1),
            [(1, "b1".to_owned()), (4, "b9 edited".to_owned()), (5, "brand new".to_owned())]
        );
        let log = audit(browser);
        let entry = |model: &str, action: &str, pk: &str| (model.to_owned(), action.to_owned(), pk.to_owned());
        assert_eq!(
            log,
            [
                entry("amodel", "change", "1"),
                entry("bmodel", "delete", "3"),
                entry("bmodel", "change", "4"),
                entry("bmodel", "add", "5"),
            ],
            "one entry a change, none for the row left alone"
        );
    })
    .await;
}

#[rocket::async_test]
async fn the_add_page_saves_the_parent_then_its_children() {
    Browser::each(site::<Message>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/amodel/add/").await;
        assert!(page.body.contains("name=\"bmodel-TOTAL_FORMS\" id=\"id_bmodel-TOTAL_FORMS\" value=\"2\""));
        let saved = browser
            .submit(
                "/admin/amodel/add/",
                &[
                    ("a_field", "a3"),
                    ("bmodel-TOTAL_FORMS", "2"),
                    ("bmodel-INITIAL_FORMS", "0"),
                    ("bmodel-0-b_field", "child of a3"),
                    ("bmodel-1-b_field", ""),
                    ("_save", "1"),
                ],
            )
            .await;
        assert_eq!(saved.status, Status::SeeOther, "{}", decoded(&saved.body));
        let mut conn = browser.db.db.get().expect("a connection");
        let a3: i32 = amodel::table.filter(amodel::a_field.eq("a3")).select(amodel::id).first(&mut *conn).expect("a3");
        drop(conn);
        assert_eq!(b_rows(browser, a3).into_iter().map(|(_, b)| b).collect::<Vec<_>>(), ["child of a3"]);
    })
    .await;
}

#[rocket::async_test]
async fn one_invalid_child_writes_nothing_and_every_error_shows_beside_its_field() {
    Browser::each(site::<Message>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let long = "x".repeat(300);
        let page = browser
            .submit(
                "/admin/amodel/1/",
                &[
                    ("a_field", "a1 edited"),
                    ("bmodel-TOTAL_FORMS", "4"),
                    ("bmodel-INITIAL_FORMS", "1"),
                    ("bmodel-0-id", "1"),
                    ("bmodel-0-b_field", "b1 edited"),
                    ("bmodel-1-b_field", "fine"),
                    ("bmodel-2-b_field", &long),
                    ("bmodel-3-b_field", &long),
                    ("_save", "1"),
                ],
            )
            .await;
        assert_eq!(page.status, Status::Ok, "the form again");
        assert!(page.body.contains("Please correct the errors below."), "{}", page.body);
        for row in [2, 3] {
            let needle = format!("id=\"error_bmodel-{row}-b_field_0\"");
            assert!(page.body.contains(&needle), "{needle} in {}", page.body);
        }
        assert!(page.body.contains("value=\"b1 edited\""), "what was typed comes back");
        assert_eq!(b_rows(browser, 1), [(1, "b1".to_owned())], "nothing written");
        let mut conn = browser.db.db.get().expect("a connection");
        let a1: String = amodel::table.find(1).select(amodel::a_field).first(&mut *conn).expect("a1");
        assert_eq!(a1, "a1", "not the parent either");
        drop(conn);
        assert!(audit(browser).is_empty());
    })
    .await;
}

#[rocket::async_test]
async fn max_num_caps_the_rows_and_a_forged_count_is_refused() {
    Browser::each(site::<Message>, async |browser: &Browser| {
        browser.as_user("admin").await;
        more_b_rows(browser);
        let rows = |extra: &[(&'static str, &'static str)], total: &'static str| {
            let mut fields = vec![
                ("a_field", "a1"),
                ("bmodel-TOTAL_FORMS", total),
                ("bmodel-INITIAL_FORMS", "3"),
                ("bmodel-0-id", "1"),
                ("bmodel-0-b_field", "b1"),
                ("bmodel-1-id", "3"),
                ("bmodel-1-b_field", "b0"),
                ("bmodel-2-id", "4"),
                ("bmodel-2-b_field", "b9"),
                ("_save", "1"),
            ];
            fields.extend_from_slice(extra);
            fields
        };
        let forged = browser.submit("/admin/amodel/1/", &rows(&[("bmodel-3-b_field", "fourth")], "50")).await;
        assert_eq!(forged.status, Status::Ok);
        assert!(decoded(&forged.body).contains("Submit at most 4 B Models; the form says 50."), "{}", forged.body);
        let two_more = browser
            .submit("/admin/amodel/1/", &rows(&[("bmodel-3-b_field", "4th"), ("bmodel-4-b_field", "5th")], "5"))
            .await;
        assert_eq!(two_more.status, Status::Ok);
        assert!(decoded(&two_more.body).contains("Submit at most 4 B Models; the form says 5."), "{}", two_more.body);
        let not_a_number = browser.submit("/admin/amodel/1/", &rows(&[], "many")).await;
        assert_eq!(not_a_number.status, Status::BadRequest);
        assert!(decoded(&not_a_number.body).contains("`bmodel-TOTAL_FORMS` must be a number"), "{}", not_a_number.body);
        let someone_elses = browser
            .submit(
                "/admin/amodel/1/",
                &[("a_field", "a1"), ("bmodel-TOTAL_FORMS", "1"), ("bmodel-0-id", "2"), ("bmodel-0-b_field", "mine")],
            )
            .await;
        assert_eq!(someone_elses.status, Status::BadRequest, "B 2 belongs to A 2");
        assert_eq!(b_rows(browser, 1).len(), 3, "nothing written");
        assert_eq!(b_rows(browser, 2), [(2, "b2".to_owned())]);
        let one_more = browser.submit("/admin/amodel/1/", &rows(&[("bmodel-3-b_field", "fourth")], "4")).await;
        assert_eq!(one_more.status, Status::SeeOther, "{}", decoded(&one_more.body));
        assert_eq!(b_rows(browser, 1).len(), 4);
        let full = browser.get("/admin/amodel/1/").await;
        assert!(
            full.body.contains("name=\"bmodel-TOTAL_FORMS\" id=\"id_bmodel-TOTAL_FORMS\" value=\"4\""),
            "no blank row"
        );
    })
    .await;
}

#[rocket::async_test]
async fn a_stacked_inline_orders_its_rows_and_never_writes_a_readonly_field() {
    Browser::each(site::<Message>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/user/2/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        assert!(page.body.contains("inline-stacked"));
        let newer = page.body.find("normal again").expect("the newer message");
        let older = page.body.find("Hello from normal").expect("the older message");
        assert!(newer < older, "newest first");
        assert!(!page.body.contains("name=\"message-0-pub_date\""), "readonly: no input");
        assert!(page.body.contains("2024-01-03"), "but shown");
        assert!(page.body.contains("name=\"message-TOTAL_FORMS\" id=\"id_message-TOTAL_FORMS\" value=\"3\""));

        let mut fields = NORMAL.to_vec();
        fields.extend([
            ("message-TOTAL_FORMS", "3"),
            ("message-INITIAL_FORMS", "2"),
            ("message-0-id", "3"),
            ("message-0-content", "normal again, edited"),
            ("message-0-pub_date", "2030-01-01T00:00:00"),
            ("message-1-id", "2"),
            ("message-1-content", "Hello from normal"),
            ("message-2-content", "a new one"),
        ]);
        let saved = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", decoded(&saved.body));
        assert_eq!(messages(browser, 2), ["Hello from normal", "normal again, edited", "a new one"]);
        let mut conn = browser.db.db.get().expect("a connection");
        let date: chrono::NaiveDateTime =
            message::table.find(3).select(message::pub_date).first(&mut *conn).expect("3");
        assert_eq!(date.to_string(), "2024-01-03 10:00:00", "the readonly field is not written");
    })
    .await;
}

#[rocket::async_test]
async fn without_view_there_is_no_inline_and_a_forged_one_is_refused() {
    Browser::each(site::<NoView>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/user/2/").await;
        assert_eq!(page.status, Status::Ok);
        assert!(!page.body.contains("message-TOTAL_FORMS"), "{}", page.body);
        let mut fields = NORMAL.to_vec();
        fields.extend([("message-TOTAL_FORMS", "1"), ("message-0-content", "sneaky")]);
        let forged = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(forged.status, Status::Forbidden);
        assert_eq!(messages(browser, 2).len(), 2);
    })
    .await;
}

#[rocket::async_test]
async fn without_change_rows_are_read_only() {
    Browser::each(site::<NoChange>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/user/2/").await;
        assert!(page.body.contains("message-TOTAL_FORMS"));
        assert!(!page.body.contains("name=\"message-0-content\""), "{}", page.body);
        assert!(page.body.contains("name=\"message-2-content\""), "adding is still allowed");
        let mut fields = NORMAL.to_vec();
        fields.extend([("message-TOTAL_FORMS", "3"), ("message-0-id", "3"), ("message-1-id", "2")]);
        let unchanged = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(unchanged.status, Status::SeeOther, "{}", decoded(&unchanged.body));
        fields.push(("message-0-content", "changed anyway"));
        let forged = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(forged.status, Status::Forbidden);
        assert_eq!(messages(browser, 2), ["Hello from normal", "normal again"]);
    })
    .await;
}

#[rocket::async_test]
async fn without_add_there_are_no_blank_rows() {
    Browser::each(site::<NoAdd>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/user/2/").await;
        assert!(page.body.contains("name=\"message-TOTAL_FORMS\" id=\"id_message-TOTAL_FORMS\" value=\"2\""));
        assert!(!page.body.contains("data-inline-template"));
        assert!(!page.body.contains("Add another"));
        let mut fields = NORMAL.to_vec();
        fields.extend([("message-TOTAL_FORMS", "3"), ("message-2-content", "added anyway")]);
        let forged = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(forged.status, Status::Forbidden);
        assert_eq!(messages(browser, 2).len(), 2);
    })
    .await;
}

#[rocket::async_test]
async fn without_delete_there_are_no_delete_boxes_and_the_child_admin_scopes_the_rows() {
    Browser::each(site::<NoDeleteHelloOnly>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/user/2/").await;
        assert!(!page.body.contains("DELETE"), "{}", page.body);
        assert!(page.body.contains("Hello from normal"));
        assert!(!page.body.contains("normal again"), "get_query hides it");
        let mut fields = NORMAL.to_vec();
        fields.extend([("message-TOTAL_FORMS", "1"), ("message-0-id", "2"), ("message-0-DELETE", "on")]);
        let forged = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(forged.status, Status::Forbidden);
        let mut fields = NORMAL.to_vec();
        fields.extend([("message-TOTAL_FORMS", "1"), ("message-0-id", "3"), ("message-0-content", "hidden")]);
        let hidden = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(hidden.status, Status::BadRequest, "a row the child admin hides");
        assert_eq!(messages(browser, 2), ["Hello from normal", "normal again"]);
    })
    .await;
}

#[rocket::async_test]
async fn an_inline_row_is_written_through_its_models_admin_hooks() {
    Browser::each(site::<Vetted>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let mut fields = NORMAL.to_vec();
        fields.extend([
            ("message-TOTAL_FORMS", "3"),
            ("message-INITIAL_FORMS", "2"),
            ("message-0-id", "3"),
            ("message-0-content", "normal again"),
            ("message-1-id", "2"),
            ("message-1-content", "Hello from normal"),
            ("message-2-content", "buy spam now"),
        ]);
        let refused = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(refused.status, Status::Ok, "the child admin's validate refuses it");
        let page = decoded(&refused.body);
        assert!(page.contains("id=\"error_message-2-content_0\">No spam, please.</p>"), "beside the field: {page}");
        assert!(page.contains("buy spam now"), "what was typed is kept: {page}");
        assert_eq!(messages(browser, 2), ["Hello from normal", "normal again"], "nothing written");

        // A hook's refusal is said beside the field it names too.
        let added = fields.iter().position(|(k, _)| *k == "message-2-content").expect("a field");
        fields[added] = ("message-2-content", "forbidden words");
        let refused = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(refused.status, Status::Ok);
        let page = decoded(&refused.body);
        assert!(page.contains("id=\"error_message-2-content_0\">`content` may not say forbidden</p>"), "{page}");
        assert_eq!(messages(browser, 2), ["Hello from normal", "normal again"], "nothing written");

        // An edited row goes through them too: refused, then trimmed.
        let at = |name: &str| fields.iter().position(|(k, _)| *k == name).expect("a field");
        let (first, added) = (at("message-0-content"), at("message-2-content"));
        fields[added] = ("message-2-content", "  tidy  ");
        fields[first] = ("message-0-content", "spam again");
        let refused = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(refused.status, Status::Ok);
        assert!(decoded(&refused.body).contains("id=\"error_message-0-content_0\">No spam, please.</p>"));
        assert_eq!(messages(browser, 2), ["Hello from normal", "normal again"], "nothing written");
        fields[first] = ("message-0-content", " normal again, edited ");
        let saved = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", decoded(&saved.body));
        assert_eq!(messages(browser, 2), ["Hello from normal", "normal again, edited", "tidy"], "before_save ran");
    })
    .await;
}

#[rocket::async_test]
async fn a_read_only_parent_shows_its_children_as_text() {
    Browser::each(site_with::<ViewOnlyUserPage, Message>, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/user/2/").await;
        assert_eq!(page.status, Status::Ok);
        let body = decoded(&page.body);
        let main = &body[body.find("<main").expect("the page's main")..];
        assert!(main.contains("readonly-form"), "{main}");
        for shown in ["Hello from normal", "normal again", "<legend>Messages</legend>"] {
            assert!(main.contains(shown), "{shown} in {main}");
        }
        for input in ["<input", "<textarea", "<select", "<form", "TOTAL_FORMS", "data-inline-template", "Add another"] {
            assert!(!main.contains(input), "{input} in {main}");
        }
        // The user without messages: the inline says so.
        let mut conn = browser.db.db.get().expect("a connection");
        diesel::delete(message::table.filter(message::user_id.eq(2))).execute(&mut *conn).expect("deleted");
        drop(conn);
        let page = browser.get("/admin/user/2/").await;
        assert!(decoded(&page.body).contains("No messages."), "{}", page.body);
        // Nothing can be posted to it.
        let mut fields = NORMAL.to_vec();
        fields.extend([("message-TOTAL_FORMS", "1"), ("message-0-content", "sneaky")]);
        let forged = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(forged.status, Status::Forbidden);
        assert!(messages(browser, 2).is_empty());
    })
    .await;
}
