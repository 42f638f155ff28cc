//! tweepee served on a loopback port, and a headless Chromium pointed at
//! it: what the browser tests share.

use std::sync::{mpsc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use hangar::auth::{create_superuser, NewSuperuser};
use hangar::db::Database;
use rocket::fairing::AdHoc;
use rocket::Shutdown;
use tweepee::models::User;

use crate::webdriver::Browser;

/// A fixed key, so private cookies work; 64 bytes, base64.
const SECRET_KEY: &str = "bOi3QfvGCVy2JXZuJMZ1VFkWTy7FzjhV0IRMSjuX7M4svtSKpz0on4KeLaWGYFIbOWUkpgGhc8tzihdBOi/3fg==";

/// Browsers are heavy; the tests take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// tweepee on its own SQLite file, served on 127.0.0.1 from a thread with
/// its own runtime; shut down on drop.
pub(crate) struct App {
    pub(crate) base: String,
    shutdown: Shutdown,
    server: Option<JoinHandle<Result<(), String>>>,
    dir: tempfile::TempDir,
}

impl App {
    /// Serves a fresh tweepee whose only users are the admins `users`,
    /// given as `(username, password)`.
    pub(crate) fn start(users: &[(&str, &str)]) -> Self {
        Self::start_with(|db| {
            db.migrate(&tweepee::MIGRATIONS).expect("migrates");
            let mut conn = db.get().expect("a connection");
            for &(username, password) in users {
                let new = NewSuperuser { username: username.into(), email: None, password: password.into() };
                create_superuser::<User>(&mut conn, &new).unwrap_or_else(|e| panic!("creating {username:?}: {e}"));
            }
        })
    }

    /// Serves tweepee with `tweepee seed`'s data for `users` users and
    /// `messages` messages, hashed at the test cost.
    pub(crate) fn seeded(users: usize, messages: usize) -> Self {
        Self::start_with(|db| {
            let options = tweepee::seed::SeedOptions { users, messages, fast_hash: true };
            tweepee::seed::seed(db, options, &indicatif::ProgressBar::hidden()).expect("seeds");
        })
    }

    /// Serves tweepee on a fresh SQLite file that `setup` prepares.
    fn start_with(setup: impl FnOnce(&Database)) -> Self {
        Self::serve(setup, Vec::new())
    }

    /// Serves tweepee on a fresh SQLite file that `setup` prepares, with
    /// `routes` of the test's own mounted at `/` beside the app's.
    pub(crate) fn serve(setup: impl FnOnce(&Database), routes: Vec<rocket::Route>) -> Self {
        hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("tweepee.db").display());
        let db = Database::connect(&url).expect("SQLite opens");
        setup(&db);
        drop(db);

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
        let rocket = tweepee::app(rocket::custom(figment)).mount("/", routes).attach(AdHoc::on_liftoff(
            "Report",
            move |rocket| {
                Box::pin(async move {
                    let _ = ready.send((rocket.config().port, rocket.shutdown()));
                })
            },
        ));
        let server = std::thread::spawn(move || rocket::execute(rocket.launch()).map(drop).map_err(|e| e.to_string()));
        match launched.recv_timeout(Duration::from_secs(30)) {
            Ok((port, shutdown)) => {
                Self { base: format!("http://127.0.0.1:{port}"), shutdown, server: Some(server), dir }
            }
            Err(_) => match server.join() {
                Ok(Err(e)) => panic!("tweepee did not launch: {e}"),
                _ => panic!("tweepee did not launch within 30 s"),
            },
        }
    }

    /// The app's database, for a test to read what it wrote.
    pub(crate) fn database_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("tweepee.db").display())
    }

    /// The absolute URL of `path` on the app.
    pub(crate) fn url(&self, path: &str) -> String {
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
pub(crate) struct Site {
    pub(crate) browser: Browser,
    pub(crate) app: App,
    _turn: MutexGuard<'static, ()>,
}

/// The app with the admins `users` and a browser, or `None` (after saying
/// so on stderr) when no browser is installed.
pub(crate) fn site(users: &[(&str, &str)]) -> Option<Site> {
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(browser) = Browser::launch() else {
        eprintln!("browser tests skipped: chromium/chromedriver not found (apt-get install chromium chromium-driver)");
        return None;
    };
    Some(Site { browser, app: App::start(users), _turn: turn })
}

/// tweepee with `tweepee seed`'s data (fast hashes: `admin`/`admin`,
/// `user0`/`user0`, ...) and a browser, or `None` when none is installed.
pub(crate) fn seeded_site(users: usize, messages: usize) -> Option<Site> {
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(browser) = Browser::launch() else {
        eprintln!("browser tests skipped: chromium/chromedriver not found (apt-get install chromium chromium-driver)");
        return None;
    };
    Some(Site { browser, app: App::seeded(users, messages), _turn: turn })
}

/// tweepee prepared by `setup` with the test's own `routes`, and a
/// browser, or `None` when none is installed.
pub(crate) fn custom_site(setup: impl FnOnce(&Database), routes: Vec<rocket::Route>) -> Option<Site> {
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(browser) = Browser::launch() else {
        eprintln!("browser tests skipped: chromium/chromedriver not found (apt-get install chromium chromium-driver)");
        return None;
    };
    Some(Site { browser, app: App::serve(setup, routes), _turn: turn })
}

/// Where screenshots go: `target/browser-screenshots/`.
fn screenshot_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots")
}

impl Drop for Site {
    /// A failing test leaves a screenshot of the page it failed on, named
    /// after the test.
    fn drop(&mut self) {
        if std::thread::panicking() {
            let name = std::thread::current().name().unwrap_or("browser-test").replace("::", "-");
            let path = screenshot_dir().join(format!("{name}.png"));
            let _ = std::fs::create_dir_all(screenshot_dir());
            let png = self.browser.screenshot();
            if std::fs::write(&path, png).is_ok() {
                eprintln!("the page the test failed on: {}", path.display());
            }
        }
    }
}

impl Site {
    /// Saves a screenshot of the current page as `name.png` in
    /// `target/browser-screenshots/`, and in `HANGAR_SCREENSHOTS` when set.
    pub(crate) fn screenshot(&self, name: &str) {
        let png = self.browser.screenshot();
        let _ = std::fs::create_dir_all(screenshot_dir());
        let _ = std::fs::write(screenshot_dir().join(format!("{name}.png")), &png);
        if let Ok(dir) = std::env::var("HANGAR_SCREENSHOTS") {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), &png);
        }
    }

    /// Waits (up to five seconds) until `script` returns true.
    pub(crate) fn wait_for(&self, script: &str) {
        for _ in 0..50 {
            if self.browser.execute(script, &[]) == serde_json::Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("waited in vain for `{script}` on {}", self.path());
    }

    /// Opens `path` on the app.
    pub(crate) fn open(&self, path: &str) {
        self.browser.goto(&self.app.url(path));
    }

    /// Fills in and submits the login form on the current page.
    pub(crate) fn submit_login(&self, username: &str, password: &str) {
        self.browser.find("form input[name=username]").send_keys(username);
        self.browser.find("form input[name=password][type=password]").send_keys(password);
        self.browser.find("form button[type=submit]").click_and_wait();
    }

    /// Logs in through `/accounts/login/`, with `query` (such as
    /// `?next=/api/user/`) on its address.
    pub(crate) fn log_in(&self, username: &str, password: &str, query: &str) {
        self.open(&format!("/accounts/login/{query}"));
        self.submit_login(username, password);
    }

    /// The current address, relative to the app; absolute when elsewhere.
    pub(crate) fn path(&self) -> String {
        let url = self.browser.current_url();
        url.strip_prefix(&self.app.base).map(str::to_owned).unwrap_or(url)
    }

    /// The texts of the flash messages on the current page.
    pub(crate) fn flashes(&self) -> Vec<String> {
        self.browser.find_all("ul.flashes li.flash").iter().map(|li| li.text()).collect()
    }

    /// Asserts that one flash message on the page contains `text`.
    pub(crate) fn assert_flash(&self, text: &str) {
        let flashes = self.flashes();
        assert!(
            flashes.iter().any(|f| f.contains(text)),
            "no flash says {text:?} on {} (flashes: {flashes:?}); the page:\n{}",
            self.path(),
            self.browser.page_source()
        );
    }
}
