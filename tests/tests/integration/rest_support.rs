//! A client of the fixture API on every backend, and shorthands for requests.

use base64ct::{Base64, Encoding};
use hangar_tests::api::client;
use hangar_tests::backends::{backends, TestDb};
use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::asynchronous::Client;
use serde_json::Value;

pub(crate) struct Api {
    pub(crate) client: Client,
    pub(crate) db: TestDb,
}

/// What the API answered.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: Status,
    pub(crate) json: Value,
    pub(crate) www_authenticate: Option<String>,
    pub(crate) allow: Option<String>,
}

/// A request body and how it is sent.
pub(crate) enum Body<'a> {
    None,
    Json(&'a Value),
    /// JSON text sent without a Content-Type.
    Bare(&'a str),
    Form(&'a str),
    Raw(Vec<u8>),
}

impl Api {
    /// Runs `test` against a freshly seeded database on every backend.
    pub(crate) async fn each(test: impl AsyncFn(&Api)) {
        for dialect in backends() {
            let db = TestDb::seeded(dialect);
            let api = Api { client: client(&db).await, db };
            eprintln!("on {dialect}");
            test(&api).await;
        }
    }

    pub(crate) async fn get(&self, uri: &str) -> Answer {
        self.send(Method::Get, uri, None, Body::None).await
    }

    pub(crate) async fn send(&self, method: Method, uri: &str, auth: Option<(&str, &str)>, body: Body<'_>) -> Answer {
        let mut request = self.client.req(method, uri.to_owned());
        if let Some((user, password)) = auth {
            let token = Base64::encode_string(format!("{user}:{password}").as_bytes());
            request.add_header(Header::new("Authorization", format!("Basic {token}")));
        }
        let request = match body {
            Body::None => request,
            Body::Json(json) => request.header(ContentType::JSON).body(json.to_string()),
            Body::Bare(text) => request.body(text),
            Body::Form(form) => request.header(ContentType::Form).body(form),
            Body::Raw(bytes) => request.header(ContentType::JSON).body(bytes),
        };
        self.dispatch(request).await
    }

    pub(crate) async fn dispatch(&self, request: rocket::local::asynchronous::LocalRequest<'_>) -> Answer {
        let response = request.dispatch().await;
        let status = response.status();
        let www_authenticate = response.headers().get_one("WWW-Authenticate").map(str::to_owned);
        let allow = response.headers().get_one("Allow").map(str::to_owned);
        let text = response.into_string().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer { status, json, www_authenticate, allow }
    }

    pub(crate) async fn post(&self, uri: &str, auth: Option<(&str, &str)>, body: &Value) -> Answer {
        self.send(Method::Post, uri, auth, Body::Json(body)).await
    }

    pub(crate) async fn put(&self, uri: &str, auth: Option<(&str, &str)>, body: &Value) -> Answer {
        self.send(Method::Put, uri, auth, Body::Json(body)).await
    }

    pub(crate) async fn delete(&self, uri: &str, auth: Option<(&str, &str)>) -> Answer {
        self.send(Method::Delete, uri, auth, Body::None).await
    }

    /// The `objects` of a list, as ids.
    pub(crate) async fn ids(&self, uri: &str) -> Vec<i64> {
        let answer = self.get(uri).await;
        assert_eq!(answer.status, Status::Ok, "{uri}: {answer:?}");
        answer.json["objects"]
            .as_array()
            .map(|a| a.iter().filter_map(|o| o["id"].as_i64()).collect())
            .unwrap_or_default()
    }
}

pub(crate) const ADMIN: Option<(&str, &str)> = Some(("admin", "admin"));
pub(crate) const NORMAL: Option<(&str, &str)> = Some(("normal", "normal"));
