//! tweepee's admin for a team: a moderator (staff in the "moderator"
//! group) views and changes messages and views users, and deletes nothing;
//! an admin deactivates users and deletes their messages with the user
//! list's actions, each recorded in the audit log.

mod seeded;

use diesel::prelude::*;
use hangar::admin::{hangar_admin_log, AuditEntry};
use hangar::db::Database;
use hangar::Model as _;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use tweepee::schema::{message, users};

use crate::seeded::{csrf, log_in, site};

async fn post(client: &Client, uri: &str, form: &str) -> (Status, String) {
    let token = csrf(client).await;
    let response = client
        .post(uri.to_owned())
        .header(ContentType::Form)
        .body(format!("csrf_token={token}&{form}"))
        .dispatch()
        .await;
    let status = response.status();
    (status, response.into_string().await.unwrap_or_default())
}

fn user_id(db: &Database, name: &str) -> i32 {
    users::table.filter(users::username.eq(name)).select(users::id).first(&mut *db.get().unwrap()).expect("a user")
}

fn entries(db: &Database, model: &str, action: &str) -> Vec<AuditEntry> {
    AuditEntry::load(
        AuditEntry::all()
            .filter(hangar_admin_log::model.eq(model.to_owned()))
            .filter(hangar_admin_log::action.eq(action.to_owned())),
        &mut db.get().unwrap(),
    )
    .expect("the audit log reads")
}

#[rocket::async_test]
async fn a_moderator_views_and_changes_messages_views_users_and_deletes_nothing() {
    let (client, db, _dir) = site().await;
    let moderator = user_id(&db, "user1");
    tweepee::admin::make_moderator(&mut db.get().unwrap(), moderator).expect("user1 moderates");
    log_in(&client, "user1").await;

    let dashboard = client.get("/admin/").dispatch().await;
    assert_eq!(dashboard.status(), Status::Ok);
    let body = dashboard.into_string().await.unwrap_or_default();
    assert!(body.contains("/admin/message/") && body.contains("/admin/user/"), "{body}");
    for absent in ["/admin/note/", "/admin/relationship/", "/admin/group/", "/admin/notes/", "/admin/message/add/"] {
        assert!(!body.contains(absent), "{absent} on a moderator's dashboard: {body}");
    }
    for (uri, status) in [
        ("/admin/message/", Status::Ok),
        ("/admin/message/1/", Status::Ok),
        ("/admin/user/", Status::Ok),
        ("/admin/message/add/", Status::Forbidden),
        ("/admin/message/1/delete/", Status::Forbidden),
        ("/admin/note/", Status::Forbidden),
        ("/admin/group/", Status::Forbidden),
        ("/admin/user-stats/", Status::Forbidden),
    ] {
        assert_eq!(client.get(uri).dispatch().await.status(), status, "GET {uri}");
    }
    let (author, published): (i32, chrono::NaiveDateTime) = message::table
        .find(1)
        .select((message::user_id, message::pub_date))
        .first(&mut *db.get().unwrap())
        .expect("message 1");
    let form = format!("user_id={author}&content=moderated&pub_date={}", published.format("%Y-%m-%dT%H:%M:%S"));
    let (status, page) = post(&client, "/admin/message/1/", &form).await;
    assert_eq!(status, Status::SeeOther, "a moderator changes a message: {page}");
    let content: String =
        message::table.find(1).select(message::content).first(&mut *db.get().unwrap()).expect("message 1");
    assert_eq!(content, "moderated");
    let (status, _) = post(&client, "/admin/message/1/delete/", "").await;
    assert_eq!(status, Status::Forbidden, "a moderator deletes no message");
    let (status, _) = post(&client, "/admin/message/action/", "action=delete_selected&id=2&confirm=yes").await;
    assert_eq!(status, Status::Forbidden, "nor through the action");
    let (status, _) = post(&client, "/admin/user/2/", "username=changed").await;
    assert_eq!(status, Status::Forbidden, "a moderator changes no user");
    let (status, _) = post(&client, "/admin/user/action/", "action=deactivate&id=2").await;
    assert_eq!(status, Status::Forbidden, "nor deactivates one");
    let count: i64 = message::table.count().get_result(&mut *db.get().unwrap()).unwrap();
    assert_eq!(count, 10, "nothing deleted");
}

#[rocket::async_test]
async fn an_admin_deactivates_users_and_deletes_their_messages_after_confirming() {
    let (client, db, _dir) = site().await;
    log_in(&client, "admin").await;
    let list = client.get("/admin/user/").dispatch().await.into_string().await.unwrap_or_default();
    for label in ["Deactivate selected users", "Delete messages of selected users", "Delete selected users"] {
        assert!(list.contains(label), "{label} on the list: {list}");
    }
    let (two, three) = (user_id(&db, "user2"), user_id(&db, "user3"));

    let (status, _) = post(&client, "/admin/user/action/", &format!("action=deactivate&id={two}&id={three}")).await;
    assert_eq!(status, Status::SeeOther);
    let active: Vec<bool> = users::table
        .filter(users::id.eq_any([two, three]))
        .select(users::active)
        .load(&mut *db.get().unwrap())
        .unwrap();
    assert_eq!(active, [false, false]);
    let changed = entries(&db, "user", "change");
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed.iter().all(|e| e.changes == r#"{"active":[true,false]}"#), "{changed:?}");

    let theirs = |db: &Database| -> i64 {
        message::table
            .filter(message::user_id.eq_any([two, three]))
            .count()
            .get_result(&mut *db.get().unwrap())
            .unwrap()
    };
    let before = theirs(&db);
    assert!(before > 0);
    let form = format!("action=delete_messages&id={two}&id={three}");
    let (status, page) = post(&client, "/admin/user/action/", &form).await;
    assert_eq!(status, Status::Ok, "first, the confirmation");
    assert!(page.contains("Their messages are deleted"), "{page}");
    assert_eq!(theirs(&db), before, "nothing deleted before confirming");
    let (status, _) = post(&client, "/admin/user/action/", &format!("{form}&confirm=yes")).await;
    assert_eq!(status, Status::SeeOther);
    assert_eq!(theirs(&db), 0);
    assert_eq!(entries(&db, "message", "delete").len(), usize::try_from(before).unwrap(), "one entry a message");
    let kept: i64 =
        users::table.filter(users::id.eq_any([two, three])).count().get_result(&mut *db.get().unwrap()).unwrap();
    assert_eq!(kept, 2, "the users stay");
}
