//! tweepee's public pages: the public timeline, the users, a user's
//! messages, and following them.

use std::fmt::Write as _;

use diesel::prelude::*;
use hangar::auth::{create_user, CsrfForm, CurrentUser, LoginRequired, NewUser, PageContext, Session};
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
use crate::schema::{message, relationship, users};
use crate::social;

/// Rows on a page, as in peewee's example.
pub const PER_PAGE: u64 = 20;

/// The site's routes, mounted at `/`.
pub fn routes() -> Vec<Route> {
    routes![
        stylesheet,
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
        create,
        join_form,
        join,
        edit_form,
        edit
    ]
}

/// `GET /static/tweepee.css`: the site's stylesheet, embedded.
#[get("/static/tweepee.css")]
fn stylesheet() -> (rocket::http::ContentType, &'static str) {
    (rocket::http::ContentType::CSS, include_str!("../static/tweepee.css"))
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
        .insert("following", following)
        .insert("own", viewer == Some(user.id));
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

/// A message id from a URL; anything but one is no message: a 404.
fn message_id(raw: &str) -> Result<i32, ErrorPage> {
    raw.parse().map_err(|_| ErrorPage(hangar::Error::NotFound))
}

/// My message `id`, or a 404 for anyone else's or a missing one.
fn my_message(conn: &mut AnyConnection, me: i32, id: i32) -> Result<Message, hangar::Error> {
    get_object_or_404::<Message>(conn, Message::all().filter(message::id.eq(id)).filter(message::user_id.eq(me)))
}

fn edit_page(
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
async fn edit_form(
    id: &str,
    me: LoginRequired<'_, User>,
    page: PageContext<User>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, ErrorPage> {
    let (me, id) = (me.id, message_id(id)?);
    let found = db.run(move |conn| my_message(conn, me, id)).await?;
    Ok(edit_page(page, templates, id, &found.content, None)?)
}

/// `POST /edit/<id>/` (`content`): changes one of my messages and shows my
/// page; blank content is an error beside the field.
#[post("/edit/<id>", data = "<form>")]
async fn edit(
    id: &str,
    me: LoginRequired<'_, User>,
    form: CsrfForm,
    page: PageContext<User>,
    db: Database,
    session: Session<'_>,
    templates: &State<Templates>,
) -> Result<Result<Redirect, HtmlPage>, ErrorPage> {
    let (user, username, id) = (me.id, me.username.clone(), message_id(id)?);
    let content = form.0.get("content").unwrap_or_default().to_owned();
    let text = content.clone();
    let saved = db
        .run_write(move |conn| {
            my_message(conn, user, id)?;
            if text.trim().is_empty() {
                return Ok(false);
            }
            diesel::update(message::table.filter(message::id.eq(id)).filter(message::user_id.eq(user)))
                .set(message::content.eq(text))
                .execute(conn)?;
            Ok::<_, hangar::Error>(true)
        })
        .await;
    match saved {
        Ok(true) => {
            session.flash("success", "Your message has been updated");
            Ok(Ok(Redirect::to(user_url(&username))))
        }
        Ok(false) => Ok(Err(edit_page(page, templates, id, &content, Some(hangar::forms::REQUIRED))?)),
        Err(e) if e.status().code < 500 && e.status().code != 404 => {
            Ok(Err(edit_page(page, templates, id, &content, Some(&e.public_message()))?))
        }
        Err(e) => Err(e.into()),
    }
}

/// The sign-up form's fields, in order.
const JOIN_FIELDS: [&str; 3] = ["username", "password", "email"];

/// The message of a taken username.
pub const USERNAME_TAKEN: &str = "That username is already taken";

/// `GET /join/`: the sign-up form.
#[get("/join")]
fn join_form(page: PageContext<User>, templates: &State<Templates>) -> Result<HtmlPage, ErrorPage> {
    Ok(HtmlPage::ok(templates.render("tweepee/join", &page.insert("title", "Join tweepee"))?))
}

/// `POST /join/` (`username`, `password`, `email`): creates the account,
/// logs it in with a fresh session and goes home. Each missing field is an
/// error beside it and a taken username is "That username is already
/// taken", the username and email kept (never the password).
#[post("/join", data = "<form>")]
async fn join(
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
