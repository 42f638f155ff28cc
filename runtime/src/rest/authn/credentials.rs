use std::net::IpAddr;
use std::sync::Arc;

use base64ct::{Base64, Encoding};
use rocket::http::{ContentType, Method};
use rocket::Request;

use crate::auth::session::SessionUser;
use crate::auth::throttle::{self, LoginThrottle};
use crate::auth::{Session, SESSION_COOKIE};
use crate::forms::Params;

/// The header a cookie-authenticated write carries its CSRF token in.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// The credentials a request carries: HTTP Basic, a bearer token, and the
/// named parameters an authentication asked for, read from the query, from
/// headers of the same name, or from form fields.
#[derive(Clone)]
pub struct Credentials {
    basic: Option<(String, String)>,
    bearer: Option<String>,
    params: Vec<(String, String)>,
    method: Method,
    session: Option<SessionUser>,
    csrf_header_matches: bool,
    client: Option<IpAddr>,
    throttle: Arc<LoginThrottle>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret.
        f.debug_struct("Credentials")
            .field("basic", &self.basic.as_ref().map(|(user, _)| user))
            .field("bearer", &self.bearer.as_ref().map(|_| "***"))
            .field("params", &self.params.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish()
    }
}

impl Credentials {
    /// Reads `request`, and `body` when it is a form, for the parameters `names`.
    pub(crate) fn gather(request: &Request<'_>, body: &[u8], names: &[&str]) -> Self {
        let authorization = request.headers().get_one("Authorization").unwrap_or_default();
        let (scheme, value) = authorization.trim().split_once(' ').unwrap_or((authorization, ""));
        let basic = scheme
            .eq_ignore_ascii_case("basic")
            .then(|| Base64::decode_vec(value.trim()).ok())
            .flatten()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|pair| pair.split_once(':').map(|(u, p)| (u.to_owned(), p.to_owned())));
        let bearer = scheme.eq_ignore_ascii_case("bearer").then(|| value.trim().to_owned()).filter(|t| !t.is_empty());
        let mut params = Vec::new();
        if !names.is_empty() {
            let query = Params::of_query(request.uri());
            let is_form = request.content_type().is_some_and(|ct| *ct == ContentType::Form);
            let form = if is_form { Params::parse_bytes(body) } else { Params::default() };
            for name in names {
                let from_header = || request.headers().get_one(name);
                if let Some(value) = query.get(name).or_else(from_header).or_else(|| form.get(name)) {
                    params.push(((*name).to_owned(), value.to_owned()));
                }
            }
        }
        // The session is read only when its cookie is there.
        let (session, csrf_header_matches) = match request.cookies().get(SESSION_COOKIE) {
            Some(_) => {
                let session = Session::of(request);
                let token = request.headers().get_one(CSRF_HEADER).unwrap_or_default();
                (session.user(), session.csrf_matches(token))
            }
            None => (None, false),
        };
        let method = request.method();
        let (client, throttle) = (request.client_ip(), throttle::of(request));
        Credentials { basic, bearer, params, method, session, csrf_header_matches, client, throttle }
    }

    /// The client's address, as the login throttle counts it.
    pub(crate) fn client(&self) -> Option<IpAddr> {
        self.client
    }

    /// The login throttle that counts failed passwords.
    pub(crate) fn throttle(&self) -> &LoginThrottle {
        &self.throttle
    }

    /// HTTP Basic username and password.
    pub fn basic(&self) -> Option<(&str, &str)> {
        self.basic.as_ref().map(|(u, p)| (u.as_str(), p.as_str()))
    }

    /// The token of `Authorization: Bearer <token>`.
    pub fn bearer(&self) -> Option<&str> {
        self.bearer.as_deref()
    }

    /// The request's method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The logged-in user the session cookie names, unchecked.
    pub(crate) fn session(&self) -> Option<&SessionUser> {
        self.session.as_ref()
    }

    /// Whether the `X-CSRF-Token` header holds the session's token.
    pub(crate) fn csrf_header_matches(&self) -> bool {
        self.csrf_header_matches
    }

    /// A named parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}
