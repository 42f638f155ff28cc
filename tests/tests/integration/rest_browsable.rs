//! The API's front door at `/api/`, and every API answer as a readable
//! page for a browser that asks for HTML.

use rocket::http::{Accept, Header, Status};
use serde_json::json;

use crate::rest_support::Api;

/// What Chromium and Firefox send for a page.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// A page answer: status, headers of interest, and the HTML.
struct Page {
    status: Status,
    content_type: String,
    vary: Option<String>,
    csp: Option<String>,
    www_authenticate: Option<String>,
    body: String,
}

async fn browse(api: &Api, uri: &str) -> Page {
    let response = api.client.get(uri.to_owned()).header(Header::new("Accept", BROWSER_ACCEPT)).dispatch().await;
    let header = |name: &str| response.headers().get_one(name).map(str::to_owned);
    Page {
        status: response.status(),
        content_type: response.content_type().map(|c| c.to_string()).unwrap_or_default(),
        vary: header("Vary"),
        csp: header("Content-Security-Policy"),
        www_authenticate: header("WWW-Authenticate"),
        body: response.into_string().await.unwrap_or_default(),
    }
}

#[rocket::async_test]
async fn the_front_door_lists_every_resource_and_the_openapi_document() {
    Api::each(async |api: &Api| {
        let root = api.get("/api/").await;
        assert_eq!(root.status, Status::Ok, "{:?}", root.json);
        assert_eq!(root.json["openapi"], "/api/openapi.json");
        let resources = root.json["resources"].as_object().expect("a map of resources");
        assert_eq!(resources["message"], "/api/message/");
        assert_eq!(resources["apidoc"], "/api/apidoc/");
        assert_eq!(resources.len(), 17, "{resources:?}");
        // Every URL it gives answers: the list, or the 401 of a protected one.
        for (name, url) in resources {
            let answer = api.get(url.as_str().expect("a URL")).await;
            assert!(matches!(answer.status.code, 200 | 401), "{name} at {url}: {:?}", answer);
        }
        // Every resource of the OpenAPI document is at the front door; the
        // document describes the front door and itself too.
        let doc = api.get("/api/openapi.json").await.json;
        let paths = doc["paths"].as_object().expect("paths");
        let own = ["/api/", "/api/openapi.json"];
        assert!(own.iter().all(|p| paths.contains_key(*p)), "{:?}", paths.keys());
        for path in paths.keys().filter(|p| !p.contains('{') && !own.contains(&p.as_str())) {
            assert!(resources.values().any(|url| url == path), "{path} missing from {resources:?}");
        }
    })
    .await;
}

#[rocket::async_test]
async fn clients_that_do_not_ask_for_html_get_json() {
    Api::each(async |api: &Api| {
        for accept in [None, Some(Accept::JSON), Some(Accept::Any)] {
            let mut request = api.client.get("/api/note/");
            if let Some(accept) = accept.clone() {
                request = request.header(accept);
            }
            let response = request.dispatch().await;
            assert_eq!(response.status(), Status::Ok);
            assert_eq!(response.headers().get_one("Content-Type"), Some("application/json"), "{accept:?}");
            assert_eq!(response.headers().get_one("Vary"), Some("Accept"));
        }
    })
    .await;
}

#[rocket::async_test]
async fn a_browser_sees_the_json_as_a_page_with_links() {
    Api::each(async |api: &Api| {
        let root = browse(api, "/api/").await;
        assert_eq!(root.status, Status::Ok, "{}", root.body);
        assert!(root.content_type.starts_with("text/html"), "{}", root.content_type);
        assert_eq!(root.vary.as_deref(), Some("Accept"));
        assert!(root.csp.is_some_and(|csp| csp.contains("script-src 'self'")), "the page headers apply");
        assert!(root.body.contains("<h1 class=\"api-request\">GET /api/</h1>"), "{}", root.body);
        assert!(root.body.contains("HTTP 200 OK"), "{}", root.body);
        assert!(
            root.body.contains("&quot;<a href=\"/api/message/\">/api/message/</a>&quot;"),
            "resource URLs are links: {}",
            root.body
        );
        assert!(root.body.contains("<a href=\"/api/openapi.json\">"), "{}", root.body);

        // A list's paging URLs are links, with their query strings escaped.
        let list = browse(api, "/api/message/?limit=1").await;
        assert_eq!(list.status, Status::Ok, "{}", list.body);
        assert!(list.body.contains("<a href=\"/api/message/?limit&#x3D;1&amp;page&#x3D;2\">"), "{}", list.body);
        assert!(
            list.body.contains("<a href=\"/api/\">API root</a> · <a href=\"/api/openapi.json\">OpenAPI document</a>"),
            "{}",
            list.body
        );
    })
    .await;
}

#[rocket::async_test]
async fn stored_markup_is_shown_as_text() {
    Api::each(async |api: &Api| {
        let body = json!({"content": "<script>alert('x')</script>", "user": 2});
        let created = api.post("/api/message/", crate::rest_support::ADMIN, &body).await;
        assert_eq!(created.status, Status::Created, "{:?}", created.json);
        let id = created.json["id"].as_i64().expect("an id");
        let page = browse(api, &format!("/api/message/{id}/")).await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        assert!(page.body.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"), "{}", page.body);
        assert!(!page.body.contains("<script>alert"), "{}", page.body);
    })
    .await;
}

#[rocket::async_test]
async fn errors_are_pages_too_and_keep_their_headers() {
    Api::each(async |api: &Api| {
        let missing = browse(api, "/api/message/999999/").await;
        assert_eq!(missing.status, Status::NotFound);
        assert!(missing.content_type.starts_with("text/html"));
        assert!(
            missing.body.contains("HTTP 404 Not Found") && missing.body.contains("&quot;error&quot;"),
            "{}",
            missing.body
        );

        let bad = browse(api, "/api/message/?nope=1").await;
        assert_eq!(bad.status, Status::BadRequest);
        assert!(bad.body.contains("nope"), "the sentence names the field: {}", bad.body);

        let protected = browse(api, "/api/tweet/").await;
        assert_eq!(protected.status, Status::Unauthorized);
        assert_eq!(protected.www_authenticate.as_deref(), Some(r#"Basic realm="Login Required""#));

        let unknown = browse(api, "/api/nothing-here/").await;
        assert_eq!(unknown.status, Status::NotFound);
        assert!(unknown.content_type.starts_with("text/html"), "{}", unknown.content_type);
    })
    .await;
}
