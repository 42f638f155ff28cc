//! The XSS sweep in a real browser: every payload of the corpus written
//! into every text field of tweepee's models (usernames, emails, messages,
//! notes, and through the admin's form into the audit log), and reflected
//! through every query parameter a page echoes, then every page that shows
//! them opened in headless Chromium: the site's pages, the admin's
//! dashboard, lists, edit, delete, history and export pages, and the
//! browsable API. A page made to be vulnerable proves first that the
//! detector fires for every payload, with hangar's CSP and without.
//!
//! Skips, with one line on stderr, when Chromium or chromedriver is not
//! installed.

// A general client and app: not every test calls every method.
#[allow(dead_code)]
mod site;
#[allow(dead_code)]
mod webdriver;
mod xss;

use chrono::Utc;
use diesel::prelude::*;
use hangar::db::Database;
use hangar::forms::encode_component;
use tweepee::models::LIVE;
use tweepee::schema::{message, note, relationship, users};
use xss::{context_name, omnibus, visit, PAYLOADS};

use crate::site::{custom_site, Site};

/// Seeds tweepee, then a user per payload (its username and email the
/// payload), who posts it as a message and a note, and follows and is
/// followed by the admin; and the admin's message and note holding every
/// payload at once.
fn setup(db: &Database) {
    let options = tweepee::seed::SeedOptions { users: 3, messages: 5, fast_hash: true };
    tweepee::seed::seed(db, options, &indicatif::ProgressBar::hidden()).expect("seeds");
    let mut conn = db.get().expect("a connection");
    let now = Utc::now().naive_utc();
    let hash = hangar::utils::make_password_with("pw", hangar::utils::TEST_ITERATIONS);
    let admin: i32 =
        users::table.filter(users::username.eq("admin")).select(users::id).first(&mut conn).expect("admin");
    for (i, payload) in PAYLOADS.iter().enumerate() {
        diesel::insert_into(users::table)
            .values((
                users::username.eq(format!("x{i}{}", payload.text)),
                users::password.eq(&hash),
                users::email.eq(format!("{}@x.test", payload.text)),
                users::join_date.eq(now),
                users::active.eq(true),
                users::admin.eq(false),
            ))
            .execute(&mut conn)
            .expect("a payload user");
        let id: i32 = users::table
            .select(diesel::dsl::max(users::id))
            .first::<Option<i32>>(&mut conn)
            .expect("an id")
            .unwrap_or_default();
        diesel::insert_into(message::table)
            .values((message::user_id.eq(id), message::content.eq(payload.text), message::pub_date.eq(now)))
            .execute(&mut conn)
            .expect("a payload message");
        diesel::insert_into(note::table)
            .values((
                note::user_id.eq(id),
                note::message.eq(payload.text),
                note::status.eq(LIVE),
                note::created_date.eq(now),
            ))
            .execute(&mut conn)
            .expect("a payload note");
        for (from, to) in [(id, admin), (admin, id)] {
            diesel::insert_into(relationship::table)
                .values((relationship::from_user_id.eq(from), relationship::to_user_id.eq(to)))
                .execute(&mut conn)
                .expect("a follow");
        }
    }
    let all = omnibus();
    diesel::insert_into(message::table)
        .values((message::user_id.eq(admin), message::content.eq(&all), message::pub_date.eq(now)))
        .execute(&mut conn)
        .expect("the omnibus message");
    diesel::insert_into(note::table)
        .values((note::user_id.eq(admin), note::message.eq(&all), note::status.eq(LIVE), note::created_date.eq(now)))
        .execute(&mut conn)
        .expect("the omnibus note");
}

/// The ids of the payload users, and of the admin's omnibus message and note.
struct Ids {
    payload_users: Vec<(i32, String)>,
    admin: i32,
    message: i32,
    note: i32,
}

fn ids(site: &Site) -> Ids {
    let db = Database::connect(&site.app.database_url()).expect("the app's database opens");
    let mut conn = db.get().expect("a connection");
    let payload_users = users::table
        .filter(users::username.like("x%"))
        .select((users::id, users::username))
        .load(&mut conn)
        .expect("the payload users");
    let admin = users::table.filter(users::username.eq("admin")).select(users::id).first(&mut conn).expect("admin");
    let all = omnibus();
    let message =
        message::table.filter(message::content.eq(&all)).select(message::id).first(&mut conn).expect("omnibus");
    let note = note::table.filter(note::message.eq(&all)).select(note::id).first(&mut conn).expect("omnibus note");
    Ids { payload_users, admin, message, note }
}

/// Proves the detector: every payload, in the context it is made for, on
/// the vulnerable page with hangar's headers (its markup is found) and
/// without (its script runs, where it runs on load).
fn the_detector_fires_on_a_vulnerable_page(site: &Site) -> usize {
    let mut loads = 0;
    for payload in PAYLOADS {
        for csp in [true, false] {
            let path = format!(
                "/xss-control?context={}&csp={csp}&payload={}",
                context_name(payload.context),
                encode_component(payload.text)
            );
            let seen = visit(site, &path);
            loads += 1;
            assert!(
                seen.fired(),
                "the detector missed {:?} on the vulnerable page (csp {csp}): {seen:?}",
                payload.text
            );
            if !csp && payload.runs {
                assert!(seen.ran || seen.alert.is_some(), "{:?} ran no script without a CSP: {seen:?}", payload.text);
            }
        }
    }
    loads
}

/// Edits the omnibus message and note through the admin's forms, so the
/// audit log holds every payload before and after.
fn edit_through_the_admin(site: &Site, ids: &Ids) {
    for (path, field) in
        [(format!("/admin/message/{}/", ids.message), "content"), (format!("/admin/note/{}/", ids.note), "message")]
    {
        site.open(&path);
        let set = "document.querySelector('[name=' + arguments[0] + ']').value = arguments[1] + ' (edited)';";
        site.browser.execute(set, &[field.into(), omnibus().into()]);
        site.browser.find("button[name=_save]").click_and_wait();
        assert!(
            site.flashes().iter().any(|f| f.contains("saved")),
            "{path}: {:?}\n{}",
            site.flashes(),
            site.browser.page_source()
        );
    }
}

/// Every page that shows a field or echoes a parameter.
fn pages(ids: &Ids) -> Vec<String> {
    let all = encode_component(&omnibus());
    let mut pages: Vec<String> = vec![
        "/".into(),
        "/public/".into(),
        "/public/?page=2".into(),
        "/users/".into(),
        "/users/?page=2".into(),
        "/followers/".into(),
        "/following/".into(),
        "/create/".into(),
        format!("/edit/{}/", ids.message),
        "/admin/".into(),
        "/admin/notes/".into(),
        "/admin/user-stats/".into(),
        format!("/admin/message/{}/", ids.message),
        format!("/admin/message/{}/history/", ids.message),
        format!("/admin/message/{}/delete/", ids.message),
        format!("/admin/note/{}/", ids.note),
        format!("/admin/note/{}/history/", ids.note),
        format!("/admin/user/{}/delete/", ids.admin),
        format!("/api/message/{}/", ids.message),
        format!("/api/note/{}/", ids.note),
        format!("/accounts/login/?next={all}"),
        format!("/admin/message/?q={all}"),
        format!("/admin/message/?content__contains={all}"),
        format!("/admin/user/?ordering={all}"),
        format!("/api/message/?content={all}"),
        format!("/api/message/?{all}=1"),
        format!("/public/?page={all}"),
        format!("/users/{all}/"),
    ];
    for slug in ["user", "message", "note", "relationship"] {
        for page in 1..=3 {
            pages.push(format!("/admin/{slug}/?page={page}"));
            pages.push(format!("/api/{slug}/?page={page}"));
        }
        pages.push(format!("/admin/{slug}/export/"));
    }
    // Each username in its own page's heading and links, and in the
    // admin's form; the API's lists above show them all already.
    for (id, username) in &ids.payload_users {
        pages.push(format!("/users/{}/", encode_component(username)));
        pages.push(format!("/admin/user/{id}/"));
    }
    pages.extend(ids.payload_users.first().map(|(id, _)| format!("/api/user/{id}/")));
    pages
}

#[test]
fn no_payload_gets_through_on_any_page() {
    let Some(site) = custom_site(setup, rocket::routes![xss::control]) else { return };
    let started = std::time::Instant::now();
    let controls = the_detector_fires_on_a_vulnerable_page(&site);
    let ids = ids(&site);
    site.log_in("admin", "admin", "");
    edit_through_the_admin(&site, &ids);
    let pages = pages(&ids);
    let mut through = Vec::new();
    for path in &pages {
        let seen = visit(&site, path);
        if seen.fired() {
            through.push(format!("{path}: {seen:?}"));
        }
    }
    assert!(through.is_empty(), "payloads got through on {} pages:\n{}", through.len(), through.join("\n"));
    eprintln!(
        "{} payloads: {controls} loads of the vulnerable page all caught; {} pages of tweepee clean, in {:.1?}",
        PAYLOADS.len(),
        pages.len(),
        started.elapsed()
    );
}
