//! Lists that count their rows exactly, up to a cap, or not at all.

use hangar::db::AnyConnection;
use hangar::query::{Count, ListOptions};
use hangar::rest::{list_json, Caller, Resource, RestModel};
use hangar_tests::backends::each_backend;
use hangar_tests::models::{AModel, CModel, Message};
use rocket::http::Status;
use serde_json::{json, Value};

use crate::admin_support::admin_site;
use crate::auth_support::Browser;
use crate::rest_support::Api;
use crate::support::message_envelope;

fn envelope(conn: &mut AnyConnection, count: Count, qs: &str) -> Value {
    message_envelope(conn, &ListOptions { count, ..ListOptions::default() }, qs)
}

#[test]
fn a_capped_count_is_exact_below_the_cap_and_the_cap_above_it() {
    each_backend(|t| {
        let conn = &mut t.conn();
        // Four messages; a cap of 10 counts them all, exactly as `exact` does.
        assert_eq!(
            envelope(conn, Count::Capped(10), "ordering=id&limit=3"),
            envelope(conn, Count::Exact, "ordering=id&limit=3")
        );
        let capped = envelope(conn, Count::Capped(2), "ordering=id&limit=1");
        assert_eq!(
            capped["meta"],
            json!({"model": "message", "page": 1, "page_count": 2, "object_count": 2, "count_capped": true,
                   "next": "/api/message/?ordering=id&limit=1&page=2", "previous": ""})
        );
        assert_eq!(capped["objects"], json!([1]));
        // Past the cap, the pages go on for as long as there are rows.
        let third = envelope(conn, Count::Capped(2), "ordering=id&limit=1&page=3");
        assert_eq!(
            (third["objects"].clone(), third["meta"]["next"].clone()),
            (json!([3]), json!("/api/message/?ordering=id&limit=1&page=4"))
        );
        let last = envelope(conn, Count::Capped(2), "ordering=id&limit=1&page=4");
        assert_eq!((last["objects"].clone(), last["meta"]["next"].clone()), (json!([4]), json!("")));
        assert_eq!(last["meta"]["previous"], "/api/message/?ordering=id&limit=1&page=3");
        // Exactly at the cap is exact.
        let at_cap = envelope(conn, Count::Capped(4), "ordering=id");
        assert_eq!((at_cap["meta"]["object_count"].clone(), at_cap["meta"].get("count_capped")), (json!(4), None));
    });
}

#[test]
fn an_uncounted_list_knows_only_whether_a_next_page_follows() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let first = envelope(conn, Count::None, "ordering=-id&limit=3");
        assert_eq!(
            first,
            json!({"meta": {"model": "message", "page": 1, "page_count": null, "object_count": null,
                            "next": "/api/message/?ordering=-id&limit=3&page=2", "previous": ""},
                   "objects": [4, 3, 2]})
        );
        let second = envelope(conn, Count::None, "ordering=-id&limit=3&page=2");
        assert_eq!(second["objects"], json!([1]));
        assert_eq!(second["meta"]["next"], "");
        let exactly_full = envelope(conn, Count::None, "ordering=-id&limit=2&page=2");
        assert_eq!((exactly_full["objects"].clone(), exactly_full["meta"]["next"].clone()), (json!([2, 1]), json!("")));
        let past = envelope(conn, Count::None, "ordering=-id&limit=3&page=9");
        assert_eq!(past["objects"], json!([]));
        assert_eq!(past["meta"]["previous"], "/api/message/?ordering=-id&limit=3&page=8");
        let filtered = envelope(conn, Count::None, "user__username=normal");
        assert_eq!(filtered["objects"], json!([2, 3]));
    });
}

/// Messages, listed without a count whatever the model says.
struct UncountedMessages;

impl Resource for UncountedMessages {
    type Model = Message;

    fn count() -> Count {
        Count::None
    }
}

#[test]
fn a_resource_may_count_its_own_way() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let caller = Caller::anonymous();
        let counted = list_json::<Message>(conn, &caller, Some("limit=1"), "/api/message/").expect("a list");
        assert_eq!(counted["meta"]["object_count"], 4);
        let uncounted =
            list_json::<UncountedMessages>(conn, &caller, Some("limit=1"), "/api/message/").expect("a list");
        assert_eq!(uncounted["meta"]["object_count"], Value::Null);
        assert_eq!(uncounted["meta"]["next"], "/api/message/?limit=1&page=2");
        assert_eq!(uncounted["objects"], counted["objects"]);
    });
}

#[rocket::async_test]
async fn resources_say_how_they_count() {
    assert_eq!(AModel::rest().count, Count::Capped(1));
    assert_eq!(CModel::rest().count, Count::None);
    Api::each(async |api: &Api| {
        let capped = api.get("/api/amodel/").await;
        assert_eq!(capped.status, Status::Ok);
        assert_eq!(capped.json["meta"]["object_count"], 1);
        assert_eq!(capped.json["meta"]["count_capped"], true);
        assert_eq!(capped.json["objects"].as_array().map(Vec::len), Some(2), "a cap limits the count, not the page");
        let uncounted = api.get("/api/cmodel/?limit=1").await;
        assert_eq!(uncounted.status, Status::Ok);
        assert_eq!(uncounted.json["meta"]["object_count"], Value::Null);
        assert_eq!(uncounted.json["meta"]["page_count"], Value::Null);
        assert_eq!(uncounted.json["meta"]["next"], "/api/cmodel/?limit=1&page=2");
        let last = api.get("/api/cmodel/?limit=1&page=2").await;
        assert_eq!(last.json["meta"]["next"], "");
    })
    .await;
}

#[rocket::async_test]
async fn admin_lists_say_how_they_counted() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let capped = browser.get("/admin/amodel/").await;
        assert_eq!(capped.status, Status::Ok, "{}", capped.body);
        assert!(capped.body.contains("more than 1 record · page 1"), "{}", capped.body);
        let uncounted = browser.get("/admin/cmodel/").await;
        assert_eq!(uncounted.status, Status::Ok, "{}", uncounted.body);
        assert!(uncounted.body.contains("page 1<") || uncounted.body.contains("page 1 "), "{}", uncounted.body);
        assert!(!uncounted.body.contains("records"), "no total for an uncounted list: {}", uncounted.body);
        assert!(uncounted.body.contains("rel=\"next\" href=\"/admin/cmodel/?page&#x3D;2\""), "{}", uncounted.body);
        let second = browser.get("/admin/cmodel/?page=2").await;
        assert!(second.body.contains("rel=\"prev\""), "{}", second.body);
        assert!(
            !second.body.contains("rel=\"next\"") && !second.body.contains("page&#x3D;3"),
            "no page after the last: {}",
            second.body
        );
        let cursor = browser.get("/admin/cmodel/?cursor=").await;
        assert!(cursor.body.contains("does not page this list"), "a notice, not an error: {}", cursor.body);
    })
    .await;
}
