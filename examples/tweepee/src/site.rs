//! tweepee's public pages: the public timeline, the users, a user's
//! messages, and following them.

use std::fmt::Write as _;

use diesel::prelude::*;
use hangar::auth::{CsrfForm, CurrentUser, LoginRequired, PageContext, Session};
use hangar::db::{AnyConnection, Database};
use hangar::forms::Params;
use hangar::model::{load_by_keys, BoxedQuery, Data, Value};
use hangar::query::{Page, PaginatedQuery};
use hangar::templates::{escape_html, object_list, ErrorPage, HtmlPage, Templates};
use hangar::utils::get_object_or_404;
use hangar::Model;
use rocket::http::uri::Origin;
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};
use serde_json::{json, Value as Json};

use crate::models::{Message, Relationship, User};
use crate::schema::{relationship, users};
use crate::social;

/// Rows on a page, as in peewee's example.
pub const PER_PAGE: u64 = 20;

/// The site's routes, mounted at `/`.
pub fn routes() -> Vec<Route> {
    routes![
        index,
        public,
        private,
        user_list,
        following,
        followers,
        user_detail,
        follow,
        unfollow,
        follow_get,
        unfollow_get,
        create_form,
        create
    ]
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

/// A page of messages under `heading`, rendered with `template`.
async fn timeline(
    template: &str,
    heading: &str,
    query: impl Fn() -> BoxedQuery<Message> + Send + 'static,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &Templates,
) -> Result<HtmlPage, ErrorPage> {
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
async fn index(
    me: CurrentUser<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
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
async fn public(
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
    timeline("tweepee/timeline", "Public Timeline", social::public_timeline, page, uri, db, templates).await
}

/// `GET /private/`: the messages of the users I follow, newest first.
#[get("/private")]
async fn private(
    me: LoginRequired<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
    let id = me.id;
    let query = move || social::private_timeline(id);
    timeline("tweepee/timeline", "Private Timeline", query, page, uri, db, templates).await
}

/// A page of users under `heading`.
async fn user_page(
    heading: &str,
    query: impl Fn() -> BoxedQuery<User> + Send + 'static,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &Templates,
) -> Result<HtmlPage, ErrorPage> {
    let (raw, params) = query_of(uri);
    let listed = db.run(move |conn| page_of(conn, query, &params).map(|p| p.map(|u| user_card(&u)))).await?;
    let context = page.insert("title", heading).insert("heading", heading);
    Ok(object_list(templates, "tweepee/users", &listed, "users", raw.as_deref(), json!(context))?)
}

/// `GET /users/`: every user, by username.
#[get("/users")]
async fn user_list(
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
    user_page("Users", || User::all().order(users::username.asc()), page, uri, db, templates).await
}

/// `GET /following/`: the users I follow.
#[get("/following")]
async fn following(
    me: LoginRequired<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
    let id = me.id;
    user_page("Following", move || social::following(id), page, uri, db, templates).await
}

/// `GET /followers/`: the users who follow me.
#[get("/followers")]
async fn followers(
    me: LoginRequired<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
    let id = me.id;
    user_page("Followers", move || social::followers(id), page, uri, db, templates).await
}

/// `GET /create/`: the form to post a message.
#[get("/create")]
fn create_form(
    _me: LoginRequired<'_, User>,
    page: PageContext<User>,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
    let context = page.insert("title", "Create a message");
    Ok(HtmlPage::ok(templates.render("tweepee/create", &context)?))
}

/// `POST /create/` (`content`): posts a message as me and shows my page.
/// Blank content is an error beside the field, the text kept.
#[post("/create", data = "<form>")]
async fn create(
    me: LoginRequired<'_, User>,
    form: CsrfForm,
    page: PageContext<User>,
    db: Database,
    session: Session<'_>,
    templates: &State<Templates>,
) -> Result<Result<Redirect, HtmlPage>, ErrorPage> {
    let content = form.0.get("content").unwrap_or_default().to_owned();
    let refuse = |error: &str| -> Result<Result<Redirect, HtmlPage>, ErrorPage> {
        let context =
            page.clone().insert("title", "Create a message").insert("content", &content).insert("error", error);
        Ok(Err(HtmlPage::ok(templates.render("tweepee/create", &context)?)))
    };
    if content.trim().is_empty() {
        return refuse(hangar::forms::REQUIRED);
    }
    let (user, text) = (me.id, content.clone());
    let created = db
        .run_write(move |conn| {
            let mut data = Data::new(Message::meta());
            data.set("user_id", Value::Integer(user)).map_err(hangar::Error::BadRequest)?;
            data.set("content", Value::Text(text)).map_err(hangar::Error::BadRequest)?;
            data.set("pub_date", Value::Timestamp(chrono::Utc::now().naive_utc()))
                .map_err(hangar::Error::BadRequest)?;
            Ok::<_, hangar::Error>(hangar::model::insert::<Message>(conn, data.values())?)
        })
        .await;
    match created {
        Ok(_) => {
            session.flash("success", "Your message has been created");
            Ok(Ok(Redirect::to(user_url(&me.username))))
        }
        Err(e) if e.status().code < 500 => refuse(&e.public_message()),
        Err(e) => Err(e.into()),
    }
}

/// The user named `username`, or a 404.
fn user_named(conn: &mut AnyConnection, username: &str) -> Result<User, hangar::Error> {
    get_object_or_404::<User>(conn, User::all().filter(users::username.eq(username.to_owned())))
}

/// `GET /users/<username>/`: their messages, newest first, and for a
/// logged-in visitor who is someone else, a button to follow or un-follow.
#[get("/users/<username>")]
async fn user_detail(
    username: String,
    viewer: CurrentUser<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
    let (raw, params) = query_of(uri);
    let viewer = viewer.0.map(|u| u.id);
    let (user, messages, following) = db
        .run(move |conn| {
            let user = user_named(conn, &username)?;
            let page = page_of(conn, || social::messages_of(user.id), &params)?;
            let messages = message_cards(conn, page)?;
            let following = match viewer {
                Some(viewer) if viewer != user.id => Some(social::is_following(conn, viewer, user.id)?),
                _ => None,
            };
            Ok::<_, hangar::Error>((user, messages, following))
        })
        .await?;
    let heading = format!("Messages from {}", user.username);
    let context = page
        .insert("title", &heading)
        .insert("heading", &heading)
        .insert("profile", user_card(&user))
        .insert("following", following);
    Ok(object_list(templates, "tweepee/user_detail", &messages, "messages", raw.as_deref(), json!(context))?)
}

/// `POST /users/<username>/follow/`: follows them, once however often it
/// is posted.
#[post("/users/<username>/follow", data = "<_form>")]
async fn follow(
    username: String,
    me: LoginRequired<'_, User>,
    _form: CsrfForm,
    db: Database,
    session: Session<'_>,
) -> Result<Redirect, ErrorPage> {
    let me = me.id;
    let target = username.clone();
    db.run_write(move |conn| {
        let user = user_named(conn, &target)?;
        if user.id != me && !social::is_following(conn, me, user.id)? {
            let mut data = Data::new(Relationship::meta());
            data.set("from_user_id", Value::Integer(me)).map_err(hangar::Error::BadRequest)?;
            data.set("to_user_id", Value::Integer(user.id)).map_err(hangar::Error::BadRequest)?;
            hangar::model::insert::<Relationship>(conn, data.values())?;
        }
        Ok::<_, hangar::Error>(())
    })
    .await?;
    session.flash("success", format!("You are now following {username}"));
    Ok(Redirect::to(user_url(&username)))
}

/// `POST /users/<username>/unfollow/`: stops following them, harmlessly if
/// not following.
#[post("/users/<username>/unfollow", data = "<_form>")]
async fn unfollow(
    username: String,
    me: LoginRequired<'_, User>,
    _form: CsrfForm,
    db: Database,
    session: Session<'_>,
) -> Result<Redirect, ErrorPage> {
    let me = me.id;
    let target = username.clone();
    db.run_write(move |conn| {
        let user = user_named(conn, &target)?;
        diesel::delete(
            relationship::table.filter(relationship::from_user_id.eq(me)).filter(relationship::to_user_id.eq(user.id)),
        )
        .execute(conn)?;
        Ok::<_, hangar::Error>(())
    })
    .await?;
    session.flash("success", format!("You are no longer following {username}"));
    Ok(Redirect::to(user_url(&username)))
}

/// A follow or unfollow is a POST; a GET of it answers 405 naming POST (an
/// unknown user is still a 404).
async fn post_only(username: String, db: Database) -> Result<HtmlPage, ErrorPage> {
    db.run(move |conn| user_named(conn, &username)).await?;
    let method = rocket::http::Method::Get;
    Err(ErrorPage(hangar::Error::MethodNotAllowed { method, allowed: vec![rocket::http::Method::Post] }))
}

#[get("/users/<username>/follow")]
async fn follow_get(username: String, db: Database) -> Result<HtmlPage, ErrorPage> {
    post_only(username, db).await
}

#[get("/users/<username>/unfollow")]
async fn unfollow_get(username: String, db: Database) -> Result<HtmlPage, ErrorPage> {
    post_only(username, db).await
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
