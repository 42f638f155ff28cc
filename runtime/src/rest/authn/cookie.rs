//! The login session, for the site's own pages calling the API.

use rocket::http::Method;

use super::{Authenticator, Credentials, Protected, UserAuthentication};
use crate::auth::guards::user_of_session;
use crate::auth::Caller;
use crate::auth::UserModel;
use crate::db::Database;
use crate::Error;

/// The user logged in through [`Auth`](crate::auth::Auth)'s session
/// cookie, or HTTP Basic credentials of an active user of `U`.
///
/// A write authenticated by the cookie must carry the session's CSRF token
/// in the `X-CSRF-Token` header (templates see it as `csrf_token`), or it
/// answers 403: another site can make a browser send the cookie, never the
/// header. Basic credentials are not sent by a browser on its own, so they
/// need no token.
///
/// ```
/// use hangar::auth::User;
/// use hangar::rest::authn::SessionAuthentication;
/// use hangar::rest::RestApi;
///
/// let api = RestApi::new("/api").default_auth(SessionAuthentication::<User>::new());
/// # let _ = api;
/// ```
#[derive(Debug)]
pub struct SessionAuthentication<U> {
    basic: UserAuthentication<U>,
}

impl<U: UserModel> SessionAuthentication<U> {
    /// Protects POST, PUT and DELETE.
    pub fn new() -> Self {
        SessionAuthentication { basic: UserAuthentication::new() }
    }

    /// Protects `methods` instead.
    #[must_use]
    pub fn protect(self, methods: Protected) -> Self {
        SessionAuthentication { basic: self.basic.protect(methods) }
    }

    /// Uses `cache` for Basic credentials; it may be shared with other
    /// authentications.
    #[must_use]
    pub fn cache(self, cache: std::sync::Arc<super::CredentialCache>) -> Self {
        SessionAuthentication { basic: self.basic.cache(cache) }
    }
}

impl<U: UserModel> Default for SessionAuthentication<U> {
    fn default() -> Self {
        Self::new()
    }
}

#[rocket::async_trait]
impl<U: UserModel> Authenticator for SessionAuthentication<U> {
    fn protects(&self, method: Method) -> bool {
        self.basic.protects(method)
    }

    fn security_scheme(&self) -> Option<&'static str> {
        Some("basicAuth")
    }

    async fn identify(&self, credentials: &Credentials, db: &Database) -> Result<Option<Caller>, Error> {
        if credentials.basic().is_some() {
            return self.basic.identify(credentials, db).await;
        }
        let Some(session) = credentials.session() else {
            return Ok(None);
        };
        let Some(user) = user_of_session::<U>(db, session.clone()).await? else {
            return Ok(None);
        };
        let safe = matches!(credentials.method(), Method::Get | Method::Head | Method::Options);
        if !safe && !credentials.csrf_header_matches() {
            return Err(Error::Forbidden(
                "CSRF token missing or incorrect: send the page's `csrf_token` in the X-CSRF-Token header".into(),
            ));
        }
        Ok(Some(Caller::user(&user)))
    }
}
