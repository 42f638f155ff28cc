//! Who may use the admin: a logged-in, active user who is an admin, or
//! staff with at least one permission granted (their grants are read once,
//! as they come in, and go with the caller to the views). Anonymous
//! visitors are sent to the login page; anyone else gets a 403 page.

use std::marker::PhantomData;
use std::sync::Arc;

use rocket::data::Data;
use rocket::http::Status;
use rocket::response::{self, Redirect, Responder};
use rocket::route::{Handler, Outcome, Route};
use rocket::Request;

use super::state::{AdminState, Ctx};
use crate::auth::{current_user, error_page, login_redirect, Caller, Granted, UserModel};
use crate::db::Database;
use crate::templates::HtmlPage;

/// The admin's door shut on a request, as an answer.
#[derive(Debug)]
pub(crate) enum Denied {
    /// Not logged in: to the login page, and back after.
    Login(Box<Redirect>),
    /// A page saying why (403), or that the user could not be loaded.
    Page(HtmlPage),
}

impl<'r> Responder<'r, 'static> for Denied {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        match self {
            Denied::Login(redirect) => (*redirect).respond_to(request),
            Denied::Page(page) => page.respond_to(request),
        }
    }
}

/// Who may pass a door of the admin, asked of a caller let in.
pub(crate) type Door = Arc<dyn Fn(&Caller) -> bool + Send + Sync>;

/// The caller, with their grants, when a logged-in user the admin lets in
/// (an admin, or staff with a permission granted) and `permitted` lets
/// through.
pub(crate) async fn admit<U: UserModel>(
    request: &Request<'_>,
    permitted: &(dyn Fn(&Caller) -> bool + Send + Sync),
) -> Result<Caller, Denied> {
    let user = match current_user::<U>(request).await {
        Ok(Some(user)) => user,
        Ok(None) => return Err(Denied::Login(Box::new(login_redirect(request)))),
        Err(status) => {
            let page = error_page::<U>(request, status, "Your account could not be loaded; try again shortly.").await;
            return Err(Denied::Page(page));
        }
    };
    let mut caller = Caller::user(user);
    // Staff count only for a user model with a staff field; an admin has
    // every permission, so their grants are not read.
    if !caller.is_admin() && U::staff_field().is_some() && caller.is_staff() {
        let granted = match request.rocket().state::<Database>() {
            Some(db) => {
                let pk = caller.user_pk().cloned().unwrap_or(crate::model::Value::Null);
                db.run(move |conn| Granted::load(conn, &pk)).await
            }
            None => Ok(Granted::none()),
        };
        match granted {
            Ok(granted) => caller = caller.with_granted(granted),
            Err(e) => {
                log::error!("reading the permissions of a staff user failed: {e}");
                let message = "Your permissions could not be loaded; try again shortly.";
                let page = error_page::<U>(request, Status::ServiceUnavailable, message).await;
                return Err(Denied::Page(page));
            }
        }
    }
    let staff_with_grants = caller.user.as_ref().is_some_and(|u| u.staff && !u.granted.is_empty());
    if !(caller.is_admin() || staff_with_grants) || !permitted(&caller) {
        let page = error_page::<U>(request, Status::Forbidden, "You do not have permission to view this page.").await;
        return Err(Denied::Page(page));
    }
    Ok(caller)
}

/// What an admin view stands on: the caller (let in, and through
/// `permitted`), the admin's state and the database; or the answer that
/// turns the request away.
pub(crate) async fn enter<'r, 'q, U: UserModel>(
    request: &'r Request<'q>,
    permitted: &(dyn Fn(&Caller) -> bool + Send + Sync),
) -> Result<Ctx<'r, 'q>, Outcome<'r>> {
    let caller = match admit::<U>(request, permitted).await {
        Ok(caller) => caller,
        Err(denied) => return Err(Outcome::from(request, denied)),
    };
    let (Some(state), Some(db)) = (request.rocket().state::<AdminState>(), request.rocket().state::<Database>()) else {
        log::error!("the admin needs a database: attach `Database::fairing()` and use `Admin::mount`");
        let page =
            error_page::<U>(request, Status::InternalServerError, "The admin is not set up on this server.").await;
        return Err(Outcome::from(request, page));
    };
    Ok(Ctx { request, caller, state, db })
}

/// An app's own route under the admin, let through only for those the
/// admin would let in.
pub(crate) struct Guarded<U> {
    inner: Box<dyn Handler>,
    permitted: Door,
    user: PhantomData<fn() -> U>,
}

impl<U> Clone for Guarded<U> {
    fn clone(&self) -> Self {
        Guarded { inner: self.inner.clone(), permitted: self.permitted.clone(), user: PhantomData }
    }
}

impl<U: UserModel> Guarded<U> {
    /// `routes`, each behind the admin's door.
    pub(crate) fn wrap(routes: Vec<Route>, permitted: &Door) -> Vec<Route> {
        routes
            .into_iter()
            .map(|mut route| {
                let inner = std::mem::replace(&mut route.handler, Box::new(Noop));
                route.handler = Box::new(Guarded::<U> { inner, permitted: permitted.clone(), user: PhantomData });
                route
            })
            .collect()
    }
}

#[rocket::async_trait]
impl<U: UserModel> Handler for Guarded<U> {
    async fn handle<'r>(&self, request: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        match admit::<U>(request, self.permitted.as_ref()).await {
            Ok(_) => self.inner.handle(request, data).await,
            Err(denied) => Outcome::from(request, denied),
        }
    }
}

/// A placeholder while a route's handler is being wrapped.
#[derive(Clone)]
struct Noop;

#[rocket::async_trait]
impl Handler for Noop {
    async fn handle<'r>(&self, _: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        Outcome::forward(data, Status::NotFound)
    }
}
