//! The registry of resources and the routes it mounts.

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::http::{Method, Status};
use rocket::route::{Handler, Outcome, Route};
use rocket::{Build, Catcher, Request, Rocket};

use super::authn::{Authentication, Authenticator};
use super::handler::Endpoint;
use super::openapi;
use super::ops::ResourceOps;
use super::registered::Registered;
use super::reply::ApiReply;
use super::{ApiError, Resource};
use crate::auth::throttle::Unmounted;
use crate::db::Database;
use crate::Error;

/// The default cap on request bodies: 1 MiB.
pub const DEFAULT_BODY_LIMIT: u64 = 1 << 20;

/// Options for one registration: its authentication and its methods.
#[derive(Clone, Default)]
pub struct Registration {
    auth: Option<Arc<dyn Authenticator>>,
    methods: Option<Vec<Method>>,
}

impl Registration {
    /// The API's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Authenticates this resource's requests with `auth` instead of the
    /// API's default.
    #[must_use]
    pub fn auth(mut self, auth: impl Authenticator) -> Self {
        self.auth = Some(Arc::new(auth));
        self
    }

    /// Allows only `methods`, of GET, POST, PUT and DELETE; the others
    /// answer 405.
    #[must_use]
    pub fn methods(mut self, methods: &[Method]) -> Self {
        self.methods = Some(methods.to_vec());
        self
    }
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration").field("methods", &self.methods).finish_non_exhaustive()
    }
}

/// The REST API: a registry of resources mounted under one prefix,
/// flask-peewee's `RestAPI`.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # diesel::table! { note (id) { id -> Integer, message -> Text } }
/// # #[derive(Queryable, Selectable, hangar::Model, hangar::RestResource)]
/// # #[diesel(table_name = note)]
/// # struct Note { id: i32, message: String }
/// use hangar::rest::authn::{Authentication, Protected};
/// use hangar::rest::RestApi;
///
/// let api = RestApi::new("/api")
///     .default_auth(Authentication::new().protect(Protected::only(&[])))
///     .register::<Note>();
/// let rocket = api.mount(rocket::build().attach(hangar::db::Database::fairing()));
/// # drop(rocket);
/// ```
///
/// Each resource answers at `/api/<model>/` (GET lists, POST creates) and
/// `/api/<model>/<pk>/` (GET reads, PUT or POST edits, DELETE deletes), and
/// the API describes itself at `/api/openapi.json`. Any other method on
/// these paths, and on the front door and the document, answers 405 with
/// `Allow` naming the methods the path takes, after the authentication's
/// 401 for a method it protects; HEAD answers as GET does.
pub struct RestApi {
    prefix: String,
    default_auth: Arc<dyn Authenticator>,
    body_limit: u64,
    resources: Vec<Registered>,
}

impl RestApi {
    /// An API under `prefix`, whose default authentication lets reads
    /// through and answers 401 to every write.
    pub fn new(prefix: &str) -> Self {
        let prefix = format!("/{}", prefix.trim_matches('/'));
        RestApi {
            prefix,
            default_auth: Arc::new(Authentication::new()),
            body_limit: DEFAULT_BODY_LIMIT,
            resources: Vec::new(),
        }
    }

    /// The authentication of resources registered without their own.
    #[must_use]
    pub fn default_auth(mut self, auth: impl Authenticator) -> Self {
        self.default_auth = Arc::new(auth);
        self
    }

    /// The largest request body accepted, in bytes; larger ones answer 413.
    #[must_use]
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Registers resource `R` with the defaults.
    #[must_use]
    pub fn register<R: Resource>(self) -> Self {
        self.register_with::<R>(Registration::new())
    }

    /// Registers resource `R` with its own options.
    #[must_use]
    pub fn register_with<R: Resource>(mut self, registration: Registration) -> Self {
        let all = [Method::Get, Method::Post, Method::Put, Method::Delete];
        let methods = registration.methods.unwrap_or_else(|| all.to_vec());
        self.resources.push(Registered {
            ops: ResourceOps::of::<R>(),
            auth: registration.auth.unwrap_or_else(|| self.default_auth.clone()),
            methods: methods.into(),
        });
        self
    }

    /// The prefix the API is mounted under.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The OpenAPI 3.1 document describing the API.
    pub fn openapi(&self) -> serde_json::Value {
        openapi::document(&self.prefix, &self.resources)
    }

    /// The API's front door, answered at the prefix: each resource's list
    /// URL by its model's name, and the OpenAPI document's URL.
    ///
    /// ```json
    /// {"resources": {"message": "/api/message/"}, "openapi": "/api/openapi.json"}
    /// ```
    pub fn root(&self) -> serde_json::Value {
        let base = self.prefix.trim_end_matches('/');
        let resources: serde_json::Map<String, serde_json::Value> = self
            .resources
            .iter()
            .map(|r| {
                let slug = (r.ops.model)().slug;
                (slug.to_owned(), format!("{base}/{slug}/").into())
            })
            .collect();
        serde_json::json!({ "resources": resources, "openapi": format!("{base}/openapi.json") })
    }

    /// The routes, relative to the prefix.
    ///
    /// Every path takes every method Rocket routes, so that a method the path
    /// does not serve answers 405 with `Allow` rather than 404. HEAD is left
    /// to Rocket, which answers it as GET without the body.
    pub fn routes(&self) -> Vec<Route> {
        let mut routes = Vec::new();
        for resource in &self.resources {
            let slug = (resource.ops.model)().slug;
            for detail in [false, true] {
                let endpoint = Endpoint { resource: resource.clone(), body_limit: self.body_limit, detail };
                let path = if detail { format!("/{slug}/<pk>") } else { format!("/{slug}") };
                for method in ROUTED {
                    routes.push(Route::new(method, &path, endpoint.clone()));
                }
            }
        }
        let documents = [("/openapi.json", self.openapi()), ("/", self.root())];
        for (path, document) in documents {
            let document = Document(Arc::new(document));
            for method in ROUTED {
                routes.push(Route::new(method, path, document.clone()));
            }
        }
        routes
    }

    /// Mounts the routes under the prefix, with JSON error pages for the
    /// prefix, and stops the launch if no database is managed.
    pub fn mount(self, rocket: Rocket<Build>) -> Rocket<Build> {
        let routes = self.routes();
        // HTTP Basic's throttle when no `Auth` is mounted: one per app.
        let rocket = match rocket.state::<Unmounted>() {
            Some(_) => rocket,
            None => rocket.manage(Unmounted::new()),
        };
        rocket.mount(self.prefix.as_str(), routes).register(self.prefix.as_str(), json_catchers()).attach(
            AdHoc::on_liftoff("hangar REST API database check", |rocket| {
                Box::pin(async move {
                    if rocket.state::<Database>().is_none() {
                        log::error!("the REST API needs a database: attach `Database::fairing()`");
                        eprintln!("hangar: the REST API needs a database: attach `Database::fairing()`");
                        rocket.shutdown().notify();
                    }
                })
            }),
        )
    }
}

impl std::fmt::Debug for RestApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let slugs: Vec<_> = self.resources.iter().map(|r| (r.ops.model)().slug).collect();
        f.debug_struct("RestApi").field("prefix", &self.prefix).field("resources", &slugs).finish()
    }
}

/// Every method Rocket routes but HEAD, which it answers as GET: the
/// methods each of the API's paths is mounted for.
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

/// Serves a document fixed at mount time, the OpenAPI document or the
/// front door, to GET; every other method answers 405.
#[derive(Clone)]
struct Document(Arc<serde_json::Value>);

#[rocket::async_trait]
impl Handler for Document {
    async fn handle<'r>(&self, request: &'r Request<'_>, _data: rocket::Data<'r>) -> Outcome<'r> {
        match request.method() {
            Method::Get => Outcome::from(request, ApiReply::new(Status::Ok, self.0.as_ref().clone())),
            method => Outcome::from(request, ApiError(Error::MethodNotAllowed { method, allowed: vec![Method::Get] })),
        }
    }
}

#[rocket::catch(default)]
fn json_error(status: Status, _request: &Request<'_>) -> ApiReply {
    let message = match status.code {
        404 => "Not found".to_owned(),
        _ => status.reason_lossy().to_owned(),
    };
    ApiReply::new(status, serde_json::json!({ "error": message }))
}

fn json_catchers() -> Vec<Catcher> {
    rocket::catchers![json_error]
}
