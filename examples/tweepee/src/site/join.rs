//! Joining: the sign-up form, which logs the new user in.

use hangar::auth::{create_user, CsrfForm, NewUser, PageContext, Session};
use hangar::db::Database;
use hangar::model::load_by_keys;
use hangar::templates::{ErrorPage, HtmlPage, Templates};
use rocket::response::Redirect;
use rocket::{get, post, State};
use serde_json::json;

use crate::models::User;
use crate::social;

/// The sign-up form's fields, in order.
const JOIN_FIELDS: [&str; 3] = ["username", "password", "email"];

/// The message of a taken username.
pub const USERNAME_TAKEN: &str = "That username is already taken";

/// `GET /join/`: the sign-up form.
#[get("/join")]
pub(super) fn join_form(page: PageContext<User>, templates: &State<Templates>) -> Result<HtmlPage, ErrorPage> {
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
) -> Result<Result<Redirect, HtmlPage>, ErrorPage> {
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
    let created = if errors.is_empty() {
        let new = NewUser { username: username.clone(), email: Some(email.clone()), password, admin: false };
        let taken_name = username.clone();
        db.run_write(move |conn| {
            let taken = social::user_exists(conn, &taken_name)?;
            if taken {
                return Ok(None);
            }
            match create_user::<User>(conn, &new) {
                Ok(pk) => Ok(load_by_keys::<User>(conn, &[pk])?.pop()),
                Err(hangar::Error::Conflict(_) | hangar::Error::Unique { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await
    } else {
        Ok(None)
    };
    match created {
        Ok(Some(user)) => {
            session.login_user(&user);
            session.flash("success", format!("You are logged in as {}", user.username));
            return Ok(Ok(Redirect::to("/")));
        }
        Ok(None) if errors.is_empty() => {
            errors.insert("username".to_owned(), USERNAME_TAKEN.into());
        }
        Ok(None) => {}
        Err(e) if e.status().code < 500 => {
            errors.insert("form".to_owned(), e.public_message().into());
        }
        Err(e) => return Err(e.into()),
    }
    let context = page
        .insert("title", "Join tweepee")
        .insert("values", json!({"username": username, "email": email}))
        .insert("errors", errors);
    Ok(Err(HtmlPage::ok(templates.render("tweepee/join", &context)?)))
}
