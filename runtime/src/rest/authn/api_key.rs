//! An API key and secret, from the query, the headers or the form.

use std::marker::PhantomData;

use rocket::http::Method;

use super::{Authenticator, Credentials, Protected};
use crate::auth::Caller;
use crate::db::Database;
use crate::model::{Model, Value};
use crate::utils::{find_by, same_secret};
use crate::Error;

/// A model of API keys: a `key` to look up and a `secret` to compare.
pub trait ApiKeyModel: Model {
    /// The field holding the key.
    fn key_field() -> &'static str {
        "key"
    }

    /// The secret that goes with the key.
    fn secret(&self) -> &str;
}

/// `key` and `secret` parameters checked against `K`: flask-peewee's
/// `APIKeyAuthentication`. They are read from the query string, from
/// headers named `key` and `secret`, or from form fields.
pub struct ApiKeyAuthentication<K> {
    protected: Protected,
    model: PhantomData<fn() -> K>,
}

impl<K: ApiKeyModel> ApiKeyAuthentication<K> {
    /// Protects POST, PUT and DELETE.
    pub fn new() -> Self {
        ApiKeyAuthentication { protected: Protected::default(), model: PhantomData }
    }

    /// Protects `methods` instead.
    #[must_use]
    pub fn protect(mut self, methods: Protected) -> Self {
        self.protected = methods;
        self
    }
}

impl<K: ApiKeyModel> Default for ApiKeyAuthentication<K> {
    fn default() -> Self {
        Self::new()
    }
}

#[rocket::async_trait]
impl<K: ApiKeyModel> Authenticator for ApiKeyAuthentication<K> {
    fn protects(&self, method: Method) -> bool {
        self.protected.contains(method)
    }

    async fn identify(&self, credentials: &Credentials, db: &Database) -> Result<Option<Caller>, Error> {
        let (Some(key), Some(secret)) = (credentials.param("key"), credentials.param("secret")) else {
            return Ok(None);
        };
        let key = key.to_owned();
        let found = db.run(move |conn| find_by::<K>(conn, K::key_field(), Value::Text(key))).await?;
        match found {
            Some(row) if same_secret(row.secret(), secret) => Ok(Some(Caller { authenticated: true, user: None })),
            _ => Err(Error::Unauthorized),
        }
    }

    fn params(&self) -> &'static [&'static str] {
        &["key", "secret"]
    }

    fn security_scheme(&self) -> Option<&'static str> {
        Some("apiKeyAuth")
    }
}

impl<K> std::fmt::Debug for ApiKeyAuthentication<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyAuthentication").field("protected", &self.protected).finish()
    }
}
