//! What every page hangar renders gives its template: `user`, `flashes`,
//! `csrf_token`; and the error page.

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome};
use rocket::Request;
use serde_json::{json, Map, Value};

use super::guards::current_user;
use super::settings::prefix_of;
use super::{Session, User, UserModel};
use crate::model::row_json;
use crate::templates::HtmlPage;

/// `user` as templates see it: every field but the password hash, and
/// `username` whatever the username field is called.
pub fn user_json<U: UserModel>(user: &U) -> Value {
    let mut object = row_json(user, U::meta().fields.iter().filter(|f| f.name != U::password_field()));
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
/// use hangar::templates::{ErrorPage, HtmlPage, Templates};
///
/// #[rocket::get("/")]
/// fn home(page: PageContext, templates: &rocket::State<Templates>) -> Result<HtmlPage, ErrorPage> {
///     let page = page.insert("title", "Home");
///     Ok(HtmlPage::ok(templates.render("home", &page)?))
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

    /// Adds `key`, a value that is JSON already: [`insert`](Self::insert)
    /// would write it into a new tree, one copy of every node.
    #[must_use]
    pub fn insert_json(mut self, key: &str, value: Value) -> Self {
        self.values.insert(key.to_owned(), value);
        self
    }

    /// The context as the JSON object templates read.
    pub fn into_json(self) -> Value {
        Value::Object(self.values)
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
