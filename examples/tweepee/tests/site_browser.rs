//! tweepee's public site in a real browser: headless Chromium over
//! WebDriver, against the app served on a loopback port. A failing test
//! leaves a screenshot in `target/browser-screenshots/`; with
//! `HANGAR_SCREENSHOTS=examples/tweepee/screenshots` the README's
//! screenshots are taken again.
//!
//! Each test skips, with one line on stderr, when Chromium or chromedriver
//! is not installed.

// A general client and app: not every test calls every method.
#[allow(dead_code)]
mod site;
#[allow(dead_code)]
mod webdriver;

use serde_json::Value;
use site::{seeded_site, site, Site};

/// Fills in and submits the sign-up form.
fn join(site: &Site, username: &str, password: &str, email: &str) {
    site.open("/join/");
    site.browser.find("#username").send_keys(username);
    site.browser.find("#password").send_keys(password);
    site.browser.find("#email").send_keys(email);
    site.browser.find("form.join button[type=submit]").click_and_wait();
}

fn log_out(site: &Site) {
    site.browser.find("header.site form button[type=submit]").click_and_wait();
}

/// The texts of the messages on the page.
fn messages(site: &Site) -> Vec<String> {
    site.browser.find_all(".message .content").iter().map(|m| m.text()).collect()
}

/// The follow button's label on the current page, if any.
fn follow_button(site: &Site) -> Option<String> {
    site.browser
        .find_all("main form button[type=submit]")
        .iter()
        .map(|b| b.text())
        .find(|t| t.contains("Follow") || t.contains("Un-follow"))
}

#[test]
fn two_people_join_follow_and_read_each_other() {
    let Some(site) = site(&[]) else { return };
    site.browser.set_window_size(1100, 900);

    join(&site, "alice", "alice-pw", "alice@example.com");
    assert_eq!(site.path(), "/");
    site.assert_flash("You are logged in as alice");
    log_out(&site);
    join(&site, "bob", "bob-pw", "bob@example.com");
    assert_eq!(site.path(), "/");
    log_out(&site);

    // A second alice is refused, her other values kept.
    join(&site, "alice", "other", "second@example.com");
    assert!(site.path().starts_with("/join/"), "{}", site.path());
    assert_eq!(site.browser.find("#username-error").text(), "That username is already taken");
    assert_eq!(site.browser.find("#email").attr("value").as_deref(), Some("second@example.com"));

    // bob posts.
    site.log_in("bob", "bob-pw", "");
    site.browser.find("#content").send_keys("hello from bob, see https://example.com/bob");
    site.browser.find("form.create button[type=submit]").click_and_wait();
    assert_eq!(site.path(), "/users/bob/");
    site.assert_flash("Your message has been created");
    assert!(site.browser.find(".message .content a[href='https://example.com/bob']").text().contains("example.com"));
    site.open("/users/alice/");
    assert_eq!(follow_button(&site).as_deref(), Some("+ Follow"), "bob sees a follow button on alice's page");
    site.open("/users/bob/");
    assert_eq!(follow_button(&site), None, "no button on one's own page");
    log_out(&site);

    // Anonymous visitors are asked to log in.
    site.open("/users/bob/");
    assert!(site.browser.find("main a[href^='/accounts/login/']").text().contains("Log-in to follow"));

    // alice posts, then follows bob twice: the second is harmless.
    site.log_in("alice", "alice-pw", "");
    site.browser.find("#content").send_keys("alice was here");
    site.browser.find("form.create button[type=submit]").click_and_wait();
    site.open("/users/bob/");
    site.browser.find("main form button[type=submit]").click_and_wait();
    site.assert_flash("You are now following bob");
    // The same form posted again, as a second click from a stale page would.
    site.browser.execute(
        "const f = document.createElement('form'); f.method = 'post'; f.action = '/users/bob/follow/';
         const t = document.querySelector('input[name=csrf_token]').cloneNode(); f.appendChild(t);
         document.body.appendChild(f); document.body.dataset.stale = '1'; f.submit();",
        &[],
    );
    site.wait_for("return !document.body.dataset.stale && document.readyState === 'complete'");
    site.assert_flash("You are now following bob");
    site.open("/users/bob/");
    assert_eq!(follow_button(&site).as_deref(), Some("- Un-follow"));

    site.open("/private/");
    assert_eq!(messages(&site), ["hello from bob, see https://example.com/bob"], "bob's, none of alice's");
    site.open("/");
    assert_eq!(site.browser.find("main h1").text(), "Private Timeline");
    assert_eq!(messages(&site), ["hello from bob, see https://example.com/bob"]);

    site.open("/following/");
    let names: Vec<String> = site.browser.find_all(".users li a").iter().map(|a| a.text()).collect();
    assert_eq!(names, ["bob"]);
    site.open("/followers/");
    assert!(site.browser.find_all(".users li a").is_empty(), "nobody follows alice");
    log_out(&site);
    site.log_in("bob", "bob-pw", "?next=/followers/");
    assert_eq!(site.path(), "/followers/");
    let names: Vec<String> = site.browser.find_all(".users li a").iter().map(|a| a.text()).collect();
    assert_eq!(names, ["alice"]);
    log_out(&site);
    site.assert_flash("You are now logged out");
    assert!(site.browser.find_all("header.site .account-name").is_empty());
}

#[test]
fn a_long_timeline_pages_by_twenty() {
    let Some(site) = seeded_site(5, 45) else { return };
    site.browser.set_window_size(1100, 900);
    site.open("/public/");
    site.screenshot("public-timeline");
    let mut sizes = Vec::new();
    let mut pages = 0;
    loop {
        pages += 1;
        sizes.push(messages(&site).len());
        let previous = site.browser.find_all("a[rel=prev]").len();
        assert_eq!(previous, usize::from(pages > 1), "Previous only after page 1");
        let next = site.browser.find_all("a[rel=next]");
        let Some(next) = next.first() else { break };
        next.click_and_wait();
    }
    assert_eq!(sizes, [20, 20, 5]);
    assert_eq!(messages(&site).last().map(String::as_str), Some("message 0 from user0"));
    site.browser.find("a[rel=prev]").click_and_wait();
    assert_eq!(site.path(), "/public/?page=2");

    site.open("/users/user1/");
    site.screenshot("user-page");
}

#[test]
fn unknown_users_are_404s_and_member_pages_ask_for_a_login() {
    let Some(site) = seeded_site(3, 3) else { return };
    site.open("/users/nobody/");
    assert_eq!(site.browser.find("main h1").text(), "404 Not Found");
    site.open("/users/nobody/follow/");
    assert_eq!(site.browser.find("main h1").text(), "404 Not Found");
    for page in ["/create/", "/following/"] {
        site.open(page);
        let encoded = page.replace('/', "%2F");
        let path = site.path();
        assert!(path.starts_with("/accounts/login/?next="), "{page} -> {path}");
        assert!(path.contains(&encoded) || path.contains(page), "{page} -> {path}");
        site.submit_login("user0", "user0");
        assert_eq!(site.path(), page, "back where the visitor was going");
        log_out(&site);
    }
}

#[test]
fn at_phone_width_nothing_scrolls_sideways() {
    let Some(site) = seeded_site(3, 25) else { return };
    site.browser.set_window_size(375, 812);
    site.log_in("user0", "user0", "");
    for page in ["/", "/public/", "/users/", "/users/user1/", "/join/", "/create/"] {
        site.open(page);
        let wide = site.browser.execute("return document.documentElement.scrollWidth > window.innerWidth", &[]);
        assert_eq!(wide, Value::Bool(false), "{page} scrolls sideways at 375 px");
    }
}

/// The site header's links, as `(href, text)`.
fn header_links(site: &Site) -> Vec<(String, String)> {
    let links = site.browser.find_all("header.site a");
    links.iter().map(|a| (a.attr("href").unwrap_or_default(), a.text())).collect()
}

fn pairs(links: &[(&str, &str)]) -> Vec<(String, String)> {
    links.iter().map(|(href, text)| ((*href).to_owned(), (*text).to_owned())).collect()
}

#[test]
fn every_page_offers_the_timelines_posting_and_logging_out_as_peewee_does() {
    let Some(site) = seeded_site(3, 3) else { return };
    site.browser.set_window_size(1100, 900);
    let visitor = pairs(&[
        ("/", "tweepee"),
        ("/public/", "Public timeline"),
        ("/users/", "Users"),
        ("/api/", "API"),
        ("/accounts/login/", "Log in"),
        ("/join/", "Join"),
    ]);
    let member = pairs(&[
        ("/", "tweepee"),
        ("/", "Private timeline"),
        ("/public/", "Public timeline"),
        ("/create/", "Post a message"),
        ("/users/", "Users"),
        ("/api/", "API"),
    ]);
    for page in ["/public/", "/users/user1/", "/join/", "/users/nobody/"] {
        site.open(page);
        assert_eq!(header_links(&site), visitor, "a visitor on {page}");
        assert!(site.browser.find_all("header.site form").is_empty(), "no logout form for a visitor on {page}");
    }
    site.browser.find("header.site a[href='/accounts/login/']").click_and_wait();
    site.submit_login("user0", "user0");
    for page in ["/", "/public/", "/users/user1/", "/following/", "/users/nobody/"] {
        site.open(page);
        assert_eq!(header_links(&site), member, "a member on {page}");
        let token =
            site.browser.find("header.site form[method=post][action='/accounts/logout/'] input[name=csrf_token]");
        assert!(token.attr("value").is_some_and(|t| !t.is_empty()), "the logout form carries a token on {page}");
    }

    // Each link leads where it says, and logging out works from any page.
    site.open("/users/user1/");
    site.browser.find("header.site nav a[href='/create/']").click_and_wait();
    site.browser.find("#content").send_keys("posted through the navigation");
    site.browser.find("form.create button[type=submit]").click_and_wait();
    assert_eq!(site.path(), "/users/user0/");
    site.browser.find("header.site nav a[href='/public/']").click_and_wait();
    assert_eq!(site.browser.find("main h1").text(), "Public Timeline");
    assert_eq!(messages(&site).first().map(String::as_str), Some("posted through the navigation"));
    site.browser.find("header.site nav a[href='/']").click_and_wait();
    assert_eq!(site.browser.find("main h1").text(), "Private Timeline");
    site.open("/users/user2/");
    log_out(&site);
    site.assert_flash("You are now logged out");
    assert_eq!(header_links(&site), visitor, "logged out, on {}", site.path());
}
