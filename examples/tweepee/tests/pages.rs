//! tweepee's public pages on every backend: the public timeline, the users,
//! a user's page with its follow buttons, and following.

use diesel::prelude::*;
use hangar::Model as _;
use hangar_tests::backends::{backends, TestDb};
use indicatif::ProgressBar;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use tweepee::models::{Message, User};
use tweepee::schema::users;
use tweepee::seed::{seed, SeedOptions};

/// A seeded tweepee (users user0..user4, each following the next three;
/// `messages` messages, message i by user(i % 5)) on `dialect`.
async fn site(dialect: hangar::db::Dialect, messages: usize) -> (Client, TestDb) {
    let test = TestDb::bare(dialect);
    seed(&test.db, SeedOptions { users: 5, messages, fast_hash: true }, &ProgressBar::hidden()).expect("seeds");
    let figment = rocket::Config::figment().merge(("log_level", "off"));
    let client = Client::tracked(tweepee::app_on(rocket::custom(figment), test.db.clone())).await.expect("launches");
    (client, test)
}

async fn text(response: LocalResponse<'_>) -> (Status, String) {
    (response.status(), response.into_string().await.unwrap_or_default())
}

async fn get(client: &Client, uri: &str) -> (Status, String) {
    text(client.get(uri.to_owned()).dispatch().await).await
}

fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
}

async fn log_in(client: &Client, username: &str) {
    let (_, page) = get(client, "/accounts/login/").await;
    let body = format!("csrf_token={}&username={username}&password={username}", csrf_of(&page));
    let response = client.post("/accounts/login/").header(ContentType::Form).body(body).dispatch().await;
    assert_eq!(response.status(), Status::SeeOther, "{username} logs in");
}

/// POSTs a follow or unfollow form as the logged-in user, with the token of
/// the user's page.
async fn post_form<'c>(client: &'c Client, page_uri: &str, action: &str) -> LocalResponse<'c> {
    let (_, page) = get(client, page_uri).await;
    let body = format!("csrf_token={}", csrf_of(&page));
    client.post(action.to_owned()).header(ContentType::Form).body(body).dispatch().await
}

#[rocket::async_test]
async fn the_public_timeline_pages_newest_first() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let (client, _test) = site(dialect, 45).await;
        let (status, first) = get(&client, "/public/").await;
        assert_eq!(status, Status::Ok, "{first}");
        assert!(first.contains("<h1>Public Timeline</h1>"), "{first}");
        assert_eq!(first.matches("class=\"message\"").count(), 20);
        assert!(first.find("message 44 from user4").unwrap_or(usize::MAX) < first.find("message 43").unwrap_or(0));
        assert!(first.contains("page 1 of 3") && first.contains("rel=\"next\" href=\"?page=2\""), "{first}");
        assert!(!first.contains("rel=\"prev\""), "{first}");
        let (_, last) = get(&client, "/public/?page=3").await;
        assert_eq!(last.matches("class=\"message\"").count(), 5);
        assert!(last.contains("rel=\"prev\" href=\"?page=2\"") && !last.contains("rel=\"next\""), "{last}");
        assert!(last.contains("message 0 from user0"), "{last}");
        assert!(last.contains("https://www.gravatar.com/avatar/"), "{last}");
        assert!(last.contains("<a href=\"/users/user0/\">user0</a>"), "{last}");
    }
}

#[rocket::async_test]
async fn users_are_listed_by_name_and_each_has_a_page() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let (client, _test) = site(dialect, 12).await;
        let (status, users) = get(&client, "/users/").await;
        assert_eq!(status, Status::Ok);
        let order: Vec<usize> = ["admin", "inactive_user", "user0", "user4"]
            .iter()
            .filter_map(|u| users.find(&format!(">{u}</a>")))
            .collect();
        assert_eq!(order.len(), 4, "{users}");
        assert!(order.windows(2).all(|w| w[0] < w[1]), "by username: {users}");

        let (status, page) = get(&client, "/users/user2/").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("<h1>Messages from user2</h1>"), "{page}");
        // Messages 2 and 7 are user2's, newest first; no one else's.
        let (seven, two) = (page.find("message 7 from user2"), page.find("message 2 from user2"));
        assert!(seven.is_some() && two.is_some() && seven < two, "{page}");
        assert!(!page.contains("from user1"), "{page}");
        assert!(page.contains("Log-in to follow"), "anonymous visitors are asked to log in: {page}");
        assert!(!page.contains("+ Follow") && !page.contains("- Un-follow"));

        let (status, missing) = get(&client, "/users/nobody/").await;
        assert_eq!(status, Status::NotFound, "{missing}");
    }
}

#[rocket::async_test]
async fn following_is_idempotent_and_the_buttons_follow_it() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let (client, test) = site(dialect, 5).await;
        log_in(&client, "user0").await;
        // user0 follows user1 to user3 in the seed, not user4.
        let (_, page) = get(&client, "/users/user1/").await;
        assert!(page.contains("- Un-follow") && !page.contains("+ Follow"), "{page}");
        let (_, page) = get(&client, "/users/user4/").await;
        assert!(page.contains("+ Follow") && !page.contains("- Un-follow"), "{page}");
        let (_, own) = get(&client, "/users/user0/").await;
        assert!(!own.contains("+ Follow") && !own.contains("- Un-follow") && !own.contains("Log-in to follow"));

        for _ in 0..2 {
            let response = post_form(&client, "/users/user4/", "/users/user4/follow/").await;
            assert_eq!(response.status(), Status::SeeOther);
            assert_eq!(response.headers().get_one("Location"), Some("/users/user4/"));
        }
        let (_, page) = get(&client, "/users/user4/").await;
        assert!(page.contains("You are now following user4"), "the flash shows once: {page}");
        assert!(page.contains("- Un-follow"), "{page}");
        let (_, again) = get(&client, "/users/user4/").await;
        assert!(!again.contains("You are now following"), "{again}");
        let mut conn = test.db.get().expect("a connection");
        let follows: Vec<User> = User::load(tweepee::social::following(2), &mut conn).expect("loads");
        assert_eq!(follows.len(), 4, "following twice made one relationship");

        for _ in 0..2 {
            let response = post_form(&client, "/users/user4/", "/users/user4/unfollow/").await;
            assert_eq!(response.status(), Status::SeeOther);
        }
        let (_, page) = get(&client, "/users/user4/").await;
        assert!(page.contains("You are no longer following user4") && page.contains("+ Follow"), "{page}");

        // GET is not a follow; an unknown user is a 404 either way.
        let via_get = client.get("/users/user4/follow/").dispatch().await;
        assert_eq!(via_get.status(), Status::MethodNotAllowed);
        assert_eq!(via_get.headers().get_one("Allow"), Some("POST"));
        assert_eq!(client.get("/users/nobody/follow/").dispatch().await.status(), Status::NotFound);
        assert_eq!(post_form(&client, "/users/user4/", "/users/nobody/follow/").await.status(), Status::NotFound);
        // Without the CSRF token, nothing happens.
        let forged = client.post("/users/user4/follow/").header(ContentType::Form).body("").dispatch().await;
        assert_eq!(forged.status(), Status::Forbidden);
    }
}

#[rocket::async_test]
async fn anonymous_follows_go_to_the_login_page() {
    for dialect in backends() {
        let (client, _test) = site(dialect, 1).await;
        let response = client.post("/users/user1/follow/").header(ContentType::Form).body("").dispatch().await;
        assert_eq!(response.status(), Status::SeeOther);
        let location = response.headers().get_one("Location").unwrap_or_default().to_owned();
        assert!(location.starts_with("/accounts/login/?next="), "{location}");
    }
}

#[rocket::async_test]
async fn the_home_page_and_the_private_timeline_show_whom_i_follow() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let (client, _test) = site(dialect, 10).await;
        let (_, anonymous) = get(&client, "/").await;
        assert!(anonymous.contains("<h1>Public Timeline</h1>") && anonymous.contains("message 0 from user0"));

        log_in(&client, "user0").await;
        for uri in ["/", "/private/"] {
            let (status, page) = get(&client, uri).await;
            assert_eq!(status, Status::Ok, "{uri}");
            assert!(page.contains("<h1>Private Timeline</h1>"), "{uri}: {page}");
            // user0 follows users 1 to 3: messages 1, 2, 3, 6, 7, 8, newest first, none of user0's own.
            let shown: Vec<usize> = (0..10).filter(|i| page.contains(&format!("message {i} from"))).collect();
            assert_eq!(shown, [1, 2, 3, 6, 7, 8], "{uri}: {page}");
            assert!(page.find("message 8 from").unwrap_or(usize::MAX) < page.find("message 1 from").unwrap_or(0));
        }
        let (_, home) = get(&client, "/").await;
        assert!(home.contains("<textarea id=\"content\" name=\"content\""), "a logged-in home page can post: {home}");
        assert!(home.contains("<a href=\"/users/user0/\">your messages</a>"), "{home}");

        let (_, following) = get(&client, "/following/").await;
        let (_, followers) = get(&client, "/followers/").await;
        let listed = |page: &str| -> Vec<String> {
            (0..5).map(|i| format!("user{i}")).filter(|u| page.contains(&format!(">{u}</a>"))).collect()
        };
        assert!(following.contains("<h1>Following</h1>") && followers.contains("<h1>Followers</h1>"));
        assert_eq!(listed(&following), ["user1", "user2", "user3"], "{following}");
        assert_eq!(listed(&followers), ["user2", "user3", "user4"], "{followers}");
    }
}

#[rocket::async_test]
async fn pages_for_users_send_anonymous_visitors_to_log_in() {
    for dialect in backends() {
        let (client, _test) = site(dialect, 1).await;
        for uri in ["/private/", "/following/", "/followers/", "/create/"] {
            let response = client.get(uri).dispatch().await;
            assert_eq!(response.status(), Status::SeeOther, "{uri}");
            let location = response.headers().get_one("Location").unwrap_or_default().to_owned();
            assert!(location.starts_with("/accounts/login/?next="), "{uri}: {location}");
            assert!(location.contains(&uri.replace('/', "%2F")) || location.contains(uri), "{uri}: {location}");
        }
    }
}

#[rocket::async_test]
async fn posting_a_message_shows_it_on_my_page_and_blank_content_is_an_error() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let (client, test) = site(dialect, 2).await;
        log_in(&client, "user1").await;
        let before = Message::count(Message::all(), &mut test.db.get().expect("a connection")).expect("counts");

        let (status, page) = get(&client, "/create/").await;
        assert_eq!(status, Status::Ok);
        let body = format!("csrf_token={}&content=+++", csrf_of(&page));
        let (status, refused) =
            text(client.post("/create/").header(ContentType::Form).body(body).dispatch().await).await;
        assert_eq!(status, Status::Ok, "the form again");
        assert!(refused.contains("This field is required.") && refused.contains("aria-invalid=\"true\""), "{refused}");
        let after = Message::count(Message::all(), &mut test.db.get().expect("a connection")).expect("counts");
        assert_eq!(after, before, "nothing was written");

        let body =
            format!("csrf_token={}&content=look+%3Cb%3Ehere%3C%2Fb%3E+https%3A%2F%2Fexample.com%2Fx", csrf_of(&page));
        let response = client.post("/create/").header(ContentType::Form).body(body).dispatch().await;
        assert_eq!(response.status(), Status::SeeOther);
        assert_eq!(response.headers().get_one("Location"), Some("/users/user1/"));
        let (_, mine) = get(&client, "/users/user1/").await;
        assert!(mine.contains("Your message has been created"), "{mine}");
        assert!(
            mine.contains("look &lt;b&gt;here&lt;/b&gt; <a href=\"https://example.com/x\" rel=\"nofollow noopener\">"),
            "escaped, with its URL a link: {mine}"
        );

        let forged = client.post("/create/").header(ContentType::Form).body("content=x").dispatch().await;
        assert_eq!(forged.status(), Status::Forbidden, "no CSRF token, no message");
    }
}

#[rocket::async_test]
async fn joining_logs_in_and_a_taken_or_missing_field_is_shown_beside_it() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let (client, test) = site(dialect, 1).await;
        let join = |token: &str, fields: &str| {
            client.post("/join/").header(ContentType::Form).body(format!("csrf_token={token}&{fields}")).dispatch()
        };
        let (status, form) = get(&client, "/join/").await;
        assert_eq!(status, Status::Ok);
        let token = csrf_of(&form);

        let (status, taken) = text(join(&token, "username=user1&password=pw&email=new%40example.com").await).await;
        assert_eq!(status, Status::Ok, "the form again");
        assert!(taken.contains("That username is already taken"), "{taken}");
        assert!(taken.contains("value=\"user1\"") && taken.contains("value=\"new@example.com\""), "kept: {taken}");
        assert!(!taken.contains("value=\"pw\""), "a password is never sent back");

        let (status, missing) = text(join(&token, "username=carol&password=&email=").await).await;
        assert_eq!(status, Status::Ok);
        assert!(missing.contains("id=\"password-error\">This field is required.</span>"), "{missing}");
        assert!(missing.contains("id=\"email-error\">This field is required.</span>"), "{missing}");
        assert!(!missing.contains("id=\"username-error\""), "{missing}");
        assert!(missing.contains("value=\"carol\""), "{missing}");

        let count = || User::count(User::all(), &mut test.db.get().expect("a connection")).expect("counts");
        let before = count();
        let response = join(&token, "username=carol&password=secret&email=carol%40example.com").await;
        assert_eq!(response.status(), Status::SeeOther);
        assert_eq!(response.headers().get_one("Location"), Some("/"));
        assert_eq!(count(), before + 1);
        let (_, home) = get(&client, "/").await;
        assert!(home.contains("You are logged in as carol") && home.contains("<h1>Private Timeline</h1>"), "{home}");
        let (_, page) = get(&client, "/join/").await;
        assert_ne!(csrf_of(&page), token, "joining starts a fresh session");
        let mut conn = test.db.get().expect("a connection");
        let carol = User::load(User::all().filter(users::username.eq("carol")), &mut conn).expect("loads");
        assert!(carol.first().is_some_and(|c| !c.admin && c.active && c.email == "carol@example.com"), "{carol:?}");
        assert!(hangar::utils::check_password("secret", &carol[0].password), "the password is stored hashed");

        let forged =
            client.post("/join/").header(ContentType::Form).body("username=x&password=x&email=x").dispatch().await;
        assert_eq!(forged.status(), Status::Forbidden);
    }
}

#[rocket::async_test]
async fn only_my_own_messages_can_be_edited() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        // Message 1 (id 2) is user1's, message 2 (id 3) is user2's.
        let (client, _test) = site(dialect, 3).await;
        log_in(&client, "user1").await;
        let (_, mine) = get(&client, "/users/user1/").await;
        assert!(mine.contains("<a href=\"/edit/2/\">edit</a>"), "{mine}");
        let (_, theirs) = get(&client, "/users/user2/").await;
        assert!(!theirs.contains("/edit/"), "{theirs}");

        let (status, form) = get(&client, "/edit/2/").await;
        assert_eq!(status, Status::Ok);
        assert!(form.contains(">message 1 from user1</textarea>"), "{form}");
        let token = csrf_of(&form);
        let edit = |uri: &'static str, content: &'static str| {
            client.post(uri).header(ContentType::Form).body(format!("csrf_token={token}&content={content}")).dispatch()
        };

        let (status, blank) = text(edit("/edit/2/", "+").await).await;
        assert_eq!(status, Status::Ok);
        assert!(blank.contains("This field is required."), "{blank}");

        let response = edit("/edit/2/", "edited+by+me").await;
        assert_eq!(response.status(), Status::SeeOther);
        assert_eq!(response.headers().get_one("Location"), Some("/users/user1/"));
        let (_, mine) = get(&client, "/users/user1/").await;
        assert!(mine.contains("edited by me") && mine.contains("Your message has been updated"), "{mine}");

        for uri in ["/edit/3/", "/edit/999/", "/edit/x/", "/edit/99999999999/"] {
            assert_eq!(get(&client, uri).await.0, Status::NotFound, "GET {uri}");
        }
        assert_eq!(edit("/edit/3/", "stolen").await.status(), Status::NotFound, "someone else's");
        let (_, theirs) = get(&client, "/users/user2/").await;
        assert!(theirs.contains("message 2 from user2") && !theirs.contains("stolen"), "{theirs}");
    }
}

#[test]
fn every_file_under_templates_is_registered_by_its_path() {
    let templates = tweepee::templates().expect("the templates parse");
    for name in [
        "hangar/base",
        "tweepee/create",
        "tweepee/create_form",
        "tweepee/edit",
        "tweepee/index",
        "tweepee/join",
        "tweepee/message",
        "tweepee/panels/notes",
        "tweepee/panels/user_stats",
        "tweepee/timeline",
        "tweepee/user_detail",
        "tweepee/users",
    ] {
        assert!(templates.has(name), "{name}");
    }
    // hangar's own templates stay, except the frame tweepee replaces.
    assert!(templates.has("hangar/login") && templates.has("hangar/admin/list"));
}

#[rocket::async_test]
async fn hangar_pages_wear_tweepees_frame() {
    for dialect in backends() {
        let (client, _test) = site(dialect, 0).await;
        let (status, page) = get(&client, "/accounts/login/").await;
        assert_eq!(status, Status::Ok, "{dialect}");
        assert!(page.contains("· tweepee</title>") && page.contains("/static/tweepee.css"), "{dialect}: {page}");
    }
}

/// The site header's links as `(href, text)`, and whether it holds a
/// logout form that posts the page's own CSRF token.
fn header_of(page: &str) -> (Vec<(String, String)>, bool) {
    let header = page.split("<header class=\"site\">").nth(1).and_then(|h| h.split("</header>").next());
    let header = header.unwrap_or_default();
    let links = header
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once("\">").and_then(|(href, t)| Some((href, t.split_once("</a>")?.0))))
        .map(|(href, text)| (href.to_owned(), text.to_owned()))
        .collect();
    let logout = format!(
        "<form method=\"post\" action=\"/accounts/logout/\"><input type=\"hidden\" name=\"csrf_token\" value=\"{}\">",
        csrf_of(page)
    );
    (links, !csrf_of(page).is_empty() && header.contains(&logout))
}

#[rocket::async_test]
async fn every_page_offers_peewees_navigation_to_members_and_visitors() {
    let links = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(h, t)| ((*h).to_owned(), (*t).to_owned())).collect()
    };
    let (common, brand) = ([("/users/", "Users"), ("/api/", "API")], ("/", "tweepee"));
    let visitor = links(&[brand, ("/public/", "Public timeline"), common[0], common[1]])
        .into_iter()
        .chain(links(&[("/accounts/login/", "Log in"), ("/join/", "Join")]))
        .collect::<Vec<_>>();
    let member =
        links(&[brand, ("/", "Private timeline"), ("/public/", "Public timeline"), ("/create/", "Post a message")])
            .into_iter()
            .chain(links(&common))
            .collect::<Vec<_>>();
    // Pages of each kind: timelines, users, forms, and the error pages of a
    // missing user, a missing route and a GET of a POST-only action.
    let either =
        [("/public/", 200), ("/users/", 200), ("/users/user1/", 200), ("/users/nobody/", 404), ("/nowhere/", 404)];
    for dialect in backends() {
        eprintln!("on {dialect}");
        let (client, _test) = site(dialect, 3).await;
        let anonymous = [("/", 200), ("/join/", 200), ("/accounts/login/", 200), ("/users/user1/follow/", 405)];
        for (uri, code) in either.iter().chain(&anonymous) {
            let (status, page) = get(&client, uri).await;
            assert_eq!(status.code, *code, "{uri}: {page}");
            assert_eq!(header_of(&page), (visitor.clone(), false), "a visitor on {uri}: {page}");
        }
        log_in(&client, "user0").await;
        let members = [("/", 200), ("/private/", 200), ("/following/", 200), ("/create/", 200), ("/edit/1/", 200)];
        for (uri, code) in either.iter().chain(&members).chain([&("/users/user1/unfollow/", 405)]) {
            let (status, page) = get(&client, uri).await;
            assert_eq!(status.code, *code, "{uri}: {page}");
            assert_eq!(header_of(&page), (member.clone(), true), "a member on {uri}: {page}");
        }
        let response = client.get("/users/user1/unfollow/").dispatch().await;
        assert_eq!(response.headers().get_one("Allow"), Some("POST"), "the error page keeps its Allow header");
    }
}
