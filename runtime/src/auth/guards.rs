//! Request guards: who is logged in, and routes only for users or only for
//! admins (flask-peewee's `login_required` and `admin_required`).

use std::ops::Deref;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome};
use rocket::Request;

use super::session::SessionUser;
use super::{Session, User, UserModel};
use crate::db::Database;
use crate::utils::get_by_pk_or_404;
use crate::Error;

/// The user loaded for this request, cached so that every guard and page of
/// one request reads the database at most once (flask's `g.user`).
struct Loaded<U>(Result<Option<U>, Status>);

/// The logged-in user of `request`, if any: the session's user, still
/// active, whose password has not changed since the session logged in.
pub(crate) async fn current_user<'r, U: UserModel>(request: &'r Request<'_>) -> Result<Option<&'r U>, Status> {
    let Loaded(loaded) = request.local_cache_async(async { Loaded(load::<U>(request).await) }).await;
    loaded.as_ref().map(Option::as_ref).map_err(|status| *status)
}

async fn load<U: UserModel>(request: &Request<'_>) -> Result<Option<U>, Status> {
    let Some(session_user) = Session::of(request).user() else {
        return Ok(None);
    };
    let Some(db) = request.rocket().state::<Database>() else {
        log::error!("hangar::auth needs a database: attach `Database::fairing()`");
        return Err(Status::InternalServerError);
    };
    user_of_session::<U>(db, session_user).await.map_err(|e| {
        log::error!("loading the session's user failed: {e}");
        e.status()
    })
}

/// The user a session names, if it still may use it: active, and with the
/// password the session logged in with.
pub(crate) async fn user_of_session<U: UserModel>(db: &Database, session: SessionUser) -> Result<Option<U>, Error> {
    let pk = session.pk.clone();
    let found = db
        .run(move |conn| match get_by_pk_or_404::<U>(conn, U::all(), &pk) {
            Ok(user) => Ok(Some(user)),
            Err(Error::NotFound) => Ok(None),
            Err(other) => Err(other),
        })
        .await?;
    Ok(found.filter(|u| u.is_active() && session.matches(u.password_hash())))
}

/// Why a guard refused, for the catchers to answer with a redirect to the
/// login page or a "forbidden" page rather than a bare status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    None,
    NeedsLogin,
    NotAdmin,
    /// A posted form's CSRF token was missing or wrong.
    Csrf,
}

fn refuse<T>(request: &Request<'_>, rejection: Rejection, status: Status) -> Outcome<T, ()> {
    request.local_cache(|| rejection);
    Outcome::Error((status, ()))
}

/// Who is logged in, if anyone; never refuses.
///
/// ```
/// use hangar::auth::CurrentUser;
///
/// #[rocket::get("/")]
/// fn home(user: CurrentUser<'_>) -> String {
///     match user.0 {
///         Some(user) => format!("Hello, {}", user.username),
///         None => "Hello, stranger".into(),
///     }
/// }
/// ```
#[derive(Debug)]
pub struct CurrentUser<'r, U = User>(pub Option<&'r U>);

/// A logged-in user; anyone else is redirected to the login page with
/// `next` set to the page they asked for, query string included:
/// flask-peewee's `login_required`.
///
/// ```
/// use hangar::auth::LoginRequired;
///
/// #[rocket::get("/private")]
/// fn private(user: LoginRequired<'_>) -> String {
///     format!("only for {}", user.username)
/// }
/// ```
///
/// The redirect comes from the 401 catcher that
/// [`Auth::mount`](super::Auth::mount) registers.
#[derive(Debug)]
pub struct LoginRequired<'r, U = User>(pub &'r U);

/// A logged-in admin. Anonymous visitors are redirected to the login page
/// like [`LoginRequired`]; a logged-in user who is not an admin gets 403.
///
/// ```
/// use hangar::auth::AdminRequired;
///
/// #[rocket::get("/secret")]
/// fn secret(admin: AdminRequired<'_>) -> String {
///     format!("welcome, {}", admin.username)
/// }
/// ```
#[derive(Debug)]
pub struct AdminRequired<'r, U = User>(pub &'r U);

#[rocket::async_trait]
impl<'r, U: UserModel> FromRequest<'r> for CurrentUser<'r, U> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match current_user::<U>(request).await {
            Ok(user) => Outcome::Success(CurrentUser(user)),
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

#[rocket::async_trait]
impl<'r, U: UserModel> FromRequest<'r> for LoginRequired<'r, U> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match current_user::<U>(request).await {
            Ok(Some(user)) => Outcome::Success(LoginRequired(user)),
            Ok(None) => refuse(request, Rejection::NeedsLogin, Status::Unauthorized),
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

#[rocket::async_trait]
impl<'r, U: UserModel> FromRequest<'r> for AdminRequired<'r, U> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match current_user::<U>(request).await {
            Ok(Some(user)) if user.is_admin() => Outcome::Success(AdminRequired(user)),
            Ok(Some(_)) => refuse(request, Rejection::NotAdmin, Status::Forbidden),
            Ok(None) => refuse(request, Rejection::NeedsLogin, Status::Unauthorized),
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

impl<U> Deref for LoginRequired<'_, U> {
    type Target = U;

    fn deref(&self) -> &U {
        self.0
    }
}

impl<U> Deref for AdminRequired<'_, U> {
    type Target = U;

    fn deref(&self) -> &U {
        self.0
    }
}

// References to the request's user: copied freely, whatever `U` is.
impl<U> Clone for CurrentUser<'_, U> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<U> Copy for CurrentUser<'_, U> {}

impl<U> Clone for LoginRequired<'_, U> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<U> Copy for LoginRequired<'_, U> {}

impl<U> Clone for AdminRequired<'_, U> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<U> Copy for AdminRequired<'_, U> {}
