//! A small site with login, guarded pages and a session-authenticated API,
//! on every backend, and a browser-like client for it that keeps cookies.

use hangar::auth::{AdminRequired, Auth, CurrentUser, LoginRequired, PageContext, Session, UserModel as _};
use hangar::rest::authn::SessionAuthentication;
use hangar::rest::RestApi;
use hangar_tests::backends::{backends, TestDb};
use hangar_tests::models::{Member, Note, User};
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalRequest};
use rocket::serde::json::Json;
use rocket::{get, routes, Build, Rocket};
use serde_json::Value;

#[get("/")]
fn home(page: PageContext<User>) -> Json<PageContext<User>> {
    Json(page)
}

#[get("/flash?<count>")]
fn flash(session: Session<'_>, count: usize) {
    for i in 0..count {
        session.flash("info", format!("message {i}"));
    }
}

#[get("/whoami")]
fn whoami(user: CurrentUser<'_, User>) -> String {
    user.0.map_or_else(|| "anonymous".to_owned(), |u| u.username.clone())
}

#[get("/private")]
fn private(user: LoginRequired<'_, User>) -> String {
    format!("private for {}", user.username)
}

#[get("/secret")]
fn secret(admin: AdminRequired<'_, User>) -> String {
    format!("secret for {}", admin.username)
}

#[get("/")]
fn member_home(page: PageContext<Member>) -> Json<PageContext<Member>> {
    Json(page)
}

#[get("/whoami")]
fn member_whoami(member: CurrentUser<'_, Member>) -> String {
    member.0.map_or_else(|| "anonymous".to_owned(), |m| format!("{} ({} karma)", m.login, m.karma))
}

#[get("/staff")]
fn staff(member: AdminRequired<'_, Member>) -> String {
    format!("staff {}", member.username())
}

/// The fixture users' site: `Auth<User>`, guarded pages, and `/api/note/`
/// behind [`SessionAuthentication`].
pub(crate) fn user_site(auth: Auth<User>, db: &TestDb) -> Rocket<Build> {
    let rocket = base(db).mount("/", routes![home, flash, whoami, private, secret]);
    let rocket = auth.mount(rocket);
    RestApi::new("/api").default_auth(SessionAuthentication::<User>::new()).register::<Note>().mount(rocket)
}

/// The custom user model's site.
pub(crate) fn member_site(db: &TestDb) -> Rocket<Build> {
    Auth::<Member>::new().mount(base(db).mount("/", routes![member_home, member_whoami, staff]))
}

pub(crate) fn base(db: &TestDb) -> Rocket<Build> {
    hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
    rocket::custom(rocket::Config::figment().merge(("log_level", "off"))).manage(db.db.clone())
}

/// Where the browser's requests come from.
const CLIENT_ADDRESS: std::net::SocketAddr =
    std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7)), 50_000);

/// A browser on one site: cookies are kept between requests.
pub(crate) struct Browser {
    pub(crate) client: Client,
    pub(crate) db: TestDb,
}

/// What the site answered.
#[derive(Debug)]
pub(crate) struct Page {
    pub(crate) status: Status,
    pub(crate) body: String,
    pub(crate) location: Option<String>,
    pub(crate) set_cookie: Vec<String>,
    pub(crate) retry_after: Option<String>,
}

impl Page {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// Percent-encodes a form value.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

impl Browser {
    /// Runs `test` with a browser on the site `site` builds, on a freshly
    /// seeded database of every backend.
    pub(crate) async fn each(site: impl Fn(&TestDb) -> Rocket<Build>, test: impl AsyncFn(&Browser)) {
        for dialect in backends() {
            let db = TestDb::seeded(dialect);
            let client = Client::tracked(site(&db)).await.expect("the site launches");
            eprintln!("on {dialect}");
            test(&Browser { client, db }).await;
        }
    }

    pub(crate) async fn dispatch(&self, request: LocalRequest<'_>) -> Page {
        let response = request.dispatch().await;
        let headers = response.headers();
        let location = headers.get_one("Location").map(str::to_owned);
        let set_cookie = headers.get("Set-Cookie").map(str::to_owned).collect();
        let retry_after = headers.get_one("Retry-After").map(str::to_owned);
        let status = response.status();
        let body = response.into_string().await.unwrap_or_default();
        Page { status, body, location, set_cookie, retry_after }
    }

    pub(crate) async fn get(&self, uri: &str) -> Page {
        self.dispatch(self.client.get(uri.to_owned())).await
    }

    /// Posts `fields` as a form.
    pub(crate) async fn post(&self, uri: &str, fields: &[(&str, &str)]) -> Page {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        let request = self.client.post(uri.to_owned()).header(ContentType::Form).body(body.join("&"));
        self.dispatch(request.remote(CLIENT_ADDRESS)).await
    }

    /// Posts JSON, with the CSRF header when `csrf` is given.
    pub(crate) async fn post_json(&self, uri: &str, json: &Value, csrf: Option<&str>) -> Page {
        let mut request = self.client.post(uri.to_owned()).header(ContentType::JSON).body(json.to_string());
        if let Some(token) = csrf {
            request.add_header(Header::new("X-CSRF-Token", token.to_owned()));
        }
        self.dispatch(request).await
    }

    /// The session's CSRF token, as a page's forms carry it.
    pub(crate) async fn csrf(&self) -> String {
        self.get("/").await.json()["csrf_token"].as_str().unwrap_or_default().to_owned()
    }

    /// The flashes the next page shows.
    pub(crate) async fn flashes(&self) -> Vec<String> {
        let page = self.get("/").await.json();
        page["flashes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["message"].as_str().map(str::to_owned))
            .collect()
    }

    /// Submits the login form as a browser would: with the page's token.
    pub(crate) async fn log_in(&self, username: &str, password: &str, next: &str) -> Page {
        let csrf = self.csrf().await;
        let fields = [("csrf_token", csrf.as_str()), ("username", username), ("password", password), ("next", next)];
        self.post("/accounts/login/", &fields).await
    }

    pub(crate) async fn whoami(&self) -> String {
        self.get("/whoami").await.body
    }

    /// The session cookie's current (encrypted) value.
    pub(crate) fn session_cookie(&self) -> Option<String> {
        self.client.cookies().get(hangar::auth::SESSION_COOKIE).map(|c| c.value().to_owned())
    }
}
