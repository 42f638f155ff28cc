//! The notes API over HTTP, on a fresh SQLite file.

use rocket::http::Status;
use rocket::local::asynchronous::Client;
use serde_json::{json, Value};

async fn client() -> (Client, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("notes.db").display());
    let figment = rocket::Config::figment().merge(("database_url", url));
    let client = Client::tracked(notes::app(rocket::custom(figment))).await.expect("the app launches");
    (client, dir)
}

async fn get(client: &Client, uri: &str) -> (Status, Value) {
    let response = client.get(uri).dispatch().await;
    let status = response.status();
    let body = response.into_json::<Value>().await.expect("a JSON body");
    (status, body)
}

#[rocket::async_test]
async fn the_readme_query_answers_the_list_envelope() {
    let (client, _dir) = client().await;
    let (status, body) = get(&client, "/api/note/?message__ilike=%25hello%25&ordering=-id&limit=2").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(
        body,
        json!({
            "meta": {"model": "note", "page": 1, "page_count": 1, "object_count": 2, "next": "", "previous": ""},
            "objects": [
                {"id": 2, "message": "Say hello to hangar", "created_date": "2024-01-02T10:30:00"},
                {"id": 1, "message": "Hello, world!", "created_date": "2024-01-01T09:00:00"},
            ],
        })
    );
}

#[rocket::async_test]
async fn next_links_lead_to_the_following_page() {
    let (client, _dir) = client().await;
    let (_, first) = get(&client, "/api/note/?limit=2").await;
    assert_eq!(first["meta"]["next"], "/api/note/?limit=2&page=2");
    let next = first["meta"]["next"].as_str().expect("a link").to_owned();
    let (_, second) = get(&client, &next).await;
    assert_eq!(second["objects"], json!([{"id": 3, "message": "Buy milk", "created_date": "2024-01-03T18:15:00"}]));
    assert_eq!(second["meta"]["previous"], "/api/note/?limit=2&page=1");
}

#[rocket::async_test]
async fn a_page_far_past_the_end_is_empty_not_an_error() {
    let (client, _dir) = client().await;
    for page in ["9223372036854775807", "18446744073709551615", "99999999999999999999999"] {
        let (status, body) = get(&client, &format!("/api/note/?limit=100&page={page}")).await;
        assert_eq!(status, Status::Ok, "page {page}");
        assert!(body["objects"].as_array().is_some(), "page {page}: {body}");
    }
}

#[rocket::async_test]
async fn a_typo_in_a_filter_answers_400_with_the_sentence() {
    let (client, _dir) = client().await;
    let cases = [
        (
            "/api/note/?mesage=x",
            "unknown filter field `mesage` on `note`; fields are: id, message, created_date; did you mean `message`?",
        ),
        ("/api/note/?created_date__ilike=x", "`ilike` needs a text field; `created_date` is a timestamp"),
        ("/api/note/?id__in=1,x", "`id__in` value `x` is not an integer"),
        (
            "/api/note/?ordering=-created",
            "`ordering` names an unknown field `created` of `note`; fields are: id, message, created_date",
        ),
        ("/api/note/?limit=0", "`limit` must be a whole number from 1 up, not `0`"),
    ];
    for (uri, message) in cases {
        let (status, body) = get(&client, uri).await;
        assert_eq!(status, Status::BadRequest, "{uri}");
        assert_eq!(body, json!({ "error": message }), "{uri}");
    }
}
