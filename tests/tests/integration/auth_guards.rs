//! The guards, the API through the login session, and a custom user model.

use base64ct::{Base64, Encoding};
use diesel::{ExpressionMethods, RunQueryDsl};
use hangar::auth::{create_superuser, Auth, NewSuperuser};
use hangar_tests::models::Member;
use hangar_tests::schema::members;
use rocket::http::{ContentType, Header, Status};
use serde_json::json;

use crate::auth_support::{member_site, user_site, Browser};

fn site(db: &hangar_tests::backends::TestDb) -> rocket::Rocket<rocket::Build> {
    user_site(Auth::new(), db)
}

#[rocket::async_test]
async fn login_required_redirects_with_the_whole_path_and_query() {
    Browser::each(site, async |browser: &Browser| {
        let page = browser.get("/private/?page=2&ordering=-pub_date").await;
        assert_eq!(page.status, Status::SeeOther);
        let expected = "/accounts/login/?next=%2Fprivate%2F%3Fpage%3D2%26ordering%3D-pub_date";
        assert_eq!(page.location.as_deref(), Some(expected));
        let form = browser.get(expected).await;
        assert!(form.body.contains(r#"name="next" value="/private/?page&#x3D;2&amp;ordering&#x3D;-pub_date""#));

        let login = browser.log_in("normal", "normal", "/private/?page=2&ordering=-pub_date").await;
        assert_eq!(login.location.as_deref(), Some("/private/?page=2&ordering=-pub_date"));
        let page = browser.get("/private/?page=2&ordering=-pub_date").await;
        assert_eq!((page.status, page.body.as_str()), (Status::Ok, "private for normal"));
    })
    .await;
}

#[rocket::async_test]
async fn admin_required_redirects_strangers_and_forbids_non_admins() {
    Browser::each(site, async |browser: &Browser| {
        let page = browser.get("/secret/").await;
        assert_eq!(page.location.as_deref(), Some("/accounts/login/?next=%2Fsecret%2F"));

        browser.log_in("normal", "normal", "").await;
        let page = browser.get("/secret/").await;
        assert_eq!(page.status, Status::Forbidden);
        assert!(page.body.contains("You do not have permission to view this page."), "{}", page.body);

        browser.log_in("admin", "admin", "").await;
        let page = browser.get("/secret/").await;
        assert_eq!((page.status, page.body.as_str()), (Status::Ok, "secret for admin"));
    })
    .await;
}

#[rocket::async_test]
async fn other_refusals_keep_their_status() {
    Browser::each(site, async |browser: &Browser| {
        let page = browser.get("/no/such/page").await;
        assert_eq!(page.status, Status::NotFound, "{page:?}");
    })
    .await;
}

#[rocket::async_test]
async fn templates_see_the_user_without_the_password_hash() {
    Browser::each(site, async |browser: &Browser| {
        assert_eq!(browser.get("/").await.json()["user"], json!(null));
        browser.log_in("admin", "admin", "").await;
        let user = browser.get("/").await.json()["user"].clone();
        assert_eq!((user["username"].clone(), user["admin"].clone()), (json!("admin"), json!(true)));
        assert!(user.get("password").is_none(), "{user}");
        let page = browser.get("/accounts/login/").await;
        assert!(page.body.contains(r#"<span class="account-name">admin</span>"#), "{}", page.body);
    })
    .await;
}

#[rocket::async_test]
async fn session_writes_to_the_api_need_the_csrf_header() {
    Browser::each(site, async |browser: &Browser| {
        let note = json!({"message": "from the page", "user_id": 2});
        let anonymous = browser.post_json("/api/note/", &note, None).await;
        assert_eq!(anonymous.status, Status::Unauthorized);

        browser.log_in("normal", "normal", "").await;
        let page = browser.post_json("/api/note/", &note, None).await;
        assert_eq!(page.status, Status::Forbidden, "{page:?}");
        assert!(page.json()["error"].as_str().unwrap_or_default().contains("X-CSRF-Token"), "{page:?}");
        let page = browser.post_json("/api/note/", &note, Some("forged")).await;
        assert_eq!(page.status, Status::Forbidden);

        let csrf = browser.csrf().await;
        let page = browser.post_json("/api/note/", &note, Some(&csrf)).await;
        assert_eq!(page.status, Status::Created, "{page:?}");
        assert_eq!(browser.get("/api/note/?message=from%20the%20page").await.json()["meta"]["object_count"], 1);
    })
    .await;
}

#[rocket::async_test]
async fn basic_credentials_need_no_csrf_token() {
    Browser::each(site, async |browser: &Browser| {
        let token = Base64::encode_string(b"normal:normal");
        let request = browser
            .client
            .post("/api/note/")
            .header(ContentType::JSON)
            .header(Header::new("Authorization", format!("Basic {token}")))
            .body(json!({"message": "by basic", "user_id": 2}).to_string());
        assert_eq!(browser.dispatch(request).await.status, Status::Created);
    })
    .await;
}

#[rocket::async_test]
async fn a_custom_user_model_with_extra_fields_logs_in() {
    Browser::each(member_site, async |browser: &Browser| {
        let new = NewSuperuser { username: "grace".into(), email: None, password: "hopper".into() };
        create_superuser::<Member>(&mut browser.db.conn(), &new).expect("created");
        diesel::insert_into(members::table)
            .values((
                members::login.eq("ada"),
                members::pw_hash.eq(hangar::utils::make_password("lovelace")),
                members::karma.eq(42),
            ))
            .execute(&mut *browser.db.conn())
            .expect("inserted");

        let page = browser.log_in("ada", "wrong", "").await;
        assert!(page.body.contains("Incorrect username or password"));
        browser.log_in("ada", "lovelace", "/staff/").await;
        assert_eq!(browser.whoami().await, "ada (42 karma)");
        assert_eq!(browser.get("/").await.json()["user"]["bio"], "", "extra fields reach templates");
        assert!(browser.get("/").await.json()["user"].get("pw_hash").is_none());
        assert_eq!(browser.get("/staff/").await.status, Status::Forbidden);

        browser.log_in("grace", "hopper", "").await;
        assert_eq!(browser.get("/staff/").await.body, "staff grace");
    })
    .await;
}
