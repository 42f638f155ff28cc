//! The first run's demo: the real `tweepee` binary served from a temporary
//! directory, its console read and its pages asked for over HTTP; and the
//! demo's rows on every backend.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use diesel::connection::SimpleConnection as _;
use hangar::db::Database;
use hangar::Model as _;
use hangar_tests::backends::{backends, TestDb};
use tweepee::demo::{create_demo, ADMIN, USERS};
use tweepee::models::{Message, Note, Relationship, User};

/// How long the binary may take to start (its first run hashes the admin's
/// password at full cost).
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(120);

/// `tweepee` serving from `dir` on a free loopback port; killed on drop.
struct Served {
    child: Child,
    /// What it printed until Rocket said it had launched.
    console: String,
    /// `http://127.0.0.1:<port>`, from Rocket's launch line.
    base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `tweepee args` in `dir` with `env` on top of an environment that
/// configures no database, and waits until it serves.
fn serve(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Served {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tweepee"));
    let errors = dir.join("stderr.txt");
    let stderr = std::fs::File::create(&errors).expect("a file for its errors");
    command.args(args).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(stderr);
    for name in ["DATABASE_URL", "ROCKET_DATABASE_URL", "ROCKET_CONFIG", "TWEEPEE_NO_DEMO", "ROCKET_PROFILE"] {
        command.env_remove(name);
    }
    let rocket = [("ROCKET_ADDRESS", "127.0.0.1"), ("ROCKET_PORT", "0"), ("ROCKET_LOG_LEVEL", "normal")];
    command.envs(rocket).env("ROCKET_CLI_COLORS", "false").envs(env.iter().copied());
    let mut child = command.spawn().expect("tweepee starts");
    let stdout = child.stdout.take().expect("its output is piped");
    let (lines, read) = mpsc::channel();
    // Read to the end, after the launch too: a closed pipe would fail the
    // server's next log line.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut console = String::new();
    loop {
        match read.recv_timeout(LAUNCH_TIMEOUT) {
            Ok(line) => {
                if let Some(base) = line.split("Rocket has launched from ").nth(1) {
                    let base = base.trim().to_owned();
                    return Served { child, console, base };
                }
                console.push_str(&line);
                console.push('\n');
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                let errors = std::fs::read_to_string(&errors).unwrap_or_default();
                panic!("tweepee {args:?} did not launch; it printed:\n{console}\nand on stderr:\n{errors}");
            }
        }
    }
}

/// The demo's announcement in `console`: the login URL and the password.
fn announced(console: &str) -> Option<(String, String)> {
    let line = console.lines().find(|l| l.trim_start().starts_with("log in at "))?;
    let url = line.split("log in at ").nth(1)?.split(' ').next()?.to_owned();
    let password = line.split("with password: ").nth(1)?.trim().to_owned();
    Some((url, password))
}

/// Asserts that `console` says nothing of a demo or a password.
fn assert_no_demo(console: &str) {
    assert!(!console.contains("a demo was created") && !console.contains("password"), "{console}");
}

/// Asserts that `tweepee args` with `env` in `dir` creates a demo: the
/// control of a test that expects none under one more condition.
fn assert_demo(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let served = serve(dir, args, env);
    assert!(announced(&served.console).is_some(), "without it, a demo: {}", served.console);
}

/// The users of the SQLite file `file`.
fn users_in(file: &Path) -> Vec<User> {
    let db = Database::connect(&format!("sqlite://{}", file.display())).expect("opens");
    User::load(User::all(), &mut db.get().expect("a connection")).expect("loads")
}

/// A tiny HTTP/1.1 client that keeps cookies, for the served binary.
struct Browser {
    host: String,
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn new(base: &str) -> Self {
        Browser { host: base.trim_start_matches("http://").trim_end_matches('/').to_owned(), cookies: Vec::new() }
    }

    /// Sends a request; answers the status, the `Location` and the body.
    fn send(&mut self, method: &str, path: &str, form: Option<&str>) -> (u16, Option<String>, String) {
        let mut stream = TcpStream::connect(&self.host).expect("connects");
        let cookies: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let body = form.unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nCookie: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            cookies.join("; "),
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("sends");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("reads");
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut location = None;
        for header in head.lines().skip(1) {
            let Some((name, value)) = header.split_once(": ") else { continue };
            if name.eq_ignore_ascii_case("location") {
                location = Some(value.to_owned());
            } else if name.eq_ignore_ascii_case("set-cookie") {
                let Some((name, value)) = value.split(';').next().and_then(|c| c.split_once('=')) else { continue };
                self.cookies.retain(|(k, _)| k != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
        }
        (status, location, body.to_owned())
    }
}

fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
}

#[test]
fn a_first_run_on_the_default_database_creates_a_demo_whose_admin_logs_in() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let served = serve(dir.path(), &[], &[]);
    let (login, password) = announced(&served.console).unwrap_or_else(|| panic!("no demo: {}", served.console));
    assert_eq!(login, format!("{}/accounts/login/", served.base), "the address served");
    assert!(served.console.contains("tweepee: a demo was created in tweepee.db"), "{}", served.console);
    let base = &served.base;
    let addresses = format!("the site: {base}/   the admin: {base}/admin/   the API: {base}/api/\n");
    assert!(served.console.contains(&addresses), "{}", served.console);
    assert!(password.len() >= 16, "{password}");

    let mut browser = Browser::new(&served.base);
    let (_, _, form) = browser.send("GET", "/accounts/login/", None);
    let body = format!("csrf_token={}&username={ADMIN}&password={}", encoded(&csrf_of(&form)), encoded(&password));
    let (status, location, _) = browser.send("POST", "/accounts/login/", Some(&body));
    assert_eq!((status, location.as_deref()), (303, Some("/")), "the printed password logs in");
    let (status, _, dashboard) = browser.send("GET", "/admin/", None);
    assert_eq!(status, 200, "{dashboard}");
    assert!(dashboard.contains("Notes") && dashboard.contains("User stats"), "{dashboard}");
    let (_, _, home) = browser.send("GET", "/", None);
    assert!(home.contains("<h1>Private Timeline</h1>") && home.contains("Following alice."), "{home}");

    let users = users_in(&dir.path().join("tweepee.db"));
    let admin = users.iter().find(|u| u.username == ADMIN).expect("the admin");
    assert!(admin.admin && admin.active);
    assert!(admin.password.starts_with("$pbkdf2-sha256$i=600000,"), "a full-cost hash: {}", admin.password);
    assert!(!hangar::utils::password_needs_rehash(&admin.password));

    // carol moderates: staff, granted what the moderators' group is.
    let carol = users.iter().find(|u| u.username == "carol").expect("carol");
    assert!(carol.staff && !carol.admin, "{carol:?}");
    let db = Database::connect(&format!("sqlite://{}", dir.path().join("tweepee.db").display())).expect("opens");
    let granted =
        hangar::auth::Granted::load(&mut db.get().expect("a connection"), &hangar::model::Value::Integer(carol.id))
            .expect("the grants load");
    use hangar::auth::Permission::{Add, Change, Delete, View};
    assert!(granted.allows("message", View) && granted.allows("message", Change) && granted.allows("user", View));
    assert!(!granted.allows("message", Delete) && !granted.allows("message", Add) && !granted.allows("user", Change));
    assert!(users.iter().filter(|u| u.username != "carol").all(|u| !u.staff), "{users:?}");
}

#[test]
fn a_second_start_creates_no_second_demo_and_prints_no_password() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = serve(dir.path(), &[], &[]);
    assert!(announced(&first.console).is_some(), "{}", first.console);
    drop(first);
    let second = serve(dir.path(), &["serve"], &[]);
    assert_no_demo(&second.console);
    assert_eq!(users_in(&dir.path().join("tweepee.db")).len(), 1 + USERS.len(), "one demo");
}

#[test]
fn a_configured_database_never_gets_a_demo_even_an_empty_sqlite_file() {
    for variable in ["DATABASE_URL", "ROCKET_DATABASE_URL"] {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("empty.db");
        std::fs::File::create(&file).expect("an empty file");
        let url = format!("sqlite://{}", file.display());
        let served = serve(dir.path(), &[], &[(variable, url.as_str())]);
        assert_no_demo(&served.console);
        drop(served);
        assert_eq!(users_in(&file).len(), 0, "{variable}: migrated, and nobody added");
        assert!(!dir.path().join("tweepee.db").exists(), "{variable}: the default database is not opened");
        assert_demo(dir.path(), &[], &[]);
    }
}

#[test]
fn a_default_database_with_a_user_is_left_alone() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    assert_demo(tempfile::tempdir().expect("a temporary directory").path(), &[], &[]);
    let created = Command::new(env!("CARGO_BIN_EXE_tweepee"))
        .args(["createsuperuser", "--username", "boss", "--password", "pw"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("ROCKET_LOG_LEVEL", "off")
        .output()
        .expect("tweepee runs");
    assert!(created.status.success(), "{created:?}");
    let served = serve(dir.path(), &[], &[]);
    assert_no_demo(&served.console);
    let names: Vec<String> = users_in(&dir.path().join("tweepee.db")).into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["boss"]);
}

#[test]
fn no_demo_by_flag_or_environment() {
    for (args, env) in [(&["serve", "--no-demo"][..], &[][..]), (&[], &[("TWEEPEE_NO_DEMO", "1")])] {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let served = serve(dir.path(), args, env);
        assert_no_demo(&served.console);
        drop(served);
        assert_eq!(users_in(&dir.path().join("tweepee.db")).len(), 0, "{args:?} {env:?}");
        assert_demo(dir.path(), &["serve"], &[]);
    }
}

#[test]
fn the_demo_is_written_whole_once_on_every_backend() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let test = TestDb::bare(dialect);
        test.db.migrate(&tweepee::MIGRATIONS).expect("migrates");
        let mut conn = test.db.get().expect("a connection");
        let now = chrono::Utc::now().naive_utc();
        let admin = create_demo(&mut conn, now).expect("creates").expect("an empty database gets the demo");
        assert_eq!(admin.username, ADMIN);
        assert!(admin.password.chars().all(|c| c.is_ascii_alphanumeric()) && admin.password.len() == 20);

        let users = User::load(User::all(), &mut conn).expect("loads");
        let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(names, [ADMIN, USERS[0], USERS[1], USERS[2]]);
        for user in &users {
            let logs_in = hangar::utils::check_password(&admin.password, &user.password);
            assert_eq!((logs_in, user.admin), (user.username == ADMIN, user.username == ADMIN), "{}", user.username);
            assert!(!hangar::utils::check_password("", &user.password) && user.active);
        }
        let messages = Message::load(Message::all(), &mut conn).expect("loads");
        assert_eq!(messages.len(), 6);
        assert!(messages.iter().all(|m| m.pub_date <= now && now - m.pub_date < chrono::Duration::days(7)));
        let count = |conn: &mut hangar::db::AnyConnection| {
            let relationships = Relationship::count(Relationship::all(), conn).expect("counts");
            let notes = Note::count(Note::all(), conn).expect("counts");
            (User::count(User::all(), conn).expect("counts"), relationships, notes)
        };
        assert_eq!(count(&mut conn), (4, 6, 3));
        assert_eq!(create_demo(&mut conn, now).expect("asks"), None, "only on a database without users");
        assert_eq!(count(&mut conn), (4, 6, 3));

        // A failure part-way leaves nothing: here, the notes' table is gone.
        let broken = TestDb::bare(dialect);
        broken.db.migrate(&tweepee::MIGRATIONS).expect("migrates");
        let mut conn = broken.db.get().expect("a connection");
        conn.batch_execute("DROP TABLE note").expect("drops the notes");
        assert!(create_demo(&mut conn, now).is_err());
        assert_eq!(User::count(User::all(), &mut conn).expect("counts"), 0, "rolled back");
        assert_eq!(Message::count(Message::all(), &mut conn).expect("counts"), 0, "rolled back");
    }
}
