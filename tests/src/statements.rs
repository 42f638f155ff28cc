//! Counting the SQL statements a request runs, through diesel's
//! process-wide default instrumentation: for test binaries of their own
//! (other tests would disturb the count), whose tests take turns.

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::{set_default_instrumentation, Instrumentation, InstrumentationEvent};
use hangar::admin::Admin;
use hangar::auth::Auth;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use rocket::tokio::sync::{Mutex, MutexGuard};

use crate::backends::TestDb;
use crate::models::User;

/// Statements started, in every connection.
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// The count is the process's: the tests that read it take turns.
static TURN: Mutex<()> = Mutex::const_new(());

fn count_statements() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
        }
    }))
}

/// A test's turn at counting statements, until it is dropped.
#[derive(Debug)]
pub struct Counting {
    _turn: MutexGuard<'static, ()>,
}

impl Counting {
    /// Waits for the other counting tests of this process, then counts the
    /// statements of every connection made from here on.
    pub async fn start() -> Counting {
        let turn = TURN.lock().await;
        set_default_instrumentation(count_statements).expect("instrumentation");
        Counting { _turn: turn }
    }

    /// Counts from zero again.
    pub fn reset(&self) {
        STATEMENTS.store(0, Ordering::Relaxed);
    }

    /// The statements started since the last [`Counting::reset`].
    pub fn count(&self) -> usize {
        STATEMENTS.load(Ordering::Relaxed)
    }
}

/// The value of the form field `name` in `html`, or `""`.
pub fn field(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// A client of `admin` on `db`, beside the fixture users' login, logged in
/// as the fixture's administrator; and the session's CSRF token.
pub async fn admin_client(db: &TestDb, admin: Admin<User>) -> (Client, String) {
    let rocket = rocket::custom(rocket::Config::figment().merge(("log_level", "off"))).manage(db.db.clone());
    let client = Client::tracked(admin.mount(Auth::<User>::new().mount(rocket))).await.expect("launches");
    hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
    let login = client.get("/accounts/login/").dispatch().await.into_string().await.unwrap_or_default();
    let csrf = field(&login, "csrf_token");
    let logged_in = client
        .post("/accounts/login/")
        .header(ContentType::Form)
        .body(format!("csrf_token={csrf}&username=admin&password=admin"))
        .dispatch()
        .await
        .status();
    assert_eq!(logged_in, Status::SeeOther, "on {}", db.dialect);
    // Logging in gives the session a new token.
    let home = client.get("/admin/").dispatch().await.into_string().await.unwrap_or_default();
    let csrf = field(&home, "csrf_token");
    assert!(!csrf.is_empty(), "a token on the admin's pages");
    (client, csrf)
}
