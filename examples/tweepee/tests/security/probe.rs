//! tweepee seeded on one backend, behind a client whose every answer is
//! searched for a password hash.

use std::sync::atomic::{AtomicUsize, Ordering};

use base64ct::{Base64, Encoding};
use diesel::prelude::*;
use hangar::db::Dialect;
use hangar_tests::backends::TestDb;
use indicatif::ProgressBar;
use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::asynchronous::{Client, LocalRequest};
use tweepee::schema::users;
use tweepee::seed::{seed, SeedOptions};

/// What came back, read whole.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: Status,
    /// Every header, as sent.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Answer {
    /// The first value of header `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether the answer is an HTML page.
    pub(crate) fn is_html(&self) -> bool {
        self.header("Content-Type").is_some_and(|t| t.starts_with("text/html"))
    }
}

/// A seeded tweepee (`admin`, `inactive_user`, `user0`..`user4`, each
/// password its username; 10 messages) and a client keeping cookies.
pub(crate) struct Probe {
    pub(crate) client: Client,
    pub(crate) test: TestDb,
    /// How many answers were searched for a password hash.
    scanned: AtomicUsize,
}

/// The field and header the CSRF token travels in.
pub(crate) const CSRF_FIELD: &str = "csrf_token";
pub(crate) const CSRF_HEADER: &str = "X-CSRF-Token";

impl Probe {
    /// tweepee seeded on `dialect`.
    pub(crate) async fn seeded(dialect: Dialect) -> Probe {
        let test = TestDb::bare(dialect);
        seed(&test.db, SeedOptions { users: 5, messages: 10, fast_hash: true }, &ProgressBar::hidden()).expect("seeds");
        let figment = rocket::Config::figment().merge(("log_level", "off"));
        let rocket = tweepee::app_on(rocket::custom(figment), test.db.clone());
        let client = Client::tracked(rocket).await.expect("launches");
        Probe { client, test, scanned: AtomicUsize::new(0) }
    }

    /// A request for `method uri`.
    pub(crate) fn request(&self, method: Method, uri: &str) -> LocalRequest<'_> {
        self.client.req(method, uri.to_owned())
    }

    /// Sends `request` and reads the answer, failing the test if its body
    /// shows a password hash.
    pub(crate) async fn send(&self, request: LocalRequest<'_>) -> Answer {
        let what = format!("{} {}", request.inner().method(), request.inner().uri());
        let response = request.dispatch().await;
        let status = response.status();
        let headers = response.headers().iter().map(|h| (h.name().to_string(), h.value().to_owned())).collect();
        let body = response.into_string().await.unwrap_or_default();
        self.scanned.fetch_add(1, Ordering::Relaxed);
        if let Some(prefix) = hangar::utils::find_password_hash(&body) {
            panic!("{what} answered {status} showing a password hash (`{prefix}`):\n{body}");
        }
        Answer { status, headers, body }
    }

    pub(crate) async fn get(&self, uri: &str) -> Answer {
        self.send(self.request(Method::Get, uri)).await
    }

    /// POSTs `fields` as a form.
    pub(crate) async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        self.send(self.request(Method::Post, uri).header(ContentType::Form).body(form(fields))).await
    }

    /// The session's CSRF token, from the login page's form.
    pub(crate) async fn csrf(&self) -> String {
        csrf_of(&self.get("/accounts/login/").await.body)
    }

    /// Logs in as `username` (whose password is the same) through the form.
    pub(crate) async fn log_in(&self, username: &str) {
        let token = self.csrf().await;
        let fields = [(CSRF_FIELD, token.as_str()), ("username", username), ("password", username)];
        let answer = self.post_form("/accounts/login/", &fields).await;
        assert_eq!(answer.status, Status::SeeOther, "{username} logs in: {}", answer.body);
    }

    /// How many answers were searched so far.
    pub(crate) fn scanned(&self) -> usize {
        self.scanned.load(Ordering::Relaxed)
    }

    /// The id of user `username`.
    pub(crate) fn user_id(&self, username: &str) -> i32 {
        let mut conn = self.test.db.get().expect("a connection");
        users::table.filter(users::username.eq(username)).select(users::id).first(&mut conn).expect("the user exists")
    }
}

/// `Authorization: Basic` for a seeded user, whose password is its name.
pub(crate) fn basic(username: &str) -> Header<'static> {
    Header::new(
        "Authorization",
        format!("Basic {}", Base64::encode_string(format!("{username}:{username}").as_bytes())),
    )
}

/// `fields` as `application/x-www-form-urlencoded`.
pub(crate) fn form(fields: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}={}", hangar::forms::encode_component(k), hangar::forms::encode_component(v)))
        .collect();
    pairs.join("&")
}

/// The `csrf_token` hidden field of a page.
pub(crate) fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
}

impl Probe {
    /// Every row of tweepee's tables, users' hashes included, as text: two
    /// snapshots differ when any write happened.
    pub(crate) fn snapshot(&self) -> String {
        use tweepee::schema::{message, note, relationship};
        let mut conn = self.test.db.get().expect("a connection");
        let people: Vec<(i32, String, String, String, bool, bool)> = users::table
            .order(users::id)
            .select((users::id, users::username, users::password, users::email, users::active, users::admin))
            .load(&mut conn)
            .expect("users load");
        let messages: Vec<(i32, i32, String)> = message::table
            .order(message::id)
            .select((message::id, message::user_id, message::content))
            .load(&mut conn)
            .expect("messages load");
        let follows: Vec<(i32, i32, i32)> = relationship::table
            .order(relationship::id)
            .select((relationship::id, relationship::from_user_id, relationship::to_user_id))
            .load(&mut conn)
            .expect("relationships load");
        let notes: Vec<(i32, i32, String, i32)> = note::table
            .order(note::id)
            .select((note::id, note::user_id, note::message, note::status))
            .load(&mut conn)
            .expect("notes load");
        format!("{people:?}\n{messages:?}\n{follows:?}\n{notes:?}")
    }

    /// The smallest id in the table the admin and the API call `slug`.
    pub(crate) fn first_id(&self, slug: &str) -> i32 {
        use diesel::dsl::min;
        use tweepee::schema::{message, note, relationship};
        let mut conn = self.test.db.get().expect("a connection");
        let id: Option<i32> = match slug {
            "user" => users::table.select(min(users::id)).first(&mut conn),
            "message" => message::table.select(min(message::id)).first(&mut conn),
            "relationship" => relationship::table.select(min(relationship::id)).first(&mut conn),
            "note" => note::table.select(min(note::id)).first(&mut conn),
            // The seed makes no group: the moderators' is the first.
            "group" => Ok(Some(tweepee::admin::create_moderators(&mut conn).expect("the moderators' group"))),
            other => panic!("no table for `{other}`: teach `Probe::first_id` it"),
        }
        .expect("the table is readable");
        id.unwrap_or_else(|| panic!("the seed left `{slug}` empty"))
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            eprintln!("{} answers searched for a password hash: none showed one", self.scanned());
        }
    }
}
