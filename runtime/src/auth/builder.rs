//! `Auth`: flask-peewee's `Auth`, configured once and mounted into a Rocket
//! app.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::{Build, Rocket};

use super::settings::{AuthSettings, DEFAULT_PREFIX};
use super::throttle::{LoginThrottle, ThrottleConfig, ThrottleStore};
use super::{catchers, views, User, UserModel};
use crate::db::Database;

/// Login and logout for the user model `U`, mounted into an app.
///
/// ```no_run
/// use hangar::auth::Auth;
/// use hangar::db::Database;
///
/// #[rocket::launch]
/// fn rocket() -> _ {
///     let app = rocket::build().attach(Database::fairing().migrations(&hangar::auth::MIGRATIONS));
///     Auth::<hangar::auth::User>::new().mount(app)
/// }
/// ```
///
/// It mounts `GET`/`POST <prefix>/login/` and `<prefix>/logout/`, and
/// catchers at `/` for 401 and 403 that turn the rejections of
/// [`LoginRequired`](super::LoginRequired) and
/// [`AdminRequired`](super::AdminRequired) into a redirect to the login page
/// and a "forbidden" page. The session cookie is `Secure` when
/// [`secure_cookies`](Auth::secure_cookies) says so, else when
/// `session_cookie_secure` is set in Rocket's configuration, else when
/// Rocket serves TLS itself.
///
/// Rocket allows one catcher per status and base: an app that wants its own
/// 401 or 403 page registers it under a narrower base than `/` (as the REST
/// API does under its prefix), or overrides the `hangar/error` template.
#[derive(Debug, Clone)]
pub struct Auth<U: UserModel = User> {
    prefix: String,
    default_next: String,
    secure_cookies: Option<bool>,
    throttle: ThrottleConfig,
    user: PhantomData<fn() -> U>,
}

impl<U: UserModel> Auth<U> {
    /// Login at `/accounts/login/`, then back to `next` or `/`.
    pub fn new() -> Self {
        Auth {
            prefix: DEFAULT_PREFIX.to_owned(),
            default_next: "/".to_owned(),
            secure_cookies: None,
            throttle: ThrottleConfig::default(),
            user: PhantomData,
        }
    }

    /// Mounts the views under `prefix` instead of `/accounts`.
    #[must_use]
    pub fn prefix(mut self, prefix: &str) -> Self {
        self.prefix = format!("/{}", prefix.trim_matches('/'));
        if self.prefix == "/" {
            self.prefix.clear();
        }
        self
    }

    /// Where a login or logout goes when no safe `next` is given.
    #[must_use]
    pub fn default_next(mut self, url: &str) -> Self {
        self.default_next = url.to_owned();
        self
    }

    /// Marks the session cookie `Secure` (or not), whatever the configuration
    /// says. Turn it on behind a proxy that terminates TLS.
    #[must_use]
    pub fn secure_cookies(mut self, secure: bool) -> Self {
        self.secure_cookies = Some(secure);
        self
    }

    /// Allows `limit` failed logins per username and per client address in
    /// `window` (default 10 in 15 minutes), through the login form and
    /// HTTP Basic alike; a limit of 0 refuses every login.
    ///
    /// The counts live in the `hangar_login_throttle` table, so that every
    /// instance of the app counts the same failures; [`MIGRATIONS`](super::MIGRATIONS)
    /// creates it, and an app with its own user model runs
    /// [`THROTTLE_MIGRATIONS`](super::THROTTLE_MIGRATIONS). The app does not
    /// launch without the table.
    #[must_use]
    pub fn throttle(mut self, limit: u32, window: Duration) -> Self {
        self.throttle.limit = limit;
        self.throttle.window = window;
        self
    }

    /// Counts failed logins in this process's memory instead of the
    /// database: for an app that runs as one process. Instances behind one
    /// proxy would each allow the limit.
    #[must_use]
    pub fn throttle_in_memory(mut self) -> Self {
        self.throttle.store = ThrottleStore::Memory;
        self
    }

    /// The login page's URL.
    pub fn login_url(&self) -> String {
        format!("{}/login/", self.prefix)
    }

    /// Mounts the views and catchers into `rocket`.
    pub fn mount(self, rocket: Rocket<Build>) -> Rocket<Build> {
        let configured = rocket.figment().extract_inner::<bool>("session_cookie_secure").ok();
        let settings = AuthSettings {
            default_next: self.default_next,
            secure_cookies: self.secure_cookies.or(configured),
            throttle: Arc::new(LoginThrottle::new(self.throttle)),
            prefix: self.prefix.clone(),
        };
        let throttle = settings.throttle.clone();
        // After the database's fairing, which migrates: the table must be
        // there by then.
        let check = AdHoc::try_on_ignite("hangar login throttle", |rocket| async move {
            let Some(db) = rocket.state::<Database>().cloned() else {
                // The login page says what is missing.
                return Ok(rocket);
            };
            match rocket::tokio::task::spawn_blocking(move || throttle.check_table(&db)).await {
                Ok(Ok(())) => Ok(rocket),
                Ok(Err(e)) => {
                    log::error!("{e}");
                    eprintln!("hangar: {e}");
                    Err(rocket)
                }
                Err(e) => {
                    log::error!("checking the login throttle's table failed: {e}");
                    eprintln!("hangar: checking the login throttle's table failed: {e}");
                    Err(rocket)
                }
            }
        });
        let base = if self.prefix.is_empty() { "/".to_owned() } else { self.prefix };
        rocket.manage(settings).attach(check).mount(base, views::routes::<U>()).register("/", catchers::catchers::<U>())
    }
}

impl<U: UserModel> Default for Auth<U> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_normalised() {
        assert_eq!(Auth::<User>::new().login_url(), "/accounts/login/");
        assert_eq!(Auth::<User>::new().prefix("users/").login_url(), "/users/login/");
        assert_eq!(Auth::<User>::new().prefix("/").login_url(), "/login/");
    }
}
