//! hangar's error type: what went wrong, and the status it means. It
//! renders as nothing in particular; each face answers it its own way: the
//! REST API as `{"error": ...}` ([`hangar::rest::ApiError`]), pages as an
//! error page ([`hangar::templates::ErrorPage`]).
//!
//! [`hangar::rest::ApiError`]: crate::rest::ApiError
//! [`hangar::templates::ErrorPage`]: crate::templates::ErrorPage

use std::fmt;

use rocket::http::Status;

use crate::db::DbError;

/// An error, with the HTTP status it answers with and one sentence to say.
///
/// Bad input is a 4xx that names the field or parameter. A 5xx means a
/// failure on the server side; its details are logged, not sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// 400: malformed or invalid input.
    BadRequest(String),
    /// 400: a query-string parameter was rejected. The source is a
    /// [`QueryError`](crate::query::QueryError), which names the parameter.
    Query(Box<dyn std::error::Error + Send + Sync>),
    /// 401: missing or bad credentials; answers with `WWW-Authenticate`.
    Unauthorized,
    /// 403: the caller may not do this.
    Forbidden(String),
    /// 404.
    NotFound,
    /// 405: the resource does not take this method.
    MethodNotAllowed {
        /// The method used.
        method: rocket::http::Method,
        /// The methods it takes.
        allowed: Vec<rocket::http::Method>,
    },
    /// 413: the body is larger than the limit.
    PayloadTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// 409: a unique constraint was hit.
    Conflict(String),
    /// 429: too many failed logins for this username or address; answers
    /// with `Retry-After`.
    TooManyRequests {
        /// How long until the next attempt is allowed.
        retry_after: std::time::Duration,
    },
    /// 409: a unique constraint on these fields was hit (none when the
    /// backend did not name them).
    Unique {
        /// The fields, in hangar's names.
        fields: Vec<String>,
    },
    /// 503 when the database is unavailable for now (see
    /// [`DbError::is_unavailable`]), 500 otherwise.
    Database(DbError),
    /// 500: a template failed to render.
    Template(String),
    /// 500: the app has no database: `Database::fairing()` is not attached.
    NoDatabase,
}

impl Error {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> Status {
        match self {
            Error::BadRequest(_) | Error::Query(_) => Status::BadRequest,
            Error::Unauthorized => Status::Unauthorized,
            Error::Forbidden(_) => Status::Forbidden,
            Error::NotFound => Status::NotFound,
            Error::MethodNotAllowed { .. } => Status::MethodNotAllowed,
            Error::PayloadTooLarge { .. } => Status::PayloadTooLarge,
            Error::Conflict(_) | Error::Unique { .. } => Status::Conflict,
            Error::TooManyRequests { .. } => Status::TooManyRequests,
            Error::Database(e) if e.is_unavailable() => Status::ServiceUnavailable,
            Error::Database(_) | Error::Template(_) | Error::NoDatabase => Status::InternalServerError,
        }
    }

    /// The sentence sent to the client. Server-side failures get a generic
    /// one; their details go to the log.
    pub fn public_message(&self) -> String {
        match self.status() {
            Status::ServiceUnavailable => "the database is unavailable; try again shortly".into(),
            Status::InternalServerError => "internal server error".into(),
            _ => self.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadRequest(m) | Error::Conflict(m) | Error::Template(m) | Error::Forbidden(m) => f.write_str(m),
            Error::Query(e) => e.fmt(f),
            Error::Unique { fields } => {
                let fields: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                match fields.as_slice() {
                    [] => f.write_str("a value that must be unique is already taken"),
                    [one] => write!(f, "this {one} is already taken"),
                    [init @ .., last] => {
                        write!(f, "this combination of {} and {last} is already taken", init.join(", "))
                    }
                }
            }
            Error::Unauthorized => f.write_str("Authentication failed"),
            Error::TooManyRequests { retry_after } => {
                write!(f, "too many failed logins; try again in {} seconds", retry_after.as_secs().max(1))
            }
            Error::NotFound => f.write_str("Not found"),
            Error::MethodNotAllowed { method, .. } => write!(f, "Unsupported method \"{method}\""),
            Error::PayloadTooLarge { limit } => write!(f, "the request body is larger than the limit of {limit} bytes"),
            Error::Database(e) => e.fmt(f),
            Error::NoDatabase => f.write_str("this needs a database: attach `hangar::db::Database::fairing()`"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Query(e) => Some(e.as_ref()),
            Error::Database(e) => Some(e),
            _ => None,
        }
    }
}

impl From<DbError> for Error {
    /// A database error; a statement's is read by the model's
    /// `From<diesel::result::Error>`, which names the broken rule's field.
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(e) => e.into(),
            e => Error::Database(e),
        }
    }
}
