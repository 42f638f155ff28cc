//! tweepee's admin: its models, its panels, and the form the Notes panel
//! posts, on a seeded SQLite file.

use hangar::db::Database;
use indicatif::ProgressBar;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use tweepee::seed::{seed, SeedOptions};

async fn logged_in_admin() -> (Client, Database, tempfile::TempDir) {
    hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("tweepee.db").display());
    let db = Database::connect(&url).expect("SQLite opens");
    seed(&db, SeedOptions { users: 5, messages: 10, fast_hash: true }, &ProgressBar::hidden()).expect("seeds");
    let figment = rocket::Config::figment().merge(("database_url", url)).merge(("log_level", "off"));
    let client = Client::tracked(tweepee::app(rocket::custom(figment))).await.expect("launches");
    let token = csrf(&client).await;
    let status = client
        .post("/accounts/login/")
        .header(ContentType::Form)
        .body(format!("csrf_token={token}&username=admin&password=admin"))
        .dispatch()
        .await
        .status();
    assert_eq!(status, Status::SeeOther);
    (client, db, dir)
}

async fn csrf(client: &Client) -> String {
    let page = client.get("/accounts/login/").dispatch().await.into_string().await.unwrap_or_default();
    page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
}

#[rocket::async_test]
async fn the_dashboard_shows_the_models_and_both_panels() {
    let (client, _db, _dir) = logged_in_admin().await;
    let page = client.get("/admin/").dispatch().await;
    assert_eq!(page.status(), Status::Ok);
    let body = page.into_string().await.unwrap_or_default();
    for needle in [
        "Users",
        "Relationships",
        "Messages",
        "Notes",
        "note for user4",
        "User stats",
        "<svg",
        "Signups and messages per day",
    ] {
        assert!(body.contains(needle), "{needle} in {body}");
    }
    let stats = client.get("/admin/user-stats/").dispatch().await;
    assert_eq!(stats.status(), Status::Ok);
    let list =
        client.get("/admin/message/?user__username=user1").dispatch().await.into_string().await.unwrap_or_default();
    assert!(list.contains("2 records"), "{list}");
}

#[rocket::async_test]
async fn the_notes_panel_posts_a_note_with_its_token_only() {
    let (client, _db, _dir) = logged_in_admin().await;
    let refused = client
        .post("/admin/notes/create/")
        .header(ContentType::Form)
        .body("message=no+token")
        .dispatch()
        .await
        .status();
    assert_eq!(refused, Status::Forbidden);
    let token = csrf(&client).await;
    let posted = client
        .post("/admin/notes/create/")
        .header(ContentType::Form)
        .body(format!("csrf_token={token}&message=from+the+panel"))
        .dispatch()
        .await;
    assert_eq!(posted.status(), Status::SeeOther);
    drop(posted);
    let body = client.get("/admin/").dispatch().await.into_string().await.unwrap_or_default();
    assert!(body.contains("Your note has been posted") && body.contains("from the panel"), "{body}");
}
