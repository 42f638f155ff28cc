//! tweepee on a seeded SQLite file, reached through Rocket's local client:
//! what the admin's tests share.

use hangar::db::Database;
use indicatif::ProgressBar;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use tweepee::seed::{seed, SeedOptions};

/// tweepee with five seeded users (each's password is their name) and ten
/// messages; the database, and the folder its file lives in.
pub(crate) async fn site() -> (Client, Database, tempfile::TempDir) {
    hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("tweepee.db").display());
    let db = Database::connect(&url).expect("SQLite opens");
    seed(&db, SeedOptions { users: 5, messages: 10, fast_hash: true }, &ProgressBar::hidden()).expect("seeds");
    let figment = rocket::Config::figment().merge(("database_url", url)).merge(("log_level", "off"));
    let client = Client::tracked(tweepee::app(rocket::custom(figment))).await.expect("launches");
    (client, db, dir)
}

/// The session's CSRF token, from the login page.
pub(crate) async fn csrf(client: &Client) -> String {
    let page = client.get("/accounts/login/").dispatch().await.into_string().await.unwrap_or_default();
    page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
}

/// Logs `name` in, with the seed's password.
pub(crate) async fn log_in(client: &Client, name: &str) {
    let token = csrf(client).await;
    let status = client
        .post("/accounts/login/")
        .header(ContentType::Form)
        .body(format!("csrf_token={token}&username={name}&password={name}"))
        .dispatch()
        .await
        .status();
    assert_eq!(status, Status::SeeOther, "{name} logs in");
}
