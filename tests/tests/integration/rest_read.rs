//! Reading through the REST API: the envelope, fields, includes, filters,
//! scoping, and the query count of includes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::Connection;
use hangar::rest::{list_json, Caller};
use hangar_tests::models::{Link, Note};
use rocket::http::Status;
use serde_json::json;

use crate::rest_support::Api;

#[rocket::async_test]
async fn a_list_is_the_contract_envelope_with_links() {
    Api::each(async |api: &Api| {
        let answer = api.get("/api/note/?ordering=id&limit=3").await;
        assert_eq!(answer.status, Status::Ok);
        assert_eq!(
            answer.json["meta"],
            json!({"model": "note", "page": 1, "page_count": 2, "object_count": 4,
                   "next": "/api/note/?ordering=id&limit=3&page=2", "previous": ""})
        );
        assert_eq!(api.ids("/api/note/?ordering=id&limit=3&page=2").await, [4]);
    })
    .await;
}

#[rocket::async_test]
async fn objects_show_their_fields_with_foreign_keys_under_their_own_names() {
    Api::each(async |api: &Api| {
        let note = api.get("/api/note/1/").await;
        assert_eq!(note.status, Status::Ok);
        assert_eq!(
            note.json,
            json!({
                "id": 1, "user_id": 1, "message": "note 1", "status": 1, "created_date": "2024-02-01T00:00:00",
                "user": {"id": 1, "username": "admin", "join_date": "2024-01-01T00:00:00", "active": true, "admin": true},
            })
        );
        let message = api.get("/api/message/2/").await;
        assert_eq!(
            message.json,
            json!({"id": 2, "user_id": 2, "content": "Hello from normal", "pub_date": "2024-01-02T10:00:00"})
        );
    })
    .await;
}

/// The answer is written as text, not through a map: its keys come in the
/// model's order, then the included relations, and the text is compact.
#[rocket::async_test]
async fn objects_are_written_in_the_models_order_with_included_relations_after() {
    Api::each(async |api: &Api| {
        let text = |uri: &'static str| async move {
            let response = api.client.get(uri).dispatch().await;
            assert_eq!(response.status(), Status::Ok, "{uri}");
            response.into_string().await.unwrap_or_default()
        };
        let user = r#"{"id":1,"username":"admin","join_date":"2024-01-01T00:00:00","active":true,"admin":true}"#;
        let note = format!(
            r#"{{"id":1,"user_id":1,"message":"note 1","status":1,"created_date":"2024-02-01T00:00:00","user":{user}}}"#
        );
        assert_eq!(text("/api/note/1/").await, note);
        let list = text("/api/note/?ordering=id&limit=1").await;
        let meta = r#"{"model":"note","page":1,"page_count":4,"object_count":4,"next":"/api/note/?ordering=id&limit=1&page=2","previous":""}"#;
        assert_eq!(list, format!(r#"{{"meta":{meta},"objects":[{note}]}}"#));
        let message = r#"{"id":2,"user_id":2,"content":"Hello from normal","pub_date":"2024-01-02T10:00:00"}"#;
        assert_eq!(text("/api/message/2/").await, message);
    })
    .await;
}

#[rocket::async_test]
async fn excluded_fields_are_never_shown_and_get_query_scopes_everything() {
    Api::each(async |api: &Api| {
        let users = api.get("/api/user/?ordering=id").await;
        let objects = users.json["objects"].as_array().cloned().unwrap_or_default();
        assert_eq!(objects.len(), 2, "inactive users are hidden: {users:?}");
        for user in &objects {
            let keys: Vec<&str> = user.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
            assert_eq!(keys, ["id", "username", "join_date", "active", "admin"]);
        }
        assert_eq!(api.get("/api/user/3/").await.status, Status::NotFound, "a hidden row is a 404");
        assert_eq!(api.get("/api/user/3/").await.json, json!({"error": "Not found"}));
        let admin = Some(("admin", "admin"));
        let edit = api.put("/api/user/3/", admin, &json!({"username": "back"})).await;
        assert_eq!(edit.status, Status::NotFound, "get_query scopes edits");
        assert_eq!(api.delete("/api/user/3/", admin).await.status, Status::NotFound, "and deletes");
    })
    .await;
}

#[rocket::async_test]
async fn includes_nest_recursively_and_a_null_key_is_null() {
    Api::each(async |api: &Api| {
        assert_eq!(
            api.get("/api/bmodel/2/").await.json,
            json!({"id": 2, "a_id": 2, "b_field": "b2", "a": {"id": 2, "a_field": "a2"}})
        );
        assert_eq!(
            api.get("/api/dmodel/1/").await.json,
            json!({"id": 1, "c_id": 1, "d_field": "d1", "c": {"id": 1, "b_id": 1, "c_field": "c1",
                   "b": {"id": 1, "a_id": 1, "b_field": "b1", "a": {"id": 1, "a_field": "a1"}}}})
        );
        assert_eq!(api.get("/api/fmodel/2/").await.json, json!({"id": 2, "e_id": null, "f_field": "f2", "e": null}));
        let links = api.get("/api/link/?ordering=id").await.json;
        assert_eq!(links["objects"][0]["src"]["username"], "admin");
        assert_eq!(links["objects"][0]["dst"]["username"], "normal");
        assert_eq!(links["objects"][2]["dst"], json!(null));
        assert!(links["objects"][0]["src"].get("password").is_none(), "the nested resource's exclude applies");
    })
    .await;
}

#[rocket::async_test]
async fn a_missing_or_malformed_key_is_404_json() {
    Api::each(async |api: &Api| {
        for uri in ["/api/note/99/", "/api/note/abc/", "/api/nothing/", "/api/note/1/extra/"] {
            let answer = api.get(uri).await;
            assert_eq!(answer.status, Status::NotFound, "{uri}");
            assert_eq!(answer.json, json!({"error": "Not found"}), "{uri}");
        }
    })
    .await;
}

#[rocket::async_test]
async fn filters_and_ordering_come_from_the_query_engine() {
    Api::each(async |api: &Api| {
        assert_eq!(api.ids("/api/note/?user__username=normal").await, [3]);
        assert_eq!(api.ids("/api/link/?src__username=admin&dst__username=normal").await, [1]);
        assert_eq!(api.ids("/api/note/?ordering=-id&status=1").await, [4, 3, 1]);
        let typo = api.get("/api/note/?mesage=x").await;
        assert_eq!(typo.status, Status::BadRequest);
        assert!(typo.json["error"].as_str().is_some_and(|e| e.starts_with("unknown filter field `mesage` on `note`")));
    })
    .await;
}

#[rocket::async_test]
async fn an_excluded_field_cannot_be_filtered_on_directly_or_through_a_relation() {
    Api::each(async |api: &Api| {
        for (uri, path) in [
            ("/api/user/?password__startswith=%24pbkdf2", "password"),
            ("/api/user/?email=admin@example.com", "email"),
            ("/api/note/?user__password__startswith=%24", "user__password"),
            ("/api/note/?user__email__contains=admin", "user__email"),
        ] {
            let answer = api.get(uri).await;
            assert_eq!(answer.status, Status::BadRequest, "{uri}");
            let error = answer.json["error"].as_str().unwrap_or_default().to_owned();
            assert!(error.ends_with(&format!("filters on `{path}`, which may not be filtered on")), "{uri}: {error}");
        }
        assert_eq!(api.ids("/api/note/?user__username=admin").await, [1, 2], "shown fields filter fine");
    })
    .await;
}

#[rocket::async_test]
async fn page_sizes_follow_the_resource() {
    Api::each(async |api: &Api| {
        let all = api.get("/api/emodel/").await;
        assert_eq!(all.json["meta"]["page_count"], 1);
        assert_eq!(all.json["objects"].as_array().map(Vec::len), Some(2));
        let capped = api.get("/api/note/?limit=1000").await;
        assert_eq!(capped.json["objects"].as_array().map(Vec::len), Some(4));
        let emodel_cap = api.get("/api/emodel/?limit=1").await;
        assert_eq!(emodel_cap.json["meta"]["page_count"], 2);
    })
    .await;
}

/// Counts the statements a connection runs.
struct Counter(Arc<AtomicUsize>);

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[test]
fn a_list_with_includes_runs_in_three_queries_whatever_the_page_size() {
    hangar_tests::backends::each_backend(|t| {
        let mut conn = t.conn();
        for i in 0..25 {
            let user = 1 + i % 3;
            diesel::connection::SimpleConnection::batch_execute(
                &mut *conn,
                &format!("INSERT INTO note (user_id, message, status) VALUES ({user}, 'bulk {i}', 1)"),
            )
            .expect("inserts");
        }
        let queries = Arc::new(AtomicUsize::new(0));
        conn.set_instrumentation(Counter(queries.clone()));
        for limit in [1, 5, 20, 29] {
            queries.store(0, Ordering::Relaxed);
            let page =
                list_json::<Note>(&mut conn, &Caller::anonymous(), Some(&format!("limit={limit}")), "/api/note/")
                    .expect("lists");
            assert_eq!(page["objects"].as_array().map(Vec::len), Some(limit));
            assert!(page["objects"][0]["user"]["username"].is_string());
            assert_eq!(queries.load(Ordering::Relaxed), 3, "count, page, users for limit {limit}");
        }
        queries.store(0, Ordering::Relaxed);
        list_json::<Link>(&mut conn, &Caller::anonymous(), None, "/api/link/").expect("lists");
        assert_eq!(queries.load(Ordering::Relaxed), 4, "count, page, and one batch per included relation");
    });
}
