//! The security headers on every HTML answer: every GET route enumerated
//! from the mounted routes (parameters filled from the seeded database),
//! the API's as the browsable HTML too, and the error pages, fetched
//! anonymously and as the admin.
//!
//! The set is Django's SecurityMiddleware and XFrameOptionsMiddleware plus a
//! CSP: `X-Content-Type-Options: nosniff`, `X-Frame-Options`, a
//! `Content-Security-Policy` with no inline script and `frame-ancestors
//! 'none'`, `Referrer-Policy: same-origin`, `Cross-Origin-Opener-Policy:
//! same-origin`, and `Cache-Control: no-store` (a page may show who is
//! logged in and carries a CSRF token).

use hangar_tests::backends::backends;
use rocket::http::{Accept, Method};

use crate::probe::{Answer, Probe};
use crate::routes::{mounted, Rows};

/// Whether a header's value is right.
type Check = fn(&str) -> bool;

/// Each header every page carries, and whether a value is right.
const PROMISED: [(&str, Check); 6] = [
    ("X-Content-Type-Options", |v| v == "nosniff"),
    ("X-Frame-Options", |v| v == "DENY" || v == "SAMEORIGIN"),
    // Scripts from the site's files only; no site may frame a page.
    ("Content-Security-Policy", |v| v.contains("script-src 'self';") && v.contains("frame-ancestors 'none'")),
    ("Referrer-Policy", |v| v == "same-origin"),
    ("Cross-Origin-Opener-Policy", |v| v == "same-origin"),
    ("Cache-Control", |v| v.contains("no-store")),
];

/// Panics naming every promised header `answer` lacks or gets wrong.
fn assert_promised(what: &str, answer: &Answer) {
    let wrong: Vec<String> = PROMISED
        .iter()
        .filter(|(name, ok)| !answer.header(name).is_some_and(ok))
        .map(|(name, _)| format!("{name}: {:?}", answer.header(name)))
        .collect();
    assert!(
        wrong.is_empty(),
        "{what} ({}) lacks the security headers {wrong:?}; it has {:?}",
        answer.status,
        answer.headers
    );
}

/// The error pages: 404s, a 405, a 400, and the admin refusing an
/// ordinary user.
const ERROR_PAGES: [&str; 6] = [
    "/no-such-page/",
    "/admin/no-such-model/",
    "/admin/message/999999/",
    "/users/nobody/",
    "/users/user1/follow/",
    "/public/?page=zero",
];

async fn fetch_all(probe: &Probe, who: &str, uris: &[String]) -> usize {
    let mut pages = 0;
    for uri in uris {
        for html in [false, true] {
            let mut request = probe.request(Method::Get, uri);
            if html {
                request = request.header(Accept::HTML);
            }
            let answer = probe.send(request).await;
            assert!(answer.status.code < 500, "GET {uri} as {who} answered {}: {}", answer.status, answer.body);
            if answer.is_html() {
                assert_promised(&format!("GET {uri} as {who}"), &answer);
                pages += 1;
            }
        }
    }
    pages
}

#[rocket::async_test]
async fn every_html_answer_carries_the_security_headers() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let probe = Probe::seeded(dialect).await;
        let routes = mounted(&probe, &[Method::Get]);
        let mut uris: Vec<String> = routes.iter().map(|r| r.uri(&probe, Rows::Real)).collect();
        uris.extend(routes.iter().filter(|r| r.path.contains('<')).map(|r| r.uri(&probe, Rows::Missing)));
        uris.extend(ERROR_PAGES.iter().map(|u| (*u).to_owned()));
        uris.sort();
        uris.dedup();
        // A GET of the logout logs out: it goes last.
        uris.sort_by_key(|uri| uri.starts_with("/accounts/logout"));
        let anonymous = fetch_all(&probe, "anonymous", &uris).await;
        probe.log_in("user0").await;
        let ordinary = fetch_all(&probe, "user0", &uris).await;
        probe.log_in("admin").await;
        let admin = fetch_all(&probe, "admin", &uris).await;
        eprintln!(
            "{} GET routes, {} URIs; HTML answers checked: {anonymous} anonymous, {ordinary} as user0, {admin} as admin",
            routes.len(),
            uris.len()
        );
        assert!(admin > 40 && anonymous > 20, "{anonymous} {admin}");
    }
}
