//! The timelines: the home page, the public one and the private one.

use hangar::auth::{CurrentUser, LoginRequired, PageContext};
use hangar::db::Database;
use hangar::model::BoxedQuery;
use hangar::templates::{object_list, HtmlPage, Templates};
use rocket::http::uri::Origin;
use rocket::{get, State};
use serde_json::json;

use super::{message_cards, page_of, query_of, user_url, SiteError};
use crate::models::{Message, User};
use crate::social;

/// A page of messages under `heading`, rendered with `template`.
pub(super) async fn timeline(
    template: &str,
    heading: &str,
    query: impl Fn() -> BoxedQuery<Message> + Send + 'static,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &Templates,
) -> Result<HtmlPage, SiteError> {
    let (raw, params) = query_of(uri);
    let messages = db
        .run(move |conn| {
            let page = page_of(conn, query, &params)?;
            message_cards(conn, page)
        })
        .await?;
    let context = page.insert("title", heading).insert("heading", heading);
    Ok(object_list(templates, template, &messages, "messages", raw.as_deref(), json!(context))?)
}

/// `GET /`: the private timeline for a logged-in user, with a box to post,
/// the public one otherwise.
#[get("/")]
pub(super) async fn index(
    me: CurrentUser<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
    let page = page.insert("my_url", me.0.map(|u| user_url(&u.username)));
    match me.0.map(|u| u.id) {
        Some(id) => {
            let query = move || social::private_timeline(id);
            timeline("tweepee/index", "Private Timeline", query, page, uri, db, templates).await
        }
        None => timeline("tweepee/index", "Public Timeline", social::public_timeline, page, uri, db, templates).await,
    }
}

/// `GET /public/`: every message, newest first.
#[get("/public")]
pub(super) async fn public(
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
    timeline("tweepee/timeline", "Public Timeline", social::public_timeline, page, uri, db, templates).await
}

/// `GET /private/`: the messages of the users I follow, newest first.
#[get("/private")]
pub(super) async fn private(
    me: LoginRequired<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
    let id = me.id;
    let query = move || social::private_timeline(id);
    timeline("tweepee/timeline", "Private Timeline", query, page, uri, db, templates).await
}
