//! Authentication, owner rules, the order of checks, and the credential
//! cache.

use std::sync::Arc;

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use hangar::rest::authn::{CacheStats, CredentialCache, UserAuthentication};
use hangar::rest::RestApi;
use hangar_tests::api::{api, open};
use hangar_tests::backends::{backends, TestDb};
use hangar_tests::models::{Note, User};
use hangar_tests::openapi::parameter;
use hangar_tests::schema::users;
use rocket::http::{Header, Method, Status};
use serde_json::json;

use crate::rest_support::{Answer, Api, Body, ADMIN, NORMAL};

fn unauthorized(answer: &Answer) {
    assert_eq!(answer.status, Status::Unauthorized, "{answer:?}");
    assert_eq!(answer.json, json!({"error": "Authentication failed"}));
    assert_eq!(answer.www_authenticate.as_deref(), Some(r#"Basic realm="Login Required""#));
}

#[rocket::async_test]
async fn user_authentication_guards_writes_and_leaves_reads_open() {
    Api::each(async |api: &Api| {
        let body = json!({"message": "new", "user_id": 2});
        unauthorized(&api.post("/api/note/", None, &body).await);
        unauthorized(&api.post("/api/note/", Some(("xxx", "xxx")), &body).await);
        unauthorized(&api.post("/api/note/", Some(("normal", "wrong")), &body).await);
        unauthorized(&api.post("/api/note/", Some(("inactive", "inactive")), &body).await);
        assert_eq!(api.post("/api/note/", NORMAL, &body).await.status, Status::Created);
        unauthorized(&api.put("/api/note/1/", None, &json!({"message": "x"})).await);
        unauthorized(&api.delete("/api/note/1/", None).await);
        assert_eq!(api.put("/api/note/1/", NORMAL, &json!({"message": "x"})).await.status, Status::Ok);
        assert_eq!(api.get("/api/note/").await.status, Status::Ok);
        assert_eq!(api.get("/api/note/1/").await.status, Status::Ok);
    })
    .await;
}

#[rocket::async_test]
async fn admin_authentication_answers_401_to_a_valid_non_admin() {
    Api::each(async |api: &Api| {
        let body = json!({"username": "new", "password": "pw", "email": "n@x"});
        unauthorized(&api.post("/api/user/", None, &body).await);
        unauthorized(&api.post("/api/user/", NORMAL, &body).await);
        assert_eq!(api.post("/api/user/", ADMIN, &body).await.status, Status::Created);
        assert_eq!(api.get("/api/user/").await.status, Status::Ok);
    })
    .await;
}

#[rocket::async_test]
async fn api_keys_come_from_the_query_the_headers_or_the_form() {
    Api::each(async |api: &Api| {
        unauthorized(&api.get("/api/apidoc/").await);
        unauthorized(&api.get("/api/apidoc/?key=k&secret=wrong").await);
        unauthorized(&api.get("/api/apidoc/?key=nope&secret=s").await);
        let listed = api.get("/api/apidoc/?key=k&secret=s").await;
        assert_eq!(listed.status, Status::Ok, "key and secret are not filters: {listed:?}");
        assert_eq!(listed.json["objects"], json!([{"data": "d1"}, {"data": "d2"}]), "`fields(data)` shows only data");
        assert_eq!(listed.json["meta"]["next"], "");
        let request = api.client.get("/api/apidoc/").header(Header::new("key", "k")).header(Header::new("secret", "s"));
        assert_eq!(api.dispatch(request).await.status, Status::Ok);
        let request =
            api.client.get("/api/apidoc/").header(Header::new("key", "k")).header(Header::new("secret", "foo"));
        unauthorized(&api.dispatch(request).await);
        let json =
            api.send(Method::Post, "/api/apidoc/?key=k&secret=s", None, Body::Json(&json!({"data": "t3"}))).await;
        assert_eq!(json.status, Status::Created);
        let form = api
            .send(Method::Post, "/api/apidoc/", None, Body::Form("data=%7B%22data%22%3A%22t4%22%7D&key=k&secret=s"))
            .await;
        assert_eq!((form.status, form.json["data"].clone()), (Status::Created, json!("t4")));
        let fields = api.send(Method::Post, "/api/apidoc/", None, Body::Form("data=t5&key=k&secret=s")).await;
        assert_eq!(fields.status, Status::BadRequest, "`data` is the JSON wrapper in a form: {fields:?}");
    })
    .await;
}

#[rocket::async_test]
async fn bearer_tokens() {
    Api::each(async |api: &Api| {
        let bearer = |token: &str| Header::new("Authorization", format!("Bearer {token}"));
        unauthorized(&api.get("/api/bearerdoc/").await);
        unauthorized(
            &api.dispatch(api.client.get("/api/bearerdoc/").header(Header::new("Authorization", "Basic tok"))).await,
        );
        unauthorized(&api.dispatch(api.client.get("/api/bearerdoc/").header(bearer("nope"))).await);
        let listed = api.dispatch(api.client.get("/api/bearerdoc/").header(bearer("normaltoken"))).await;
        assert_eq!(listed.json["objects"], json!([{"id": 1, "data": "b1"}]));
        let created = api
            .dispatch(api.client.post("/api/bearerdoc/").header(bearer("admintoken")).body(r#"{"data": "b2"}"#))
            .await;
        assert_eq!(created.status, Status::Created);
        unauthorized(&api.dispatch(api.client.post("/api/bearerdoc/").body(r#"{"data": "b3"}"#)).await);
    })
    .await;
}

#[rocket::async_test]
async fn a_user_bearer_token_makes_its_user_the_owner() {
    Api::each(async |api: &Api| {
        let bearer = |token: &str| Header::new("Authorization", format!("Bearer {token}"));
        let created = api
            .dispatch(
                api.client.post("/api/tweet/").header(bearer("normaltoken")).body(r#"{"content": "hi", "user_id": 1}"#),
            )
            .await;
        assert_eq!(created.status, Status::Created);
        assert_eq!(created.json["user_id"], 2, "the caller owns what they create, whatever the body says");
        unauthorized(&api.dispatch(api.client.post("/api/tweet/").body(r#"{"content": "x"}"#)).await);
        unauthorized(
            &api.dispatch(api.client.post("/api/tweet/").header(bearer("nope")).body(r#"{"content": "x"}"#)).await,
        );
        // Tweets are `owner_reads`: another user's tweet is not there at all.
        let by_admin = api
            .dispatch(api.client.put("/api/tweet/1/").header(bearer("admintoken")).body(r#"{"content": "x"}"#))
            .await;
        assert_eq!((by_admin.status, by_admin.json), (Status::NotFound, json!({"error": "Not found"})));
        let by_owner = api
            .dispatch(api.client.put("/api/tweet/1/").header(bearer("normaltoken")).body(r#"{"content": "mine"}"#))
            .await;
        assert_eq!((by_owner.status, by_owner.json["content"].clone()), (Status::Ok, json!("mine")));
    })
    .await;
}

#[rocket::async_test]
async fn only_the_owner_changes_or_deletes_and_admins_are_no_exception() {
    Api::each(async |api: &Api| {
        let created = api.post("/api/message/", NORMAL, &json!({"content": "test", "user_id": 1})).await;
        assert_eq!(created.status, Status::Created);
        assert_eq!(created.json["user_id"], 2);
        let id = created.json["id"].as_i64().unwrap_or_default();
        let uri = format!("/api/message/{id}/");
        assert_eq!(api.put(&uri, ADMIN, &json!({"content": "stolen"})).await.status, Status::Forbidden);
        let post = api.post(&uri, ADMIN, &json!({"content": "stolen", "user_id": 1})).await;
        assert_eq!(post.status, Status::Forbidden, "POST to the detail URL is an edit, owner-checked");
        let unchanged = api.get(&uri).await.json;
        assert_eq!((unchanged["content"].clone(), unchanged["user_id"].clone()), (json!("test"), json!(2)));
        let own_edit = api.post(&uri, NORMAL, &json!({"content": "edited", "user_id": 1})).await;
        assert_eq!(
            (own_edit.status, own_edit.json["user_id"].clone()),
            (Status::Ok, json!(2)),
            "the owner never changes"
        );
        assert_eq!(api.delete(&uri, ADMIN).await.status, Status::Forbidden);
        assert_eq!(api.delete(&uri, NORMAL).await.json, json!({"deleted": 1}));
        assert_eq!(api.get("/api/message/1/").await.status, Status::Ok, "reads stay open");
    })
    .await;
}

#[rocket::async_test]
async fn checks_run_in_order_401_405_404_403() {
    Api::each(async |api: &Api| {
        unauthorized(&api.put("/api/message/99/", None, &json!({"content": "x"})).await);
        let not_found = api.put("/api/message/99/", NORMAL, &json!({"content": "x"})).await;
        assert_eq!(not_found.status, Status::NotFound);
        assert_eq!(api.put("/api/message/1/", NORMAL, &json!({"content": "x"})).await.status, Status::Forbidden);
        let patch = api.send(Method::Patch, "/api/note/1/", NORMAL, Body::Json(&json!({}))).await;
        assert_eq!(
            (patch.status, patch.json),
            (Status::MethodNotAllowed, json!({"error": "Unsupported method \"PATCH\""}))
        );
        assert_eq!(patch.allow.as_deref(), Some("GET, PUT, POST, DELETE"));
        let options = api.send(Method::Options, "/api/note/", None, Body::None).await;
        assert_eq!((options.status, options.allow.as_deref()), (Status::MethodNotAllowed, Some("GET, POST")));
        let read_only = api.post("/api/ddetail/", None, &json!({"d_id": 1, "detail": "x"})).await;
        assert_eq!(read_only.status, Status::MethodNotAllowed);
        assert_eq!(read_only.allow.as_deref(), Some("GET"));
        assert_eq!(api.delete("/api/ddetail/1/", None).await.status, Status::MethodNotAllowed);
    })
    .await;
}

#[rocket::async_test]
async fn basic_credentials_are_checked_once_then_remembered_until_the_password_changes() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let test = TestDb::seeded(dialect);
        let cache = Arc::new(CredentialCache::default());
        let auth = UserAuthentication::<User>::new().cache(cache.clone());
        let rest = RestApi::new("/api")
            .default_auth(auth)
            .register::<Note>()
            .register_with::<hangar_tests::models::AModel>(open());
        let rocket =
            rest.mount(rocket::custom(rocket::Config::figment().merge(("log_level", "off"))).manage(test.db.clone()));
        let client = rocket::local::asynchronous::Client::untracked(rocket).await.expect("launches");
        let api = Api { client, db: test };
        let put = |password: &'static str| {
            let api = &api;
            async move { api.put("/api/note/1/", Some(("normal", password)), &json!({"message": "m"})).await.status }
        };
        assert_eq!(put("normal").await, Status::Ok);
        assert_eq!(put("normal").await, Status::Ok);
        assert_eq!(cache.stats(), CacheStats { hits: 1, misses: 1 });
        assert_eq!(put("wrong").await, Status::Unauthorized);
        assert_eq!(put("wrong").await, Status::Unauthorized);
        assert_eq!(cache.stats().hits, 1, "a wrong password is never remembered");
        assert_eq!(cache.len(), 1);

        let mut conn = api.db.conn();
        diesel::update(users::table.filter(users::username.eq("normal")))
            .set(users::password.eq(hangar::utils::make_password("changed")))
            .execute(&mut *conn)
            .expect("the password changes");
        assert_eq!(put("normal").await, Status::Unauthorized, "the old password stops working at once");
        assert_eq!(put("changed").await, Status::Ok);
        diesel::update(users::table.filter(users::username.eq("normal")))
            .set(users::active.eq(false))
            .execute(&mut *conn)
            .expect("the user is deactivated");
        assert_eq!(put("changed").await, Status::Unauthorized, "deactivation takes effect at once");

        // A hash below the current cost is replaced on the first success,
        // and the cache remembers the credentials against the new hash:
        // the next request checks nothing.
        diesel::update(users::table.filter(users::username.eq("normal")))
            .set((users::active.eq(true), users::password.eq(hangar::utils::make_password_with("cheap", 10))))
            .execute(&mut *conn)
            .expect("a cheap hash");
        drop(conn);
        let before = cache.stats();
        assert_eq!(put("cheap").await, Status::Ok);
        assert_eq!(put("cheap").await, Status::Ok);
        assert_eq!(cache.stats().misses, before.misses + 1, "one check, then the rehashed credentials are remembered");
        let stored: String = users::table
            .filter(users::username.eq("normal"))
            .select(users::password)
            .first(&mut *api.db.conn())
            .expect("the hash");
        assert!(!stored.contains("i=10,"), "rehashed: {stored}");
    }
}

#[rocket::async_test]
async fn the_api_describes_itself_in_openapi() {
    let test = TestDb::seeded(hangar::db::Dialect::Sqlite);
    let doc = api().openapi();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().map(|p| p.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    for path in ["/api/note/", "/api/note/{pk}/", "/api/user/", "/api/tweet/{pk}/"] {
        assert!(paths.iter().any(|p| p == path), "{path} in {paths:?}");
    }
    let params: Vec<String> = doc["paths"]["/api/note/"]["get"]["parameters"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["name"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    for name in ["pagination", "limit", "ordering", "message", "message__ilike", "id__between", "user__username"] {
        assert!(params.iter().any(|p| p == name), "{name} in {params:?}");
    }
    assert!(!params.iter().any(|p| p.starts_with("user__password")), "excluded fields are not parameters");
    assert_declares_typed_filters(&doc);
    assert_eq!(doc["paths"]["/api/note/"]["post"]["security"], json!([{"basicAuth": []}]));
    assert_eq!(doc["paths"]["/api/apidoc/"]["get"]["security"], json!([{"apiKeyAuth": []}]));
    let user = &doc["components"]["schemas"]["User"]["properties"];
    assert!(user.get("password").is_none() && user.get("username").is_some());
    assert_eq!(
        doc["components"]["schemas"]["Note"]["properties"]["user"]["oneOf"][0]["$ref"],
        "#/components/schemas/User"
    );
    if let Ok(out) = std::env::var("HANGAR_OPENAPI_OUT") {
        std::fs::write(out, serde_json::to_string_pretty(&doc).expect("serialises")).expect("writes the document");
    }
    let api = Api { client: hangar_tests::api::client(&test).await, db: test };
    let served = api.get("/api/openapi.json").await;
    assert_eq!((served.status, served.json), (Status::Ok, doc));
}

/// Filters typed as the server reads them, `page` and `cursor` exclusive,
/// and the fields a body cannot set marked `readOnly`.
fn assert_declares_typed_filters(doc: &serde_json::Value) {
    let param = |name: &str| parameter(doc, "/api/note/", "get", name);
    assert_eq!(param("id")["schema"]["type"], "integer");
    assert_eq!(param("id__gte")["schema"]["maximum"], i32::MAX);
    let id_in = param("id__in");
    assert_eq!(
        (&id_in["schema"]["type"], &id_in["schema"]["items"]["type"], &id_in["style"], &id_in["explode"]),
        (&json!("array"), &json!("integer"), &json!("form"), &json!(false)),
        "a comma list: {id_in}"
    );
    assert_eq!(
        (&param("id__between")["schema"]["minItems"], &param("id__between")["schema"]["maxItems"]),
        (&json!(2), &json!(2))
    );
    assert_eq!(param("message__contains")["schema"]["maxLength"], hangar::query::MAX_PATTERN);
    // One relation away, equality alone, typed as the related field.
    assert_eq!(param("user__username")["schema"]["type"], "string");
    assert_eq!(param("user")["schema"]["type"], "integer");
    let params = doc["paths"]["/api/note/"]["get"]["parameters"].as_array().cloned().unwrap_or_default();
    assert!(!params.iter().any(|p| p["name"] == "user__username__ilike"), "other operators are the pattern");
    let description = doc["paths"]["/api/note/"]["get"]["description"].as_str().unwrap_or_default();
    assert!(description.contains("relation__relation__field__op"), "{description}");
    let pagination = param("pagination");
    assert_eq!((&pagination["style"], &pagination["explode"]), (&json!("form"), &json!(true)));
    assert_eq!(pagination["schema"]["maxProperties"], 1, "`page` or `cursor`, never both: {pagination}");
    assert_eq!(pagination["schema"]["properties"]["page"]["type"], "integer");
    assert_eq!(pagination["schema"]["properties"]["cursor"]["type"], "string");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Note"]["properties"]["id"]["readOnly"], true);
    assert_eq!(schemas["NoteInput"]["properties"]["id"]["readOnly"], true);
    assert_eq!(schemas["MessageNew"]["properties"]["user_id"]["readOnly"], true, "the owner is the caller");
    let required = schemas["NoteNew"]["required"].as_array().cloned().unwrap_or_default();
    assert!(required.contains(&json!("message")) && !required.contains(&json!("id")), "{required:?}");
}

#[rocket::async_test]
async fn owner_reads_shows_callers_only_their_own_rows() {
    Api::each(async |api: &Api| {
        let bearer = |token: &str| Header::new("Authorization", format!("Bearer {token}"));
        unauthorized(&api.get("/api/tweet/").await);
        let mine = api.dispatch(api.client.get("/api/tweet/").header(bearer("normaltoken"))).await;
        assert_eq!(mine.json["objects"], json!([{"id": 1, "user_id": 2, "content": "hi from normal"}]));
        let theirs = api.dispatch(api.client.get("/api/tweet/2/").header(bearer("normaltoken"))).await;
        assert_eq!(theirs.status, Status::NotFound, "another owner's row does not exist for the caller");
        let admin = api.dispatch(api.client.get("/api/tweet/").header(bearer("admintoken"))).await;
        assert_eq!(admin.json["meta"]["object_count"], 1);
        let filtered =
            api.dispatch(api.client.get("/api/tweet/?content=hi+from+normal").header(bearer("normaltoken"))).await;
        assert_eq!(filtered.json["meta"]["object_count"], 1);
        let not_allowed = api.dispatch(api.client.get("/api/tweet/?user_id=1").header(bearer("normaltoken"))).await;
        assert_eq!(not_allowed.status, Status::BadRequest, "only `content` may be filtered on");
        assert_eq!(not_allowed.json["error"], "`user_id` filters on `user_id`, which may not be filtered on");
    })
    .await;
}

#[rocket::async_test]
async fn basic_credentials_upgrade_a_legacy_hash_once_they_verify() {
    // werkzeug's `pbkdf2:sha256` hash of `secret` with the salt `saltsalt`.
    const LEGACY: &str = "pbkdf2:sha256:1000$saltsalt$86047d1ecaad2aea56c699eff32f7d4eb3c36a34d3ffd3dc49394d69fa5d2d74";
    Api::each(async |api: &Api| {
        let normal = || users::table.filter(users::username.eq("normal"));
        let stored = || -> String { normal().select(users::password).first(&mut *api.db.conn()).expect("a hash") };
        diesel::update(normal()).set(users::password.eq(LEGACY)).execute(&mut *api.db.conn()).expect("set");
        let body = json!({"message": "new", "user_id": 2});
        unauthorized(&api.post("/api/note/", Some(("normal", "Secret")), &body).await);
        assert_eq!(stored(), LEGACY, "a failure never rehashes");
        assert_eq!(api.post("/api/note/", Some(("normal", "secret")), &body).await.status, Status::Created);
        let fresh = stored();
        assert!(fresh.starts_with("$pbkdf2-sha256$"), "{fresh}");
        assert_eq!(api.post("/api/note/", Some(("normal", "secret")), &body).await.status, Status::Created);
        assert_eq!(stored(), fresh, "a current hash stays");
    })
    .await;
}
