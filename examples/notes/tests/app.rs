//! The getting-started walkthrough: createsuperuser, the admin, and the API
//! with its writes behind a login.

use std::io::Write as _;
use std::process::{Command, Stdio};

use base64ct::{Base64, Encoding};
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;

/// `notes createsuperuser admin` with `secret` on standard input, on `url`.
fn createsuperuser(url: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_notes"))
        .args(["createsuperuser", "admin"])
        .env("DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("notes runs");
    child.stdin.take().expect("stdin").write_all(b"secret\n").expect("writes the password");
    child.wait_with_output().expect("notes finishes")
}

#[rocket::async_test]
async fn the_walkthrough_creates_an_admin_who_uses_the_admin_and_the_api() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("notes.db").display());
    let made = createsuperuser(&url);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert_eq!(String::from_utf8_lossy(&made.stdout).trim(), "created the admin user `admin`");
    let again = createsuperuser(&url);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"), "{again:?}");

    let figment = rocket::Config::figment().merge(("database_url", url)).merge(("log_level", "off"));
    let client = Client::tracked(notes::app(rocket::custom(figment))).await.expect("launches");

    // The API: reads are open, writes need a user.
    let body = r#"{"message": "from curl", "created_date": "2024-02-01T12:00:00"}"#;
    let anonymous = client.post("/api/note/").header(ContentType::JSON).body(body).dispatch().await;
    assert_eq!(anonymous.status(), Status::Unauthorized);
    let basic = Header::new("Authorization", format!("Basic {}", Base64::encode_string(b"admin:secret")));
    let created = client.post("/api/note/").header(ContentType::JSON).header(basic).body(body).dispatch().await;
    assert_eq!(created.status(), Status::Created);
    let list = client.get("/api/note/?message=from+curl").dispatch().await.into_string().await.unwrap_or_default();
    assert!(list.contains("\"object_count\":1"), "{list}");

    // The admin: the login page, then the list of notes.
    let login = client.get("/admin/note/").dispatch().await;
    assert_eq!(login.status(), Status::SeeOther);
    let page = client.get("/accounts/login/").dispatch().await.into_string().await.unwrap_or_default();
    let token = page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
    let form = format!("csrf_token={token}&username=admin&password=secret");
    let logged_in = client.post("/accounts/login/").header(ContentType::Form).body(form).dispatch().await;
    assert_eq!(logged_in.status(), Status::SeeOther);
    let notes = client.get("/admin/note/?q=curl").dispatch().await;
    assert_eq!(notes.status(), Status::Ok);
    let html = notes.into_string().await.unwrap_or_default();
    assert!(html.contains("from curl") && html.contains("1 record"), "{html}");
}
