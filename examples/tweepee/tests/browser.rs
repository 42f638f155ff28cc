//! Logging in to tweepee with a real browser: headless Chromium, driven over
//! WebDriver, against the app served on a loopback port.
//!
//! Each test skips, with one line on stderr, when Chromium or chromedriver
//! is not installed (set `HANGAR_CHROMIUM` and `HANGAR_CHROMEDRIVER` to use
//! other executables).

// A general client and app: not every test calls every method.
#[allow(dead_code)]
mod site;
#[allow(dead_code)]
mod webdriver;

use site::site;

#[test]
fn logging_in_through_the_form_greets_the_user_once_and_logging_out_forgets_them() {
    let Some(site) = site(&[("ada", "analytical-engine")]) else { return };
    site.open("/accounts/login/");
    let csrf = site.browser.find("form[method=post] input[type=hidden][name=csrf_token]").attr("value");
    assert!(csrf.is_some_and(|token| !token.is_empty()), "the form carries a CSRF token");
    site.submit_login("ada", "analytical-engine");

    assert_eq!(site.path(), "/", "a login without `next` lands on the home page");
    site.assert_flash("You are logged in as ada");
    assert!(site.browser.find("#whoami").text().contains("ada"));

    site.browser.refresh();
    assert_eq!(site.flashes(), Vec::<String>::new(), "a flash message is shown once");
    assert!(site.browser.find("#whoami").text().contains("ada"), "the session outlives the flash");

    site.open("/accounts/logout/");
    assert_eq!(site.path(), "/");
    site.assert_flash("You are now logged out");
    assert!(site.browser.find_all("#whoami").is_empty(), "nobody is logged in");
    site.browser.find("a[href^='/accounts/login/']");
}

#[test]
fn a_wrong_password_stays_on_the_login_form() {
    let Some(site) = site(&[("ada", "analytical-engine")]) else { return };
    site.log_in("ada", "difference-engine", "");

    assert!(site.path().starts_with("/accounts/login/"), "still on the login page: {}", site.path());
    site.assert_flash("Incorrect username or password");
    site.browser.find("form input[name=password]");

    site.open("/");
    assert!(site.browser.find_all("#whoami").is_empty(), "nobody is logged in");
    site.browser.find("a[href^='/accounts/login/']");
}

#[test]
fn login_follows_a_safe_next_and_ignores_an_unsafe_one() {
    let Some(site) = site(&[("ada", "analytical-engine")]) else { return };
    site.open("/accounts/login/?next=/api/user/");
    assert_eq!(site.browser.find("form input[name=next]").attr("value").as_deref(), Some("/api/user/"));
    site.submit_login("ada", "analytical-engine");
    assert_eq!(site.path(), "/api/user/", "`next` is honoured");

    site.open("/accounts/logout/");
    site.log_in("ada", "analytical-engine", "?next=//evil.com/");
    assert_eq!(site.path(), "/", "a `next` on another host is ignored");
    site.assert_flash("You are logged in as ada");
}

#[test]
fn a_username_is_shown_as_text_never_run_as_markup() {
    let name = "<script>window.__pwned = 1</script>";
    let Some(site) = site(&[(name, "pw")]) else { return };
    site.log_in(name, "pw", "");

    assert_eq!(site.path(), "/");
    site.assert_flash(&format!("You are logged in as {name}"));
    let whoami = site.browser.find("#whoami").text();
    assert!(whoami.contains(name), "the name is shown literally: {whoami:?}");
    assert_eq!(
        site.browser.execute("return window.__pwned === undefined", &[]),
        serde_json::Value::Bool(true),
        "the name's script did not run; the page:\n{}",
        site.browser.page_source()
    );
}
