//! Who may call the API: flask-peewee's authentication classes.
//!
//! Each protects some methods (by default POST, PUT and DELETE): a request
//! with one of them needs valid credentials, or it answers 401 with
//! `WWW-Authenticate: Basic realm="Login Required"`. Other methods pass,
//! and learn who the caller is when credentials are given.

mod api_key;
mod basic;
mod bearer;
mod cache;
mod cookie;
mod credentials;

pub use api_key::{ApiKeyAuthentication, ApiKeyModel};
pub use basic::{AdminAuthentication, UserAuthentication};
pub use bearer::{BearerAuthentication, TokenModel, UserBearerAuthentication, UserTokenModel};
pub use cache::{CacheStats, CredentialCache};
pub use cookie::SessionAuthentication;
pub use credentials::{Credentials, CSRF_HEADER};

use rocket::http::Method;

use crate::auth::Caller;
use crate::db::Database;
use crate::Error;

/// The methods an authentication guards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected(Vec<Method>);

impl Protected {
    /// POST, PUT and DELETE: writes need credentials, reads do not.
    pub fn writes() -> Self {
        Protected(vec![Method::Post, Method::Put, Method::Delete, Method::Patch])
    }

    /// Every method, reads included.
    pub fn all() -> Self {
        Protected(vec![Method::Get, Method::Head, Method::Post, Method::Put, Method::Delete, Method::Patch])
    }

    /// Exactly `methods`; none makes the resource open.
    pub fn only(methods: &[Method]) -> Self {
        Protected(methods.to_vec())
    }

    /// Whether `method` is guarded.
    pub fn contains(&self, method: Method) -> bool {
        self.0.contains(&method)
    }
}

impl Default for Protected {
    fn default() -> Self {
        Protected::writes()
    }
}

/// An authentication scheme for the REST API.
#[rocket::async_trait]
pub trait Authenticator: Send + Sync + 'static {
    /// Whether `method` needs valid credentials.
    fn protects(&self, method: Method) -> bool;

    /// Who `credentials` belong to: `Ok(None)` when none of this scheme's
    /// were given, [`Error::Unauthorized`] when they are wrong.
    async fn identify(&self, credentials: &Credentials, db: &Database) -> Result<Option<Caller>, Error>;

    /// Query and form parameters that carry credentials, and so are neither
    /// filters nor fields.
    fn params(&self) -> &'static [&'static str] {
        &[]
    }

    /// The OpenAPI security scheme it implements: `basicAuth`,
    /// `bearerAuth` or `apiKeyAuth`, or `None`.
    fn security_scheme(&self) -> Option<&'static str> {
        None
    }
}

/// No credentials at all: the protected methods always answer 401, the
/// others are open. flask-peewee's `Authentication`.
///
/// ```
/// use hangar::rest::authn::{Authentication, Protected};
/// let read_only = Authentication::new(); // POST, PUT and DELETE answer 401
/// let open = Authentication::new().protect(Protected::only(&[])); // anything goes
/// # let _ = (read_only, open);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Authentication {
    protected: Protected,
}

impl Authentication {
    /// Protects POST, PUT and DELETE.
    pub fn new() -> Self {
        Self::default()
    }

    /// Protects `methods` instead.
    #[must_use]
    pub fn protect(mut self, methods: Protected) -> Self {
        self.protected = methods;
        self
    }
}

#[rocket::async_trait]
impl Authenticator for Authentication {
    fn protects(&self, method: Method) -> bool {
        self.protected.contains(method)
    }

    async fn identify(&self, _credentials: &Credentials, _db: &Database) -> Result<Option<Caller>, Error> {
        Ok(None)
    }
}
