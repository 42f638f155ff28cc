//! The HTML pages hangar renders: what every template sees (`user`,
//! `flashes`, `csrf_token`), and a responder for a rendered page.

use std::io::Cursor;
use std::sync::OnceLock;

use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::response::{self, Responder};
use rocket::{Request, Response};
use serde_json::{json, Map, Value};

use super::guards::current_user;
use super::settings::prefix_of;
use super::{Session, User, UserModel};
use crate::templates::Templates;

/// The app's templates when it manages them, else the library's own.
pub(crate) fn templates(request: &Request<'_>) -> Result<Templates, String> {
    if let Some(templates) = request.rocket().state::<Templates>() {
        return Ok(templates.clone());
    }
    static EMBEDDED: OnceLock<Result<Templates, String>> = OnceLock::new();
    EMBEDDED.get_or_init(|| Templates::embedded().map_err(|e| e.to_string())).clone()
}

/// `user` as templates see it: every field but the password hash, and
/// `username` whatever the username field is called.
pub fn user_json<U: UserModel>(user: &U) -> Value {
    let mut object = Map::new();
    for field in U::meta().fields.iter().filter(|f| f.name != U::password_field()) {
        object.insert(field.name.to_owned(), user.value(field.name).map_or(Value::Null, |v| v.to_json()));
    }
    object.insert("username".to_owned(), Value::String(user.username().to_owned()));
    object.insert("is_admin".to_owned(), Value::Bool(user.is_admin()));
    Value::Object(object)
}

/// What every hangar page gives its template, a request guard: `user` (the
/// logged-in user, or null), `flashes` (taken from the session: shown once),
/// `csrf_token` (for the page's forms), and `login_url` / `logout_url`.
/// Add a page's own values with [`insert`](PageContext::insert) and render
/// it with [`Templates::render`]:
///
/// ```
/// use hangar::auth::PageContext;
/// use hangar::templates::Templates;
/// use rocket::response::content::RawHtml;
///
/// #[rocket::get("/")]
/// fn home(page: PageContext, templates: &rocket::State<Templates>) -> Result<RawHtml<String>, hangar::Error> {
///     let page = page.insert("title", "Home");
///     Ok(RawHtml(templates.render("home", &page)?))
/// }
/// ```
#[derive(Clone, serde::Serialize)]
#[serde(transparent)]
pub struct PageContext<U = User> {
    values: Map<String, Value>,
    #[serde(skip)]
    user: std::marker::PhantomData<fn() -> U>,
}

impl<U: UserModel> PageContext<U> {
    /// The context of `request`; takes the session's flashes.
    pub async fn of(request: &Request<'_>) -> Result<Self, Status> {
        let user = current_user::<U>(request).await?;
        let session = Session::of(request);
        let prefix = prefix_of(request);
        let mut values = Map::new();
        values.insert("user".to_owned(), user.map_or(Value::Null, user_json));
        values.insert("flashes".to_owned(), json!(session.take_flashes()));
        values.insert("csrf_token".to_owned(), Value::String(session.csrf_token()));
        values.insert("login_url".to_owned(), Value::String(format!("{prefix}/login/")));
        values.insert("logout_url".to_owned(), Value::String(format!("{prefix}/logout/")));
        Ok(PageContext { values, user: std::marker::PhantomData })
    }

    /// Adds `key`.
    #[must_use]
    pub fn insert(mut self, key: &str, value: impl serde::Serialize) -> Self {
        self.values.insert(key.to_owned(), serde_json::to_value(value).unwrap_or(Value::Null));
        self
    }

    /// Adds a flash for this page only, after the session's.
    pub(crate) fn push_flash(&mut self, category: &str, message: &str) {
        if let Some(Value::Array(flashes)) = self.values.get_mut("flashes") {
            flashes.push(json!({"category": category, "message": message}));
        }
    }
}

impl<U> std::fmt::Debug for PageContext<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The keys only: never print the CSRF token.
        f.debug_struct("PageContext").field("keys", &self.values.keys().collect::<Vec<_>>()).finish()
    }
}

#[rocket::async_trait]
impl<'r, U: UserModel> FromRequest<'r> for PageContext<U> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match PageContext::of(request).await {
            Ok(page) => Outcome::Success(page),
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

/// A rendered page with its status; never cached, since it may show who is
/// logged in and carries a CSRF token.
#[derive(Debug)]
pub(crate) struct HtmlPage {
    pub(crate) status: Status,
    pub(crate) body: String,
    pub(crate) retry_after: Option<u64>,
}

impl HtmlPage {
    /// Renders `template`, or a plain page saying what went wrong.
    pub(crate) fn render(
        request: &Request<'_>,
        status: Status,
        template: &str,
        context: &impl serde::Serialize,
    ) -> Self {
        let body = templates(request).and_then(|t| t.render(template, context).map_err(|e| e.to_string()));
        match body {
            Ok(body) => HtmlPage { status, body, retry_after: None },
            Err(e) => {
                log::error!("{e}");
                HtmlPage {
                    status: Status::InternalServerError,
                    body: "<!doctype html><title>Server error</title><h1>Server error</h1>\
                           <p>The page could not be rendered; the server log says why.</p>"
                        .to_owned(),
                    retry_after: None,
                }
            }
        }
    }
}

impl<'r> Responder<'r, 'static> for HtmlPage {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let mut response = Response::build();
        response
            .status(self.status)
            .header(ContentType::HTML)
            .header(Header::new("Cache-Control", "no-store"))
            .sized_body(self.body.len(), Cursor::new(self.body));
        if let Some(seconds) = self.retry_after {
            response.header(Header::new("Retry-After", seconds.to_string()));
        }
        response.ok()
    }
}

/// The error page `hangar/error` for `status`, with a heading and a message.
pub(crate) async fn error_page<U: UserModel>(request: &Request<'_>, status: Status, message: &str) -> HtmlPage {
    let heading = format!("{} {}", status.code, status.reason_lossy());
    let context = match PageContext::<U>::of(request).await {
        Ok(page) => page.insert("title", &heading).insert("heading", &heading).insert("message", message),
        // The user could not be loaded: show the page without one.
        Err(_) => PageContext::<U> { values: Map::new(), user: std::marker::PhantomData }
            .insert("title", &heading)
            .insert("heading", &heading)
            .insert("message", message),
    };
    HtmlPage::render(request, status, "hangar/error", &context)
}
