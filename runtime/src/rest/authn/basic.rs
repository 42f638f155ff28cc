//! HTTP Basic against the user model.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use rocket::http::Method;

use super::{Authenticator, CredentialCache, Credentials, Protected};
use crate::auth::throttle::{Attempt, Reservation};
use crate::auth::verify::{decoy_hash, upgrade_hash, user_named, verify_password as verify};
use crate::auth::Caller;
use crate::auth::UserModel;
use crate::db::Database;
use crate::Error;

/// HTTP Basic credentials checked against active users of `U`:
/// flask-peewee's `UserAuthentication`.
///
/// Verified credentials are remembered in a [`CredentialCache`], so a client
/// that sends the same credentials with every request pays for PBKDF2 once.
/// Each request still reads the user, so a deactivation or a password change
/// takes effect at once, on every instance of the app.
///
/// Wrong passwords count against the username and the client's address in
/// the login throttle that [`Auth`](crate::auth::Auth) configures, as the
/// login form's do: past the limit, the answer is 429 with `Retry-After`,
/// and no password is checked. Without `Auth` mounted, the throttle's
/// defaults apply, counted in the app's memory.
pub struct UserAuthentication<U> {
    protected: Protected,
    admin_only: bool,
    cache: Arc<CredentialCache>,
    user: PhantomData<fn() -> U>,
}

/// HTTP Basic credentials of an active admin user: flask-peewee's
/// `AdminAuthentication`. A valid user who is not an admin gets 401.
pub struct AdminAuthentication<U>(UserAuthentication<U>);

impl<U: UserModel> UserAuthentication<U> {
    /// Protects POST, PUT and DELETE.
    pub fn new() -> Self {
        UserAuthentication {
            protected: Protected::default(),
            admin_only: false,
            cache: Arc::new(CredentialCache::default()),
            user: PhantomData,
        }
    }

    /// Protects `methods` instead.
    #[must_use]
    pub fn protect(mut self, methods: Protected) -> Self {
        self.protected = methods;
        self
    }

    /// Uses `cache`, which may be shared with other authentications.
    #[must_use]
    pub fn cache(mut self, cache: Arc<CredentialCache>) -> Self {
        self.cache = cache;
        self
    }

    /// The credential cache.
    pub fn credential_cache(&self) -> &Arc<CredentialCache> {
        &self.cache
    }

    async fn check(
        &self,
        username: &str,
        password: &str,
        credentials: &Credentials,
        db: &Database,
    ) -> Result<Caller, Error> {
        let throttle = credentials.throttle();
        let user = user_named::<U>(db, username).await?;
        let Some(mut user) = user.filter(|u| u.is_active() && (!self.admin_only || u.is_admin())) else {
            // Unknown, inactive or not an admin: a failure that costs what
            // a known user's does, and counts like one.
            let reservation = match throttle.attempt(db, username, credentials.client()).await? {
                Attempt::Go(reservation) => reservation,
                Attempt::Wait(retry_after) => return Err(Error::TooManyRequests { retry_after }),
            };
            verify(password.to_owned(), decoy_hash()).await;
            throttle.failed(db, reservation).await?;
            return Err(Error::Unauthorized);
        };
        let hash = user.password_hash().to_owned();
        // Credentials the cache verified against this very hash pass
        // without a check, so they take no slot of the throttle: only the
        // password checks that run are counted. The check itself reports
        // how it went through `checked`.
        let checked = Mutex::new(None::<Result<Reservation, Error>>);
        let check = async {
            let reservation = match throttle.attempt(db, username, credentials.client()).await {
                Ok(Attempt::Go(reservation)) => reservation,
                Ok(Attempt::Wait(retry_after)) => {
                    *lock(&checked) = Some(Err(Error::TooManyRequests { retry_after }));
                    return false;
                }
                Err(e) => {
                    *lock(&checked) = Some(Err(e));
                    return false;
                }
            };
            if verify(password.to_owned(), hash.clone()).await {
                *lock(&checked) = Some(Ok(reservation));
                return true;
            }
            if let Err(e) = throttle.failed(db, reservation).await {
                *lock(&checked) = Some(Err(e));
            }
            false
        };
        let ok = self.cache.verify(username, password, &hash, check).await;
        let outcome = checked.into_inner().unwrap_or_else(PoisonError::into_inner);
        match (ok, outcome) {
            (true, Some(Ok(reservation))) => throttle.succeeded(db, reservation).await?,
            (true, _) => {}
            (false, Some(Err(e))) => return Err(e),
            (false, _) => return Err(Error::Unauthorized),
        }
        upgrade_hash(db, &mut user, password).await?;
        if user.password_hash() != hash {
            // Rehashed at the current cost: the next request's check is
            // against the new hash, which these credentials just matched.
            self.cache.remember(username, password, user.password_hash());
        }
        Ok(Caller::user(&user))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<U: UserModel> Default for UserAuthentication<U> {
    fn default() -> Self {
        Self::new()
    }
}

impl<U: UserModel> AdminAuthentication<U> {
    /// Protects POST, PUT and DELETE.
    pub fn new() -> Self {
        AdminAuthentication(UserAuthentication { admin_only: true, ..UserAuthentication::new() })
    }

    /// Protects `methods` instead.
    #[must_use]
    pub fn protect(self, methods: Protected) -> Self {
        AdminAuthentication(self.0.protect(methods))
    }

    /// Uses `cache`, which may be shared with other authentications.
    #[must_use]
    pub fn cache(self, cache: Arc<CredentialCache>) -> Self {
        AdminAuthentication(self.0.cache(cache))
    }
}

impl<U: UserModel> Default for AdminAuthentication<U> {
    fn default() -> Self {
        Self::new()
    }
}

#[rocket::async_trait]
impl<U: UserModel> Authenticator for UserAuthentication<U> {
    fn protects(&self, method: Method) -> bool {
        self.protected.contains(method)
    }

    fn security_scheme(&self) -> Option<&'static str> {
        Some("basicAuth")
    }

    async fn identify(&self, credentials: &Credentials, db: &Database) -> Result<Option<Caller>, Error> {
        match credentials.basic() {
            Some((username, password)) => self.check(username, password, credentials, db).await.map(Some),
            None => Ok(None),
        }
    }
}

#[rocket::async_trait]
impl<U: UserModel> Authenticator for AdminAuthentication<U> {
    fn protects(&self, method: Method) -> bool {
        self.0.protects(method)
    }

    fn security_scheme(&self) -> Option<&'static str> {
        Some("basicAuth")
    }

    async fn identify(&self, credentials: &Credentials, db: &Database) -> Result<Option<Caller>, Error> {
        self.0.identify(credentials, db).await
    }
}

impl<U> std::fmt::Debug for UserAuthentication<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserAuthentication")
            .field("protected", &self.protected)
            .field("admin_only", &self.admin_only)
            .finish()
    }
}

impl<U> std::fmt::Debug for AdminAuthentication<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AdminAuthentication").field(&self.0).finish()
    }
}
