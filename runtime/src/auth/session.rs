//! The session: one Rocket private cookie, encrypted and authenticated with
//! the app's `secret_key`, holding who is logged in, the CSRF token and the
//! flash messages waiting to be shown.

use std::sync::{Mutex, MutexGuard, PoisonError};

use base64ct::{Base64UrlUnpadded, Encoding};
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome};
use rocket::Request;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::settings::AuthSettings;
use crate::model::Value;
use crate::utils::{random_token, same_secret};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "hangar_session";

/// How many flash messages wait in the session at most.
pub const MAX_FLASHES: usize = 10;

/// A message shown once, on the next page the visitor sees: flask's
/// `flash`. `category` is `success`, `info`, `warning` or `danger`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// How the message is styled: `success`, `info`, `warning` or `danger`.
    pub category: String,
    /// The text, shown escaped.
    pub message: String,
}

/// What the cookie holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SessionState {
    /// The logged-in user, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) user: Option<SessionUser>,
    /// The CSRF token every form of this session carries.
    #[serde(default)]
    pub(crate) csrf: String,
    /// Messages for the next page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) flashes: Vec<Flash>,
}

/// Who is logged in: the user's primary key, and a digest of their password
/// hash at login, so that a password change ends every other session
/// (Django's `get_session_auth_hash`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SessionUser {
    pub(crate) pk: String,
    pub(crate) hash: String,
}

impl SessionUser {
    /// Whether `password_hash` is still the hash this session logged in with.
    pub(crate) fn matches(&self, password_hash: &str) -> bool {
        same_secret(&self.hash, &session_auth_hash(password_hash))
    }
}

/// A digest of the stored password hash: it changes whenever the password
/// does, and reveals nothing of the hash.
fn session_auth_hash(password_hash: &str) -> String {
    let digest = Sha256::new().chain_update(b"hangar.auth.session\0").chain_update(password_hash.as_bytes()).finalize();
    Base64UrlUnpadded::encode_string(&digest)
}

/// The text of a primary key, as the session stores it.
pub(crate) fn pk_text(pk: &Value) -> String {
    match pk.to_json() {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    }
}

/// The current request's session, a request guard.
///
/// It is read from the cookie once per request and written back whenever
/// it changes. A cookie that does not decrypt (a changed `secret_key`, a
/// forged value) counts as no session.
///
/// ```
/// use hangar::auth::Session;
///
/// #[rocket::post("/notes/saved")]
/// fn saved(session: Session<'_>) -> rocket::response::Redirect {
///     session.flash("success", "Your note was saved");
///     rocket::response::Redirect::to("/notes/")
/// }
/// ```
#[derive(Clone, Copy)]
pub struct Session<'r> {
    jar: &'r CookieJar<'r>,
    state: &'r Mutex<SessionState>,
    secure: bool,
}

/// The per-request copy of the session.
struct Cached(Mutex<SessionState>);

impl<'r> Session<'r> {
    /// The session of `request`.
    pub fn of(request: &'r Request<'_>) -> Self {
        let jar = request.cookies();
        let Cached(state) = request.local_cache(|| {
            let state = jar
                .get_private(SESSION_COOKIE)
                .and_then(|cookie| serde_json::from_str::<SessionState>(cookie.value()).ok())
                .unwrap_or_default();
            Cached(Mutex::new(state))
        });
        let configured = request.rocket().state::<AuthSettings>().and_then(|s| s.secure_cookies);
        let secure = configured.unwrap_or_else(|| request.rocket().config().tls_enabled());
        Session { jar, state, secure }
    }

    fn lock(&self) -> MutexGuard<'_, SessionState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes the session back into its cookie.
    fn save(&self, state: &SessionState) {
        let value = serde_json::to_string(state).unwrap_or_default();
        let cookie = Cookie::build((SESSION_COOKIE, value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure);
        self.jar.add_private(cookie);
    }

    fn update<T>(&self, change: impl FnOnce(&mut SessionState) -> T) -> T {
        let mut state = self.lock();
        let result = change(&mut state);
        self.save(&state);
        result
    }

    /// The session's CSRF token, made on first use.
    pub fn csrf_token(&self) -> String {
        let current = self.lock().csrf.clone();
        if !current.is_empty() {
            return current;
        }
        self.update(|state| {
            state.csrf = random_token();
            state.csrf.clone()
        })
    }

    /// Whether `token` is this session's CSRF token. A session without one
    /// matches nothing.
    pub fn csrf_matches(&self, token: &str) -> bool {
        let state = self.lock();
        !state.csrf.is_empty() && same_secret(&state.csrf, token)
    }

    /// Queues a message for the next page. At most [`MAX_FLASHES`] wait at
    /// once, the newest, so the cookie stays small however many pile up.
    pub fn flash(&self, category: &str, message: impl Into<String>) {
        let flash = Flash { category: category.to_owned(), message: message.into() };
        self.update(|state| {
            state.flashes.push(flash);
            let excess = state.flashes.len().saturating_sub(MAX_FLASHES);
            state.flashes.drain(..excess);
        });
    }

    /// The queued messages, removed from the session: each is shown once.
    pub fn take_flashes(&self) -> Vec<Flash> {
        if self.lock().flashes.is_empty() {
            return Vec::new();
        }
        self.update(|state| std::mem::take(&mut state.flashes))
    }

    /// Who the session says is logged in, unchecked.
    pub(crate) fn user(&self) -> Option<SessionUser> {
        self.lock().user.clone()
    }

    /// Logs `user` in, flask-peewee's `auth.login_user`: a fresh session,
    /// as the login view starts one, for an app's own flows such as signing
    /// up. It does not check the password; [`authenticate`](super::authenticate)
    /// does.
    pub fn login_user<U: super::UserModel>(&self, user: &U) {
        self.log_in(&user.pk(), user.password_hash());
    }

    /// Starts a fresh session for the user `pk` whose password hash is
    /// `password_hash`: nothing from before survives, and the CSRF token is
    /// new, so a session planted before login is worth nothing after it.
    pub(crate) fn log_in(&self, pk: &Value, password_hash: &str) {
        let user = SessionUser { pk: pk_text(pk), hash: session_auth_hash(password_hash) };
        self.update(|state| *state = SessionState { user: Some(user), csrf: random_token(), flashes: Vec::new() });
    }

    /// Logs the user out, flask-peewee's `auth.logout_user`: a fresh
    /// session with no user and a new CSRF token, as the logout view gives.
    pub fn logout_user(&self) {
        self.update(|state| *state = SessionState { csrf: random_token(), ..SessionState::default() });
    }
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        // Never print the token or the password digest.
        f.debug_struct("Session")
            .field("user", &state.user.as_ref().map(|u| &u.pk))
            .field("flashes", &state.flashes.len())
            .finish()
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Session<'r> {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Session::of(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auth_hash_follows_the_password_hash() {
        let user = SessionUser { pk: "1".into(), hash: session_auth_hash("$pbkdf2-sha256$old") };
        assert!(user.matches("$pbkdf2-sha256$old"));
        assert!(!user.matches("$pbkdf2-sha256$new"));
        assert!(!session_auth_hash("x").contains('x'), "the digest does not reveal the hash");
    }

    #[test]
    fn primary_keys_keep_their_text() {
        assert_eq!(pk_text(&Value::Integer(42)), "42");
        assert_eq!(pk_text(&Value::Text("ab".into())), "ab");
    }
}
