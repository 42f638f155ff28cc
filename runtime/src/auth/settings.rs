//! What the login views, guards and pages read at request time, as
//! [`Auth::mount`](super::Auth::mount) left it.

use std::sync::Arc;

use super::throttle::{self, LoginThrottle};

/// What the views, guards and session read at request time; managed state.
#[derive(Debug)]
pub(crate) struct AuthSettings {
    pub(crate) prefix: String,
    pub(crate) default_next: String,
    pub(crate) secure_cookies: Option<bool>,
    pub(crate) throttle: Arc<LoginThrottle>,
}

/// Where the login page is when no `Auth` is mounted.
pub(crate) const DEFAULT_PREFIX: &str = "/accounts";

/// The prefix of the mounted `Auth`, or the default one.
pub(crate) fn prefix_of<'r>(request: &'r rocket::Request<'_>) -> &'r str {
    request.rocket().state::<AuthSettings>().map_or(DEFAULT_PREFIX, |s| s.prefix.as_str())
}

/// The login throttle `Auth::mount` set up, or the one `RestApi::mount`
/// manages for an app that mounts no `Auth`.
pub(crate) fn throttle_of(request: &rocket::Request<'_>) -> Arc<LoginThrottle> {
    let rocket = request.rocket();
    match (rocket.state::<AuthSettings>(), rocket.state::<throttle::Unmounted>()) {
        (Some(settings), _) => settings.throttle.clone(),
        (None, Some(unmounted)) => unmounted.0.clone(),
        // Credentials are gathered only by the REST API, which manages one.
        (None, None) => throttle::Unmounted::new().0,
    }
}
