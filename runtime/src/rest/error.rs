//! How the REST API answers an error: `{"error": "<one sentence>"}`, with
//! `WWW-Authenticate` on a 401 and `Allow` on a 405.

use rocket::request::Request;
use rocket::response::{self, Responder};

use super::reply::ApiReply;
use crate::db::DbError;
use crate::query::QueryError;
use crate::Error;

/// An [`Error`] answered as the REST API's JSON. Return it from a JSON
/// route of your own, and `?` turns any hangar error into it:
///
/// ```
/// use hangar::rest::ApiError;
///
/// #[rocket::get("/check/<n>")]
/// fn check(n: i64) -> Result<&'static str, ApiError> {
///     if n < 0 {
///         return Err(hangar::Error::BadRequest(format!("`n` must not be negative, not {n}")).into());
///     }
///     Ok("fine")
/// }
/// ```
///
/// A 5xx says only "internal server error" (or that the database is
/// unavailable); its details are logged.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        ApiError(e.into())
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError(e.into())
    }
}

impl<'r> Responder<'r, 'static> for ApiError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let ApiError(error) = self;
        let status = error.status();
        if status.code >= 500 {
            log::error!("{} {}: {error}", request.method(), request.uri());
        }
        let mut reply = ApiReply::new(status, serde_json::json!({ "error": error.public_message() }));
        match &error {
            Error::Unauthorized => {
                reply.headers.push(("WWW-Authenticate", r#"Basic realm="Login Required""#.to_owned()));
            }
            Error::TooManyRequests { retry_after } => {
                reply.headers.push(("Retry-After", retry_after.as_secs().max(1).to_string()));
            }
            Error::MethodNotAllowed { allowed, .. } => {
                let allowed: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
                reply.headers.push(("Allow", allowed.join(", ")));
            }
            _ => {}
        }
        reply.respond_to(request)
    }
}
