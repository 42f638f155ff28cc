//! `#[rest(permissions = model)]` on every backend: reads need the model's
//! view permission, creates add, edits change and deletes delete, granted
//! to the user directly or through a group; an administrator has them all,
//! a caller an API key let in keeps the key's rule, and an anonymous one is
//! asked for credentials.

use diesel::prelude::*;
use hangar::auth::{
    hangar_group, hangar_group_permission, hangar_permission, hangar_user_group, hangar_user_permission,
    sync_permissions, Permission,
};
use hangar::model::Model;
use hangar_tests::models::{GuardedDoc, GuardedNote};
use rocket::http::{Method, Status};
use serde_json::json;

use crate::rest_support::{Api, Body};

const NORMAL: Option<(&str, &str)> = Some(("normal", "normal"));
const ADMIN: Option<(&str, &str)> = Some(("admin", "admin"));

/// The permission row of `permission` on the guarded notes.
fn permission_id(api: &Api, permission: Permission) -> i32 {
    let mut conn = api.db.conn();
    sync_permissions(&mut conn, &[GuardedNote::meta()]).expect("the permission rows are made");
    hangar_permission::table
        .filter(hangar_permission::model.eq("guardednote"))
        .filter(hangar_permission::action.eq(permission.name()))
        .select(hangar_permission::id)
        .first(&mut *conn)
        .expect("the permission row exists")
}

/// Grants `permission` to the user `normal` (key 2) directly.
fn grant(api: &Api, permission: Permission) {
    let id = permission_id(api, permission);
    diesel::insert_into(hangar_user_permission::table)
        .values((hangar_user_permission::user_pk.eq("2"), hangar_user_permission::permission_id.eq(id)))
        .execute(&mut *api.db.conn())
        .expect("the grant is written");
}

/// Grants `permission` to a group `name`, made if need be, with `normal` in it.
fn grant_through_group(api: &Api, name: &str, permission: Permission) {
    let id = permission_id(api, permission);
    let mut conn = api.db.conn();
    let existing: Option<i32> = hangar_group::table
        .filter(hangar_group::name.eq(name))
        .select(hangar_group::id)
        .first(&mut *conn)
        .optional()
        .expect("the groups are read");
    let group = match existing {
        Some(group) => group,
        None => {
            diesel::insert_into(hangar_group::table).values(hangar_group::name.eq(name)).execute(&mut *conn).unwrap();
            let group = hangar_group::table
                .filter(hangar_group::name.eq(name))
                .select(hangar_group::id)
                .first(&mut *conn)
                .unwrap();
            diesel::insert_into(hangar_user_group::table)
                .values((hangar_user_group::user_pk.eq("2"), hangar_user_group::group_id.eq(group)))
                .execute(&mut *conn)
                .unwrap();
            group
        }
    };
    diesel::insert_into(hangar_group_permission::table)
        .values((hangar_group_permission::group_id.eq(group), hangar_group_permission::permission_id.eq(id)))
        .execute(&mut *conn)
        .expect("the group's grant is written");
}

/// What `normal` gets for a read, a create, an edit and a delete.
async fn statuses(api: &Api) -> [Status; 5] {
    let list = api.send(Method::Get, "/api/guardednote/", NORMAL, Body::None).await.status;
    let detail = api.send(Method::Get, "/api/guardednote/1/", NORMAL, Body::None).await.status;
    let created =
        api.post("/api/guardednote/", NORMAL, &json!({"user_id": 2, "message": "new", "status": 1})).await.status;
    let edited = api.put("/api/guardednote/1/", NORMAL, &json!({"message": "edited"})).await.status;
    let deleted = api.delete("/api/guardednote/2/", NORMAL).await.status;
    [list, detail, created, edited, deleted]
}

#[rocket::async_test]
async fn a_user_needs_each_permission_for_its_method() {
    Api::each(async |api: &Api| {
        let forbidden = api.send(Method::Get, "/api/guardednote/", NORMAL, Body::None).await;
        assert_eq!(forbidden.status, Status::Forbidden, "{forbidden:?}");
        assert_eq!(forbidden.json["error"], "this needs the permission `view_guardednote`");
        assert_eq!(statuses(api).await, [Status::Forbidden; 5], "nothing granted");
        let note_count = || note_count(api);
        assert_eq!(note_count(), 4, "nothing written");

        grant(api, Permission::View);
        assert_eq!(
            statuses(api).await,
            [Status::Ok, Status::Ok, Status::Forbidden, Status::Forbidden, Status::Forbidden],
            "view only"
        );
        grant_through_group(api, "editors", Permission::Add);
        let [_, _, created, edited, deleted] = statuses(api).await;
        assert_eq!((created, edited, deleted), (Status::Created, Status::Forbidden, Status::Forbidden));
        assert_eq!(note_count(), 5);
        grant_through_group(api, "editors", Permission::Change);
        let [_, _, _, edited, deleted] = statuses(api).await;
        assert_eq!((edited, deleted), (Status::Ok, Status::Forbidden));
        grant(api, Permission::Delete);
        let [_, _, _, _, deleted] = statuses(api).await;
        assert_eq!(deleted, Status::Ok);
        assert_eq!(note_count(), 6, "one created with each of the last three rounds, one deleted");
        let missing = api.delete("/api/guardednote/999/", NORMAL).await;
        assert_eq!(missing.status, Status::NotFound, "the lookup comes before the permission");
    })
    .await;
}

fn note_count(api: &Api) -> i64 {
    hangar_tests::schema::note::table.count().get_result(&mut *api.db.conn()).expect("the notes are counted")
}

#[rocket::async_test]
async fn change_implies_view_and_a_group_grant_counts_like_a_direct_one() {
    Api::each(async |api: &Api| {
        grant_through_group(api, "moderators", Permission::Change);
        let [list, detail, created, edited, deleted] = statuses(api).await;
        assert_eq!(
            [list, detail, created, edited, deleted],
            [Status::Ok, Status::Ok, Status::Forbidden, Status::Ok, Status::Forbidden]
        );
    })
    .await;
}

#[rocket::async_test]
async fn an_admin_has_every_permission_and_an_anonymous_caller_is_asked_for_credentials() {
    Api::each(async |api: &Api| {
        let list = api.send(Method::Get, "/api/guardednote/", ADMIN, Body::None).await;
        assert_eq!(list.status, Status::Ok, "{list:?}");
        let deleted = api.delete("/api/guardednote/1/", ADMIN).await;
        assert_eq!(deleted.status, Status::Ok, "{deleted:?}");

        let anonymous = api.get("/api/guardednote/").await;
        assert_eq!(anonymous.status, Status::Unauthorized, "{anonymous:?}");
        assert!(anonymous.www_authenticate.is_some());
        let wrong = api.send(Method::Get, "/api/guardednote/", Some(("normal", "wrong")), Body::None).await;
        assert_eq!(wrong.status, Status::Unauthorized);

        // The OpenAPI document says so, on every method.
        let document = api.get("/api/openapi.json").await.json;
        for (path, method) in
            [("/api/guardednote/", "get"), ("/api/guardednote/", "post"), ("/api/guardednote/{pk}/", "delete")]
        {
            let responses = &document["paths"][path][method]["responses"];
            assert!(responses.get("401").is_some() && responses.get("403").is_some(), "{path} {method}: {responses}");
        }
    })
    .await;
}

#[rocket::async_test]
async fn a_key_without_a_user_keeps_its_all_or_nothing_rule() {
    Api::each(async |api: &Api| {
        let listed = api.get("/api/guardeddoc/?key=k&secret=s").await;
        assert_eq!(listed.status, Status::Ok, "{listed:?}");
        let created =
            api.send(Method::Post, "/api/guardeddoc/?key=k&secret=s", None, Body::Json(&json!({"data": "d3"}))).await;
        assert_eq!(created.status, Status::Created, "{created:?}");
        let refused = api.get("/api/guardeddoc/?key=k&secret=wrong").await;
        assert_eq!(refused.status, Status::Unauthorized);
        assert_eq!(GuardedDoc::meta().slug, "guardeddoc");
    })
    .await;
}
