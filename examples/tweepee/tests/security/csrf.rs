//! Every state-changing route, enumerated from the mounted routes, answers
//! 403 to a cookie-authenticated request without the session's CSRF token
//! or with a wrong one, and changes nothing.
//!
//! No route is exempt. The login form is protected too, as Django's is: a
//! forged login would sign the victim in to the attacker's account (login
//! CSRF). The API's Basic-authenticated writes need no token, since a
//! browser never sends Basic credentials on its own: they carry no cookie
//! here and are not state changes by cookie.

use hangar_tests::backends::backends;
use rocket::http::{ContentType, Header, Method, Status};

use crate::probe::{Probe, CSRF_FIELD, CSRF_HEADER};
use crate::routes::{mounted, Mounted, Rows};

/// The methods that change state.
const WRITES: [Method; 4] = [Method::Post, Method::Put, Method::Patch, Method::Delete];

/// Routes that may take a cookie-authenticated write without a token, each
/// with its reason. Empty: see the module's comment.
const EXEMPT: &[(&str, &str)] = &[];

/// How a route answered a write with the cookie and no valid token.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// 403, and with the right token something else: the token is what
    /// refused it.
    Refused,
    /// 401 or 405 with the right token too: the cookie gives no authority
    /// here (the API's Basic-only users, the read-only documents), so there
    /// is nothing to forge.
    NoCookieWrites,
}

/// Sends `route` with the admin's cookie and `token` (none when empty) in
/// both the form and the header.
async fn write(probe: &Probe, route: &Mounted, rows: Rows, token: Option<&str>) -> Status {
    let uri = route.uri(probe, rows);
    let mut request = probe.request(route.method, &uri).header(ContentType::Form);
    let body = match token {
        Some(token) => {
            request.add_header(Header::new(CSRF_HEADER, token.to_owned()));
            format!("{CSRF_FIELD}={token}&probe=1")
        }
        None => "probe=1".to_owned(),
    };
    probe.send(request.body(body)).await.status
}

async fn verdict(probe: &Probe, route: &Mounted, good: &str) -> Verdict {
    let without = write(probe, route, Rows::Real, None).await;
    let forged = write(probe, route, Rows::Real, Some("forged")).await;
    assert_eq!(without, forged, "{} {}: no token and a forged one answer alike", route.method, route.path);
    // With the right token, on rows that do not exist, so nothing is written.
    let with = write(probe, route, Rows::Missing, Some(good)).await;
    match (without, with) {
        (Status::Forbidden, with) if with != Status::Forbidden => Verdict::Refused,
        (Status::Unauthorized | Status::MethodNotAllowed, with) if with == without => Verdict::NoCookieWrites,
        _ => panic!(
            "{} {} answered {without} without a CSRF token and {with} with one: expected 403 without it",
            route.method, route.path
        ),
    }
}

#[rocket::async_test]
async fn every_write_route_refuses_a_cookie_without_its_csrf_token() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let probe = Probe::seeded(dialect).await;
        let routes = mounted(&probe, &WRITES);
        assert!(routes.len() > 40, "the enumeration found the admin's, the site's and the API's writes: {routes:?}");
        // Logging out ends the session the rest needs: it goes last.
        let (logout, rest): (Vec<Mounted>, Vec<Mounted>) =
            routes.into_iter().partition(|r| r.path.starts_with("/accounts/logout"));
        probe.log_in("admin").await;
        let good = probe.csrf().await;
        let before = probe.snapshot();
        let (mut refused, mut no_cookie_writes) = (0, Vec::new());
        for route in rest.iter().chain(&logout) {
            if let Some((_, why)) = EXEMPT.iter().find(|(path, _)| *path == route.path) {
                eprintln!("{} {} exempt: {why}", route.method, route.path);
                continue;
            }
            match verdict(&probe, route, &good).await {
                Verdict::Refused => refused += 1,
                Verdict::NoCookieWrites => no_cookie_writes.push(format!("{} {}", route.method, route.path)),
            }
        }
        assert_eq!(probe.snapshot(), before, "no refused write changed a row");
        eprintln!("{refused} routes refused without the token; no cookie writes at {no_cookie_writes:?}");
        assert!(refused > 30, "{refused}");
        for route in &no_cookie_writes {
            assert!(route.contains(" /api"), "only the API has routes the cookie cannot write through: {route}");
        }
    }
}

#[rocket::async_test]
async fn an_anonymous_login_or_join_without_the_token_is_refused() {
    let probe = Probe::seeded(hangar::db::Dialect::Sqlite).await;
    probe.get("/accounts/login/").await;
    let before = probe.snapshot();
    for (uri, fields) in [
        ("/accounts/login/", [("username", "admin"), ("password", "admin")]),
        ("/join/", [("username", "joiner"), ("password", "joiner-pw")]),
    ] {
        for token in [None, Some("forged")] {
            let mut all: Vec<(&str, &str)> = fields.to_vec();
            all.extend(token.map(|t| (CSRF_FIELD, t)));
            assert_eq!(probe.post_form(uri, &all).await.status, Status::Forbidden, "{uri} with {token:?}");
        }
    }
    assert_eq!(probe.snapshot(), before, "nobody joined");
    assert!(probe.get("/create/").await.status != Status::Ok, "nobody logged in");
}
