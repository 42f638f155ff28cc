//! Every method Rocket routes, on every kind of API path: the ones a path
//! takes answer as documented, the others 405 with `Allow` naming exactly
//! the path's methods, and the OpenAPI document declares the same methods,
//! each under an `operationId` of its own.

use std::collections::BTreeSet;

use hangar_tests::openapi::{assert_unique_operation_ids, OPERATION_KEYS};
use rocket::http::{Method, Status};
use serde_json::json;

use crate::rest_support::{Api, Body, ADMIN};

/// Every method Rocket routes; HEAD it answers as GET.
const ROUTED: [Method; 8] = [
    Method::Get,
    Method::Post,
    Method::Put,
    Method::Delete,
    Method::Patch,
    Method::Options,
    Method::Trace,
    Method::Connect,
];

/// One path of each kind and the methods it takes, in `Allow`'s order.
const PATHS: [(&str, &[Method]); 6] = [
    ("/api/note/", &[Method::Get, Method::Post]),
    ("/api/note/1/", &[Method::Get, Method::Put, Method::Post, Method::Delete]),
    // Registered with GET alone.
    ("/api/ddetail/", &[Method::Get]),
    ("/api/ddetail/1/", &[Method::Get]),
    ("/api/", &[Method::Get]),
    ("/api/openapi.json", &[Method::Get]),
];

fn allow(methods: &[Method]) -> String {
    methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
}

#[rocket::async_test]
async fn every_method_a_path_does_not_take_answers_405_with_allow() {
    Api::each(async |api: &Api| {
        for (uri, methods) in PATHS {
            for method in ROUTED.into_iter().filter(|m| !methods.contains(m)) {
                // With credentials, so that no 401 comes first.
                let answer = api.send(method, uri, ADMIN, Body::None).await;
                let error = json!({"error": format!("Unsupported method \"{method}\"")});
                assert_eq!((answer.status, &answer.json), (Status::MethodNotAllowed, &error), "{method} {uri}");
                assert_eq!(answer.allow.as_deref(), Some(allow(methods).as_str()), "{method} {uri}");
            }
        }
    })
    .await;
}

#[rocket::async_test]
async fn an_undeclared_method_the_authentication_protects_answers_401_first() {
    Api::each(async |api: &Api| {
        // Basic protects writes, PATCH among them; the rest reach the 405.
        let patch = api.send(Method::Patch, "/api/note/1/", None, Body::None).await;
        assert_eq!(patch.status, Status::Unauthorized);
        assert_eq!(patch.www_authenticate.as_deref(), Some(r#"Basic realm="Login Required""#));
        // Bearer protecting everything protects no method the API never serves.
        let patch = api.send(Method::Patch, "/api/bearerdoc/", None, Body::None).await;
        assert_eq!(patch.status, Status::Unauthorized);
        for method in [Method::Options, Method::Trace, Method::Connect] {
            for (uri, allowed) in [("/api/note/1/", "GET, PUT, POST, DELETE"), ("/api/bearerdoc/", "GET, POST")] {
                let answer = api.send(method, uri, None, Body::None).await;
                assert_eq!(
                    (answer.status, answer.allow.as_deref()),
                    (Status::MethodNotAllowed, Some(allowed)),
                    "{method} {uri}"
                );
            }
        }
    })
    .await;
}

#[rocket::async_test]
async fn head_answers_as_get_without_a_body() {
    Api::each(async |api: &Api| {
        for uri in ["/api/note/", "/api/note/1/", "/api/ddetail/", "/api/", "/api/openapi.json"] {
            let response = api.client.head(uri).dispatch().await;
            assert_eq!(response.status(), Status::Ok, "HEAD {uri}");
            assert_eq!(response.into_string().await.unwrap_or_default(), "", "HEAD {uri}");
        }
    })
    .await;
}

#[rocket::async_test]
async fn the_openapi_document_declares_exactly_the_methods_each_path_takes() {
    Api::each(async |api: &Api| {
        let doc = hangar_tests::api::api().openapi();
        let paths = doc["paths"].as_object().expect("paths");
        for (path, item) in paths {
            let declared: BTreeSet<String> =
                OPERATION_KEYS.iter().filter(|k| item.get(**k).is_some()).map(|k| k.to_uppercase()).collect();
            assert!(!declared.contains("HEAD"), "{path}: HEAD is GET's, not an operation of its own");
            // TRACE is protected nowhere, so it reaches the method check.
            let uri = path.replace("{pk}", "1");
            let answer = api.send(Method::Trace, &uri, None, Body::None).await;
            assert_eq!(answer.status, Status::MethodNotAllowed, "TRACE {uri}: {answer:?}");
            let taken: BTreeSet<String> =
                answer.allow.as_deref().unwrap_or_default().split(", ").map(str::to_owned).collect();
            assert_eq!(declared, taken, "{path}: declared in the document, and taken by the server");
        }
    })
    .await;
}

#[test]
fn every_operation_has_an_operation_id_of_its_own() {
    let ids = assert_unique_operation_ids(&hangar_tests::api::api().openapi());
    let id = |operation: &str| ids.get(operation).map(String::as_str);
    assert_eq!(id("GET /api/message/"), Some("message_list"));
    assert_eq!(id("POST /api/message/"), Some("message_create"));
    assert_eq!(id("GET /api/message/{pk}/"), Some("message_retrieve"));
    assert_eq!(id("PUT /api/message/{pk}/"), Some("message_update"));
    assert_eq!(id("POST /api/message/{pk}/"), Some("message_update_post"));
    assert_eq!(id("DELETE /api/message/{pk}/"), Some("message_delete"));
    assert_eq!(id("GET /api/"), Some("root"));
    assert_eq!(id("GET /api/openapi.json"), Some("openapi"));
    assert_eq!(id("POST /api/ddetail/"), None, "DDetail takes GET alone");
}
