//! Joining: the sign-up form, which logs the new user in.

use hangar::auth::{CsrfForm, PageContext, Session};
use hangar::db::{Database, DbError};
use hangar::templates::{HtmlPage, Templates};
use hangar::utils::make_password;
use rocket::{get, post, State};
use serde_json::json;

use super::{Posted, SiteError};
use crate::models::User;
use crate::social::{self, Joining};

/// The sign-up form's fields, in order.
const JOIN_FIELDS: [&str; 3] = ["username", "password", "email"];

/// The message of a taken username.
pub const USERNAME_TAKEN: &str = "That username is already taken";

/// `GET /join/`: the sign-up form.
#[get("/join")]
pub(super) fn join_form(page: PageContext<User>, templates: &State<Templates>) -> Result<HtmlPage, SiteError> {
    Ok(HtmlPage::ok(templates.render("tweepee/join", &page.insert("title", "Join tweepee"))?))
}

/// `POST /join/` (`username`, `password`, `email`): creates the account,
/// logs it in with a fresh session and goes home. Each missing field is an
/// error beside it and a taken username is "That username is already
/// taken", the username and email kept (never the password).
#[post("/join", data = "<form>")]
pub(super) async fn join(
    form: CsrfForm,
    page: PageContext<User>,
    db: Database,
    session: Session<'_>,
    templates: &State<Templates>,
) -> Result<Posted, SiteError> {
    let value = |name: &str| form.0.get(name).unwrap_or_default().trim().to_owned();
    let (username, password, email) =
        (value("username"), form.0.get("password").unwrap_or_default().to_owned(), value("email"));
    let mut errors = serde_json::Map::new();
    for field in JOIN_FIELDS {
        let given = if field == "password" { password.clone() } else { value(field) };
        if given.is_empty() {
            errors.insert(field.to_owned(), hangar::forms::REQUIRED.into());
        }
    }
    if errors.is_empty() {
        // Hashing takes a CPU for a moment: on a blocking thread, and before
        // the write, so other writers need not wait for it.
        let password_hash = rocket::tokio::task::spawn_blocking(move || make_password(&password))
            .await
            .map_err(|e| DbError::Task(format!("hashing the password failed: {e}")))?;
        let joining = Joining { username: username.clone(), password_hash, email: email.clone(), join_date: now() };
        let created = db.run_write(move |conn| social::join(conn, &joining).map_err(hangar::Error::from)).await;
        match created {
            Ok(Some(user)) => {
                session.login_user(&user);
                session.flash("success", format!("You are logged in as {}", user.username));
                return Ok(Posted::done("/"));
            }
            Ok(None) => {
                errors.insert("username".to_owned(), USERNAME_TAKEN.into());
            }
            Err(e) if e.status().code < 500 => {
                errors.insert("form".to_owned(), e.public_message().into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    let context = page
        .insert("title", "Join tweepee")
        .insert("values", json!({"username": username, "email": email}))
        .insert("errors", errors);
    Ok(Posted::Again(HtmlPage::ok(templates.render("tweepee/join", &context)?)))
}

/// Now, in UTC, as the database keeps it.
fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
