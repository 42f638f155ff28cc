//! tweepee's admin in a real browser: headless Chromium over WebDriver,
//! against the app served on a loopback port with `tweepee seed`'s data.
//! A failing test leaves a screenshot in `target/browser-screenshots/`.
//!
//! Each test skips, with one line on stderr, when Chromium or chromedriver
//! is not installed.

// A general client and app: not every test calls every method.
#[allow(dead_code)]
mod site;
#[allow(dead_code)]
mod webdriver;

use serde_json::{json, Value};
use site::{seeded_site, Site};

/// WebDriver's code for the Tab key.
const TAB: &str = "\u{E004}";
/// WebDriver's code for the down arrow.
const ARROW_DOWN: &str = "\u{E015}";
/// WebDriver's code for the Enter key.
const ENTER: &str = "\u{E007}";

fn admin_site() -> Option<Site> {
    let site = seeded_site(30, 60)?;
    site.browser.set_window_size(1280, 900);
    site.log_in("admin", "admin", "?next=/admin/");
    assert_eq!(site.path(), "/admin/", "the admin logs in to the dashboard");
    Some(site)
}

#[test]
fn an_admin_creates_edits_and_deletes_a_message_picking_its_user_by_typing() {
    let Some(site) = admin_site() else { return };
    site.screenshot("admin-dashboard");
    site.open("/admin/message/add/");
    // The user is picked through the type-ahead: type, arrow down, Enter.
    let picker = site.browser.find("input#id_user_id[role=combobox]");
    picker.send_keys("user1");
    site.wait_for("return document.querySelectorAll('.fk-lookup-option[role=option]').length > 0");
    picker.send_keys(ARROW_DOWN);
    picker.send_keys(ENTER);
    let chosen = site.browser.execute("return document.querySelector('input[type=hidden][name=user_id]').value", &[]);
    assert!(chosen.as_str().is_some_and(|v| !v.is_empty()), "a user was picked: {chosen}");
    let label = site.browser.execute("return document.getElementById('id_user_id').value", &[]);
    assert!(label.as_str().is_some_and(|l| l.starts_with("user1")), "its name shows: {label}");
    site.browser.find("textarea[name=content]").send_keys("written in a browser");
    site.browser.execute("document.querySelector('input[name=pub_date]').value = '2024-05-01T12:00:00'", &[]);
    site.browser.find("button[name=_continue]").click_and_wait();
    site.assert_flash("New Message saved");
    assert!(site.path().starts_with("/admin/message/") && site.path() != "/admin/message/add/", "{}", site.path());

    site.browser.find("textarea[name=content]").send_keys(", then edited");
    site.browser.find("button[name=_save]").click_and_wait();
    site.assert_flash("Changes to Message saved");
    assert_eq!(site.path(), "/admin/message/");
    site.open("/admin/message/?q=then+edited");
    let rows = site.browser.find_all("table.results tbody tr");
    assert_eq!(rows.len(), 1, "{}", site.browser.page_source());
    site.browser.find("table.results tbody tr td:nth-child(2) a").click_and_wait();
    site.screenshot("admin-edit-form");
    site.browser.find(".page-actions a.danger").click_and_wait();
    assert!(site.browser.find("main").text().contains("Are you sure"), "the delete page asks first");
    site.browser.find("form.confirm-delete button[type=submit]").click_and_wait();
    site.assert_flash("Deleted 1 Message");
    site.open("/admin/message/?q=then+edited");
    assert!(site.browser.find("table.results tbody").text().contains("No Messages match"));
}

#[test]
fn filters_sorting_and_pages_work_from_the_list() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/message/");
    assert!(site.browser.find(".result-count").text().starts_with("60 records · page 1 of 3"));
    // The filter builder: a related field, an operator fitting its type, a value.
    site.browser.execute(
        "const f = document.getElementById('filter-field'); f.value = 'user__username'; f.dispatchEvent(new Event('change'));",
        &[],
    );
    let operators =
        site.browser.execute("return [...document.getElementById('filter-op').options].map(o => o.value)", &[]);
    assert!(operators.as_array().is_some_and(|ops| ops.contains(&json!("contains")) && !ops.contains(&json!("is"))));
    let label =
        site.browser.execute("return document.querySelector('#filter-op option[value=contains]').textContent", &[]);
    assert_eq!(label, json!("contains"), "each operator keeps its label");
    let label = site.browser.execute("return document.querySelector('#filter-op option[value=ne]').textContent", &[]);
    assert_eq!(label, json!("does not equal"));
    site.browser.execute("document.getElementById('filter-op').value = 'eq'", &[]);
    site.browser.find("#filter-value").send_keys("user2");
    site.browser.find("form.filter-builder button[type=submit]").click_and_wait();
    assert_eq!(site.path(), "/admin/message/?user__username=user2");
    assert!(site.browser.find(".result-count").text().starts_with("2 records"), "{}", site.browser.page_source());
    assert!(site.browser.find(".active-filters").text().contains("User › Username equals user2"));
    site.screenshot("admin-filtered-list");

    // Sorting by a column keeps the filter.
    site.open("/admin/message/?pub_date__gte=2024-01-01");
    site.browser.find("thead th a[href*='ordering=content']").click_and_wait();
    assert!(
        site.path().contains("pub_date__gte=2024-01-01") && site.path().contains("ordering=content"),
        "{}",
        site.path()
    );
    let first = site.browser.find("table.results tbody tr td:nth-child(3)").text();
    assert!(first.starts_with("message 0"), "sorted by content: {first}");
    // Pages keep the filter and the order.
    site.browser.find("nav.pagination a[rel=next]").click_and_wait();
    assert!(site.path().contains("page=2") && site.path().contains("ordering=content"), "{}", site.path());
    assert!(site.browser.find(".result-count").text().contains("page 2 of 3"));
}

#[test]
fn the_filter_builder_offers_the_date_filters_with_a_number_or_a_month() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/message/");
    let choose = |id: &str, value: &str| {
        let script = format!(
            "const e = document.getElementById('{id}'); e.value = '{value}'; e.dispatchEvent(new Event('change'));"
        );
        site.browser.execute(&script, &[]);
    };
    choose("filter-field", "pub_date");
    let operators =
        site.browser.execute("return [...document.getElementById('filter-op').options].map(o => o.value)", &[]);
    for op in ["within_days", "older_days", "year", "month"] {
        assert!(operators.as_array().is_some_and(|ops| ops.contains(&json!(op))), "{op} in {operators}");
    }
    choose("filter-field", "content");
    let operators =
        site.browser.execute("return [...document.getElementById('filter-op').options].map(o => o.value)", &[]);
    assert!(operators.as_array().is_some_and(|ops| !ops.contains(&json!("year"))), "text: {operators}");

    // `within_days` takes a whole number from 0.
    choose("filter-field", "pub_date");
    choose("filter-op", "within_days");
    let control = site
        .browser
        .execute("const v = document.getElementById('filter-value'); return [v.tagName, v.type, v.min, v.step]", &[]);
    assert_eq!(control, json!(["INPUT", "number", "0", "1"]));
    // `month` is picked by name.
    choose("filter-op", "month");
    let months = site.browser.execute(
        "const v = document.getElementById('filter-value'); \
         return [v.tagName, ...[...v.options].map(o => o.value + ' ' + o.textContent)]",
        &[],
    );
    let months = months.as_array().cloned().unwrap_or_default();
    assert_eq!((months.len(), &months[0], &months[3]), (13, &json!("SELECT"), &json!("3 March")), "{months:?}");
    site.browser.execute("document.getElementById('filter-value').value = '3'", &[]);
    site.browser.find("form.filter-builder button[type=submit]").click_and_wait();
    assert_eq!(site.path(), "/admin/message/?pub_date__month=3");
    let active = site.browser.find(".active-filters").text();
    assert!(active.contains("is in the month March"), "{active}");
}

#[test]
fn a_csv_export_honours_the_list_filters() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/message/?user__username=user2");
    site.browser.find(".page-actions a[href*='export']").click_and_wait();
    assert!(site.path().starts_with("/admin/message/export/?user__username=user2"), "{}", site.path());
    let url = site
        .app
        .url("/admin/message/export/?user__username=user2&format=csv&fields=id&fields=user__username&fields=content");
    let csv = site.browser.execute_async(
        "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));",
        &[json!(url)],
    );
    let csv = csv.as_str().unwrap_or_default();
    assert!(csv.starts_with("id,user__username,content\n"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "a header and user2's two messages: {csv}");
    assert!(csv.lines().skip(1).all(|line| line.contains(",user2,")), "{csv}");
}

#[test]
fn a_validation_error_is_shown_beside_its_field_with_the_values_kept() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/message/add/");
    site.browser.find("input#id_user_id").send_keys("user3");
    site.browser.find("textarea[name=content]").send_keys("kept after the error");
    site.browser.find("button[name=_save]").click_and_wait();
    let error = site.browser.find(".field.has-errors .error").text();
    assert!(error.contains("This field is required."), "{error}");
    assert_eq!(site.browser.find("textarea[name=content]").text(), "kept after the error");
    assert!(site.browser.find(".form-errors").text().contains("Please correct the errors below"));
}

#[test]
fn a_script_in_a_message_is_shown_as_text_never_run() {
    let Some(site) = admin_site() else { return };
    let script = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">";
    site.open("/admin/message/add/");
    site.browser.execute(
        "document.querySelector('input[type=hidden][name=user_id]').value = '2'; document.querySelector('input[name=pub_date]').value = '2024-05-01T12:00:00';",
        &[],
    );
    site.browser.find("textarea[name=content]").send_keys(script);
    site.browser.find("button[name=_save]").click_and_wait();
    site.assert_flash("New Message saved");
    site.open("/admin/message/?q=pwned");
    let cell = site.browser.find("table.results tbody tr td:nth-child(3)").text();
    assert_eq!(cell, script, "shown literally");
    assert_eq!(site.browser.execute("return window.__pwned === undefined", &[]), Value::Bool(true));
}

#[test]
fn a_form_can_be_filled_with_the_keyboard_alone() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/note/add/");
    site.browser.execute("document.getElementById('id_user_id').focus()", &[]);
    let mut order = Vec::new();
    for _ in 0..6 {
        let focused = site.browser.active_element();
        let name = focused.attr("name").or_else(|| focused.attr("id")).unwrap_or_default();
        order.push(name);
        focused.send_keys(TAB);
    }
    assert_eq!(order[..4], ["id_user_id", "message", "status", "_save"], "{order:?}");
    // At phone width the menu folds away behind a button.
    site.browser.set_window_size(390, 844);
    site.open("/admin/");
    let toggle = site.browser.find(".nav-toggle");
    assert_eq!(toggle.attr("aria-expanded").as_deref(), Some("false"));
    toggle.click();
    assert_eq!(toggle.attr("aria-expanded").as_deref(), Some("true"));
}

#[test]
fn a_staff_user_who_may_only_view_messages_reads_them_without_add_delete_or_save() {
    use diesel::prelude::*;
    use hangar::auth::{hangar_permission, hangar_user_permission, users, Permission};
    use hangar::Model as _;

    let setup = |db: &hangar::db::Database| {
        let options = tweepee::seed::SeedOptions { users: 3, messages: 8, fast_hash: true };
        tweepee::seed::seed(db, options, &indicatif::ProgressBar::hidden()).expect("seeds");
        let mut conn = db.get().expect("a connection");
        let new = hangar::auth::NewUser {
            username: "reader".into(),
            email: Some("reader@example.com".into()),
            password: "reader-password".into(),
            admin: false,
        };
        let pk = hangar::auth::create_user::<tweepee::models::User>(&mut conn, &new).expect("the user is made");
        diesel::update(users::table.filter(users::username.eq("reader")))
            .set(users::staff.eq(true))
            .execute(&mut conn)
            .expect("reader is staff");
        // The admin makes these rows at launch; the grants need them now.
        let metas = [tweepee::models::Message::meta(), tweepee::models::User::meta()];
        hangar::auth::sync_permissions(&mut conn, &metas).expect("the permission rows");
        for meta in metas {
            let view: i32 = hangar_permission::table
                .filter(hangar_permission::model.eq(meta.slug))
                .filter(hangar_permission::action.eq(Permission::View.name()))
                .select(hangar_permission::id)
                .first(&mut conn)
                .expect("the view permission");
            diesel::insert_into(hangar_user_permission::table)
                .values((
                    hangar_user_permission::user_pk.eq(pk.to_string()),
                    hangar_user_permission::permission_id.eq(view),
                ))
                .execute(&mut conn)
                .expect("the grant");
        }
    };
    let Some(site) = site::custom_site(setup, Vec::new()) else { return };
    site.browser.set_window_size(1280, 900);
    site.log_in("reader", "reader-password", "?next=/admin/");
    assert_eq!(site.path(), "/admin/", "staff with a permission get in");
    let count = |selector: &str| {
        let script = format!("return document.querySelectorAll({}).length", json!(selector));
        site.browser.execute(&script, &[]).as_u64().unwrap_or(u64::MAX)
    };
    // The dashboard and the sidebar: messages and users only, and nothing
    // to add.
    assert_eq!(count("main a[href='/admin/message/']"), 2, "{}", site.browser.page_source());
    assert_eq!(count("main a[href='/admin/user/']"), 2, "{}", site.browser.page_source());
    assert_eq!(count("a[href$='/add/']"), 0, "{}", site.browser.page_source());
    assert_eq!(count("nav.admin-nav a[href^='/admin/']"), 2, "{}", site.browser.page_source());
    site.screenshot("admin-staff-dashboard");

    site.browser.find("main a[href='/admin/message/']").click_and_wait();
    assert_eq!(site.path(), "/admin/message/");
    assert_eq!(site.browser.find_all("table.results tbody tr").len(), 8, "every message listed");
    for absent in ["input[type=checkbox]", "form.bulk", "button.danger", "a[href$='/add/']"] {
        assert_eq!(count(absent), 0, "{absent} on the list: {}", site.browser.page_source());
    }
    site.screenshot("admin-staff-list");

    site.browser.find("table.results tbody tr td a").click_and_wait();
    assert!(site.path().starts_with("/admin/message/"), "{}", site.path());
    assert!(site.browser.find("main h1").text().starts_with("View Message"), "{}", site.browser.page_source());
    assert!(count("main .readonly") >= 2, "the fields shown read-only: {}", site.browser.page_source());
    for absent in [
        "main form",
        "main button",
        "main input",
        "main textarea",
        "main select",
        "a.danger",
        "a[href$='/delete/']",
        "a[href$='/add/']",
    ] {
        assert_eq!(count(absent), 0, "{absent} on the read-only page: {}", site.browser.page_source());
    }
    site.screenshot("admin-staff-read-only");
    // Its history is there to read.
    site.browser.find(".page-actions a[href$='/history/']").click_and_wait();
    assert!(site.path().ends_with("/history/"), "{}", site.path());

    // A user's page lists their messages, inline, as text.
    site.open("/admin/user/2/");
    assert!(site.browser.find("main h1").text().starts_with("View User"), "{}", site.browser.page_source());
    let rows = count("#inline-message tbody tr");
    assert!(rows >= 1, "the user's messages: {}", site.browser.page_source());
    assert!(count("#inline-message tbody tr .readonly") >= rows, "each row read-only");
    for absent in ["main form", "main button", "main input", "main textarea", "main select", "main template"] {
        assert_eq!(count(absent), 0, "{absent} on the read-only user: {}", site.browser.page_source());
    }
    site.screenshot("admin-staff-read-only-inline");
}

#[test]
fn two_messages_ticked_are_deleted_by_the_delete_action_after_its_confirmation() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/message/?ordering=id");
    assert!(site.browser.find(".result-count").text().starts_with("60 records"));
    let across = site.browser.find("form.bulk .select-across");
    assert_eq!(across.attr("hidden").as_deref(), Some("true"), "no \"select all\" until the page is ticked");
    let boxes = site.browser.find_all("table.results tbody input[type=checkbox][name=id]");
    let keys: Vec<String> = boxes.iter().take(2).map(|b| b.attr("value").unwrap_or_default()).collect();
    boxes[0].click();
    boxes[1].click();
    site.browser.find("#action-select option[value=delete_selected]").click();
    site.screenshot("admin-action-chosen");
    site.browser.find("form.bulk button[name=_go]").click_and_wait();
    let main = site.browser.find("main").text();
    assert!(main.contains("Are you sure") && main.contains("these 2 Messages"), "{main}");
    site.screenshot("admin-action-confirmation");
    site.browser.find("form.confirm-action button[type=submit]").click_and_wait();
    site.assert_flash("Deleted 2 Messages");
    assert_eq!(site.path(), "/admin/message/?ordering=id", "back to the list as it was");
    assert!(site.browser.find(".result-count").text().starts_with("58 records"));
    for key in &keys {
        let left = site.browser.find_all(&format!("table.results tbody input[name=id][value='{key}']"));
        assert!(left.is_empty(), "message {key} is gone");
    }
    // Ticking every row of the page offers every row that matches.
    site.browser.find("input.select-all").click();
    assert_eq!(site.browser.find("form.bulk .select-across").attr("hidden"), None);
    assert!(site.browser.find("form.bulk .select-across").text().contains("Select all 58 messages matching"));
}

#[test]
fn a_save_over_someone_elses_shows_both_values_and_keeps_the_one_chosen() {
    use diesel::prelude::*;
    use tweepee::schema::message;

    let Some(site) = admin_site() else { return };
    site.open("/admin/message/1/");
    // Someone else saves the message while the page is open.
    let db = hangar::db::Database::connect(&site.app.database_url()).expect("the app's database opens");
    diesel::update(message::table.find(1))
        .set(message::content.eq("saved by someone else"))
        .execute(&mut db.get().expect("a connection"))
        .expect("their save");
    site.browser.execute("document.querySelector('textarea[name=content]').value = ''", &[]);
    site.browser.find("textarea[name=content]").send_keys("typed here");
    site.browser.find("button[name=_save]").click_and_wait();
    let main = site.browser.find("main").text();
    assert!(main.contains("Someone saved this message after you opened it, so nothing was saved."), "{main}");
    assert!(main.contains("typed here") && main.contains("saved by someone else"), "{main}");
    let differing = site.browser.find_all(".conflict-table tbody tr");
    assert_eq!(differing.len(), 1, "only the content differs: {main}");
    site.screenshot("admin-conflict");
    // Keep theirs, and save again.
    site.browser.find("input[type=radio][name=_choose_content][value=saved]").click();
    site.browser.find("button[name=_save]").click_and_wait();
    site.assert_flash("Changes to Message saved");
    let stored: String = message::table
        .find(1)
        .select(message::content)
        .first(&mut db.get().expect("a connection"))
        .expect("the message");
    assert_eq!(stored, "saved by someone else");
}

#[test]
fn two_messages_ticked_get_a_new_content_after_a_preview_of_each() {
    let Some(site) = admin_site() else { return };
    site.browser.set_window_size(1280, 900);
    site.open("/admin/message/?ordering=id");
    let boxes = site.browser.find_all("table.results tbody input[type=checkbox][name=id]");
    let keys: Vec<String> = boxes.iter().take(2).map(|b| b.attr("value").unwrap_or_default()).collect();
    boxes[0].click();
    boxes[1].click();
    site.browser.find("#action-select option[value=change_fields]").click();
    site.browser.find("form.bulk button[name=_go]").click_and_wait();
    assert!(site.browser.find("main h1").text().starts_with("Change fields"), "{}", site.browser.page_source());
    site.browser.find("#pick_content").click();
    site.browser.find("#id_content").send_keys("edited in bulk");
    site.screenshot("admin-change-fields-form");
    site.browser.find("form.change-fields button[value=preview]").click_and_wait();
    let main = site.browser.find("main").text();
    assert!(main.contains("2 messages, of which 2 change"), "{main}");
    assert_eq!(site.browser.find_all("table.change-preview tbody ins").len(), 2, "{}", site.browser.page_source());
    site.screenshot("admin-change-fields-preview");
    site.browser.find("form.change-fields button[name=confirm]").click_and_wait();
    site.assert_flash("Changed 2 Messages");
    assert_eq!(site.path(), "/admin/message/?ordering=id", "back to the list as it was");
    for key in &keys {
        site.open(&format!("/admin/message/{key}/"));
        let content = site.browser.execute("return document.querySelector('#id_content').value", &[]);
        assert_eq!(content, json!("edited in bulk"), "message {key}");
    }
}

#[test]
fn a_message_is_added_inline_on_its_users_page_without_a_page_load() {
    let Some(site) = admin_site() else { return };
    site.open("/admin/user/?q=user1&ordering=username");
    site.browser.find("table.results tbody tr td:nth-child(2) a").click_and_wait();
    let user_page = site.path();
    assert!(user_page.starts_with("/admin/user/"), "{user_page}");
    let rows = "return document.querySelectorAll('#inline-message tbody[data-inline-rows] tr').length";
    let total = "return document.getElementById('id_message-TOTAL_FORMS').value";
    let rows_before = site.browser.execute(rows, &[]).as_u64().unwrap_or_default();
    let total_before: u64 = site.browser.execute(total, &[]).as_str().and_then(|t| t.parse().ok()).unwrap_or_default();
    assert_eq!(rows_before, total_before, "every row counted");
    // "Add another" clones the template row in place.
    site.browser.execute("window.__same_page = true", &[]);
    // Scrolled up from under the sticky form buttons, as a user would.
    site.browser.execute(
        "document.querySelector('#inline-message button[data-inline-add]').scrollIntoView({block: 'center'})",
        &[],
    );
    site.browser.find("#inline-message button[data-inline-add]").click();
    assert_eq!(site.browser.execute("return window.__same_page === true", &[]), json!(true), "no page load");
    assert_eq!(site.browser.execute(rows, &[]).as_u64(), Some(rows_before + 1));
    assert_eq!(site.browser.execute(total, &[]), json!((total_before + 1).to_string()));
    let added = format!("textarea[name=message-{total_before}-content]");
    site.browser.find(&added).send_keys("written inline in a browser");
    site.screenshot("admin-inline-added");
    site.browser.find("button[name=_continue]").click_and_wait();
    site.assert_flash("Changes to User saved");
    assert_eq!(site.path(), user_page);
    // Saved, and first: the newest message.
    let first = site
        .browser
        .execute("return document.querySelector('#inline-message tbody[data-inline-rows] tr textarea').value", &[]);
    assert_eq!(first, json!("written inline in a browser"), "{}", site.browser.page_source());
}
