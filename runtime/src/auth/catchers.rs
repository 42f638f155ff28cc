//! The 401 and 403 catchers: a guard's rejection becomes a redirect to the
//! login page, or a page saying the user may not see this one.

use std::marker::PhantomData;

use rocket::catcher::{self, Catcher};
use rocket::http::Status;
use rocket::response::{Redirect, Responder};
use rocket::Request;

use super::guards::Rejection;
use super::pages::error_page;
use super::settings::prefix_of;
use super::UserModel;
use crate::forms::encode_component;

pub(crate) fn catchers<U: UserModel>() -> Vec<Catcher> {
    vec![Catcher::new(401, Refused::<U>(PhantomData)), Catcher::new(403, Refused::<U>(PhantomData))]
}

/// Answers 401 and 403 for the whole app.
struct Refused<U>(PhantomData<fn() -> U>);

impl<U> Clone for Refused<U> {
    fn clone(&self) -> Self {
        Refused(PhantomData)
    }
}

/// The login page, asked to come back to `request`'s path and query.
pub(crate) fn login_redirect(request: &Request<'_>) -> Redirect {
    let login = format!("{}/login/", prefix_of(request));
    let uri = request.uri();
    let next = match uri.query() {
        Some(query) => format!("{}?{}", uri.path(), query),
        None => uri.path().to_string(),
    };
    Redirect::to(format!("{login}?next={}", encode_component(&next)))
}

#[rocket::async_trait]
impl<U: UserModel> catcher::Handler for Refused<U> {
    async fn handle<'r>(&self, status: Status, request: &'r Request<'_>) -> catcher::Result<'r> {
        let rejection = *request.local_cache(|| Rejection::None);
        if rejection == Rejection::NeedsLogin {
            return login_redirect(request).respond_to(request);
        }
        let message = match rejection {
            Rejection::NotAdmin => "You do not have permission to view this page.",
            Rejection::Csrf => super::form::CSRF_FAILED,
            _ if status == Status::Unauthorized => "You need to log in to view this page.",
            _ => "You may not view this page.",
        };
        error_page::<U>(request, status, message).await.respond_to(request)
    }
}
