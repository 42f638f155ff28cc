//! The logged-in user is read from the database once per request, however
//! many guards and pages ask for it (flask's `g.user`).
//!
//! A test binary of its own: it counts statements through diesel's
//! process-wide default instrumentation, which other tests would disturb.

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::{set_default_instrumentation, Instrumentation, InstrumentationEvent};
use hangar::auth::{Auth, CurrentUser, LoginRequired, PageContext};
use hangar_tests::backends::{backends, TestDb};
use hangar_tests::models::User;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::Json;
use rocket::{get, routes};

/// Statements that read the `users` table, in every connection.
static USER_READS: AtomicUsize = AtomicUsize::new(0);

fn count_user_reads() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let sql = query.to_string();
            if sql.starts_with("SELECT") && sql.contains("users") {
                USER_READS.fetch_add(1, Ordering::Relaxed);
            }
        }
    }))
}

/// Three guards that each want the user.
#[get("/busy")]
fn busy(
    current: CurrentUser<'_, User>,
    required: LoginRequired<'_, User>,
    page: PageContext<User>,
) -> Json<(Option<String>, String, PageContext<User>)> {
    Json((current.0.map(|u| u.username.clone()), required.username.clone(), page))
}

#[get("/")]
fn home(page: PageContext<User>) -> Json<PageContext<User>> {
    Json(page)
}

#[rocket::async_test]
async fn the_user_is_loaded_once_per_request() {
    set_default_instrumentation(count_user_reads).expect("instrumentation");
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        let rocket = rocket::custom(rocket::Config::figment().merge(("log_level", "off")))
            .manage(db.db.clone())
            .mount("/", routes![busy, home]);
        let client = Client::tracked(Auth::<User>::new().mount(rocket)).await.expect("launches");
        hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
        let home: serde_json::Value = client.get("/").dispatch().await.into_json().await.expect("json");
        let csrf = home["csrf_token"].as_str().expect("a token");
        let login = client
            .post("/accounts/login/")
            .header(ContentType::Form)
            .body(format!("csrf_token={csrf}&username=normal&password=normal"))
            .dispatch()
            .await;
        assert_eq!(login.status(), Status::SeeOther, "on {dialect}");

        USER_READS.store(0, Ordering::Relaxed);
        let response = client.get("/busy").dispatch().await;
        assert_eq!(response.status(), Status::Ok, "on {dialect}");
        let (current, required, page): (Option<String>, String, serde_json::Value) =
            response.into_json().await.expect("json");
        assert_eq!((current.as_deref(), required.as_str()), (Some("normal"), "normal"));
        assert_eq!(page["user"]["username"], "normal");
        assert_eq!(USER_READS.load(Ordering::Relaxed), 1, "one read of `users` for three guards on {dialect}");

        USER_READS.store(0, Ordering::Relaxed);
        client.get("/").dispatch().await;
        assert_eq!(USER_READS.load(Ordering::Relaxed), 1, "and one on the next request, on {dialect}");
    }
}
