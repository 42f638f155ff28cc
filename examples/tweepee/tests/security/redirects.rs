//! The open-redirect matrix on every `next`: the login form (its page, its
//! POST with `next` in the form or the query) and the logout (GET, and POST
//! with `next` in the form or the query). Each hostile target lands on the
//! site; the plainly foreign ones on the default, `/`; same-site targets
//! are kept as given.

use hangar_tests::backends::backends;
use rocket::http::Status;

use crate::probe::{csrf_of, Answer, Probe, CSRF_FIELD};

/// What a `next` must turn into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Kept as it is: a same-site path.
    Kept,
    /// Replaced by the default, `/`.
    Default,
    /// Either, as long as a browser stays on the site: a relative
    /// reference that only looks foreign (`%2F%2Fevil.com`, `evil.com@x`).
    OnSite,
}

/// Each `next`, as the server decodes it, and what it must become.
const MATRIX: &[(&str, Expect)] = &[
    ("/", Expect::Kept),
    ("/users/user1/", Expect::Kept),
    ("/admin/message/?page=2&ordering=-pub_date", Expect::Kept),
    ("/public/#top", Expect::Kept),
    ("/time/12:30/", Expect::Kept),
    ("", Expect::Default),
    ("//evil.com", Expect::Default),
    ("///evil.com", Expect::Default),
    ("////evil.com/", Expect::Default),
    ("https://evil.com", Expect::Default),
    ("http://evil.com/x", Expect::Default),
    ("HtTpS://evil.com", Expect::Default),
    ("http:evil.com", Expect::Default),
    ("https:/\\evil.com", Expect::Default),
    ("https:\\\\evil.com", Expect::Default),
    ("/\\evil.com", Expect::Default),
    ("\\\\evil.com", Expect::Default),
    ("\\/evil.com", Expect::Default),
    ("/\t/evil.com", Expect::Default),
    ("/\n/evil.com", Expect::Default),
    (" //evil.com", Expect::Default),
    ("\t//evil.com", Expect::Default),
    ("\n//evil.com", Expect::Default),
    ("\r\n//evil.com", Expect::Default),
    ("\u{0}//evil.com", Expect::Default),
    ("javascript:alert(1)", Expect::Default),
    ("JaVaScRiPt:alert(1)", Expect::Default),
    (" javascript:alert(1)", Expect::Default),
    ("java\tscript:alert(1)", Expect::Default),
    ("data:text/html,<script>alert(1)</script>", Expect::Default),
    ("vbscript:msgbox(1)", Expect::Default),
    ("//user@evil.com", Expect::Default),
    ("https://tweepee.test@evil.com/", Expect::Default),
    ("/\u{0}evil.com", Expect::Default),
    ("%2F%2Fevil.com", Expect::OnSite),
    ("/%2F/evil.com", Expect::OnSite),
    ("%2f%2fevil.com", Expect::OnSite),
    ("%5C%5Cevil.com", Expect::OnSite),
    ("evil.com@tweepee.test", Expect::OnSite),
    ("evil.com", Expect::OnSite),
    ("/.//evil.com", Expect::OnSite),
    ("\u{FF0F}\u{FF0F}evil.com", Expect::OnSite),
    ("\u{2215}\u{2215}evil.com", Expect::OnSite),
    ("/\u{FF3C}evil.com", Expect::OnSite),
    ("\u{3002}evil.com", Expect::OnSite),
    ("https\u{FF1A}//evil.com", Expect::OnSite),
];

/// Where a browser following `location` from `/accounts/login/` lands: on
/// the site unless, read the WHATWG way (tabs and newlines dropped, C0 and
/// spaces trimmed, `\` as `/`), it has a scheme or an authority.
fn lands_on_site(location: &str) -> bool {
    let trimmed = location.trim_matches(|c: char| c <= ' ');
    let read: String =
        trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).map(|c| if c == '\\' { '/' } else { c }).collect();
    if read.starts_with("//") {
        return false;
    }
    let before_path = read.split(['/', '?', '#']).next().unwrap_or_default();
    !before_path.contains(':')
}

fn check(flow: &str, next: &str, expect: Expect, answer: &Answer) {
    let case = format!("{flow} with next={next:?}");
    assert!(answer.status.class().is_redirection(), "{case} answered {}: {}", answer.status, answer.body);
    let location = answer.header("Location").unwrap_or_else(|| panic!("{case}: no Location"));
    assert!(lands_on_site(location), "{case} redirected off the site, to {location:?}");
    match expect {
        Expect::Kept => assert_eq!(location, next, "{case} kept its same-site next"),
        Expect::Default => assert_eq!(location, "/", "{case} went to the default"),
        Expect::OnSite => {}
    }
}

fn query(next: &str) -> String {
    format!("?next={}", hangar::forms::encode_component(next))
}

/// Logs in as `user0` through the form at `/accounts/login/{query}` with
/// `fields` besides the credentials.
async fn log_in(probe: &Probe, query: &str, fields: &[(&str, &str)]) -> Answer {
    let token = probe.csrf().await;
    let mut all = vec![(CSRF_FIELD, token.as_str()), ("username", "user0"), ("password", "user0")];
    all.extend_from_slice(fields);
    probe.post_form(&format!("/accounts/login/{query}"), &all).await
}

#[rocket::async_test]
async fn every_next_stays_on_the_site() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let probe = Probe::seeded(dialect).await;
        let mut flows = 0;
        for &(next, expect) in MATRIX {
            // The login page keeps `next` in its form, and the form's POST obeys it.
            let page = probe.get(&format!("/accounts/login/{}", query(next))).await;
            assert_eq!(page.status, Status::Ok, "the login page with next={next:?}");
            let hidden = page.body.split("name=\"next\" value=\"").nth(1).and_then(|r| r.split('"').next());
            assert!(hidden.is_some(), "the login page keeps next={next:?} in its form");
            let fields = [
                (CSRF_FIELD, csrf_of(&page.body)),
                ("username", "user0".into()),
                ("password", "user0".into()),
                ("next", next.into()),
            ];
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            check("the login form's POST", next, expect, &probe.post_form("/accounts/login/", &fields).await);

            // `next` in the login POST's query is not read: the default.
            let answer = log_in(&probe, &query(next), &[]).await;
            check("a login POST with next in its query", next, Expect::OnSite, &answer);
            assert_eq!(answer.header("Location"), Some("/"), "a login reads next from its form only");

            let answer = probe.get(&format!("/accounts/logout/{}", query(next))).await;
            check("GET /accounts/logout/", next, expect, &answer);

            log_in(&probe, "", &[]).await;
            let token = probe.csrf().await;
            let answer = probe.post_form("/accounts/logout/", &[(CSRF_FIELD, &token), ("next", next)]).await;
            check("POST /accounts/logout/ with next in its form", next, expect, &answer);

            log_in(&probe, "", &[]).await;
            let token = probe.csrf().await;
            let answer = probe.post_form(&format!("/accounts/logout/{}", query(next)), &[(CSRF_FIELD, &token)]).await;
            check("POST /accounts/logout/ with next in its query", next, expect, &answer);
            flows += 5;
        }
        eprintln!("{} targets × 5 flows = {flows} redirects, all on the site", MATRIX.len());
    }
}

#[test]
fn the_oracle_tells_foreign_targets_from_local_ones() {
    for foreign in ["//evil.com", "\\\\evil.com", " /\\evil.com", "/\t/evil.com", "https://evil.com", "java\nscript:x"]
    {
        assert!(!lands_on_site(foreign), "{foreign:?}");
    }
    for local in ["/", "/a/b/?x=1", "%2F%2Fevil.com", "evil.com@x", "/.//evil.com"] {
        assert!(lands_on_site(local), "{local:?}");
    }
}
