//! tweepee's public pages: the timelines, the users and following them,
//! posting and editing messages, and joining. Shared here: paging, the
//! shapes the templates see, what a form's POST answers, and turning a
//! message into HTML.

mod errors;
mod join;
mod messages;
mod people;
mod timelines;

use std::fmt::Write as _;

use hangar::db::AnyConnection;
use hangar::forms::Params;
use hangar::model::{load_by_keys, BoxedQuery, Value};
use hangar::query::{Page, PaginatedQuery};
use hangar::templates::escape_html;
use hangar::templates::HtmlPage;
use hangar::Model;
use rocket::http::uri::Origin;
use rocket::response::Redirect;
use rocket::{get, routes, Responder, Route};
use serde_json::{json, Value as Json};

use crate::models::{Message, User};
use crate::social;

pub use errors::{catchers, SiteError};
pub use join::USERNAME_TAKEN;

/// Rows on a page, as in peewee's example.
pub const PER_PAGE: u64 = 20;

/// The site's routes, mounted at `/`.
pub fn routes() -> Vec<Route> {
    routes![
        stylesheet,
        timelines::index,
        timelines::public,
        timelines::private,
        people::user_list,
        people::following,
        people::followers,
        people::user_detail,
        people::follow,
        people::unfollow,
        people::follow_get,
        people::unfollow_get,
        messages::create_form,
        messages::create,
        messages::edit_form,
        messages::edit,
        join::join_form,
        join::join
    ]
}

/// What a form's POST answers: the next page, or the form again.
#[derive(Debug, Responder)]
enum Posted {
    /// Done: on to the page that shows it (boxed: a `Redirect` is large).
    Done(Box<Redirect>),
    /// Not done: the form again, saying what was wrong.
    Again(HtmlPage),
}

impl Posted {
    /// Done: on to `uri`.
    fn done(uri: impl Into<String>) -> Self {
        Posted::Done(Box::new(Redirect::to(uri.into())))
    }
}

/// `GET /static/tweepee.css`: the site's stylesheet, embedded.
#[get("/static/tweepee.css")]
fn stylesheet() -> (rocket::http::ContentType, &'static str) {
    (rocket::http::ContentType::CSS, include_str!("../../static/tweepee.css"))
}

/// A page of `query`, from the request's `page`.
fn page_of<M: Model>(
    conn: &mut AnyConnection,
    query: impl Fn() -> BoxedQuery<M>,
    params: &Params,
) -> Result<Page<M>, hangar::Error> {
    Ok(PaginatedQuery::<M, _>::new(query, PER_PAGE).page_from(params).fetch(conn)?)
}

/// Messages as the templates show them: the author's name and avatar, the
/// date, and the content escaped with its URLs as links. The authors come
/// in one query.
fn message_cards(conn: &mut AnyConnection, page: Page<Message>) -> Result<Page<Json>, hangar::Error> {
    let keys: Vec<Value> = page.objects.iter().map(|m| Value::Integer(m.user_id)).collect();
    let authors = load_by_keys::<User>(conn, &keys)?;
    Ok(page.map(|message| {
        let author = authors.iter().find(|a| a.id == message.user_id);
        json!({
            "id": message.id,
            "user_id": message.user_id,
            "username": author.map_or("", |a| a.username.as_str()),
            "user_url": author.map(|a| user_url(&a.username)),
            "gravatar": author.map(|a| social::gravatar_url(&a.email, 48)),
            "content_html": linkify(&message.content),
            "pub_date": message.pub_date.format("%Y-%m-%d %H:%M").to_string(),
        })
    }))
}

fn user_card(user: &User) -> Json {
    let url = user_url(&user.username);
    json!({
        "id": user.id,
        "username": user.username,
        "url": url,
        "follow_url": format!("{url}follow/"),
        "unfollow_url": format!("{url}unfollow/"),
        "gravatar": social::gravatar_url(&user.email, 48),
    })
}

/// The request's query string and its parameters.
fn query_of(uri: &Origin<'_>) -> (Option<String>, Params) {
    let raw = uri.query().map(|q| q.as_str().to_owned());
    let params = Params::parse(raw.as_deref().unwrap_or_default());
    (raw, params)
}

/// `/users/<username>/`, the name percent-encoded.
pub fn user_url(username: &str) -> String {
    format!("/users/{}/", hangar::forms::encode_component(username))
}

/// `text` escaped for HTML, each `http://` or `https://` URL in it a link.
/// Trailing punctuation stays outside the link.
pub fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = ["http://", "https://"].iter().filter_map(|s| rest.find(s)).min() {
        let tail = &rest[start..];
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ')', '!', '?', ';', ':', '"', '\'']);
        out.push_str(&escape_html(&rest[..start]));
        if url.len() > "https://".len() {
            let url = escape_html(url);
            let _ = write!(out, "<a href=\"{url}\" rel=\"nofollow noopener\">{url}</a>");
        } else {
            out.push_str(&escape_html(url));
        }
        rest = &tail[url.len().max(1)..];
    }
    out.push_str(&escape_html(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn urls_become_links_and_the_rest_is_escaped() {
        assert_eq!(
            linkify("see https://example.com/a?b=1&c=2. <b>now</b>"),
            "see <a href=\"https://example.com/a?b&#x3D;1&amp;c&#x3D;2\" rel=\"nofollow noopener\">\
             https://example.com/a?b&#x3D;1&amp;c&#x3D;2</a>. &lt;b&gt;now&lt;/b&gt;"
        );
        assert_eq!(linkify("just http:// alone"), "just http:// alone");
        assert_eq!(linkify("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(linkify("x\"><script>http://a.b/\"onmouseover"), "x&quot;&gt;&lt;script&gt;<a href=\"http://a.b/&quot;onmouseover\" rel=\"nofollow noopener\">http://a.b/&quot;onmouseover</a>");
    }
}
