//! A page of the admin's list runs a fixed number of SQL statements,
//! whatever its size: relation columns are loaded in one query each for
//! the whole page, never one per row.
//!
//! A test binary of its own: it counts statements through diesel's
//! process-wide default instrumentation, which other tests would disturb.

use std::io::Write as _;

use diesel::connection::SimpleConnection;
use hangar::admin::Admin;
use hangar_tests::backends::{backends, TestDb};
use hangar_tests::models::{Link, User};
use hangar_tests::statements::{admin_client, Counting};
use rocket::http::Status;

#[rocket::async_test]
async fn a_list_page_runs_the_same_statements_whatever_its_size() {
    let counting = Counting::start().await;
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        let rows: Vec<String> = (0..60).map(|i| format!("(1, 2, 'more {i}')")).collect();
        db.db
            .get()
            .expect("a connection")
            .batch_execute(&format!("INSERT INTO link (src_id, dst_id, label) VALUES {}", rows.join(", ")))
            .expect("links");
        let (client, _) = admin_client(&db, Admin::<User>::new().register::<User>().register::<Link>()).await;

        let mut counts = Vec::new();
        for limit in [2, 20, 50] {
            counting.reset();
            // Two relation columns (src and dst) and a foreign-key filter.
            let page = client.get(format!("/admin/link/?src=1&limit={limit}")).dispatch().await;
            assert_eq!(page.status(), Status::Ok, "on {dialect}");
            let body = page.into_string().await.unwrap_or_default();
            assert_eq!(body.matches("<td class=\"select\">").count(), limit, "on {dialect}");
            counts.push(counting.count());
        }
        let _ =
            writeln!(std::io::stderr(), "admin list page on {dialect}: {counts:?} statements for 2, 20 and 50 rows");
        assert!(
            counts.windows(2).all(|w| w[0] == w[1]),
            "the same count whatever the page size on {dialect}: {counts:?}"
        );
        // The user; the count, the page, and one query per relation column;
        // and on a server, the pool's `SELECT 1` as each of the two
        // connections is lent.
        let tests = if dialect == hangar::db::Dialect::Sqlite { 0 } else { 2 };
        assert_eq!(counts[0], 5 + tests, "on {dialect}: {counts:?}");
    }
}

/// Users' pages with their links (through `src`) inline: each link's `dst`
/// picker is a select of the users.
struct UsersWithLinks;

impl hangar::admin::ModelAdmin for UsersWithLinks {
    type Model = User;

    fn inlines() -> Vec<hangar::admin::Inline> {
        vec![hangar::admin::Inline::by::<Link, User>("src_id").extra(1)]
    }
}

#[rocket::async_test]
async fn an_edit_page_with_an_inline_runs_the_same_statements_whatever_its_children() {
    let counting = Counting::start().await;
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        let (client, _) = admin_client(&db, Admin::<User>::new().register::<UsersWithLinks>().register::<Link>()).await;

        let mut counts = Vec::new();
        for children in [1, 20] {
            // User 3 gets `children` links, each to a user.
            let rows: Vec<String> = (0..children).map(|i| format!("(3, {}, 'link {i}')", i % 3 + 1)).collect();
            let mut conn = db.db.get().expect("a connection");
            conn.batch_execute("DELETE FROM link WHERE src_id = 3").expect("cleared");
            conn.batch_execute(&format!("INSERT INTO link (src_id, dst_id, label) VALUES {}", rows.join(", ")))
                .expect("links");
            drop(conn);
            counting.reset();
            let page = client.get("/admin/user/3/").dispatch().await;
            assert_eq!(page.status(), Status::Ok, "on {dialect}");
            let body = page.into_string().await.unwrap_or_default();
            // Each link's label, dst, key and delete box; a blank row's and
            // the template row's label and dst; the two counts.
            assert_eq!(body.matches("name=\"link-").count(), children * 4 + 6, "on {dialect}");
            counts.push(counting.count());
        }
        let _ = writeln!(
            std::io::stderr(),
            "admin edit page with an inline on {dialect}: {counts:?} statements for 1 and 20 children"
        );
        assert_eq!(counts[0], counts[1], "the same count whatever the children on {dialect}: {counts:?}");
    }
}

#[rocket::async_test]
async fn the_version_check_of_an_edit_costs_a_lock_and_a_read_an_inline() {
    use hangar_tests::statements::field;
    use rocket::http::ContentType;

    let counting = Counting::start().await;
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        let (client, csrf) =
            admin_client(&db, Admin::<User>::new().register::<UsersWithLinks>().register::<Link>()).await;
        let form = |content: &str| {
            format!("csrf_token={csrf}&username=inactive&email=inactive%40example.com&join_date=2024-01-03T00%3A00%3A00&link-TOTAL_FORMS=0{content}")
        };
        let post = async |body: String| {
            let answer = client.post("/admin/user/3/").header(ContentType::Form).body(body).dispatch().await;
            assert_eq!(answer.status(), Status::SeeOther, "on {dialect}");
        };
        counting.reset();
        post(form("")).await;
        let unchecked = counting.count();
        let page = client.get("/admin/user/3/").dispatch().await.into_string().await.unwrap_or_default();
        let version = field(&page, "_version");
        counting.reset();
        post(form(&format!("&_version={version}"))).await;
        let checked = counting.count();
        let _ = writeln!(
            std::io::stderr(),
            "admin edit with an inline on {dialect}: {unchecked} statements unchecked, {checked} with the version check"
        );
        // The lock, the row, and the inline's children.
        assert_eq!(checked - unchecked, 3, "on {dialect}: {unchecked} then {checked}");
    }
}
