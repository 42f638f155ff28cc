//! `/accounts/login/` and `/accounts/logout/`: the form, its errors, the
//! redirects, the session, CSRF, the throttle and legacy hashes.

use std::time::Duration;

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use hangar::auth::Auth;
use hangar_tests::schema::users;
use rocket::http::Status;

use crate::auth_support::{user_site, Browser, Page};

fn site(db: &hangar_tests::backends::TestDb) -> rocket::Rocket<rocket::Build> {
    user_site(Auth::new(), db)
}

fn redirected_to(page: &Page, target: &str) {
    assert_eq!(page.status, Status::SeeOther, "{page:?}");
    assert_eq!(page.location.as_deref(), Some(target), "{page:?}");
}

#[rocket::async_test]
async fn the_login_page_has_the_form_and_sets_a_hardened_session_cookie() {
    Browser::each(site, async |browser: &Browser| {
        let page = browser.get("/accounts/login/?next=%2Fprivate%2F%3Fa%3D1").await;
        assert_eq!(page.status, Status::Ok);
        for needle in [
            r#"<form method="post" action="/accounts/login/""#,
            r#"name="username""#,
            r#"type="password" name="password""#,
            r#"<input type="hidden" name="next" value="/private/?a&#x3D;1">"#,
            r#"<input type="hidden" name="csrf_token" value=""#,
        ] {
            assert!(page.body.contains(needle), "{needle} in {}", page.body);
        }
        let cookie = page.set_cookie.iter().find(|c| c.starts_with("hangar_session=")).expect("a session cookie");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{attribute} in {cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain HTTP and not configured: {cookie}");
        assert_eq!(browser.whoami().await, "anonymous");
    })
    .await;
}

#[rocket::async_test]
async fn the_cookie_is_secure_when_configured() {
    Browser::each(
        |db| user_site(Auth::new().secure_cookies(true), db),
        async |browser: &Browser| {
            let page = browser.get("/accounts/login/").await;
            let cookie = page.set_cookie.iter().find(|c| c.starts_with("hangar_session=")).expect("a cookie");
            assert!(cookie.contains("Secure"), "{cookie}");
        },
    )
    .await;
}

#[rocket::async_test]
async fn a_missing_field_is_required_without_a_flash() {
    Browser::each(site, async |browser: &Browser| {
        let page = browser.log_in("", "xxx", "/private/").await;
        assert_eq!(page.status, Status::Ok);
        assert_eq!(page.body.matches("This field is required.").count(), 1, "{}", page.body);
        assert!(!page.body.contains("Incorrect username or password"));
        assert!(page.body.contains(r#"name="next" value="/private/""#), "next is kept");
        let page = browser.log_in("normal", "", "").await;
        assert!(page.body.contains("This field is required."));
        assert!(page.body.contains(r#"value="normal""#), "the username is kept");
        assert_eq!(browser.whoami().await, "anonymous");
    })
    .await;
}

#[rocket::async_test]
async fn wrong_passwords_unknown_and_inactive_users_cannot_log_in() {
    Browser::each(site, async |browser: &Browser| {
        for (username, password) in [("normal", "wrong"), ("nobody", "normal"), ("inactive", "inactive")] {
            let page = browser.log_in(username, password, "/private/").await;
            assert_eq!(page.status, Status::Ok, "{username}");
            assert!(page.body.contains("Incorrect username or password"), "{username}: {}", page.body);
            assert!(page.body.contains(r#"class="flash flash-danger""#));
            assert!(page.body.contains(r#"name="next" value="/private/""#), "next is kept");
            if password != username {
                assert!(!page.body.contains(password), "the password is never echoed: {}", page.body);
            }
            assert_eq!(browser.whoami().await, "anonymous");
        }
        assert!(browser.flashes().await.is_empty(), "the failure flash was shown on the form only");
    })
    .await;
}

#[rocket::async_test]
async fn a_login_redirects_to_a_safe_next_only() {
    let cases = [
        ("/private/", "/private/"),
        ("/admin/message/?page=2&ordering=-pub_date", "/admin/message/?page=2&ordering=-pub_date"),
        ("", "/"),
        ("http://evil.com", "/"),
        ("//evil.com", "/"),
        ("https://evil.com/x", "/"),
        ("javascript:alert(1)", "/"),
        ("/\\evil.com", "/"),
    ];
    Browser::each(site, async |browser: &Browser| {
        for (next, target) in cases {
            redirected_to(&browser.log_in("normal", "normal", next).await, target);
        }
        assert_eq!(browser.whoami().await, "normal");
    })
    .await;
}

#[rocket::async_test]
async fn the_success_flash_is_shown_once() {
    Browser::each(site, async |browser: &Browser| {
        redirected_to(&browser.log_in("normal", "normal", "").await, "/");
        assert_eq!(browser.flashes().await, ["You are logged in as normal"]);
        assert!(browser.flashes().await.is_empty());
    })
    .await;
}

#[rocket::async_test]
async fn flashes_pile_up_to_a_bound_keeping_the_newest() {
    Browser::each(site, async |browser: &Browser| {
        browser.get("/flash?count=3").await;
        assert_eq!(browser.flashes().await, ["message 0", "message 1", "message 2"]);
        browser.get("/flash?count=25").await;
        let shown = browser.flashes().await;
        assert_eq!(shown.len(), hangar::auth::MAX_FLASHES);
        assert_eq!((shown[0].as_str(), shown[9].as_str()), ("message 15", "message 24"));
    })
    .await;
}

#[rocket::async_test]
async fn logging_in_starts_a_fresh_session_and_can_switch_users() {
    Browser::each(site, async |browser: &Browser| {
        let old_token = browser.csrf().await;
        let before = browser.session_cookie().expect("a session before login");
        browser.log_in("normal", "normal", "").await;
        let after = browser.session_cookie().expect("a session after login");
        assert_ne!(before, after, "the cookie changes on login");
        assert_ne!(browser.csrf().await, old_token, "the CSRF token is new");
        let stale = browser.post("/accounts/logout/", &[("csrf_token", &old_token)]).await;
        assert_eq!(stale.status, Status::Forbidden, "the pre-login token is worthless");
        redirected_to(&browser.log_in("admin", "admin", "").await, "/");
        assert_eq!(browser.whoami().await, "admin");
    })
    .await;
}

#[rocket::async_test]
async fn a_password_change_or_deactivation_ends_other_sessions() {
    Browser::each(site, async |browser: &Browser| {
        browser.log_in("normal", "normal", "").await;
        assert_eq!(browser.whoami().await, "normal");
        let hash = hangar::utils::make_password("changed");
        let normal = users::table.filter(users::username.eq("normal"));
        diesel::update(normal).set(users::password.eq(hash)).execute(&mut *browser.db.conn()).expect("updated");
        assert_eq!(browser.whoami().await, "anonymous", "the old session is rejected");

        browser.log_in("normal", "changed", "").await;
        assert_eq!(browser.whoami().await, "normal");
        diesel::update(normal).set(users::active.eq(false)).execute(&mut *browser.db.conn()).expect("updated");
        assert_eq!(browser.whoami().await, "anonymous", "a deactivated user is logged out");
    })
    .await;
}

#[rocket::async_test]
async fn logout_by_get_or_post_flashes_and_redirects_safely() {
    Browser::each(site, async |browser: &Browser| {
        browser.log_in("normal", "normal", "").await;
        browser.flashes().await;
        redirected_to(&browser.get("/accounts/logout/?next=%2Fprivate%2F").await, "/private/");
        assert_eq!(browser.whoami().await, "anonymous");
        assert_eq!(browser.flashes().await, ["You are now logged out"]);

        browser.log_in("normal", "normal", "").await;
        redirected_to(&browser.get("/accounts/logout/?next=%2F%2Fevil.com%2F").await, "/");

        browser.log_in("normal", "normal", "").await;
        let csrf = browser.csrf().await;
        let page = browser.post("/accounts/logout/", &[("csrf_token", &csrf), ("next", "/private/")]).await;
        redirected_to(&page, "/private/");
        assert_eq!(browser.whoami().await, "anonymous");
    })
    .await;
}

#[rocket::async_test]
async fn a_form_post_without_its_csrf_token_is_forbidden() {
    Browser::each(site, async |browser: &Browser| {
        browser.get("/accounts/login/").await;
        for token in ["", "forged"] {
            let fields = [("csrf_token", token), ("username", "normal"), ("password", "normal")];
            let page = browser.post("/accounts/login/", &fields).await;
            assert_eq!(page.status, Status::Forbidden, "{page:?}");
            assert!(page.body.contains("CSRF verification failed"), "{}", page.body);
        }
        let no_token = browser.post("/accounts/login/", &[("username", "normal"), ("password", "normal")]).await;
        assert_eq!(no_token.status, Status::Forbidden);
        assert_eq!(browser.whoami().await, "anonymous");

        browser.log_in("normal", "normal", "").await;
        let page = browser.post("/accounts/logout/", &[]).await;
        assert_eq!(page.status, Status::Forbidden);
        assert_eq!(browser.whoami().await, "normal", "a forged logout does nothing");
    })
    .await;
}

#[rocket::async_test]
async fn an_oversized_or_garbled_form_gets_a_clear_error() {
    Browser::each(site, async |browser: &Browser| {
        let csrf = browser.csrf().await;
        let huge = "x".repeat(20 * 1024);
        let page =
            browser.post("/accounts/login/", &[("csrf_token", &csrf), ("username", &huge), ("password", "x")]).await;
        assert_eq!(page.status, Status::PayloadTooLarge, "{}", page.body.len());
        assert!(page.body.contains("The form could not be read."), "{}", page.body);
        let request =
            browser.client.post("/accounts/login/").header(rocket::http::ContentType::Form).body(vec![0xff, 0xfe]);
        let page = browser.dispatch(request).await;
        assert_eq!(page.status, Status::BadRequest);
        assert_eq!(browser.whoami().await, "anonymous");
    })
    .await;
}

#[rocket::async_test]
async fn repeated_failures_are_throttled_without_checking_the_password() {
    Browser::each(
        |db| user_site(Auth::new().throttle(3, Duration::from_secs(600)), db),
        async |browser: &Browser| {
            for _ in 0..3 {
                assert_eq!(browser.log_in("normal", "wrong", "").await.status, Status::Ok);
            }
            let page = browser.log_in("normal", "normal", "").await;
            assert_eq!(page.status, Status::TooManyRequests, "even the right password: {page:?}");
            let wait: u64 = page.retry_after.as_deref().and_then(|s| s.parse().ok()).expect("Retry-After");
            assert!((1..=600).contains(&wait), "{wait}");
            assert!(page.body.contains("Too many failed logins. Try again in 10 minutes."), "{}", page.body);
            assert_eq!(browser.whoami().await, "anonymous");
            let other = browser.log_in("admin", "admin", "").await;
            assert_eq!(other.status, Status::TooManyRequests, "the client address is throttled too");
        },
    )
    .await;
}

/// Python's `hashlib` on `b"secret"` with the salt `b"saltsalt"`, in
/// werkzeug's and Django's formats.
const LEGACY_HASHES: [&str; 3] = [
    "pbkdf2:sha256:1000$saltsalt$86047d1ecaad2aea56c699eff32f7d4eb3c36a34d3ffd3dc49394d69fa5d2d74",
    "scrypt:16:8:1$saltsalt$b474fb18baa9d2e61b881d34f4c7881e732e10c67cea4c748e0069ab9bf1a3cea39ce289e74d565b218e6bc57c842dd73a5cb6beb14af2af7b94e53fd58eeef4",
    "pbkdf2_sha256$1000$saltsalt$hgR9HsqtKupWxpnv8y99TrPDajTT/9PcSTlNafpdLXQ=",
];

#[rocket::async_test]
async fn legacy_hashes_log_in_and_are_rehashed_only_on_success() {
    Browser::each(site, async |browser: &Browser| {
        let normal = || users::table.filter(users::username.eq("normal"));
        let stored = || -> String { normal().select(users::password).first(&mut *browser.db.conn()).expect("a hash") };
        for legacy in LEGACY_HASHES {
            diesel::update(normal()).set(users::password.eq(legacy)).execute(&mut *browser.db.conn()).expect("set");
            browser.log_in("normal", "Secret", "").await;
            assert_eq!(browser.whoami().await, "anonymous");
            assert_eq!(stored(), legacy, "a failed login never rehashes");

            redirected_to(&browser.log_in("normal", "secret", "").await, "/");
            assert_eq!(browser.whoami().await, "normal", "{legacy} verifies");
            let fresh = stored();
            assert!(fresh.starts_with("$pbkdf2-sha256$i=1000,"), "{legacy} became {fresh}");
            assert!(hangar::utils::check_password("secret", &fresh));
            assert_eq!(browser.whoami().await, "normal", "the rehash keeps this session");
            browser.get("/accounts/logout/").await;
        }
    })
    .await;
}

#[rocket::async_test]
async fn an_undersized_pbkdf2_hash_is_rehashed_at_the_current_cost() {
    Browser::each(site, async |browser: &Browser| {
        let cheap = hangar::utils::make_password_with("normal", 10);
        let normal = users::table.filter(users::username.eq("normal"));
        diesel::update(normal).set(users::password.eq(&cheap)).execute(&mut *browser.db.conn()).expect("set");
        browser.log_in("normal", "normal", "").await;
        let stored: String = normal.select(users::password).first(&mut *browser.db.conn()).expect("a hash");
        assert!(stored.starts_with("$pbkdf2-sha256$i=1000,"), "{stored}");
    })
    .await;
}
