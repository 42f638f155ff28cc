//! tweepee's admin: its models, its panels, and the form the Notes panel
//! posts, on a seeded SQLite file.

mod seeded;

use hangar::db::Database;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;

use crate::seeded::{csrf, log_in, site};

/// tweepee, with its administrator logged in.
async fn logged_in_admin() -> (Client, Database, tempfile::TempDir) {
    let (client, db, dir) = site().await;
    log_in(&client, "admin").await;
    (client, db, dir)
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
