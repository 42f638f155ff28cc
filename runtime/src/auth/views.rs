//! The login and logout views.

use rocket::http::{Method, Status};
use rocket::response::Redirect;
use rocket::route::{self, Handler, Route};
use rocket::{Data, Request};
use serde_json::json;
use std::marker::PhantomData;

use super::form::read_checked_form;
use super::pages::{error_page, PageContext};
use super::settings::AuthSettings;
use super::throttle::Attempt;
use super::{authenticate, Session, UserModel};
use crate::db::Database;
use crate::forms::{Params, REQUIRED};
use crate::templates::HtmlPage;
use crate::utils::safe_next;

/// The largest login or logout form read, in bytes.
const FORM_LIMIT: u64 = 16 * 1024;

const INCORRECT: &str = "Incorrect username or password";

pub(crate) fn routes<U: UserModel>() -> Vec<Route> {
    let login = Login::<U>(PhantomData);
    let logout = Logout::<U>(PhantomData);
    vec![
        // Rocket matches `/login/` to `/login`.
        Route::new(Method::Get, "/login", login.clone()),
        Route::new(Method::Post, "/login", login),
        Route::new(Method::Get, "/logout", logout.clone()),
        Route::new(Method::Post, "/logout", logout),
    ]
}

struct Login<U>(PhantomData<fn() -> U>);
struct Logout<U>(PhantomData<fn() -> U>);

impl<U> Clone for Login<U> {
    fn clone(&self) -> Self {
        Login(PhantomData)
    }
}

impl<U> Clone for Logout<U> {
    fn clone(&self) -> Self {
        Logout(PhantomData)
    }
}

fn query_param(request: &Request<'_>, name: &str) -> Option<String> {
    Params::of_query(request.uri()).get(name).map(str::to_owned)
}

/// The settings `Auth::mount` manages before it mounts the views.
fn settings<'r>(request: &'r Request<'_>) -> Option<&'r AuthSettings> {
    request.rocket().state::<AuthSettings>()
}

async fn not_set_up<U: UserModel>(request: &Request<'_>, what: &str) -> HtmlPage {
    log::error!("hangar::auth needs {what}");
    error_page::<U>(request, Status::InternalServerError, "Logging in is not set up on this server.").await
}

/// What the login form shows besides the page context.
#[derive(Default)]
struct LoginForm<'a> {
    username: &'a str,
    next: &'a str,
    errors: serde_json::Map<String, serde_json::Value>,
    flash: Option<(&'static str, String)>,
}

async fn login_page<U: UserModel>(request: &Request<'_>, status: Status, form: LoginForm<'_>) -> HtmlPage {
    let mut page = match PageContext::<U>::of(request).await {
        Ok(page) => page,
        Err(status) => return error_page::<U>(request, status, "The page could not be shown.").await,
    };
    if let Some((category, message)) = &form.flash {
        page.push_flash(category, message);
    }
    let page = page
        .insert("title", "Log in")
        .insert("action", request.uri().path().as_str())
        .insert("username", form.username)
        .insert("next", form.next)
        .insert("errors", form.errors);
    HtmlPage::render(request, status, "hangar/login", &page)
}

#[rocket::async_trait]
impl<U: UserModel> Handler for Login<U> {
    async fn handle<'r>(&self, request: &'r Request<'_>, data: Data<'r>) -> route::Outcome<'r> {
        if request.method() == Method::Get {
            let next = query_param(request, "next").unwrap_or_default();
            let page = login_page::<U>(request, Status::Ok, LoginForm { next: &next, ..LoginForm::default() });
            return route::Outcome::from(request, page.await);
        }
        match log_in::<U>(request, data).await {
            Ok(redirect) => route::Outcome::from(request, redirect),
            Err(page) => route::Outcome::from(request, page),
        }
    }
}

/// Handles the login form: a redirect on success, else the page to show.
async fn log_in<U: UserModel>(request: &Request<'_>, data: Data<'_>) -> Result<Redirect, HtmlPage> {
    let form = read_checked_form::<U>(request, data, FORM_LIMIT).await?;
    let session = Session::of(request);
    let field = |name: &str| form.get(name).unwrap_or_default();
    let (username, password, next) = (field("username").trim(), field("password"), field("next"));
    let mut shown = LoginForm { username, next, ..LoginForm::default() };
    for (field, value) in [("username", username), ("password", password)] {
        if value.is_empty() {
            shown.errors.insert(field.to_owned(), json!([REQUIRED]));
        }
    }
    if !shown.errors.is_empty() {
        return Err(login_page::<U>(request, Status::Ok, shown).await);
    }

    let (Some(settings), Some(db)) = (settings(request), request.rocket().state::<Database>()) else {
        return Err(not_set_up::<U>(
            request,
            "its settings and a database: use `Auth::mount` and attach `Database::fairing()`",
        )
        .await);
    };
    let client = request.client_ip();
    let reservation = match settings.throttle.attempt(db, username, client).await {
        Ok(Attempt::Go(reservation)) => reservation,
        Ok(Attempt::Wait(wait)) => {
            let minutes = wait.as_secs().div_ceil(60).max(1);
            let plural = if minutes == 1 { "" } else { "s" };
            shown.flash = Some(("danger", format!("Too many failed logins. Try again in {minutes} minute{plural}.")));
            let page = login_page::<U>(request, Status::TooManyRequests, shown).await;
            return Err(page.header("Retry-After", wait.as_secs().max(1).to_string()));
        }
        Err(e) => {
            log::error!("login failed: {e}");
            return Err(error_page::<U>(request, e.status(), "The login could not be checked; try again later.").await);
        }
    };
    match authenticate::<U>(db, username, password).await {
        Ok(Some(user)) => {
            if let Err(e) = settings.throttle.succeeded(db, reservation).await {
                // The login stands; the user's old failures stay counted.
                log::error!("the login throttle could not forget {username}'s failures: {e}");
            }
            session.login_user(&user);
            session.flash("success", format!("You are logged in as {}", user.username()));
            Ok(Redirect::to(safe_next(Some(next), &settings.default_next)))
        }
        Ok(None) => {
            if let Err(e) = settings.throttle.failed(db, reservation).await {
                log::error!("the login throttle could not count a failure from {client:?}: {e}");
            }
            shown.flash = Some(("danger", INCORRECT.to_owned()));
            Err(login_page::<U>(request, Status::Ok, shown).await)
        }
        Err(e) => {
            log::error!("login failed: {e}");
            Err(error_page::<U>(request, e.status(), "The login could not be checked; try again later.").await)
        }
    }
}

#[rocket::async_trait]
impl<U: UserModel> Handler for Logout<U> {
    async fn handle<'r>(&self, request: &'r Request<'_>, data: Data<'r>) -> route::Outcome<'r> {
        let session = Session::of(request);
        let mut next = query_param(request, "next");
        if request.method() == Method::Post {
            let form = match read_checked_form::<U>(request, data, FORM_LIMIT).await {
                Ok(form) => form,
                Err(page) => return route::Outcome::from(request, page),
            };
            next = next.or_else(|| Some(form.get("next").unwrap_or_default().to_owned()));
        }
        let Some(settings) = settings(request) else {
            return route::Outcome::from(request, not_set_up::<U>(request, "its settings: use `Auth::mount`").await);
        };
        session.logout_user();
        session.flash("success", "You are now logged out");
        let target = safe_next(next.as_deref(), &settings.default_next);
        route::Outcome::from(request, Redirect::to(target))
    }
}
