//! The users: the list, whom I follow and who follows me, one user's
//! page, and following or un-following them.

use diesel::prelude::*;
use hangar::auth::{CsrfForm, CurrentUser, LoginRequired, PageContext, Session};
use hangar::db::{AnyConnection, Database};
use hangar::model::BoxedQuery;
use hangar::templates::{object_list, HtmlPage, Templates};
use hangar::utils::get_object_or_404;
use hangar::Model;
use rocket::http::uri::Origin;
use rocket::response::Redirect;
use rocket::{get, post, State};
use serde_json::json;

use super::{message_cards, page_of, query_of, user_card, user_url, SiteError};
use crate::models::User;
use crate::schema::users;
use crate::social;

/// A page of users under `heading`.
pub(super) async fn user_page(
    heading: &str,
    query: impl Fn() -> BoxedQuery<User> + Send + 'static,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &Templates,
) -> Result<HtmlPage, SiteError> {
    let (raw, params) = query_of(uri);
    let listed = db.run(move |conn| page_of(conn, query, &params).map(|p| p.map(|u| user_card(&u)))).await?;
    let context = page.insert("title", heading).insert("heading", heading);
    Ok(object_list(templates, "tweepee/users", &listed, "users", raw.as_deref(), json!(context))?)
}

/// `GET /users/`: every user, by username.
#[get("/users")]
pub(super) async fn user_list(
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
    user_page("Users", || User::all().order(users::username.asc()), page, uri, db, templates).await
}

/// `GET /following/`: the users I follow.
#[get("/following")]
pub(super) async fn following(
    me: LoginRequired<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
    let id = me.id;
    user_page("Following", move || social::following(id), page, uri, db, templates).await
}

/// `GET /followers/`: the users who follow me.
#[get("/followers")]
pub(super) async fn followers(
    me: LoginRequired<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
    let id = me.id;
    user_page("Followers", move || social::followers(id), page, uri, db, templates).await
}

/// The user named `username`, or a 404.
pub(super) fn user_named(conn: &mut AnyConnection, username: &str) -> Result<User, hangar::Error> {
    get_object_or_404::<User>(conn, User::all().filter(users::username.eq(username.to_owned())))
}

/// `GET /users/<username>/`: their messages, newest first, and for a
/// logged-in visitor who is someone else, a button to follow or un-follow.
#[get("/users/<username>")]
pub(super) async fn user_detail(
    username: String,
    viewer: CurrentUser<'_, User>,
    page: PageContext<User>,
    uri: &Origin<'_>,
    db: Database,
    templates: &State<Templates>,
) -> Result<HtmlPage, SiteError> {
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
pub(super) async fn follow(
    username: String,
    me: LoginRequired<'_, User>,
    _form: CsrfForm,
    db: Database,
    session: Session<'_>,
) -> Result<Redirect, SiteError> {
    let said = format!("You are now following {username}");
    change_follow(username, me.id, social::follow, said, db, session).await
}

/// `POST /users/<username>/unfollow/`: stops following them, harmlessly if
/// not following.
#[post("/users/<username>/unfollow", data = "<_form>")]
pub(super) async fn unfollow(
    username: String,
    me: LoginRequired<'_, User>,
    _form: CsrfForm,
    db: Database,
    session: Session<'_>,
) -> Result<Redirect, SiteError> {
    let said = format!("You are no longer following {username}");
    change_follow(username, me.id, social::unfollow, said, db, session).await
}

/// Applies `change` (follow or unfollow) from user `me` to the user named
/// `username` (a 404 if there is none; nothing when it is `me`), then
/// flashes `said` and goes to their page.
async fn change_follow(
    username: String,
    me: i32,
    change: fn(&mut AnyConnection, i32, i32) -> diesel::QueryResult<()>,
    said: String,
    db: Database,
    session: Session<'_>,
) -> Result<Redirect, SiteError> {
    let target = username.clone();
    db.run_write(move |conn| {
        let user = user_named(conn, &target)?;
        if user.id != me {
            change(conn, me, user.id)?;
        }
        Ok::<_, hangar::Error>(())
    })
    .await?;
    session.flash("success", said);
    Ok(Redirect::to(user_url(&username)))
}

/// A follow or unfollow is a POST; a GET of it answers 405 naming POST (an
/// unknown user is still a 404).
pub(super) async fn post_only(username: String, db: Database) -> Result<HtmlPage, SiteError> {
    db.run(move |conn| user_named(conn, &username)).await?;
    let method = rocket::http::Method::Get;
    Err(SiteError(hangar::Error::MethodNotAllowed { method, allowed: vec![rocket::http::Method::Post] }))
}

#[get("/users/<username>/follow")]
pub(super) async fn follow_get(username: String, db: Database) -> Result<HtmlPage, SiteError> {
    post_only(username, db).await
}

#[get("/users/<username>/unfollow")]
pub(super) async fn unfollow_get(username: String, db: Database) -> Result<HtmlPage, SiteError> {
    post_only(username, db).await
}
