//! Logging in to tweepee with a real browser: headless Chromium, driven over
//! WebDriver, against the app served on a loopback port.
//!
//! Each test skips, with one line on stderr, when Chromium or chromedriver
//! is not installed (set `HANGAR_CHROMIUM` and `HANGAR_CHROMEDRIVER` to use
//! other executables).

// A general client: not every test calls every method.
#[allow(dead_code)]
mod webdriver;

use std::sync::{mpsc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use hangar::auth::{create_superuser, NewSuperuser};
use hangar::db::Database;
use rocket::fairing::AdHoc;
use rocket::Shutdown;
use tweepee::models::User;
use webdriver::Browser;

/// A fixed key, so private cookies work; 64 bytes, base64.
const SECRET_KEY: &str = "bOi3QfvGCVy2JXZuJMZ1VFkWTy7FzjhV0IRMSjuX7M4svtSKpz0on4KeLaWGYFIbOWUkpgGhc8tzihdBOi/3fg==";

/// Browsers are heavy; the tests take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// tweepee on its own SQLite file, served on 127.0.0.1 from a thread with
/// its own runtime; shut down on drop.
struct App {
    base: String,
    shutdown: Shutdown,
    server: Option<JoinHandle<Result<(), String>>>,
    _dir: tempfile::TempDir,
}

impl App {
    /// Serves a fresh tweepee whose only users are the admins `users`,
    /// given as `(username, password)`.
    fn start(users: &[(&str, &str)]) -> Self {
        hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("tweepee.db").display());
        let db = Database::connect(&url).expect("SQLite opens");
        db.migrate(&tweepee::MIGRATIONS).expect("migrates");
        let mut conn = db.get().expect("a connection");
        for &(username, password) in users {
            let new = NewSuperuser { username: username.into(), email: None, password: password.into() };
            create_superuser::<User>(&mut conn, &new).unwrap_or_else(|e| panic!("creating {username:?}: {e}"));
        }
        drop(conn);

        let figment = rocket::Config::figment()
            .merge(("database_url", url))
            .merge(("log_level", "off"))
            .merge(("address", "127.0.0.1"))
            .merge(("port", 0))
            .merge(("secret_key", SECRET_KEY))
            .merge(("shutdown.ctrlc", false))
            .merge(("shutdown.grace", 1))
            .merge(("shutdown.mercy", 1));
        let (ready, launched) = mpsc::channel();
        let rocket = tweepee::app(rocket::custom(figment)).attach(AdHoc::on_liftoff("Report", move |rocket| {
            Box::pin(async move {
                let _ = ready.send((rocket.config().port, rocket.shutdown()));
            })
        }));
        let server = std::thread::spawn(move || rocket::execute(rocket.launch()).map(drop).map_err(|e| e.to_string()));
        match launched.recv_timeout(Duration::from_secs(30)) {
            Ok((port, shutdown)) => {
                Self { base: format!("http://127.0.0.1:{port}"), shutdown, server: Some(server), _dir: dir }
            }
            Err(_) => match server.join() {
                Ok(Err(e)) => panic!("tweepee did not launch: {e}"),
                _ => panic!("tweepee did not launch within 30 s"),
            },
        }
    }

    /// The absolute URL of `path` on the app.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
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

/// A browser pointed at a running tweepee. The browser closes first, then
/// the app stops, then the next test may start.
struct Site {
    browser: Browser,
    app: App,
    _turn: MutexGuard<'static, ()>,
}

/// The app with the admins `users` and a browser, or `None` (after saying
/// so on stderr) when no browser is installed.
fn site(users: &[(&str, &str)]) -> Option<Site> {
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(browser) = Browser::launch() else {
        eprintln!("browser tests skipped: chromium/chromedriver not found (apt-get install chromium chromium-driver)");
        return None;
    };
    Some(Site { browser, app: App::start(users), _turn: turn })
}

impl Site {
    /// Opens `path` on the app.
    fn open(&self, path: &str) {
        self.browser.goto(&self.app.url(path));
    }

    /// Fills in and submits the login form on the current page.
    fn submit_login(&self, username: &str, password: &str) {
        self.browser.find("form input[name=username]").send_keys(username);
        self.browser.find("form input[name=password][type=password]").send_keys(password);
        self.browser.find("form button[type=submit]").click_and_wait();
    }

    /// Logs in through `/accounts/login/`, with `query` (such as
    /// `?next=/api/user/`) on its address.
    fn log_in(&self, username: &str, password: &str, query: &str) {
        self.open(&format!("/accounts/login/{query}"));
        self.submit_login(username, password);
    }

    /// The current address, relative to the app; absolute when elsewhere.
    fn path(&self) -> String {
        let url = self.browser.current_url();
        url.strip_prefix(&self.app.base).map(str::to_owned).unwrap_or(url)
    }

    /// The texts of the flash messages on the current page.
    fn flashes(&self) -> Vec<String> {
        self.browser.find_all("ul.flashes li.flash").iter().map(|li| li.text()).collect()
    }

    /// Asserts that one flash message on the page contains `text`.
    fn assert_flash(&self, text: &str) {
        let flashes = self.flashes();
        assert!(
            flashes.iter().any(|f| f.contains(text)),
            "no flash says {text:?} on {} (flashes: {flashes:?}); the page:\n{}",
            self.path(),
            self.browser.page_source()
        );
    }
}

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
