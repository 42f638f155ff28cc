//! The admin's pages on every backend: who gets in, the list with its
//! filters, search, sorting and pages, the forms, deletes, exports, the
//! picker, the history, and what `get_query` hides.

use diesel::connection::SimpleConnection;
use diesel::{QueryDsl, RunQueryDsl};
use hangar_tests::schema::{amodel, bmodel, ddetail, message, note, users};
use rocket::http::Status;

use crate::admin_support::{admin_site, decoded, table};
use crate::auth_support::Browser;

#[rocket::async_test]
async fn only_admins_get_in() {
    Browser::each(admin_site, async |browser: &Browser| {
        let page = browser.get("/admin/message/?user__username=normal").await;
        assert_eq!(page.status, Status::SeeOther);
        assert_eq!(
            page.location.as_deref(),
            Some("/accounts/login/?next=%2Fadmin%2Fmessage%2F%3Fuser__username%3Dnormal")
        );
        browser.as_user("normal").await;
        for uri in ["/admin/", "/admin/message/", "/admin/message/1/", "/admin/note-count/"] {
            let page = browser.get(uri).await;
            assert_eq!(page.status, Status::Forbidden, "{uri}");
            assert!(page.body.contains("permission"), "{uri}: {}", page.body);
        }
        let page = browser.submit("/admin/message/add/", &[("content", "x")]).await;
        assert_eq!(page.status, Status::Forbidden);
        let _ = browser.post("/accounts/logout/", &[("csrf_token", &browser.csrf().await)]).await;
        browser.as_user("admin").await;
        let page = browser.get("/admin/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        for needle in ["Messages", "Kitchens", "4 notes", "Note count"] {
            assert!(page.body.contains(needle), "{needle} in {}", page.body);
        }
        let headers_page = browser.client.get("/admin/").dispatch().await;
        // Framing is refused by the CSP; X-Frame-Options is Shield's, once.
        assert_eq!(headers_page.headers().get("X-Frame-Options").count(), 1);
        assert!(headers_page
            .headers()
            .get_one("Content-Security-Policy")
            .is_some_and(|c| c.contains("script-src 'self'") && c.contains("frame-ancestors 'none'")));
    })
    .await;
}

#[rocket::async_test]
async fn the_list_filters_with_the_rest_language_and_searches_and_sorts() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/message/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        let rows = table(&page.body);
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(rows[0][0], "inactive", "newest first, by `ordering`: {rows:?}");
        assert!(page.body.contains("4 records · page 1 of 1"));

        let cases: [(&str, usize); 17] = [
            ("user__username=normal", 2),
            ("user=1", 1),
            ("user__ne=2", 2),
            ("user__in=1,3", 2),
            ("user__not_in=1,3", 2),
            ("content=normal+again", 1),
            ("content__like=%25from%25", 2),
            ("content__ilike=%25FROM%25", 2),
            ("content__contains=NORMAL", 2),
            ("content__startswith=hello", 2),
            ("content__endswith=AGAIN", 1),
            ("-user__username=normal", 2),
            ("pub_date__gte=2024-01-03", 2),
            ("pub_date__lt=2024-01-02", 1),
            ("pub_date__between=2024-01-02,2024-01-03T23:00", 2),
            ("content__is_not=null", 4),
            ("user__username__startswith=ad&pub_date__lte=2024-01-01T10:00", 1),
        ];
        for (query, expected) in cases {
            let page = browser.get(&format!("/admin/message/?{query}")).await;
            assert_eq!(page.status, Status::Ok, "{query}");
            assert_eq!(table(&page.body).len(), expected, "{query}: {:?}", table(&page.body));
        }

        // A filter the admin does not allow, or a bad value, is a notice.
        let page = browser.get("/admin/message/?user__in=x&bogus=1&user__password__startswith=p&id=1").await;
        assert_eq!(page.status, Status::Ok);
        let body = decoded(&page.body);
        assert!(body.contains("Some parameters were ignored"), "{body}");
        assert!(body.contains("`user__in` value `x` is not an integer"), "{body}");
        assert!(body.contains("`id` filters on `id`, which may not be filtered on"), "{body}");
        assert!(body.contains("`user__password__startswith` filters on `user__password`"), "{body}");
        assert_eq!(table(&page.body).len(), 4);

        // Search: every word in some search field, ignoring case.
        let page = browser.get("/admin/message/?q=HELLO+normal").await;
        assert_eq!(table(&page.body).len(), 1, "{:?}", table(&page.body));
        // A link with no `dst` still matches through its label.
        let page = browser.get("/admin/link/?q=nobody").await;
        assert_eq!(table(&page.body).iter().map(|r| r[0].clone()).collect::<Vec<_>>(), ["a-&gt;nobody"]);
        let page = browser.get("/admin/link/?q=NORMAL").await;
        assert_eq!(table(&page.body).iter().map(|r| r[0].clone()).collect::<Vec<_>>(), ["a-&gt;b"]);

        // Sorting by a relation path, and the header's link.
        let page = browser.get("/admin/message/?ordering=user__username").await;
        let names: Vec<String> = table(&page.body).iter().map(|r| r[0].clone()).collect();
        assert_eq!(names, ["admin", "inactive", "normal", "normal"]);
        assert!(page.body.contains("href=\"/admin/message/?ordering&#x3D;-user__username\""), "{}", page.body);

        // The filter builder's plain form becomes a filter parameter.
        let page =
            browser.get("/admin/message/?q=x&_filter_field=user__username&_filter_op=ne&_filter_value=normal").await;
        assert_eq!(page.status, Status::SeeOther);
        assert_eq!(page.location.as_deref(), Some("/admin/message/?q=x&user__username__ne=normal"));
    })
    .await;
}

#[rocket::async_test]
async fn search_takes_a_quoted_phrase_as_one_term_and_every_other_word_in_some_field() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        browser
            .db
            .conn()
            .batch_execute(
                "INSERT INTO message (user_id, content, pub_date) VALUES (3, 'Tea time', '2024-01-05 10:00:00')",
            )
            .expect("a message inserts");
        let contents = |page: &crate::auth_support::Page| -> Vec<String> {
            let mut contents: Vec<String> = table(&page.body).iter().map(|r| r[1].clone()).collect();
            contents.sort();
            contents
        };
        for (q, expected) in [
            // Two words, each in a field of its own: the content and the author's name.
            ("tea+INACTIVE", &["Tea time"][..]),
            ("tea+normal", &[]),
            // A phrase matches as a whole, ignoring case, in one field.
            ("%22HELLO+from%22", &["Hello from normal", "hello from admin"]),
            ("%22from+normal%22", &["Hello from normal"]),
            ("%22hello+normal%22", &[]),
            ("hello+normal", &["Hello from normal"]),
            ("%22tea+inactive%22", &[]),
            ("%22time%22+inactive", &["Tea time"]),
            // An open quote runs to the end; an empty phrase is no term.
            ("%22tea+ti", &["Tea time"]),
            ("normal+%22again", &["normal again"]),
            ("again+%22", &["normal again"]),
            ("%22", &["100% inactive_user", "Hello from normal", "Tea time", "hello from admin", "normal again"]),
        ] {
            let page = browser.get(&format!("/admin/message/?q={q}")).await;
            assert_eq!(page.status, Status::Ok, "q={q}: {}", page.body);
            assert!(!decoded(&page.body).contains("Some parameters were ignored"), "q={q}");
            assert_eq!(contents(&page), expected, "q={q}");
        }
    })
    .await;
}

#[rocket::async_test]
async fn pages_link_to_each_other_keeping_filters() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/note/?user__username__ne=nobody&ordering=id").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        assert!(page.body.contains("3 records · page 1 of 2"), "live notes only: {}", page.body);
        assert!(
            page.body
                .contains("href=\"/admin/note/?user__username__ne&#x3D;nobody&amp;ordering&#x3D;id&amp;page&#x3D;2\""),
            "{}",
            page.body
        );
        let second = browser.get("/admin/note/?user__username__ne=nobody&ordering=id&page=2").await;
        assert_eq!(table(&second.body).len(), 1);
    })
    .await;
}

#[rocket::async_test]
async fn a_form_keeps_its_values_and_errors_and_saves_with_a_log_entry() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let form = browser.get("/admin/kitchen/add/").await;
        assert_eq!(form.status, Status::Ok, "{}", form.body);
        for needle in [
            r#"type="number" id="id_small" name="small""#,
            r#"type="checkbox" id="id_flag" name="flag""#,
            r#"type="date" id="id_day""#,
            r#"type="datetime-local" id="id_stamp""#,
            "<legend>Numbers</legend>",
        ] {
            assert!(form.body.contains(needle), "{needle} in {}", form.body);
        }
        // Without the form's token, nothing happens.
        let forged = browser.post("/admin/kitchen/add/", &[("small", "1"), ("label", "forged")]).await;
        assert_eq!(forged.status, Status::Forbidden);
        assert!(decoded(&forged.body).contains("CSRF verification failed"), "{}", forged.body);
        // Errors: 200, beside their fields, values kept, nothing written.
        let bad = [
            ("small", "70000"),
            ("big", "1"),
            ("ratio", "x"),
            ("score", "1"),
            ("day", "2024-02-30"),
            ("at", "10:00"),
            ("stamp", "2024-01-01T10:00"),
            ("label", "kept <b>"),
        ];
        let page = browser.submit("/admin/kitchen/add/", &bad).await;
        assert_eq!(page.status, Status::Ok);
        let body = decoded(&page.body);
        assert!(body.contains("`small` value `70000` is not a small integer"), "{body}");
        assert!(body.contains("`ratio` value `x` is not a number"), "{body}");
        assert!(page.body.contains("value=\"kept &lt;b&gt;\""), "values kept, escaped: {}", page.body);
        let count = browser.get("/admin/kitchen/").await;
        assert!(count.body.contains("3 records"));

        let good = [
            ("small", "7"),
            ("big", "1"),
            ("ratio", "0.5"),
            ("score", "1"),
            ("day", "2024-02-29"),
            ("at", "10:00"),
            ("stamp", "2024-01-01T10:00"),
            ("label", "new"),
            ("flag", "on"),
            ("_continue", "1"),
        ];
        let saved = browser.submit("/admin/kitchen/add/", &good).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
        assert_eq!(saved.location.as_deref(), Some("/admin/kitchen/4/"));
        assert!(browser.flashes().await.contains(&"New Kitchen saved".to_owned()));

        let edited = browser
            .submit(
                "/admin/kitchen/4/",
                &[
                    ("small", "8"),
                    ("big", "1"),
                    ("ratio", "0.5"),
                    ("score", "1"),
                    ("day", "2024-02-29"),
                    ("at", "10:00"),
                    ("stamp", "2024-01-01T10:00"),
                    ("label", "changed"),
                    ("_save", "1"),
                ],
            )
            .await;
        assert_eq!(edited.location.as_deref(), Some("/admin/kitchen/"));
        assert!(browser.flashes().await.contains(&"Changes to Kitchen saved".to_owned()));
        let history = browser.get("/admin/kitchen/4/history/").await;
        assert_eq!(history.status, Status::Ok);
        for needle in ["Changed", "Added", "new", "changed", "<dt>flag</dt>"] {
            assert!(history.body.contains(needle), "{needle} in {}", history.body);
        }
        let mut conn = browser.db.db.get().expect("a connection");
        let entries: Vec<(String, String)> = hangar::admin::hangar_admin_log::table
            .select((hangar::admin::hangar_admin_log::action, hangar::admin::hangar_admin_log::changes))
            .order(hangar::admin::hangar_admin_log::id)
            .load(&mut *conn)
            .expect("the log");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].0, "change");
        let changes: serde_json::Value = serde_json::from_str(&entries[1].1).expect("JSON");
        assert_eq!(changes["small"], serde_json::json!([7, 8]));
        assert_eq!(changes["label"], serde_json::json!(["new", "changed"]));
        assert!(changes.get("big").is_none(), "unchanged fields are left out: {changes}");
    })
    .await;
}

#[rocket::async_test]
async fn readonly_fields_are_ignored_and_passwords_are_never_shown() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let note = browser.get("/admin/note/1/").await;
        assert!(note.body.contains("class=\"readonly\""), "{}", note.body);
        let page = browser
            .submit(
                "/admin/note/1/",
                &[("user_id", "1"), ("message", "edited"), ("status", "1"), ("created_date", "1999-01-01T00:00")],
            )
            .await;
        assert_eq!(page.status, Status::SeeOther, "{}", page.body);
        let mut conn = browser.db.db.get().expect("a connection");
        let (message, created): (String, chrono::NaiveDateTime) =
            note::table.find(1).select((note::message, note::created_date)).first(&mut *conn).expect("the note");
        assert_eq!(message, "edited");
        assert_eq!(created.format("%Y").to_string(), "2024", "a readonly field keeps its value");

        let user = browser.get("/admin/user/2/").await;
        assert!(user.body.contains(r#"type="password" id="id_password" name="password" value="""#), "{}", user.body);
        assert!(!user.body.contains("$pbkdf2"), "never the hash: {}", user.body);
        let hash = |conn: &mut hangar::db::AnyConnection| -> String {
            users::table.find(2).select(users::password).first(conn).expect("the user")
        };
        let before = hash(&mut conn);
        let user_fields = |password: &'static str| {
            [
                ("username", "normal"),
                ("email", "n@x"),
                ("join_date", "2024-01-02T00:00"),
                ("active", "on"),
                ("password", password),
            ]
        };
        let kept = browser.submit("/admin/user/2/", &user_fields("")).await;
        assert_eq!(kept.status, Status::SeeOther, "{}", kept.body);
        assert_eq!(hash(&mut conn), before, "a blank password keeps the old one");
        let changed = browser.submit("/admin/user/2/", &user_fields("s3cret")).await;
        assert_eq!(changed.status, Status::SeeOther);
        let after = hash(&mut conn);
        assert_ne!(after, before);
        assert!(hangar::utils::check_password("s3cret", &after), "stored hashed: {after}");
        let log: Vec<String> = hangar::admin::hangar_admin_log::table
            .select(hangar::admin::hangar_admin_log::changes)
            .load(&mut *conn)
            .expect("the log");
        assert!(log.iter().any(|c| c.contains("(hidden)")) && !log.iter().any(|c| c.contains("pbkdf2")), "{log:?}");

        let taken = browser
            .submit("/admin/user/2/", &[("username", "admin"), ("email", "n@x"), ("join_date", "2024-01-02T00:00")])
            .await;
        assert_eq!(taken.status, Status::Ok);
        assert!(taken.body.contains("This value is already taken."), "{}", taken.body);
    })
    .await;
}

#[rocket::async_test]
async fn a_delete_shows_its_dependents_then_deletes_them() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/amodel/1/delete/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        for needle in ["a1", "1 B Model deleted too", "1 C Model deleted too", "1 D Detail deleted too"] {
            assert!(page.body.contains(needle), "{needle} in {}", page.body);
        }
        let missing_token = browser.post("/admin/amodel/1/delete/", &[]).await;
        assert_eq!(missing_token.status, Status::Forbidden);
        let deleted = browser.submit("/admin/amodel/1/delete/", &[]).await;
        assert_eq!(deleted.location.as_deref(), Some("/admin/amodel/"));
        assert!(browser.flashes().await.contains(&"Deleted 1 A Model".to_owned()));
        let mut conn = browser.db.db.get().expect("a connection");
        let left: i64 = bmodel::table.count().get_result(&mut *conn).expect("counts");
        let details: i64 = ddetail::table.count().get_result(&mut *conn).expect("counts");
        let a: i64 = amodel::table.count().get_result(&mut *conn).expect("counts");
        assert_eq!((a, left, details), (1, 1, 1));

        let bulk = browser.get("/admin/message/delete/?id=1&id=3").await;
        assert!(bulk.body.contains("these 2 Messages"), "{}", bulk.body);
        let done = browser.submit("/admin/message/delete/", &[("id", "1"), ("id", "3")]).await;
        assert_eq!(done.status, Status::SeeOther);
        assert!(browser.flashes().await.contains(&"Deleted 2 Messages".to_owned()));
        let messages: i64 = message::table.count().get_result(&mut *conn).expect("counts");
        assert_eq!(messages, 2);
    })
    .await;
}

#[rocket::async_test]
async fn exports_honour_the_filters_and_never_hold_excluded_fields() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/kitchen/export/?small__gte=2").await;
        assert_eq!(page.status, Status::Ok);
        assert!(page.body.contains("2 records") && !page.body.contains("value=\"score\""), "{}", page.body);
        let csv =
            browser.get("/admin/kitchen/export/?small__gte=2&format=csv&fields=small&fields=label&fields=score").await;
        assert_eq!(csv.status, Status::Ok);
        assert_eq!(csv.body, "small,label\n2,beta\n3,Gamma_ray\n");
        let json = browser
            .get("/admin/message/export/?format=json&fields=id&fields=user__username&fields=user__password&q=normal")
            .await;
        let objects: serde_json::Value = serde_json::from_str(&json.body).expect("JSON");
        assert_eq!(
            objects,
            serde_json::json!([{"id": 2, "user__username": "normal"}, {"id": 3, "user__username": "normal"}])
        );
        let users = browser.get("/admin/user/export/?format=csv").await;
        assert!(users.body.starts_with("id,username,email"), "{}", users.body);
        assert!(!users.body.contains("password") && !users.body.contains("pbkdf2"), "{}", users.body);
    })
    .await;
}

#[rocket::async_test]
async fn what_get_query_hides_is_hidden_everywhere() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let list = browser.get("/admin/note/?ordering=id").await;
        assert!(!table(&list.body).iter().any(|row| row.contains(&"note 2".to_owned())), "{:?}", table(&list.body));
        for uri in ["/admin/note/2/", "/admin/note/2/delete/", "/admin/note/2/history/"] {
            assert_eq!(browser.get(uri).await.status, Status::NotFound, "{uri}");
        }
        let export = browser.get("/admin/note/export/?format=csv&fields=message").await;
        assert!(!export.body.contains("note 2") && export.body.contains("note 1"), "{}", export.body);
        // The message form's picker offers active users only.
        let lookup = browser.get("/admin/message/lookup/user_id/?q=").await;
        let choices: serde_json::Value = serde_json::from_str(&lookup.body).expect("JSON");
        assert_eq!(choices["objects"], serde_json::json!([{"id": 1, "repr": "admin"}, {"id": 2, "repr": "normal"}]));
        let search = browser.get("/admin/message/lookup/user/?q=ORM").await;
        let choices: serde_json::Value = serde_json::from_str(&search.body).expect("JSON");
        assert_eq!(
            choices,
            serde_json::json!({"objects": [{"id": 2, "repr": "normal"}], "page": 1, "has_next": false})
        );
        assert_eq!(browser.get("/admin/message/lookup/content/").await.status, Status::NotFound);
    })
    .await;
}
