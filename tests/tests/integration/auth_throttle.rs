//! The login throttle across instances: two apps on one database count the
//! same failures, for the login form and HTTP Basic alike, and concurrent
//! guesses never run more password checks than the limit.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use base64ct::{Base64, Encoding};
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};
use hangar::auth::Auth;
use hangar::rest::authn::UserAuthentication;
use hangar::rest::RestApi;
use hangar_tests::backends::{backends, TestDb};
use hangar_tests::models::{Note, User};
use rocket::futures::future::join_all;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use rocket::{Build, Rocket};

use crate::auth_support::{base, encode};

const WINDOW: Duration = Duration::from_secs(600);

/// One instance of the app: login, and `/api/note/` behind HTTP Basic.
fn instance(auth: Auth<User>, db: &TestDb) -> Rocket<Build> {
    let rocket = auth.mount(base(db));
    RestApi::new("/api").default_auth(UserAuthentication::<User>::new()).register::<Note>().mount(rocket)
}

/// Two instances of the app on `db`, as two processes behind a proxy would be.
async fn two_instances(auth: impl Fn() -> Auth<User>, db: &TestDb) -> [Client; 2] {
    let a = Client::tracked(instance(auth(), db)).await.expect("instance a launches");
    let b = Client::tracked(instance(auth(), db)).await.expect("instance b launches");
    [a, b]
}

fn address(i: u8) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(198, 51, 100, i)), 40_000)
}

/// A note created with HTTP Basic from `from`: the status and `Retry-After`.
async fn create_note(client: &Client, username: &str, password: &str, from: SocketAddr) -> (Status, Option<String>) {
    let credentials = Base64::encode_string(format!("{username}:{password}").as_bytes());
    let response = client
        .post("/api/note/")
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Basic {credentials}")))
        .body(r#"{"message": "hello", "user_id": 2}"#)
        .remote(from)
        .dispatch()
        .await;
    (response.status(), response.headers().get_one("Retry-After").map(str::to_owned))
}

/// A login through the form from `from`: the status and `Retry-After`.
async fn log_in(client: &Client, username: &str, password: &str, from: SocketAddr) -> (Status, Option<String>) {
    let page = client.get("/accounts/login/").dispatch().await;
    let body = page.into_string().await.unwrap_or_default();
    let token = body.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
    let form = format!("csrf_token={}&username={}&password={}", encode(token), encode(username), encode(password));
    let response = client.post("/accounts/login/").header(ContentType::Form).body(form).remote(from).dispatch().await;
    (response.status(), response.headers().get_one("Retry-After").map(str::to_owned))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

/// The failures the table holds for `key`, or `None` without a row.
fn failures(db: &TestDb, key: &str) -> Option<i32> {
    let query = match db.dialect {
        hangar::db::Dialect::Postgres => "SELECT failures FROM hangar_login_throttle WHERE throttle_key = $1",
        _ => "SELECT failures FROM hangar_login_throttle WHERE throttle_key = ?",
    };
    let rows: Vec<Count> =
        diesel::sql_query(query).bind::<Text, _>(key).load(&mut *db.conn()).expect("the table reads");
    rows.first().map(|c| c.failures)
}

#[rocket::async_test]
async fn concurrent_wrong_passwords_over_two_instances_run_at_most_the_limit_of_checks() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let db = TestDb::seeded(dialect);
        let instances = two_instances(|| Auth::new().throttle(3, WINDOW), &db).await;
        // Twelve guesses at once, from twelve addresses, alternating
        // between the instances: only the username's count can stop them.
        let guesses = (0..12u8).map(|i| create_note(&instances[usize::from(i % 2)], "normal", "wrong", address(i)));
        let answers = join_all(guesses).await;
        let checked = answers.iter().filter(|(status, _)| *status == Status::Unauthorized).count();
        let refused: Vec<_> = answers.iter().filter(|(status, _)| *status == Status::TooManyRequests).collect();
        assert_eq!((checked, refused.len()), (3, 9), "{answers:?}");
        for (_, retry_after) in refused {
            let wait: u64 = retry_after.as_deref().and_then(|s| s.parse().ok()).expect("Retry-After");
            assert!((1..=600).contains(&wait), "{wait}");
        }
        assert_eq!(failures(&db, "user:normal"), Some(3), "the table counts the checks that ran");
        // Even the right password waits now, on either instance, and
        // through the login form too.
        assert_eq!(create_note(&instances[1], "normal", "normal", address(50)).await.0, Status::TooManyRequests);
        assert_eq!(log_in(&instances[0], "Normal", "normal", address(51)).await.0, Status::TooManyRequests);
        assert_eq!(create_note(&instances[0], "admin", "admin", address(52)).await.0, Status::Created, "others pass");
    }
}

#[rocket::async_test]
async fn login_form_failures_count_on_every_instance_and_a_success_forgets_them() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let db = TestDb::seeded(dialect);
        let [a, b] = two_instances(|| Auth::new().throttle(3, WINDOW), &db).await;
        let ok = Status::Ok; // the form again, with its error
        assert_eq!(log_in(&a, "normal", "wrong", address(1)).await.0, ok);
        assert_eq!(log_in(&b, "normal", "wrong", address(2)).await.0, ok);
        assert_eq!(failures(&db, "user:normal"), Some(2));
        assert_eq!(failures(&db, "ip:198.51.100.1"), Some(1));
        // The right password, on the other instance: the user's failures
        // are forgotten, the address's are not.
        assert_eq!(log_in(&b, "normal", "normal", address(1)).await.0, Status::SeeOther);
        assert_eq!(failures(&db, "user:normal"), None);
        assert_eq!(failures(&db, "ip:198.51.100.1"), Some(1));
        for (client, i) in [(&a, 3), (&b, 4), (&a, 5)] {
            assert_eq!(log_in(client, "normal", "wrong", address(i)).await.0, ok);
        }
        let (status, retry_after) = log_in(&b, "normal", "wrong", address(6)).await;
        assert_eq!(status, Status::TooManyRequests);
        assert!(retry_after.is_some());
        // HTTP Basic shares the count.
        assert_eq!(create_note(&a, "normal", "normal", address(7)).await.0, Status::TooManyRequests);
    }
}

#[rocket::async_test]
async fn verified_basic_credentials_take_no_slot() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let db = TestDb::seeded(dialect);
        let [a, _] = two_instances(|| Auth::new().throttle(2, WINDOW), &db).await;
        // The first request checks the password; the next ones are
        // answered from the credential cache and count nothing.
        for i in 0..5 {
            assert_eq!(create_note(&a, "normal", "normal", address(i)).await.0, Status::Created);
        }
        assert_eq!(failures(&db, "user:normal"), None);
        assert_eq!(failures(&db, "ip:198.51.100.0"), None, "a success counts nothing against the address");
        // Unknown users count too, so guessing names is throttled.
        assert_eq!(create_note(&a, "nobody", "x", address(9)).await.0, Status::Unauthorized);
        assert_eq!(failures(&db, "user:nobody"), Some(1));
    }
}

#[rocket::async_test]
async fn in_memory_each_instance_counts_its_own() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let db = TestDb::seeded(dialect);
        let [a, b] = two_instances(|| Auth::new().throttle(2, WINDOW).throttle_in_memory(), &db).await;
        for i in 0..2 {
            assert_eq!(log_in(&a, "normal", "wrong", address(i)).await.0, Status::Ok);
        }
        assert_eq!(log_in(&a, "normal", "wrong", address(3)).await.0, Status::TooManyRequests);
        assert_eq!(log_in(&b, "normal", "wrong", address(4)).await.0, Status::Ok, "b has its own count");
        assert_eq!(failures(&db, "user:normal"), None, "nothing in the table");
    }
}

#[rocket::async_test]
async fn expired_windows_are_pruned() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let db = TestDb::seeded(dialect);
        let insert = match dialect {
            hangar::db::Dialect::Postgres => {
                "INSERT INTO hangar_login_throttle (throttle_key, window_start, failures) VALUES ($1, $2, 7)"
            }
            _ => "INSERT INTO hangar_login_throttle (throttle_key, window_start, failures) VALUES (?, ?, 7)",
        };
        diesel::sql_query(insert)
            .bind::<Text, _>("user:long-gone")
            .bind::<BigInt, _>(1_000_i64)
            .execute(&mut *db.conn())
            .expect("an old window");
        let [a, _] = two_instances(|| Auth::new().throttle(3, WINDOW), &db).await;
        assert_eq!(log_in(&a, "normal", "wrong", address(1)).await.0, Status::Ok);
        assert_eq!(failures(&db, "user:long-gone"), None, "pruned");
        assert_eq!(failures(&db, "user:normal"), Some(1));
    }
}

#[rocket::async_test]
async fn an_app_without_the_table_does_not_launch_unless_it_counts_in_memory() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let db = TestDb::bare(dialect);
        let error = Client::untracked(instance(Auth::new(), &db)).await.expect_err("no table, no launch");
        assert!(format!("{error:?}").contains("hangar login throttle"), "{error:?}");
        Client::untracked(instance(Auth::new().throttle_in_memory(), &db)).await.expect("in memory, it launches");
    }
}

#[rocket::async_test]
async fn users_logging_in_at_once_from_one_address_take_no_slots_of_each_other() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let db = TestDb::seeded(dialect);
        // A limit of one: were attempts in flight counted against the
        // address, the second login would be refused.
        let [a, b] = two_instances(|| Auth::new().throttle(1, WINDOW), &db).await;
        let office = address(200);
        let logins = [create_note(&a, "admin", "admin", office), create_note(&b, "normal", "normal", office)];
        let answers = join_all(logins).await;
        assert!(answers.iter().all(|(status, _)| *status == Status::Created), "{answers:?}");
        // One failure from the address, and its next attempt waits.
        assert_eq!(create_note(&a, "admin", "wrong", office).await.0, Status::Unauthorized);
        assert_eq!(failures(&db, "ip:198.51.100.200"), Some(1));
        assert_eq!(create_note(&b, "nobody", "x", office).await.0, Status::TooManyRequests);
    }
}
