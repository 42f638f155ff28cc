//! A small, blocking WebDriver client for the browser tests: it starts
//! `chromedriver`, opens one headless Chromium session and drives it.
//!
//! It speaks HTTP/1.1 over a `TcpStream` ([`wire`]), one connection per
//! command (`Connection: close`), with JSON bodies. Every method panics with a
//! message naming what it was doing and WebDriver's own error, so a test
//! reads as a list of steps and fails at the step that went wrong.

mod wire;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use self::wire::{command, http};

/// The key under which WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long `chromedriver` may take to report that it is ready.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);

/// How long [`Element::click_and_wait`] waits for the next page.
const NAVIGATION_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one command may take before the client gives up on it.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);

/// The Chromium and `chromedriver` executables to run.
#[derive(Debug, Clone)]
pub(crate) struct Binaries {
    /// The browser.
    pub(crate) chromium: PathBuf,
    /// The WebDriver server that matches it.
    pub(crate) chromedriver: PathBuf,
}

impl Binaries {
    /// Finds both executables: from `HANGAR_CHROMIUM` and `HANGAR_CHROMEDRIVER`
    /// when set, else in `/usr/bin`, else on `PATH`. `None` when either is
    /// missing, so the caller can skip its test.
    pub(crate) fn locate() -> Option<Self> {
        Some(Self {
            chromium: locate("HANGAR_CHROMIUM", &["chromium", "chromium-browser"])?,
            chromedriver: locate("HANGAR_CHROMEDRIVER", &["chromedriver"])?,
        })
    }
}

fn locate(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::iter::once(PathBuf::from("/usr/bin")).chain(std::env::split_paths(&path));
    dirs.flat_map(|dir| names.iter().map(move |name| dir.join(name))).find(|p| p.is_file())
}

/// A running `chromedriver` on a loopback port; killed on drop.
#[derive(Debug)]
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts `chromedriver` on a free port, its output going to `log`, and
    /// waits until `GET /status` says it is ready.
    fn start(chromedriver: &Path, log: &Path) -> Self {
        let port = free_port();
        let stdout = std::fs::File::create(log).expect("the chromedriver log file can be created");
        let stderr = stdout.try_clone().expect("the chromedriver log file can be shared");
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", chromedriver.display()));
        let mut driver = Self { child, port };
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited with {status} before it was ready; its log:\n{}", tail(log));
            }
            let ready = http(port, "GET", "/status", None).ok().and_then(|(_, body)| body["value"]["ready"].as_bool());
            if ready == Some(true) {
                return driver;
            }
            if Instant::now() > deadline {
                panic!("chromedriver on port {port} was not ready within {STARTUP_TIMEOUT:?}; its log:\n{}", tail(log));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port on 127.0.0.1 that nothing listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port can be bound");
    listener.local_addr().expect("a bound listener has an address").port()
}

/// The last lines of a log file, for a panic message.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// A headless Chromium session. Dropping it ends the session, which closes
/// the browser, then stops `chromedriver`.
#[derive(Debug)]
pub(crate) struct Browser {
    session: String,
    driver: Driver,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts `chromedriver` and a headless Chromium with a fresh profile.
    /// `None` when the executables are not installed (see
    /// [`Binaries::locate`]); panics when they are but do not start.
    pub(crate) fn launch() -> Option<Self> {
        Binaries::locate().map(|binaries| Self::launch_with(&binaries))
    }

    /// Starts `chromedriver` and a headless Chromium from `binaries`.
    pub(crate) fn launch_with(binaries: &Binaries) -> Self {
        let profile = tempfile::tempdir().expect("a temporary directory for the browser profile");
        let log = profile.path().join("chromedriver.log");
        let driver = Driver::start(&binaries.chromedriver, &log);
        let user_data = profile.path().join("profile");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "timeouts": {"pageLoad": 30_000, "script": 10_000, "implicit": 0},
            "goog:chromeOptions": {
                "binary": binaries.chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--no-first-run",
                    format!("--user-data-dir={}", user_data.display()),
                ],
            },
        }}});
        let value = match command(driver.port, "POST", "/session", Some(&capabilities)) {
            Ok(value) => value,
            Err(e) => {
                panic!("could not start {}: {e}\nchromedriver's log:\n{}", binaries.chromium.display(), tail(&log))
            }
        };
        let session = value["sessionId"].as_str().expect("a new session has an id").to_owned();
        Self { session, driver, _profile: profile }
    }

    /// Sends a command for this session and returns its `value`, or
    /// WebDriver's error.
    fn try_call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        command(self.driver.port, method, &format!("/session/{}{path}", self.session), body)
    }

    /// Sends a command for this session and returns its `value`, or panics
    /// naming `doing` and WebDriver's error.
    #[track_caller]
    fn call(&self, method: &str, path: &str, body: Option<&Value>, doing: &dyn Fn() -> String) -> Value {
        match self.try_call(method, path, body) {
            Ok(value) => value,
            Err(e) => panic!("{}: {e}", doing()),
        }
    }

    /// Navigates to `url` and waits for the page to load.
    #[track_caller]
    pub(crate) fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(&json!({"url": url})), &|| format!("could not open {url}"));
    }

    /// The text of the JavaScript dialog open on the page, which is then
    /// dismissed; `None` when none is open.
    pub(crate) fn take_alert(&self) -> Option<String> {
        let text = self.try_call("GET", "/alert/text", None).ok()?;
        let _ = self.try_call("POST", "/alert/dismiss", Some(&json!({})));
        Some(text.as_str().unwrap_or_default().to_owned())
    }

    /// Navigates to `url` and waits for the page to load, whatever dialog
    /// the page opens on the way; `Err` with WebDriver's error otherwise.
    pub(crate) fn try_goto(&self, url: &str) -> Result<(), String> {
        self.try_call("POST", "/url", Some(&json!({"url": url}))).map(drop)
    }

    /// Reloads the current page and waits for it to load.
    #[track_caller]
    pub(crate) fn refresh(&self) {
        self.call("POST", "/refresh", Some(&json!({})), &|| "could not reload the page".into());
    }

    /// The address of the current page.
    #[track_caller]
    pub(crate) fn current_url(&self) -> String {
        let value = self.call("GET", "/url", None, &|| "could not read the current URL".into());
        value.as_str().unwrap_or_default().to_owned()
    }

    /// The current page's title.
    #[track_caller]
    pub(crate) fn title(&self) -> String {
        let value = self.call("GET", "/title", None, &|| "could not read the title".into());
        value.as_str().unwrap_or_default().to_owned()
    }

    /// The current page's HTML, as the browser now has it.
    #[track_caller]
    pub(crate) fn page_source(&self) -> String {
        let value = self.call("GET", "/source", None, &|| "could not read the page source".into());
        value.as_str().unwrap_or_default().to_owned()
    }

    /// The first element matching the CSS `selector`; panics, naming the
    /// selector and the page, when there is none.
    #[track_caller]
    pub(crate) fn find(&self, selector: &str) -> Element<'_> {
        let body = json!({"using": "css selector", "value": selector});
        match self.try_call("POST", "/element", Some(&body)) {
            Ok(value) => self.element(&value, selector),
            Err(e) => panic!("no element matches `{selector}` on {}: {e}", self.current_url()),
        }
    }

    /// Every element matching the CSS `selector`, in document order.
    #[track_caller]
    pub(crate) fn find_all(&self, selector: &str) -> Vec<Element<'_>> {
        let body = json!({"using": "css selector", "value": selector});
        let value = self.call("POST", "/elements", Some(&body), &|| format!("could not look for `{selector}`"));
        value.as_array().into_iter().flatten().map(|v| self.element(v, selector)).collect()
    }

    fn element(&self, reference: &Value, selector: &str) -> Element<'_> {
        let id = reference[ELEMENT_KEY].as_str().expect("an element reference has an id").to_owned();
        Element { browser: self, id, selector: selector.to_owned() }
    }

    /// The current window as a PNG.
    #[track_caller]
    pub(crate) fn screenshot(&self) -> Vec<u8> {
        use base64ct::{Base64, Encoding};
        let value = self.call("GET", "/screenshot", None, &|| "could not take a screenshot".into());
        Base64::decode_vec(value.as_str().unwrap_or_default()).unwrap_or_default()
    }

    /// Resizes the window to `width` × `height` CSS pixels.
    #[track_caller]
    pub(crate) fn set_window_size(&self, width: u32, height: u32) {
        let body = json!({"width": width, "height": height});
        self.call("POST", "/window/rect", Some(&body), &|| format!("could not resize the window to {width}×{height}"));
    }

    /// The element that has the keyboard's focus.
    #[track_caller]
    pub(crate) fn active_element(&self) -> Element<'_> {
        let value = self.call("GET", "/element/active", None, &|| "could not find the focused element".into());
        self.element(&value, ":focus")
    }

    /// Presses `keys` on whatever has the focus, as a user at a keyboard
    /// would, with WebDriver's actions: each character down then up; a
    /// modifier among them (Shift `\u{E008}`, Control `\u{E009}`, Alt
    /// `\u{E00A}`, Meta `\u{E03D}`) stays held until the end.
    #[track_caller]
    pub(crate) fn press(&self, keys: &str) {
        const MODIFIERS: [char; 4] = ['\u{E008}', '\u{E009}', '\u{E00A}', '\u{E03D}'];
        let mut actions = Vec::new();
        let mut held = Vec::new();
        for key in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": key.to_string()}));
            if MODIFIERS.contains(&key) {
                held.push(key);
            } else {
                actions.push(json!({"type": "keyUp", "value": key.to_string()}));
            }
        }
        actions.extend(held.iter().rev().map(|key| json!({"type": "keyUp", "value": key.to_string()})));
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        self.call("POST", "/actions", Some(&body), &|| format!("could not press {keys:?}"));
    }

    /// Makes the page match `prefers-color-scheme: scheme` (`light` or
    /// `dark`), through Chromium's DevTools; it holds across navigations.
    #[track_caller]
    pub(crate) fn emulate_color_scheme(&self, scheme: &str) {
        let features = json!([{"name": "prefers-color-scheme", "value": scheme}]);
        let body = json!({"cmd": "Emulation.setEmulatedMedia", "params": {"features": features}});
        self.call("POST", "/goog/cdp/execute", Some(&body), &|| format!("could not emulate the {scheme} scheme"));
    }

    /// Lets a script run for up to `timeout` (see [`Browser::execute_async`]).
    #[track_caller]
    pub(crate) fn set_script_timeout(&self, timeout: Duration) {
        let body = json!({"script": u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX)});
        self.call("POST", "/timeouts", Some(&body), &|| "could not set the script timeout".into());
    }

    /// Runs `script` in the page with a callback as its last argument, and
    /// returns what it passes the callback (for `fetch` and other promises).
    #[track_caller]
    pub(crate) fn execute_async(&self, script: &str, args: &[Value]) -> Value {
        let body = json!({"script": script, "args": args});
        self.call("POST", "/execute/async", Some(&body), &|| format!("the script `{script}` failed"))
    }

    /// Runs `script` as the body of a function called with `args` in the
    /// page, and returns what it returns.
    #[track_caller]
    pub(crate) fn execute(&self, script: &str, args: &[Value]) -> Value {
        let body = json!({"script": script, "args": args});
        self.call("POST", "/execute/sync", Some(&body), &|| format!("the script `{script}` failed"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.try_call("DELETE", "", None);
    }
}

/// An element of the current page, found by a CSS selector.
#[derive(Debug)]
pub(crate) struct Element<'b> {
    browser: &'b Browser,
    id: String,
    selector: String,
}

impl Element<'_> {
    #[track_caller]
    fn call(&self, method: &str, what: &str, body: Option<&Value>, doing: &str) -> Value {
        let path = format!("/element/{}{what}", self.id);
        self.browser.call(method, &path, body, &|| format!("could not {doing} `{}`", self.selector))
    }

    /// The element's rendered text.
    #[track_caller]
    pub(crate) fn text(&self) -> String {
        self.call("GET", "/text", None, "read the text of").as_str().unwrap_or_default().to_owned()
    }

    /// Types `text` into the element.
    #[track_caller]
    pub(crate) fn send_keys(&self, text: &str) {
        self.call("POST", "/value", Some(&json!({"text": text})), "type into");
    }

    /// Clicks the element. A navigation the click starts may still be under
    /// way when this returns; see [`Element::click_and_wait`].
    #[track_caller]
    pub(crate) fn click(&self) {
        self.call("POST", "/click", Some(&json!({})), "click");
    }

    /// Clicks a link or a submit button and waits until the page it leads to
    /// has loaded: until the current document is a new one, fully loaded.
    #[track_caller]
    pub(crate) fn click_and_wait(&self) {
        let browser = self.browser;
        // A new document gets a new `window`, without this mark.
        browser.execute("window.__webdriver_old_page = true", &[]);
        self.click();
        let script =
            json!({"script": "return !window.__webdriver_old_page && document.readyState === 'complete'", "args": []});
        let deadline = Instant::now() + NAVIGATION_TIMEOUT;
        // While the old page unloads, scripts may fail; that means "not yet".
        while browser.try_call("POST", "/execute/sync", Some(&script)) != Ok(Value::Bool(true)) {
            if Instant::now() > deadline {
                panic!(
                    "clicking `{}` led to no new page within {NAVIGATION_TIMEOUT:?}; still on {}",
                    self.selector,
                    browser.current_url()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The element's attribute `name`, or `None` when it has none.
    #[track_caller]
    pub(crate) fn attr(&self, name: &str) -> Option<String> {
        let value = self.call("GET", &format!("/attribute/{name}"), None, &format!("read `{name}` of"));
        value.as_str().map(str::to_owned)
    }
}
