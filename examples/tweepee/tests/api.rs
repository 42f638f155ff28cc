//! tweepee's API contract, on a seeded SQLite file.

use base64ct::{Base64, Encoding};
use hangar::auth::{create_superuser, NewSuperuser};
use hangar::db::Database;
use indicatif::ProgressBar;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::{json, Value};
use tweepee::models::User;
use tweepee::seed::{seed, SeedOptions};

struct App {
    client: Client,
    db: Database,
    _dir: tempfile::TempDir,
}

async fn app(users: usize, messages: usize) -> App {
    hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("tweepee.db").display());
    let db = Database::connect(&url).expect("SQLite opens");
    db.migrate(&tweepee::MIGRATIONS).expect("migrates");
    seed(&db, SeedOptions { users, messages, fast_hash: true }, &ProgressBar::hidden()).expect("seeds");
    let figment = rocket::Config::figment().merge(("database_url", url)).merge(("log_level", "off"));
    let client = Client::tracked(tweepee::app(rocket::custom(figment))).await.expect("launches");
    App { client, db, _dir: dir }
}

impl App {
    async fn call(
        &self,
        method: rocket::http::Method,
        uri: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> (Status, Value) {
        let mut request = self.client.req(method, uri.to_owned());
        if let Some(user) = auth {
            let token = Base64::encode_string(format!("{user}:{user}").as_bytes());
            request.add_header(Header::new("Authorization", format!("Basic {token}")));
        }
        if let Some(body) = body {
            request = request.header(ContentType::JSON).body(body.to_string());
        }
        let response = request.dispatch().await;
        let status = response.status();
        (status, response.into_json::<Value>().await.unwrap_or(Value::Null))
    }

    async fn get(&self, uri: &str) -> (Status, Value) {
        self.call(rocket::http::Method::Get, uri, None, None).await
    }
}

#[rocket::async_test]
async fn users_hide_their_password_and_email_and_inactive_users() {
    let app = app(5, 10).await;
    let (status, page) = app.get("/api/user/?ordering=id").await;
    assert_eq!(status, Status::Ok);
    let names: Vec<&str> =
        page["objects"].as_array().into_iter().flatten().filter_map(|u| u["username"].as_str()).collect();
    assert_eq!(names, ["admin", "user0", "user1", "user2", "user3", "user4"]);
    assert_eq!(
        page["objects"][1],
        json!({"id": 2, "username": "user0", "join_date": "2024-01-01T00:00:00", "active": true, "admin": false})
    );
    assert_eq!(app.get("/api/user/7/").await.0, Status::NotFound, "inactive_user is hidden");
}

#[rocket::async_test]
async fn only_admins_write_users_and_never_the_flags() {
    let app = app(3, 0).await;
    let body =
        json!({"username": "newbie", "password": "pw", "email": "n@example.com", "admin": true, "active": false});
    let (status, _) = app.call(rocket::http::Method::Post, "/api/user/", Some("user0"), Some(body.clone())).await;
    assert_eq!(status, Status::Unauthorized);
    let (status, created) = app.call(rocket::http::Method::Post, "/api/user/", Some("admin"), Some(body)).await;
    assert_eq!(status, Status::Created);
    assert_eq!(
        (created["admin"].clone(), created["active"].clone()),
        (json!(false), json!(true)),
        "admin and active are read-only"
    );
    let token = Base64::encode_string(b"newbie:pw");
    let posted = app
        .client
        .post("/api/message/")
        .header(Header::new("Authorization", format!("Basic {token}")))
        .body(r#"{"content": "first"}"#)
        .dispatch()
        .await;
    assert_eq!(posted.status(), Status::Created, "the password was hashed on the way in");
}

#[rocket::async_test]
async fn messages_belong_to_their_author_and_include_the_user() {
    let app = app(3, 6).await;
    let (_, first) = app.get("/api/message/1/").await;
    assert_eq!(first["content"], "message 0 from user0");
    assert_eq!(first["user"]["username"], "user0");
    assert!(first["user"].get("password").is_none());
    let body = json!({"content": "mine", "user_id": 1});
    let (status, created) = app.call(rocket::http::Method::Post, "/api/message/", Some("user1"), Some(body)).await;
    assert_eq!((status, created["user_id"].clone()), (Status::Created, json!(3)));
    let (status, _) =
        app.call(rocket::http::Method::Put, "/api/message/1/", Some("user1"), Some(json!({"content": "x"}))).await;
    assert_eq!(status, Status::Forbidden);
    let (status, _) =
        app.call(rocket::http::Method::Put, "/api/message/1/", Some("admin"), Some(json!({"content": "x"}))).await;
    assert_eq!(status, Status::Forbidden, "admins are no exception");
    let (_, filtered) = app.get("/api/message/?user__username=user2&ordering=-pub_date").await;
    let contents: Vec<&str> =
        filtered["objects"].as_array().into_iter().flatten().filter_map(|m| m["content"].as_str()).collect();
    assert_eq!(contents, ["message 5 from user2", "message 2 from user2"]);
}

#[rocket::async_test]
async fn relationships_belong_to_the_follower_and_include_both_users() {
    let app = app(5, 0).await;
    let (_, page) = app.get("/api/relationship/").await;
    assert_eq!(page["meta"]["object_count"], 15);
    assert_eq!(page["objects"].as_array().map(Vec::len), Some(15), "one page");
    assert_eq!(page["objects"][0]["from_user"]["username"], "user0");
    assert_eq!(page["objects"][0]["to_user"]["username"], "user1");
    let body = json!({"to_user_id": 6});
    let (status, created) =
        app.call(rocket::http::Method::Post, "/api/relationship/", Some("user0"), Some(body.clone())).await;
    assert_eq!((status, created["from_user_id"].clone()), (Status::Created, json!(2)));
    let (status, again) = app.call(rocket::http::Method::Post, "/api/relationship/", Some("user0"), Some(body)).await;
    assert_eq!(status, Status::Conflict, "a follow is unique: {again}");
    let renamed = json!({"to_user": {"username": "hijacked"}});
    let (status, _) = app.call(rocket::http::Method::Put, "/api/relationship/1/", Some("user0"), Some(renamed)).await;
    assert_eq!(status, Status::Forbidden, "nested user writes need an admin");
}

#[rocket::async_test]
async fn notes_show_live_ones_only() {
    let app = app(20, 0).await;
    let (_, page) = app.get("/api/note/?limit=100").await;
    assert_eq!(page["meta"]["object_count"], 10);
    assert_eq!(page["objects"][0]["user"]["username"], "user0");
    assert_eq!(app.get("/api/note/11/").await.0, Status::NotFound, "a deleted note is hidden");
    let (status, _) = app.call(rocket::http::Method::Delete, "/api/note/1/", Some("user1"), None).await;
    assert_eq!(status, Status::Forbidden);
    let (status, deleted) = app.call(rocket::http::Method::Delete, "/api/note/1/", Some("user0"), None).await;
    assert_eq!((status, deleted), (Status::Ok, json!({"deleted": 1})));
}

#[rocket::async_test]
async fn the_openapi_document_and_the_index() {
    let app = app(1, 0).await;
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(doc, tweepee::api::api().openapi());
    let index = app.client.get("/").dispatch().await;
    assert_eq!(index.status(), Status::Ok);
    let html = index.into_string().await.unwrap_or_default();
    assert!(html.contains(r#"<a href="/accounts/login/">Log in</a>"#), "{html}");
    assert!(html.contains(r#"href="/api/openapi.json""#), "{html}");
    // The index's link to the API leads to its front door.
    assert!(html.contains(r#"href="/api/""#), "{html}");
    let (status, root) = app.get("/api/").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(
        root,
        serde_json::json!({
            "resources": {
                "user": "/api/user/",
                "relationship": "/api/relationship/",
                "message": "/api/message/",
                "note": "/api/note/"
            },
            "openapi": "/api/openapi.json"
        })
    );
}

#[test]
fn every_operation_has_an_operation_id_of_its_own() {
    let ids = hangar_tests::openapi::assert_unique_operation_ids(&tweepee::api::api().openapi());
    let id = |operation: &str| ids.get(operation).map(String::as_str);
    assert_eq!(id("GET /api/message/"), Some("message_list"));
    assert_eq!(id("POST /api/relationship/"), Some("relationship_create"));
    assert_eq!(id("GET /api/user/{pk}/"), Some("user_retrieve"));
    assert_eq!(id("PUT /api/note/{pk}/"), Some("note_update"));
    assert_eq!(id("POST /api/note/{pk}/"), Some("note_update_post"));
    assert_eq!(id("DELETE /api/message/{pk}/"), Some("message_delete"));
    assert_eq!((id("GET /api/"), id("GET /api/openapi.json")), (Some("root"), Some("openapi")));
}

#[rocket::async_test]
async fn a_method_the_api_does_not_take_answers_405_with_allow() {
    let app = app(1, 1).await;
    for (method, uri, allow) in [
        (rocket::http::Method::Trace, "/api/message/", "GET, POST"),
        (rocket::http::Method::Options, "/api/message/1/", "GET, PUT, POST, DELETE"),
        (rocket::http::Method::Patch, "/api/", "GET"),
        (rocket::http::Method::Delete, "/api/openapi.json", "GET"),
    ] {
        let response = app.client.req(method, uri).dispatch().await;
        assert_eq!(response.status(), Status::MethodNotAllowed, "{method} {uri}");
        assert_eq!(response.headers().get_one("Allow"), Some(allow), "{method} {uri}");
        let body = response.into_json::<Value>().await;
        assert_eq!(body, Some(json!({"error": format!("Unsupported method \"{method}\"")})), "{method} {uri}");
    }
}

#[rocket::async_test]
async fn createsuperuser_makes_an_admin_who_can_write_users() {
    let app = app(1, 0).await;
    let mut conn = app.db.get().expect("a connection");
    let new = NewSuperuser { username: "boss".into(), email: Some("boss@example.com".into()), password: "boss".into() };
    create_superuser::<User>(&mut conn, &new).expect("created");
    let taken = create_superuser::<User>(&mut conn, &new).expect_err("taken");
    assert_eq!(taken.to_string(), "a user called `boss` already exists");
    let empty = NewSuperuser { password: String::new(), ..new.clone() };
    assert_eq!(
        create_superuser::<User>(&mut conn, &empty).expect_err("refused").to_string(),
        "the password may not be empty"
    );
    let body = json!({"username": "hired", "password": "pw", "email": "h@example.com"});
    let (status, _) = app.call(rocket::http::Method::Post, "/api/user/", Some("boss"), Some(body)).await;
    assert_eq!(status, Status::Created);
}
