//! Mass assignment: a body naming `id`, an owner, a readonly field,
//! `admin`, `active` or `password` never sets it beyond what the caller may.
//! Through the API (HTTP Basic as `user0`, an ordinary user, and as the
//! admin), the admin's forms (as the admin, and as `user0`) and the site's
//! own forms (as `user0`). The contract (DESIGN.md): the primary key and
//! readonly fields in a body are ignored, and owners are the caller; each
//! case is checked on the rows, not on the answer.

use diesel::prelude::*;
use hangar_tests::backends::backends;
use rocket::http::{ContentType, Method, Status};
use serde_json::json;
use tweepee::schema::{message, note, relationship, users};

use crate::probe::{basic, Probe, CSRF_FIELD};

/// A user's guarded columns: `(admin, active, password hash)`.
fn user_flags(probe: &Probe, id: i32) -> (bool, bool, String) {
    let mut conn = probe.test.db.get().expect("a connection");
    users::table.find(id).select((users::admin, users::active, users::password)).first(&mut conn).expect("the user")
}

/// Every message as `(id, author, content)`, in id order.
fn messages(probe: &Probe) -> Vec<(i32, i32, String)> {
    let mut conn = probe.test.db.get().expect("a connection");
    message::table
        .order(message::id)
        .select((message::id, message::user_id, message::content))
        .load(&mut conn)
        .expect("messages")
}

/// The message whose content is `content`: `(id, author)`.
fn message_by_content(probe: &Probe, content: &str) -> (i32, i32) {
    let rows = messages(probe);
    let found: Vec<(i32, i32)> = rows.iter().filter(|m| m.2 == content).map(|m| (m.0, m.1)).collect();
    assert_eq!(found.len(), 1, "one message says {content:?}: {rows:?}");
    found[0]
}

/// Sends a JSON body with Basic credentials.
async fn api(probe: &Probe, method: Method, uri: &str, user: &str, body: serde_json::Value) -> Status {
    let request = probe.request(method, uri).header(basic(user)).header(ContentType::JSON).body(body.to_string());
    probe.send(request).await.status
}

/// The API, as `user0` and as the admin.
async fn through_the_api(probe: &Probe) {
    let (user0, user1) = (probe.user_id("user0"), probe.user_id("user1"));
    let last = messages(probe).last().map_or(0, |m| m.0);
    let others = probe.snapshot();

    // A create names an id, another author and a date: the id and author are not taken.
    let body = json!({"id": 1, "user_id": user1, "content": "api create", "pub_date": "2000-01-01T00:00:00"});
    assert_eq!(api(probe, Method::Post, "/api/message/", "user0", body).await, Status::Created);
    let (id, author) = message_by_content(probe, "api create");
    assert!(id > last && author == user0, "created as #{id} by {author}");
    let first = messages(probe)[0].clone();
    assert_ne!(first.2, "api create", "message #1 was not overwritten");

    // An edit of one's own message names another id and author: neither moves.
    for method in [Method::Put, Method::Post, Method::Patch] {
        let text = format!("api edit by {method}");
        let body = json!({"id": first.0, "user_id": user1, "content": text});
        let status = api(probe, method, &format!("/api/message/{id}/"), "user0", body).await;
        if method == Method::Patch {
            assert_eq!(status, Status::MethodNotAllowed, "PATCH is not an edit here");
            continue;
        }
        assert_eq!(status, Status::Ok, "{method}");
        assert_eq!(message_by_content(probe, &text), (id, user0), "{method} kept the id and the author");
    }
    assert_eq!(messages(probe)[0], first, "the id in the body did not retarget the edit");

    // Notes and follows: the owner is the caller.
    let body =
        json!({"id": 1, "user_id": user1, "message": "api note", "status": 1, "created_date": "2000-01-01T00:00:00"});
    assert_eq!(api(probe, Method::Post, "/api/note/", "user0", body).await, Status::Created);
    let mut conn = probe.test.db.get().expect("a connection");
    let owner: i32 =
        note::table.filter(note::message.eq("api note")).select(note::user_id).first(&mut conn).expect("the note");
    assert_eq!(owner, user0);
    let follows_of = |conn: &mut hangar::db::AnyConnection, who: i32| -> i64 {
        relationship::table.filter(relationship::from_user_id.eq(who)).count().get_result(conn).expect("counts")
    };
    let (user0_follows, user1_follows) = (follows_of(&mut conn, user0), follows_of(&mut conn, user1));
    let body = json!({"id": 1, "from_user_id": user1, "to_user_id": probe.user_id("admin")});
    let status = api(probe, Method::Post, "/api/relationship/", "user0", body).await;
    assert_eq!(status, Status::Created);
    assert_eq!(follows_of(&mut conn, user0), user0_follows + 1, "the follow is user0's");
    assert_eq!(follows_of(&mut conn, user1), user1_follows, "user1 was not made to follow anyone");
    drop(conn);

    // Users: an ordinary user writes none, however the body is dressed.
    let before = probe.snapshot();
    let escalate =
        json!({"username": "user0", "admin": true, "active": true, "password": "$pbkdf2-sha256$i=1,l=32$x$y"});
    assert_eq!(
        api(probe, Method::Put, &format!("/api/user/{user0}/"), "user0", escalate.clone()).await,
        Status::Unauthorized
    );
    let create = json!({"username": "mallory", "admin": true, "password": "pw", "email": "m@x"});
    assert_eq!(api(probe, Method::Post, "/api/user/", "user0", create).await, Status::Unauthorized);
    // Nor through a nested user in a message.
    let nested =
        json!({"content": "nested", "user": {"username": "mallory", "admin": true, "password": "pw", "email": "m@x"}});
    let status = api(probe, Method::Post, "/api/message/", "user0", nested).await;
    assert!(status.class().is_client_error(), "a nested user write by user0 answered {status}");
    assert_eq!(probe.snapshot(), before, "no refused write changed a row");

    // The admin may edit a user, but never its flags, id, or a raw hash.
    let forged = "$pbkdf2-sha256$i=1,l=32$c2FsdA$Zm9yZ2Vk";
    let body =
        json!({"id": 1, "username": "user1", "email": "u1@x", "admin": true, "active": false, "password": forged});
    assert_eq!(api(probe, Method::Put, &format!("/api/user/{user1}/"), "admin", body).await, Status::Ok);
    let (admin, active, hash) = user_flags(probe, user1);
    assert!(!admin && active, "admin and active are read-only in the API");
    assert_ne!(hash, forged, "a hash in the body is a password to hash, not a hash to store");
    assert!(hangar::utils::check_password(forged, &hash));
    let admin_row = user_flags(probe, probe.user_id("admin"));
    assert!(admin_row.0 && admin_row.1, "user #1 was not retargeted");
    assert_ne!(others, probe.snapshot());
}

/// The admin's forms: crafted fields from the admin; any field from `user0`.
async fn through_the_admin(probe: &Probe) {
    let user0 = probe.user_id("user0");
    let first = messages(probe)[0].clone();
    let mine =
        messages(probe).into_iter().find(|m| m.1 == user0 && m.0 != first.0).expect("user0 has a second message");

    probe.log_in("user0").await;
    let before = probe.snapshot();
    let token = probe.csrf().await;
    let fields = [
        (CSRF_FIELD, token.as_str()),
        ("username", "user0"),
        ("email", "x@x"),
        ("admin", "on"),
        ("active", "on"),
        ("join_date", "2024-01-01T00:00"),
    ];
    let answer = probe.post_form(&format!("/admin/user/{user0}/"), &fields).await;
    assert!(answer.status != Status::SeeOther, "user0 saved through the admin: {}", answer.status);
    assert_eq!(probe.snapshot(), before, "an ordinary user cannot save through the admin");

    probe.log_in("admin").await;
    let token = probe.csrf().await;
    let (user_id, content) = (user0.to_string(), "admin edit".to_owned());
    let crafted = [
        (CSRF_FIELD, token.as_str()),
        ("id", &first.0.to_string()),
        ("user_id", &user_id),
        ("content", &content),
        ("pub_date", "2024-01-01T00:00"),
    ];
    let crafted: Vec<(&str, &str)> = crafted.iter().map(|(k, v)| (*k, *v)).collect();
    let answer = probe.post_form(&format!("/admin/message/{}/", mine.0), &crafted).await;
    assert_eq!(answer.status, Status::SeeOther, "{}", answer.body);
    assert_eq!(message_by_content(probe, "admin edit").0, mine.0, "the id field did not retarget the edit");
    assert_eq!(messages(probe)[0], first, "message #{} is untouched", first.0);

    // Note's created_date is readonly in the admin.
    let mut conn = probe.test.db.get().expect("a connection");
    let (note_id, created): (i32, chrono::NaiveDateTime) =
        note::table.order(note::id).select((note::id, note::created_date)).first(&mut conn).expect("a note");
    drop(conn);
    let fields = [
        (CSRF_FIELD, token.as_str()),
        ("user_id", &user_id),
        ("message", "admin note edit"),
        ("status", "1"),
        ("created_date", "1999-01-01T00:00"),
        ("id", "999"),
    ];
    let answer = probe.post_form(&format!("/admin/note/{note_id}/"), &fields).await;
    assert_eq!(answer.status, Status::SeeOther, "{}", answer.body);
    let mut conn = probe.test.db.get().expect("a connection");
    let after: (i32, chrono::NaiveDateTime) = note::table
        .filter(note::message.eq("admin note edit"))
        .select((note::id, note::created_date))
        .first(&mut conn)
        .expect("the note");
    assert_eq!(after, (note_id, created), "the id and the readonly date are kept");
    drop(conn);

    // A hash typed as the password is hashed, never stored as given.
    let forged = "$pbkdf2-sha256$i=1,l=32$c2FsdA$Zm9yZ2Vk";
    let user2 = probe.user_id("user2");
    let fields = [
        (CSRF_FIELD, token.as_str()),
        ("id", "1"),
        ("username", "user2"),
        ("email", "x@x"),
        ("active", "on"),
        ("join_date", "2024-01-01T00:00"),
        ("password", forged),
    ];
    let answer = probe.post_form(&format!("/admin/user/{user2}/"), &fields).await;
    assert_eq!(answer.status, Status::SeeOther, "{}", answer.body);
    let (_, _, hash) = user_flags(probe, user2);
    assert!(hash != forged && hangar::utils::check_password(forged, &hash), "{hash}");
    let admin_row = user_flags(probe, probe.user_id("admin"));
    assert!(admin_row.0 && admin_row.1, "user #1 kept its flags");
}

/// The site's own forms, as `user0`: posting, editing, joining.
async fn through_the_site(probe: &Probe) {
    let (user0, user1) = (probe.user_id("user0"), probe.user_id("user1"));
    probe.log_in("user0").await;
    let first = messages(probe)[0].clone();
    let token = probe.csrf().await;
    let user1_text = user1.to_string();
    let fields = [
        (CSRF_FIELD, token.as_str()),
        ("content", "site post"),
        ("user_id", &user1_text),
        ("id", "1"),
        ("pub_date", "2000-01-01"),
    ];
    assert_eq!(probe.post_form("/create/", &fields).await.status, Status::SeeOther);
    let (id, author) = message_by_content(probe, "site post");
    assert!(author == user0 && id != first.0, "#{id} by {author}");

    let fields = [(CSRF_FIELD, token.as_str()), ("content", "site edit"), ("user_id", &user1_text), ("id", "1")];
    assert_eq!(probe.post_form(&format!("/edit/{id}/"), &fields).await.status, Status::SeeOther);
    assert_eq!(message_by_content(probe, "site edit"), (id, user0));
    assert_eq!(messages(probe)[0], first);

    probe.get("/accounts/logout/").await;
    let token = probe.csrf().await;
    let fields = [
        (CSRF_FIELD, token.as_str()),
        ("username", "joiner"),
        ("password", "joiner-pw"),
        ("email", "j@x"),
        ("admin", "on"),
        ("active", "off"),
        ("id", "1"),
    ];
    assert_eq!(probe.post_form("/join/", &fields).await.status, Status::SeeOther);
    let joiner = probe.user_id("joiner");
    let (admin, active, _) = user_flags(probe, joiner);
    assert!(joiner != 1 && !admin && active, "joined as #{joiner}, admin {admin}, active {active}");
}

#[rocket::async_test]
async fn no_body_sets_an_id_an_owner_a_flag_or_a_hash() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let probe = Probe::seeded(dialect).await;
        through_the_api(&probe).await;
        through_the_admin(&probe).await;
        through_the_site(&probe).await;
    }
}
