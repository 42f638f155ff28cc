//! Posting a message, and editing one of my own.

use diesel::prelude::*;
use hangar::auth::{CsrfForm, LoginRequired, PageContext, Session};
use hangar::db::{AnyConnection, Database};
use hangar::templates::{HtmlPage, Templates};
use hangar::utils::get_object_or_404;
use hangar::Model;
use rocket::{get, post, State};

use super::{user_url, Posted, SiteError};
use crate::models::{Message, User};
use crate::schema::message;
use crate::social;

/// `GET /create/`: the form to post a message.
#[get("/create")]
pub(super) fn create_form(
    _me: LoginRequired<'_, User>,
    page: PageContext<User>,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
    let context = page.insert("title", "Create a message");
    Ok(HtmlPage::ok(templates.render("tweepee/create", &context)?))
}

/// The form to post a message again, with `content` and `error` beside it.
fn create_page(
    page: PageContext<User>,
    templates: &Templates,
    content: &str,
    error: &str,
) -> Result<Posted, SiteError> {
    let context = page.insert("title", "Create a message").insert("content", content).insert("error", error);
    Ok(Posted::Again(HtmlPage::ok(templates.render("tweepee/create", &context)?)))
}

/// `POST /create/` (`content`): posts a message as me and shows my page.
/// Blank content is an error beside the field, the text kept.
#[post("/create", data = "<form>")]
pub(super) async fn create(
    me: LoginRequired<'_, User>,
    form: CsrfForm,
    page: PageContext<User>,
    db: Database,
    session: Session<'_>,
    templates: &State<Templates>,
) -> Result<Posted, SiteError> {
    let content = form.0.get("content").unwrap_or_default().to_owned();
    if content.trim().is_empty() {
        return create_page(page, templates, &content, hangar::forms::REQUIRED);
    }
    let (user, text) = (me.id, content.clone());
    let now = chrono::Utc::now().naive_utc();
    let created =
        db.run_write(move |conn| social::post_message(conn, user, &text, now).map_err(hangar::Error::from)).await;
    match created {
        Ok(()) => {
            session.flash("success", "Your message has been created");
            Ok(Posted::done(user_url(&me.username)))
        }
        Err(e) if e.status().code < 500 => create_page(page, templates, &content, &e.public_message()),
        Err(e) => Err(e.into()),
    }
}

/// A message id from a URL; anything but one is no message: a 404.
pub(super) fn message_id(raw: &str) -> Result<i32, SiteError> {
    raw.parse().map_err(|_| SiteError(hangar::Error::NotFound))
}

/// My message `id`, or a 404 for anyone else's or a missing one.
pub(super) fn my_message(conn: &mut AnyConnection, me: i32, id: i32) -> Result<Message, hangar::Error> {
    get_object_or_404::<Message>(conn, Message::all().filter(message::id.eq(id)).filter(message::user_id.eq(me)))
}

pub(super) fn edit_page(
    page: PageContext<User>,
    templates: &Templates,
    id: i32,
    content: &str,
    error: Option<&str>,
) -> Result<HtmlPage, hangar::Error> {
    let context = page
        .insert("title", "Edit a message")
        .insert("action", format!("/edit/{id}/"))
        .insert("content", content)
        .insert("error", error);
    Ok(HtmlPage::ok(templates.render("tweepee/edit", &context)?))
}

/// `GET /edit/<id>/`: the form to edit one of my messages.
#[get("/edit/<id>")]
pub(super) async fn edit_form(
    id: &str,
    me: LoginRequired<'_, User>,
    page: PageContext<User>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
    let (me, id) = (me.id, message_id(id)?);
    let found = db.run(move |conn| my_message(conn, me, id)).await?;
    Ok(edit_page(page, templates, id, &found.content, None)?)
}

/// `POST /edit/<id>/` (`content`): changes one of my messages and shows my
/// page; blank content is an error beside the field.
#[post("/edit/<id>", data = "<form>")]
pub(super) async fn edit(
    id: &str,
    me: LoginRequired<'_, User>,
    form: CsrfForm,
    page: PageContext<User>,
    db: Database,
    session: Session<'_>,
    templates: &State<Templates>,
) -> Result<Posted, SiteError> {
    let (user, username, id) = (me.id, me.username.clone(), message_id(id)?);
    let content = form.0.get("content").unwrap_or_default().to_owned();
    let text = content.clone();
    let saved = db
        .run_write(move |conn| {
            my_message(conn, user, id)?;
            if text.trim().is_empty() {
                return Ok(false);
            }
            social::edit_message(conn, user, id, &text)?;
            Ok::<_, hangar::Error>(true)
        })
        .await;
    let again = |error: &str| -> Result<Posted, SiteError> {
        Ok(Posted::Again(edit_page(page, templates, id, &content, Some(error))?))
    };
    match saved {
        Ok(true) => {
            session.flash("success", "Your message has been updated");
            Ok(Posted::done(user_url(&username)))
        }
        Ok(false) => again(hangar::forms::REQUIRED),
        Err(e) if e.status().code < 500 && e.status().code != 404 => again(&e.public_message()),
        Err(e) => Err(e.into()),
    }
}
