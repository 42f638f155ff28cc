//! Edits that never overwrite each other, on every backend: the edit form
//! carries the version it was loaded at; a save over a newer version
//! writes nothing and shows both values side by side, and the user's
//! choice is what the next save writes. A change to an inline's rows is a
//! newer version too.

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use hangar::admin::{hangar_admin_log, Admin, Inline, ModelAdmin};
use hangar::auth::Auth;
use hangar_tests::backends::TestDb;
use hangar_tests::models::{Message, User};
use hangar_tests::schema::{message, users};
use rocket::http::Status;
use rocket::{Build, Rocket};

use crate::admin_support::decoded;
use crate::auth_support::{user_site, Browser};

/// Users, with their messages inline.
struct UsersWithMessages;

impl ModelAdmin for UsersWithMessages {
    type Model = User;

    fn inlines() -> Vec<Inline> {
        vec![Inline::of::<Message, User>()]
    }
}

fn site(db: &TestDb) -> Rocket<Build> {
    Admin::<User>::new().register::<UsersWithMessages>().register::<Message>().mount(user_site(Auth::new(), db))
}

/// The value of the form field `name` in `html`.
fn field(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

fn content(browser: &Browser, id: i32) -> String {
    message::table.find(id).select(message::content).first(&mut *browser.db.conn()).expect("the message")
}

fn entries(browser: &Browser) -> i64 {
    hangar_admin_log::table.count().get_result(&mut *browser.db.conn()).expect("counts")
}

#[rocket::async_test]
async fn a_save_over_a_newer_version_writes_nothing_and_shows_both_values() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = decoded(&browser.get("/admin/message/2/").await.body);
        let loaded = field(&page, "_version");
        assert_eq!(loaded.len(), 32, "{page}");
        // Reloading the same row gives the same version.
        assert_eq!(field(&decoded(&browser.get("/admin/message/2/").await.body), "_version"), loaded);

        // Someone else saves first, from the same page.
        let theirs = [
            ("user_id", "2"),
            ("content", "theirs"),
            ("pub_date", "2024-01-02T10:00:00"),
            ("_version", loaded.as_str()),
        ];
        let saved = browser.submit("/admin/message/2/", &theirs).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", decoded(&saved.body));
        assert_eq!(content(browser, 2), "theirs");
        let logged = entries(browser);

        // My save, from the page as it was loaded: nothing written.
        let mine =
            [("user_id", "2"), ("content", "mine"), ("pub_date", "2024-01-02T10:00:00"), ("_version", loaded.as_str())];
        let refused = browser.submit("/admin/message/2/", &mine).await;
        assert_eq!(refused.status, Status::Ok, "{}", refused.body);
        let page = decoded(&refused.body);
        assert!(page.contains("Someone saved this message after you opened it, so nothing was saved."), "{page}");
        assert!(page.contains("<th scope=\"row\">Content</th>"), "{page}");
        assert!(page.contains("<span class=\"conflict-value\">mine</span>"), "{page}");
        assert!(page.contains("<span class=\"conflict-value\">theirs</span>"), "{page}");
        assert!(!page.contains("<th scope=\"row\">Pub Date</th>"), "only the fields that differ: {page}");
        assert!(page.contains("name=\"content\""), "the form again, with what I typed: {page}");
        assert_eq!(content(browser, 2), "theirs", "nothing written");
        assert_eq!(entries(browser), logged, "nothing recorded");

        // The conflict page carries the version saved now: choosing the
        // saved value keeps theirs, and the save goes through.
        let now = field(&page, "_version");
        assert_ne!(now, loaded);
        let chosen = [
            ("user_id", "2"),
            ("content", "mine"),
            ("pub_date", "2024-01-02T10:00:00"),
            ("_version", now.as_str()),
            ("_choose_content", "saved"),
            ("_saved_content", "theirs"),
        ];
        let saved = browser.submit("/admin/message/2/", &chosen).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", decoded(&saved.body));
        assert_eq!(content(browser, 2), "theirs");

        // Choosing mine writes mine.
        let page = decoded(&browser.get("/admin/message/2/").await.body);
        let current = field(&page, "_version");
        let kept = [
            ("user_id", "2"),
            ("content", "mine"),
            ("pub_date", "2024-01-02T10:00:00"),
            ("_version", current.as_str()),
            ("_choose_content", "mine"),
            ("_saved_content", "theirs"),
        ];
        let saved = browser.submit("/admin/message/2/", &kept).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", decoded(&saved.body));
        assert_eq!(content(browser, 2), "mine");

        // A form without a version (a script's) is not checked.
        let unversioned = [("user_id", "2"), ("content", "scripted"), ("pub_date", "2024-01-02T10:00:00")];
        assert_eq!(browser.submit("/admin/message/2/", &unversioned).await.status, Status::SeeOther);
        assert_eq!(content(browser, 2), "scripted");
        // A version that is no version is a conflict, never a write.
        let forged = [("user_id", "2"), ("content", "forged"), ("pub_date", "2024-01-02T10:00:00"), ("_version", "x")];
        let refused = browser.submit("/admin/message/2/", &forged).await;
        assert_eq!(refused.status, Status::Ok);
        assert_eq!(content(browser, 2), "scripted");
    })
    .await;
}

#[rocket::async_test]
async fn a_box_changed_since_and_an_inline_row_added_since_are_conflicts() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = decoded(&browser.get("/admin/user/2/").await.body);
        let loaded = field(&page, "_version");
        let form = |version: &str| -> Vec<(String, String)> {
            [
                ("username", "normal"),
                ("email", "normal@example.com"),
                ("join_date", "2024-01-02T00:00:00"),
                ("active", "on"),
                ("_version", version),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
        };
        let submit = async |fields: &[(String, String)]| {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            browser.submit("/admin/user/2/", &pairs).await
        };

        // Someone deactivates the user: my form still says active.
        diesel::update(users::table.find(2))
            .set(users::active.eq(false))
            .execute(&mut *browser.db.conn())
            .expect("set");
        let refused = submit(&form(&loaded)).await;
        assert_eq!(refused.status, Status::Ok);
        let page = decoded(&refused.body);
        assert!(page.contains("<th scope=\"row\">Active</th>"), "{page}");
        assert!(page.contains("<span class=\"conflict-value\">Yes</span>"), "{page}");
        assert!(page.contains("<span class=\"conflict-value\">No</span>"), "{page}");
        assert!(page.contains("name=\"_saved_active\" value=\"\""), "{page}");
        // Choosing the saved (unticked) box keeps the user inactive.
        let mut chosen = form(&field(&page, "_version"));
        chosen.push(("_choose_active".into(), "saved".into()));
        chosen.push(("_saved_active".into(), String::new()));
        assert_eq!(submit(&chosen).await.status, Status::SeeOther);
        let active: bool = users::table.find(2).select(users::active).first(&mut *browser.db.conn()).expect("a user");
        assert!(!active);

        // A message added to the user since the page loaded.
        let page = decoded(&browser.get("/admin/user/2/").await.body);
        let loaded = field(&page, "_version");
        diesel::insert_into(message::table)
            .values((
                message::user_id.eq(2),
                message::content.eq("new"),
                message::pub_date.eq(chrono::NaiveDateTime::default()),
            ))
            .execute(&mut *browser.db.conn())
            .expect("a message");
        let mut inactive = form(&loaded);
        inactive.retain(|(k, _)| k != "active");
        let refused = submit(&inactive).await;
        assert_eq!(refused.status, Status::Ok);
        let page = decoded(&refused.body);
        assert!(page.contains("so nothing was saved"), "{page}");
        assert!(page.contains("what changed is shown on this page"), "no field differs: {page}");
        let mut again = inactive.clone();
        again.retain(|(k, _)| k != "_version");
        again.push(("_version".into(), field(&page, "_version")));
        assert_eq!(submit(&again).await.status, Status::SeeOther);
    })
    .await;
}
