//! hangar's error type: what went wrong, and the status it means. It
//! renders as nothing in particular; each face answers it its own way: the
//! REST API as `{"error": ...}` ([`hangar::rest::ApiError`]), pages as an
//! error page ([`hangar::templates::ErrorPage`]).
//!
//! [`hangar::rest::ApiError`]: crate::rest::ApiError
//! [`hangar::templates::ErrorPage`]: crate::templates::ErrorPage

use std::fmt;

use diesel::result::DatabaseErrorKind;
use rocket::http::Status;

use crate::db::DbError;
use crate::query::QueryError;

/// An error, with the HTTP status it answers with and one sentence to say.
///
/// Bad input is a 4xx that names the field or parameter. A 5xx means a
/// failure on the server side; its details are logged, not sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// 400: malformed or invalid input.
    BadRequest(String),
    /// 400: a query-string parameter was rejected.
    Query(QueryError),
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
    /// 503 when the database cannot be reached, 500 otherwise.
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
            Error::Conflict(_) => Status::Conflict,
            Error::Database(DbError::Pool(_) | DbError::Connect(_)) => Status::ServiceUnavailable,
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
            Error::Unauthorized => f.write_str("Authentication failed"),
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
            Error::Query(e) => Some(e),
            Error::Database(e) => Some(e),
            _ => None,
        }
    }
}

impl From<QueryError> for Error {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Internal(_) => Error::Database(DbError::Task(e.to_string())),
            e => Error::Query(e),
        }
    }
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(e) => e.into(),
            e => Error::Database(e),
        }
    }
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::Error as E;
        match &e {
            E::NotFound => Error::NotFound,
            E::DatabaseError(kind, info) => {
                let detail = info.message();
                match kind {
                    DatabaseErrorKind::UniqueViolation => {
                        Error::Conflict(format!("a value that must be unique is already taken: {detail}"))
                    }
                    DatabaseErrorKind::ForeignKeyViolation => Error::BadRequest(format!(
                        "a related object does not exist, or other objects still refer to this one: {detail}"
                    )),
                    DatabaseErrorKind::NotNullViolation => missing_field(info.column_name(), detail),
                    DatabaseErrorKind::CheckViolation => {
                        Error::BadRequest(format!("a value breaks a rule of the database: {detail}"))
                    }
                    // MySQL reports these through plain statements without a kind.
                    _ if detail.contains("doesn't have a default value") || detail.contains("cannot be null") => {
                        missing_field(None, detail)
                    }
                    _ => Error::Database(DbError::Query(e)),
                }
            }
            _ => Error::Database(DbError::Query(e)),
        }
    }
}

/// "`a_id` is required", with the column found in the backend's message:
/// PostgreSQL names it; SQLite says `NOT NULL constraint failed: t.a_id`;
/// MySQL says `Field 'a_id' doesn't have a default value`.
fn missing_field(column: Option<&str>, detail: &str) -> Error {
    let quoted = || detail.split('\'').nth(1);
    let after_dot = || detail.strip_prefix("NOT NULL constraint failed: ").and_then(|t| t.rsplit('.').next());
    match column.or_else(after_dot).or_else(quoted) {
        Some(column) => Error::BadRequest(format!("`{column}` is required")),
        None => Error::BadRequest(format!("a required field is missing: {detail}")),
    }
}
