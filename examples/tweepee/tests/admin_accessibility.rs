//! tweepee's admin with the keyboard alone, and under axe-core: headless
//! Chromium over WebDriver, against the app served on a loopback port with
//! `tweepee seed`'s data. A failing test leaves a screenshot in
//! `target/browser-screenshots/`.
//!
//! Each test skips, with one line on stderr, when Chromium or chromedriver
//! is not installed.

mod axe;
// A general client and app: not every test calls every method.
#[allow(dead_code)]
mod site;
#[allow(dead_code)]
mod webdriver;

use serde_json::{json, Value};
use site::{seeded_site, Site};

/// WebDriver's codes for keys that are not characters.
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const ARROW_DOWN: &str = "\u{E015}";
const CONTROL: &str = "\u{E009}";

fn admin_site() -> Option<Site> {
    let site = seeded_site(12, 30)?;
    site.browser.set_window_size(1280, 900);
    site.log_in("admin", "admin", "?next=/admin/");
    assert_eq!(site.path(), "/admin/", "the admin logs in to the dashboard");
    Some(site)
}

/// `script`'s answer on the current page.
fn eval(site: &Site, script: &str) -> Value {
    site.browser.execute(script, &[])
}

/// A selector for what has the focus: its tag, and its id or name.
fn focused(site: &Site) -> String {
    let script = "const a = document.activeElement; return a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + (a.name ? '[' + a.name + ']' : '')";
    eval(site, script).as_str().unwrap_or_default().to_owned()
}

/// The key of the first message listed by id.
fn first_message(site: &Site) -> String {
    site.open("/admin/message/?ordering=id");
    site.browser.find("table.results tbody input[name=id]").attr("value").expect("a message's key")
}

/// Asserts that axe finds nothing on the current page, listing what it
/// found otherwise.
#[track_caller]
fn assert_accessible(site: &Site, what: &str) {
    let found = axe::violations(&site.browser);
    assert!(found.is_empty(), "axe on {what} ({}):\n{}", site.path(), found.join("\n"));
}

#[test]
fn the_admin_pages_and_dialogs_pass_axe_in_the_light_and_the_dark_scheme() {
    let Some(site) = admin_site() else { return };
    let key = first_message(&site);
    let pages = [
        ("the dashboard", "/admin/".to_owned()),
        ("a list", "/admin/message/".to_owned()),
        ("an edit form", format!("/admin/message/{key}/")),
        ("a history page", format!("/admin/message/{key}/history/")),
        ("a delete page", format!("/admin/message/{key}/delete/")),
    ];
    for scheme in ["light", "dark"] {
        site.browser.emulate_color_scheme(scheme);
        for (what, path) in &pages {
            site.open(path);
            let media = format!("return matchMedia('(prefers-color-scheme: {scheme})').matches");
            assert_eq!(eval(&site, &media), json!(true), "the page sees the {scheme} scheme");
            assert_accessible(&site, &format!("{what}, {scheme}"));
        }
        // The dialogs, open over the list.
        site.open("/admin/message/");
        site.browser.press("?");
        site.wait_for("return document.querySelector('dialog.kbd-help[open]') !== null");
        assert_accessible(&site, &format!("the keyboard help, {scheme}"));
        site.browser.press(ESCAPE);
        site.browser.press(&format!("{CONTROL}k"));
        site.wait_for("return document.querySelector('dialog.palette[open]') !== null");
        assert_accessible(&site, &format!("the command palette, {scheme}"));
        site.screenshot(&format!("admin-keyboard-palette-{scheme}"));
    }
}

#[test]
fn slash_focuses_the_search_and_j_k_x_enter_work_the_message_list() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/message/?ordering=id");
    site.browser.press("/");
    assert_eq!(focused(&site), "input#admin-search[q]", "/ focuses the search");
    // Typed into the search, the keys are text.
    site.browser.press("jx");
    assert_eq!(eval(&site, "return document.getElementById('admin-search').value"), json!("jx"));
    assert_eq!(site.browser.find_all("tr.is-current").len(), 0, "no row moved while typing");
    eval(&site, "const s = document.getElementById('admin-search'); s.value = ''; s.blur()");

    let links = eval(&site, "return [...document.querySelectorAll('table.results tbody tr')].map(r => r.querySelector('a[href]').getAttribute('href'))");
    let links: Vec<String> = serde_json::from_value(links).expect("each row's link");
    assert!(links.len() >= 3, "{links:?}");
    let current = "const r = document.querySelector('table.results tbody tr.is-current'); return r ? [...r.parentNode.children].indexOf(r) : -1";
    let focused_link = "return document.activeElement.getAttribute('href')";

    site.browser.press("j");
    assert_eq!(eval(&site, current), json!(0), "j starts at the first row");
    assert_eq!(eval(&site, focused_link), json!(links[0]), "its link has the focus");
    assert_eq!(site.browser.find("tr.is-current").attr("aria-current").as_deref(), Some("true"));
    site.browser.press("jj");
    assert_eq!(eval(&site, current), json!(2));
    site.browser.press("k");
    assert_eq!(eval(&site, current), json!(1), "k goes back a row");
    assert_eq!(eval(&site, focused_link), json!(links[1]));

    // x ticks the row's box, as a click would: the bulk form hears it.
    site.browser.press("x");
    let checked = "return [...document.querySelectorAll('table.results tbody input[name=id]')].map(b => b.checked)";
    let ticked = eval(&site, checked);
    assert_eq!(ticked[1], json!(true), "{ticked}");
    assert_eq!(ticked.as_array().map(|t| t.iter().filter(|b| **b == json!(true)).count()), Some(1));
    assert!(site.browser.find("tr.is-current").attr("class").unwrap_or_default().contains("is-selected"));
    assert_eq!(eval(&site, "return document.querySelector('input.select-all').indeterminate"), json!(true));
    site.screenshot("admin-keyboard-rows");
    site.browser.press("x");
    assert_eq!(eval(&site, checked)[1], json!(false), "x again unticks it");

    // Enter opens the current row, even with the focus back on the page.
    eval(&site, "document.activeElement.blur()");
    eval(&site, "window.__same_page = true");
    site.browser.press(ENTER);
    site.wait_for("return window.__same_page !== true && document.readyState === 'complete'");
    assert_eq!(site.path(), links[1], "Enter opened the current row");
}

#[test]
fn question_mark_lists_the_keys_and_g_then_a_letter_goes_to_a_model() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/");
    let before = focused(&site);
    site.browser.press("?");
    site.wait_for("return document.querySelector('dialog.kbd-help[open]') !== null");
    let help = site.browser.find("dialog.kbd-help").text();
    for line in ["Keyboard shortcuts", "j\nNext row", "x\nSelect", "Ctrl+K", "g then m\nMessages", "g then u\nUsers"] {
        assert!(help.contains(line), "{line:?} in the help:\n{help}");
    }
    assert_eq!(focused(&site), "button", "the focus is in the dialog, on Close");
    site.screenshot("admin-keyboard-help");
    site.browser.press(ESCAPE);
    assert_eq!(eval(&site, "return document.querySelector('dialog.kbd-help').open"), json!(false), "Esc closes it");
    assert_eq!(focused(&site), before, "the focus is back where it was");

    // g, then the letter the help showed.
    site.browser.press("g");
    site.browser.press("m");
    site.wait_for("return location.pathname === '/admin/message/' && document.readyState === 'complete'");
    // A letter alone goes nowhere; nor does g in a field.
    site.browser.press("u");
    assert_eq!(site.path(), "/admin/message/");
    site.browser.press("/");
    site.browser.press("gu");
    assert_eq!(site.path(), "/admin/message/");
    assert_eq!(eval(&site, "return document.getElementById('admin-search').value"), json!("gu"));
    eval(&site, "document.activeElement.blur()");
    site.browser.press("gr");
    site.wait_for("return location.pathname === '/admin/relationship/' && document.readyState === 'complete'");
}

#[test]
fn the_palette_finds_a_model_and_a_recently_opened_object() {
    let Some(site) = admin_site() else { return };
    let key = first_message(&site);
    // Opening a message remembers it.
    site.open(&format!("/admin/message/{key}/"));
    let display = site.browser.find("[data-recent-display]").attr("data-recent-display").expect("the display");
    site.open("/admin/");

    site.browser.press(&format!("{CONTROL}k"));
    site.wait_for("return document.querySelector('dialog.palette[open]') !== null");
    let input = site.browser.active_element();
    assert_eq!(input.attr("role").as_deref(), Some("combobox"), "the focus is in the palette's combobox");
    let first = site.browser.find("dialog.palette [role=option]").text();
    assert!(first.starts_with(&display) && first.contains("Recent message"), "the recent object first: {first}");
    site.browser.press("relat");
    let options = site.browser.find_all("dialog.palette [role=option]");
    assert_eq!(options.len(), 1, "{}", site.browser.find("dialog.palette").text());
    assert!(options[0].text().starts_with("Relationships"));
    assert_eq!(options[0].attr("aria-selected").as_deref(), Some("true"));
    let active = input.attr("aria-activedescendant");
    assert_eq!(active, options[0].attr("id"), "the active option is the combobox's descendant");
    site.browser.press(ENTER);
    site.wait_for("return location.pathname === '/admin/relationship/' && document.readyState === 'complete'");

    // Esc closes it, and the recent object is found by its name.
    site.browser.press(&format!("{CONTROL}k"));
    site.wait_for("return document.querySelector('dialog.palette[open]') !== null");
    site.browser.press(ESCAPE);
    assert_eq!(eval(&site, "return document.querySelector('dialog.palette').open"), json!(false));
    site.browser.press(&format!("{CONTROL}k"));
    site.wait_for("return document.querySelector('dialog.palette[open]') !== null");
    site.browser.press("mess");
    let texts: Vec<String> = site.browser.find_all("dialog.palette [role=option]").iter().map(|o| o.text()).collect();
    assert!(texts.len() >= 2, "the model and the object: {texts:?}");
    let object = texts.iter().position(|t| t.contains("Recent message")).expect("the recent message");
    for _ in 0..object {
        site.browser.press(ARROW_DOWN);
    }
    site.screenshot("admin-keyboard-palette");
    site.browser.press(ENTER);
    site.wait_for(&format!(
        "return location.pathname === '/admin/message/{key}/' && document.readyState === 'complete'"
    ));

    // Logging out forgets what was opened.
    site.browser.find("form.logout button").click_and_wait();
    let left = eval(&site, "return Object.keys(localStorage).filter(k => k.startsWith('hangar.recent:')).length");
    assert_eq!(left, json!(0));
}
