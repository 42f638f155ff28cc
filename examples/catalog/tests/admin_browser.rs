//! The catalog's product form in a real browser: headless Chromium over
//! WebDriver (tweepee's client), against the app served on a loopback port
//! on a SQLite file. It fills a `datetime-local` input, a decimal, a JSON
//! textarea and a file input, submits, and reads back what was saved; then
//! a decimal with too many places is refused beside its field. A failing
//! test leaves a screenshot in `target/browser-screenshots/`.
//!
//! The test skips, with one line on stderr, when Chromium or chromedriver
//! is not installed.

// A general client: this test does not call every method.
#[allow(dead_code)]
#[path = "../../tweepee/tests/webdriver/mod.rs"]
mod webdriver;

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use hangar::auth::{create_superuser, NewSuperuser, User};
use hangar::db::Database;
use hangar::model::{load_by_keys, Value};
use rocket::fairing::AdHoc;
use rocket::Shutdown;
use serde_json::json;

use crate::webdriver::Browser;

const HAMMER: &str = "0c1f2e3d-4b5a-4978-8a9b-0c1d2e3f4a5b";

/// A fixed key, so private cookies work; 64 bytes, base64.
const SECRET_KEY: &str = "bOi3QfvGCVy2JXZuJMZ1VFkWTy7FzjhV0IRMSjuX7M4svtSKpz0on4KeLaWGYFIbOWUkpgGhc8tzihdBOi/3fg==";

/// The catalog on its own SQLite file, served on 127.0.0.1 from a thread
/// with its own runtime; shut down on drop.
struct App {
    base: String,
    db: Database,
    shutdown: Shutdown,
    server: Option<JoinHandle<Result<(), String>>>,
    dir: tempfile::TempDir,
}

impl App {
    /// The catalog with an admin (`admin`/`secret`), a category and the hammer.
    fn start() -> App {
        hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("catalog.db").display());
        let db = Database::connect(&url).expect("SQLite opens");
        db.migrate(&catalog::MIGRATIONS).expect("migrates");
        let mut conn = db.get().expect("a connection");
        let admin = NewSuperuser { username: "admin".into(), email: None, password: "secret".into() };
        create_superuser::<User>(&mut conn, &admin).expect("an admin");
        conn.batch_execute(&format!(
            "INSERT INTO category (slug, name) VALUES ('tools', 'Tools');
             INSERT INTO product (id, sku, name, price, status, attributes, category_id, created_at)
             VALUES ('{HAMMER}', 'HAM-1', 'Hammer', '19.99', 'active', '{{}}', 'tools', '2024-02-29 06:15:00.500000');"
        ))
        .expect("seeds");
        drop(conn);

        let figment = rocket::Config::figment()
            .merge(("log_level", "off"))
            .merge(("address", "127.0.0.1"))
            .merge(("port", 0))
            .merge(("secret_key", SECRET_KEY))
            .merge(("shutdown.ctrlc", false))
            .merge(("shutdown.grace", 1))
            .merge(("shutdown.mercy", 1));
        let (ready, launched) = mpsc::channel();
        let rocket =
            catalog::app_on(rocket::custom(figment), db.clone()).attach(AdHoc::on_liftoff("Report", move |rocket| {
                Box::pin(async move {
                    let _ = ready.send((rocket.config().port, rocket.shutdown()));
                })
            }));
        let server = std::thread::spawn(move || rocket::execute(rocket.launch()).map(drop).map_err(|e| e.to_string()));
        match launched.recv_timeout(Duration::from_secs(30)) {
            Ok((port, shutdown)) => {
                App { base: format!("http://127.0.0.1:{port}"), db, shutdown, server: Some(server), dir }
            }
            Err(_) => match server.join() {
                Ok(Err(e)) => panic!("the catalog did not launch: {e}"),
                _ => panic!("the catalog did not launch within 30 s"),
            },
        }
    }

    /// The hammer as saved.
    fn hammer(&self) -> catalog::Product {
        let key = Value::parse(hangar::model::SqlKind::Uuid, HAMMER).expect("a UUID");
        let mut conn = self.db.get().expect("a connection");
        load_by_keys::<catalog::Product>(&mut conn, &[key]).expect("reads").pop().expect("the hammer")
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.shutdown.clone().notify();
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }
}

/// A browser on the app; a failing test leaves a screenshot.
struct Site {
    browser: Browser,
    app: App,
}

impl Drop for Site {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join("catalog-admin-browser.png");
            if std::fs::write(&path, self.browser.screenshot()).is_ok() {
                eprintln!("the page the test failed on: {}", path.display());
            }
        }
    }
}

impl Site {
    fn open(&self, path: &str) {
        self.browser.goto(&format!("{}{path}", self.app.base));
    }

    fn path(&self) -> String {
        let url = self.browser.current_url();
        url.strip_prefix(&self.app.base).map(str::to_owned).unwrap_or(url)
    }

    /// Empties the input `selector` (as select-all and delete would), then
    /// types `text` into it.
    fn retype(&self, selector: &str, text: &str) {
        self.browser.execute("document.querySelector(arguments[0]).value = ''", &[json!(selector)]);
        self.browser.find(selector).send_keys(text);
    }

    /// Saves the page as `name.png` in `HANGAR_SCREENSHOTS`, when it is set.
    fn screenshot(&self, name: &str) {
        if let Ok(dir) = std::env::var("HANGAR_SCREENSHOTS") {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), self.browser.screenshot());
        }
    }

    fn value(&self, selector: &str) -> String {
        let value = self.browser.execute("return document.querySelector(arguments[0]).value", &[json!(selector)]);
        value.as_str().unwrap_or_default().to_owned()
    }
}

#[test]
fn the_product_form_saves_an_instant_a_decimal_json_and_a_file() {
    let Some(browser) = Browser::launch() else {
        eprintln!("browser tests skipped: chromium/chromedriver not found (apt-get install chromium chromium-driver)");
        return;
    };
    let site = Site { browser, app: App::start() };
    site.browser.set_window_size(1280, 1000);
    site.open("/accounts/login/?next=/admin/");
    site.browser.find("form input[name=username]").send_keys("admin");
    site.browser.find("form input[name=password][type=password]").send_keys("secret");
    site.browser.find("form button[type=submit]").click_and_wait();
    assert_eq!(site.path(), "/admin/");

    let form = format!("/admin/product/{HAMMER}/");
    site.open(&form);
    let written = site.browser.find("input[name=created_at]").attr("value");
    assert_eq!(written.as_deref(), Some("2024-02-29T06:15:00"), "shown in UTC, to the second");
    // The browser keeps it, normalised (without zero seconds).
    assert_eq!(site.value("input[name=created_at]"), "2024-02-29T06:15");
    let label = site.browser.find("label[for=id_created_at]").text();
    assert!(label.contains("UTC"), "{label}");

    // The instant: a datetime-local's value, as a picker sets it, read in UTC.
    let valid = site.browser.execute(
        "const input = document.querySelector('input[name=created_at]');
         input.value = '2024-03-01T10:20:30';
         input.dispatchEvent(new Event('input', { bubbles: true }));
         return input.validity.valid && input.value === '2024-03-01T10:20:30';",
        &[],
    );
    assert_eq!(valid, json!(true), "the browser takes the value as a datetime-local");
    // The decimal, typed, within its step.
    site.retype("input[name=price]", "25.5");
    let step_ok = site.browser.execute("return document.querySelector('input[name=price]').validity.valid", &[]);
    assert_eq!(step_ok, json!(true), "25.5 fits a step of 0.01");
    // The JSON, typed into the textarea.
    site.retype("textarea[name=attributes]", "{\"colour\": \"red\", \"sizes\": [1, 2.5]}");
    // The file, chosen from the disk.
    let image: Vec<u8> = (0..=255u8).chain(*b"\r\n--\0end").collect();
    let file = site.app.dir.path().join("hammer.png");
    std::fs::write(&file, &image).expect("the file is written");
    site.browser.find("input[type=file][name=image]").send_keys(&file.display().to_string());
    site.browser.find("button[name=_continue]").click_and_wait();

    let flashes: Vec<String> = site.browser.find_all("ul.flashes li.flash").iter().map(|li| li.text()).collect();
    assert!(
        flashes.iter().any(|f| f.contains("Changes to Product saved")),
        "{flashes:?}: {}",
        site.browser.page_source()
    );
    assert_eq!(site.path(), form, "back on the form");

    // What was saved.
    let hammer = site.app.hammer();
    assert_eq!(hammer.created_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), "2024-03-01T10:20:30Z");
    assert_eq!(hammer.price.to_string(), "25.50");
    assert_eq!(hammer.attributes, json!({"colour": "red", "sizes": [1, 2.5]}));
    assert_eq!(hammer.image.as_deref(), Some(image.as_slice()), "the uploaded bytes, every one");
    assert_eq!(hammer.status, catalog::Status::Active, "the select kept its choice");
    assert_eq!(hammer.category_id.as_deref(), Some("tools"));

    // What the form shows of it now.
    assert_eq!(site.value("input[name=created_at]"), "2024-03-01T10:20:30");
    assert_eq!(site.value("input[name=price]"), "25.50");
    assert_eq!(
        site.value("textarea[name=attributes]"),
        "{\n  \"colour\": \"red\",\n  \"sizes\": [\n    1,\n    2.5\n  ]\n}"
    );
    site.screenshot("catalog-product-form");
    let current = site.browser.find("#current_image").text();
    assert_eq!(current, "Current file: 264 bytes");
    // The download link gives the bytes back.
    let downloaded = site.browser.execute_async(
        "const done = arguments[arguments.length - 1];
         fetch(document.querySelector('#current_image a').href, { credentials: 'same-origin' })
           .then(r => r.arrayBuffer().then(b => done({ type: r.headers.get('Content-Type'), bytes: Array.from(new Uint8Array(b)) })))
           .catch(e => done({ error: String(e) }));",
        &[],
    );
    assert_eq!(downloaded["type"], "application/octet-stream");
    assert_eq!(downloaded["bytes"], json!(image));

    // Too many places: refused beside the field, the rest kept as typed.
    site.retype("input[name=price]", "1.005");
    site.retype("input[name=name]", "Claw hammer");
    site.browser.find("button[name=_save]").click_and_wait();
    let error = site.browser.find("#error_price_0").text();
    assert_eq!(error, "`price` value `1.005` does not fit 12 digits with 2 after the point");
    assert_eq!(site.value("input[name=name]"), "Claw hammer");
    assert_eq!(site.app.hammer().name, "Hammer", "nothing was written");
    site.browser.execute("document.getElementById('id_image').scrollIntoView({ block: 'center' })", &[]);
    site.screenshot("catalog-product-form-error");
    site.open("/admin/product/?status=active");
    site.screenshot("catalog-product-list");
}
