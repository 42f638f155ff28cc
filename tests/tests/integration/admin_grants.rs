//! Groups and grants edited in the admin, on every backend: a group's
//! permissions, a user's groups and own permissions, who may change them,
//! their audit entries, and what deletes take with them.

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use hangar::admin::{hangar_admin_log, Admin};
use hangar::auth::{
    hangar_group, hangar_group_permission, hangar_permission, hangar_user_group, hangar_user_permission, Auth, Granted,
    Group, Permission,
};
use hangar::db::AnyConnection;
use hangar::model::Value;
use hangar::Model as _;
use hangar_tests::backends::TestDb;
use hangar_tests::models::{Message, Note, User};
use hangar_tests::schema::users;
use rocket::http::Status;
use rocket::{Build, Rocket};
use serde_json::{json, Value as Json};

use crate::admin_support::{decoded, ActiveUsers};
use crate::auth_support::{user_site, Browser};

/// The admin over the fixture's users (through `ActiveUsers`, an admin of
/// its own), groups, messages and notes, with their permissions' rows.
fn grants_site(db: &TestDb) -> Rocket<Build> {
    let metas = [User::meta(), Group::meta(), Message::meta(), Note::meta()];
    hangar::auth::sync_permissions(&mut db.conn(), &metas).expect("the permissions' rows");
    Admin::<User>::new()
        .register::<ActiveUsers>()
        .register::<Group>()
        .register::<Message>()
        .register::<Note>()
        .mount(user_site(Auth::new(), db))
}

/// The key of the permission `action` on the model `model`.
fn permission(conn: &mut AnyConnection, model: &str, action: &str) -> i32 {
    hangar_permission::table
        .filter(hangar_permission::model.eq(model))
        .filter(hangar_permission::action.eq(action))
        .select(hangar_permission::id)
        .first(conn)
        .expect("the permission")
}

/// The group `name`'s key, and the keys of its permissions, sorted.
fn group(conn: &mut AnyConnection, name: &str) -> (i32, Vec<i32>) {
    let id: i32 = hangar_group::table
        .filter(hangar_group::name.eq(name))
        .select(hangar_group::id)
        .first(conn)
        .expect("the group");
    let mut permissions: Vec<i32> = hangar_group_permission::table
        .filter(hangar_group_permission::group_id.eq(id))
        .select(hangar_group_permission::permission_id)
        .load(conn)
        .expect("its permissions");
    permissions.sort_unstable();
    (id, permissions)
}

/// The user `pk`'s groups and own permissions, sorted.
fn grants_of(conn: &mut AnyConnection, pk: &str) -> (Vec<i32>, Vec<i32>) {
    let mut groups: Vec<i32> = hangar_user_group::table
        .filter(hangar_user_group::user_pk.eq(pk))
        .select(hangar_user_group::group_id)
        .load(conn)
        .expect("the memberships");
    let mut permissions: Vec<i32> = hangar_user_permission::table
        .filter(hangar_user_permission::user_pk.eq(pk))
        .select(hangar_user_permission::permission_id)
        .load(conn)
        .expect("the grants");
    groups.sort_unstable();
    permissions.sort_unstable();
    (groups, permissions)
}

/// The latest audit entry of the model `slug`: its action and changes.
fn last_entry(conn: &mut AnyConnection, slug: &str) -> (String, Json) {
    let (action, changes): (String, String) = hangar_admin_log::table
        .filter(hangar_admin_log::model.eq(slug))
        .order(hangar_admin_log::id.desc())
        .select((hangar_admin_log::action, hangar_admin_log::changes))
        .first(conn)
        .expect("an entry");
    (action, serde_json::from_str(&changes).expect("JSON"))
}

fn count(conn: &mut AnyConnection) -> (i64, i64, i64, i64) {
    (
        hangar_group::table.count().get_result(conn).expect("count"),
        hangar_group_permission::table.count().get_result(conn).expect("count"),
        hangar_user_group::table.count().get_result(conn).expect("count"),
        hangar_user_permission::table.count().get_result(conn).expect("count"),
    )
}

/// The fields of user 2's form, unchanged.
const NORMAL: [(&str, &str); 4] =
    [("username", "normal"), ("email", "normal@example.com"), ("join_date", "2024-01-02T00:00"), ("active", "on")];

#[rocket::async_test]
async fn a_group_is_created_and_changed_with_its_permissions() {
    Browser::each(grants_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let mut conn = browser.db.db.get().expect("a connection");
        let view = permission(&mut conn, "message", "view");
        let change = permission(&mut conn, "message", "change");
        let delete_note = permission(&mut conn, "note", "delete");

        let form = browser.get("/admin/group/add/").await;
        assert_eq!(form.status, Status::Ok, "{}", form.body);
        let body = decoded(&form.body);
        for needle in [
            r#"<label for="id_permissions">Permissions</label>"#,
            r#"<select multiple id="id_permissions" name="permissions" size="12" aria-describedby="help_permissions">"#,
            r#"<optgroup label="Messages">"#,
            &format!(r#"<option value="{view}">Can view message</option>"#),
            "<legend>Permissions</legend>",
        ] {
            assert!(body.contains(needle), "{needle} in {body}");
        }
        // By model, then view, add, change, delete.
        let at = |text: &str| body.find(text).unwrap_or_else(|| panic!("{text} in {body}"));
        assert!(at("Can view message") < at("Can add message") && at("Can add message") < at("Can change message"));
        assert!(at(r#"<optgroup label="Messages">"#) < at(r#"<optgroup label="Notes">"#));

        let view_s = view.to_string();
        let change_s = change.to_string();
        let created = browser
            .submit("/admin/group/add/", &[("name", "Editors"), ("permissions", &view_s), ("permissions", &change_s)])
            .await;
        assert_eq!(created.status, Status::SeeOther, "{}", created.body);
        let (id, permissions) = group(&mut conn, "Editors");
        assert_eq!(permissions, sorted(vec![view, change]));
        let (action, changes) = last_entry(&mut conn, "group");
        assert_eq!(action, "add");
        assert_eq!(changes["name"], json!([null, "Editors"]));
        assert_eq!(changes["permissions"], json!([[], ["Can change message", "Can view message"]]));

        // The edit form shows them chosen; a change swaps one for another.
        let page = decoded(&browser.get(&format!("/admin/group/{id}/")).await.body);
        assert!(page.contains(&format!(r#"<option value="{view}" selected>Can view message</option>"#)), "{page}");
        let delete_s = delete_note.to_string();
        let changed = browser
            .submit(&format!("/admin/group/{id}/"), &[("name", "Editors"), ("permissions", &view_s), ("permissions", &delete_s)])
            .await;
        assert_eq!(changed.status, Status::SeeOther, "{}", changed.body);
        assert_eq!(group(&mut conn, "Editors").1, sorted(vec![view, delete_note]));
        let (action, changes) = last_entry(&mut conn, "group");
        assert_eq!(action, "change");
        assert_eq!(
            changes,
            json!({"permissions": [["Can change message", "Can view message"], ["Can delete note", "Can view message"]]})
        );
        let history = decoded(&browser.get(&format!("/admin/group/{id}/history/")).await.body);
        assert!(history.contains("Can delete note, Can view message"), "{history}");

        // Nothing chosen takes every permission away.
        let emptied = browser.submit(&format!("/admin/group/{id}/"), &[("name", "Editors")]).await;
        assert_eq!(emptied.status, Status::SeeOther, "{}", emptied.body);
        assert!(group(&mut conn, "Editors").1.is_empty());

        // A name already taken is the form's error, and nothing is written.
        let before = count(&mut conn);
        let taken = browser.submit("/admin/group/add/", &[("name", "Editors"), ("permissions", &view_s)]).await;
        assert_eq!(taken.status, Status::Ok);
        assert!(taken.body.contains("This value is already taken."), "{}", taken.body);
        assert_eq!(count(&mut conn), before);
    })
    .await;
}

fn sorted(mut keys: Vec<i32>) -> Vec<i32> {
    keys.sort_unstable();
    keys
}

#[rocket::async_test]
async fn a_users_page_grants_groups_and_permissions() {
    Browser::each(grants_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let mut conn = browser.db.db.get().expect("a connection");
        let view_message = permission(&mut conn, "message", "view");
        let add_note = permission(&mut conn, "note", "add");
        let created = browser
            .submit("/admin/group/add/", &[("name", "Readers"), ("permissions", &view_message.to_string())])
            .await;
        assert_eq!(created.status, Status::SeeOther, "{}", created.body);
        let (readers, _) = group(&mut conn, "Readers");

        let page = browser.get("/admin/user/2/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        let body = decoded(&page.body);
        for needle in [
            "<legend>Permissions</legend>",
            r#"<label for="id_groups">Groups</label>"#,
            r#"<select multiple id="id_groups" name="groups" size="4""#,
            &format!(r#"<option value="{readers}">Readers</option>"#),
            r#"<label for="id_user_permissions">User permissions</label>"#,
            r#"<optgroup label="Groups">"#,
        ] {
            assert!(body.contains(needle), "{needle} in {body}");
        }

        let mut fields = NORMAL.to_vec();
        let readers_s = readers.to_string();
        let add_note_s = add_note.to_string();
        fields.extend([("groups", readers_s.as_str()), ("user_permissions", add_note_s.as_str())]);
        let saved = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
        assert_eq!(grants_of(&mut conn, "2"), (vec![readers], vec![add_note]));
        let granted = Granted::load(&mut conn, &Value::Integer(2)).expect("the grants");
        assert!(granted.allows("message", Permission::View), "through the group: {granted:?}");
        assert!(granted.allows("note", Permission::Add), "directly: {granted:?}");
        assert!(!granted.allows("message", Permission::Change) && !granted.allows("note", Permission::View));
        let (action, changes) = last_entry(&mut conn, "user");
        assert_eq!(action, "change");
        assert_eq!(changes, json!({"groups": [[], ["Readers"]], "user_permissions": [[], ["Can add note"]]}));
        let again = decoded(&browser.get("/admin/user/2/").await.body);
        assert!(again.contains(&format!(r#"<option value="{readers}" selected>Readers</option>"#)), "{again}");

        // The add page grants them too, to the new user's key.
        let added = browser
            .submit(
                "/admin/user/add/",
                &[
                    ("username", "newcomer"),
                    ("password", "a-password"),
                    ("email", "new@example.com"),
                    ("join_date", "2024-03-01T00:00"),
                    ("active", "on"),
                    ("groups", &readers_s),
                ],
            )
            .await;
        assert_eq!(added.status, Status::SeeOther, "{}", added.body);
        let new_id: i32 =
            users::table.filter(users::username.eq("newcomer")).select(users::id).first(&mut *conn).expect("added");
        assert_eq!(grants_of(&mut conn, &new_id.to_string()), (vec![readers], vec![]));
        let (action, changes) = last_entry(&mut conn, "user");
        assert_eq!(action, "add");
        assert_eq!(changes["groups"], json!([[], ["Readers"]]));
        assert!(changes.get("user_permissions").is_none(), "nothing changed there: {changes}");

        // Saving the form without them takes them away.
        let cleared = browser.submit("/admin/user/2/", &NORMAL).await;
        assert_eq!(cleared.status, Status::SeeOther, "{}", cleared.body);
        assert_eq!(grants_of(&mut conn, "2"), (vec![], vec![]));
        assert!(Granted::load(&mut conn, &Value::Integer(2)).expect("the grants").is_empty());
    })
    .await;
}

#[rocket::async_test]
async fn a_key_that_names_no_group_or_permission_is_a_form_error() {
    Browser::each(grants_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let mut conn = browser.db.db.get().expect("a connection");
        let before = count(&mut conn);
        for (name, key) in [("groups", "999"), ("groups", "abc"), ("user_permissions", "-1")] {
            let mut fields = NORMAL.to_vec();
            fields[1] = ("email", "changed@example.com");
            fields.push((name, key));
            let page = browser.submit("/admin/user/2/", &fields).await;
            assert_eq!(page.status, Status::Ok, "{name}={key}: {}", page.body);
            let body = decoded(&page.body);
            assert!(body.contains(&format!(r#"<p class="error" id="error_{name}_0">"#)), "{body}");
            assert!(body.contains(&format!("`{key}` is not one of the choices")), "{body}");
            assert!(body.contains(r#"aria-invalid="true""#), "{body}");
        }
        let group_page = browser.submit("/admin/group/add/", &[("name", "Ghosts"), ("permissions", "12345")]).await;
        assert_eq!(group_page.status, Status::Ok);
        assert!(decoded(&group_page.body).contains("Select a valid permission: `12345`"), "{}", group_page.body);
        // Nothing written: no grant, no group, no change to the user.
        assert_eq!(count(&mut conn), before);
        let email: String = users::table.find(2).select(users::email).first(&mut *conn).expect("the user");
        assert_eq!(email, "normal@example.com");
    })
    .await;
}

#[rocket::async_test]
async fn only_administrators_change_grants() {
    Browser::each(grants_site, async |browser: &Browser| {
        let mut conn = browser.db.db.get().expect("a connection");
        // `normal` may view and change users and groups, straight from the tables.
        for (model, action) in [("user", "view"), ("user", "change"), ("group", "view"), ("group", "change")] {
            let id = permission(&mut conn, model, action);
            diesel::insert_into(hangar_user_permission::table)
                .values((hangar_user_permission::user_pk.eq("2"), hangar_user_permission::permission_id.eq(id)))
                .execute(&mut *conn)
                .expect("granted");
        }
        diesel::insert_into(hangar_group::table)
            .values(hangar_group::name.eq("Admins"))
            .execute(&mut *conn)
            .expect("a group");
        let (admins, _) = group(&mut conn, "Admins");
        let before = count(&mut conn);
        // … and is staff, so the admin lets them in as far as those go.
        diesel::update(users::table.filter(users::id.eq(2)))
            .set(users::staff.eq(true))
            .execute(&mut *conn)
            .expect("made staff");

        browser.as_user("normal").await;
        // The user's page shows the grants, but only as text.
        let page = browser.get("/admin/user/2/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        let body = decoded(&page.body);
        assert!(body.contains("name=\"username\""), "the user's own fields are editable: {body}");
        assert!(!body.contains("name=\"groups\""), "{body}");
        assert!(!body.contains("name=\"user_permissions\""), "{body}");
        // A save that leaves the grants alone is theirs to make …
        let mut fields = NORMAL.to_vec();
        fields[0] = ("username", "normal2");
        fields.push(("staff", "on"));
        let saved = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(saved.status, Status::SeeOther, "{}", decoded(&saved.body));
        let renamed: String = users::table.find(2).select(users::username).first(&mut *conn).expect("the user");
        assert_eq!(renamed, "normal2");
        let log_before: i64 = hangar_admin_log::table.count().get_result(&mut *conn).expect("count");

        // … but one that names groups or permissions is refused whole.
        let delete_user = permission(&mut conn, "user", "delete").to_string();
        let admins_s = admins.to_string();
        let mut fields = NORMAL.to_vec();
        fields.push(("groups", &admins_s));
        let refused = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(refused.status, Status::Forbidden, "{}", refused.body);
        let says = "Only administrators may change groups and permissions.";
        assert!(decoded(&refused.body).contains(says), "the grants' refusal, not the door's: {}", refused.body);
        let mut fields = NORMAL.to_vec();
        fields.push(("user_permissions", &delete_user));
        let refused = browser.submit("/admin/user/2/", &fields).await;
        assert_eq!(refused.status, Status::Forbidden);
        assert!(decoded(&refused.body).contains(says), "{}", refused.body);
        let refused = browser
            .submit(&format!("/admin/group/{admins}/"), &[("name", "Admins"), ("permissions", &delete_user)])
            .await;
        assert_eq!(refused.status, Status::Forbidden);
        assert!(decoded(&refused.body).contains(says), "{}", refused.body);
        assert_eq!(count(&mut conn), before);
        let log_after: i64 = hangar_admin_log::table.count().get_result(&mut *conn).expect("count");
        assert_eq!(log_after, log_before, "nothing recorded");
    })
    .await;
}

#[rocket::async_test]
async fn deleting_a_user_forgets_their_grants() {
    Browser::each(grants_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let mut conn = browser.db.db.get().expect("a connection");
        let view_note = permission(&mut conn, "note", "view").to_string();
        let created = browser.submit("/admin/group/add/", &[("name", "Staff"), ("permissions", &view_note)]).await;
        assert_eq!(created.status, Status::SeeOther, "{}", created.body);
        let (staff, _) = group(&mut conn, "Staff");
        let staff_s = staff.to_string();
        let mut fields = NORMAL.to_vec();
        fields.extend([("groups", staff_s.as_str()), ("user_permissions", view_note.as_str())]);
        assert_eq!(browser.submit("/admin/user/2/", &fields).await.status, Status::SeeOther);
        assert_eq!(grants_of(&mut conn, "2").0, vec![staff]);

        let deleted = browser.submit("/admin/user/2/delete/", &[]).await;
        assert_eq!(deleted.status, Status::SeeOther, "{}", deleted.body);
        assert_eq!(grants_of(&mut conn, "2"), (vec![], vec![]));
        let (action, changes) = last_entry(&mut conn, "user");
        assert_eq!(action, "delete");
        assert_eq!(changes["groups"], json!([["Staff"], null]));
        assert_eq!(changes["user_permissions"], json!([["Can view note"], null]));
        // A later user given the same key inherits nothing.
        diesel::insert_into(users::table)
            .values((
                users::id.eq(2),
                users::username.eq("successor"),
                users::password.eq("x"),
                users::email.eq("s@example.com"),
                users::join_date.eq(chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .expect("a date")),
                users::active.eq(true),
                users::admin.eq(false),
            ))
            .execute(&mut *conn)
            .expect("a user with the old key");
        assert!(Granted::load(&mut conn, &Value::Integer(2)).expect("the grants").is_empty());

        // The bulk delete forgets too; the group stays.
        let mut fields = NORMAL.to_vec();
        fields[0] = ("username", "successor");
        fields[1] = ("email", "s@example.com");
        fields.push(("groups", &staff_s));
        assert_eq!(browser.submit("/admin/user/2/", &fields).await.status, Status::SeeOther);
        assert_eq!(grants_of(&mut conn, "2").0, vec![staff]);
        let bulk = browser.submit("/admin/user/delete/", &[("id", "2")]).await;
        assert_eq!(bulk.status, Status::SeeOther, "{}", bulk.body);
        assert_eq!(grants_of(&mut conn, "2"), (vec![], vec![]));
        assert_eq!(group(&mut conn, "Staff").0, staff);
    })
    .await;
}

#[rocket::async_test]
async fn deleting_a_group_removes_its_grants() {
    Browser::each(grants_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let mut conn = browser.db.db.get().expect("a connection");
        let view = permission(&mut conn, "message", "view").to_string();
        let add = permission(&mut conn, "message", "add").to_string();
        let created = browser
            .submit("/admin/group/add/", &[("name", "Writers"), ("permissions", &view), ("permissions", &add)])
            .await;
        assert_eq!(created.status, Status::SeeOther, "{}", created.body);
        let (writers, _) = group(&mut conn, "Writers");
        let writers_s = writers.to_string();
        let mut fields = NORMAL.to_vec();
        fields.push(("groups", &writers_s));
        assert_eq!(browser.submit("/admin/user/2/", &fields).await.status, Status::SeeOther);

        let page = browser.get(&format!("/admin/group/{writers}/delete/")).await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        for needle in ["Writers", "2 Group permissions deleted too", "1 Group membership deleted too"] {
            assert!(page.body.contains(needle), "{needle} in {}", page.body);
        }
        let deleted = browser.submit(&format!("/admin/group/{writers}/delete/"), &[]).await;
        assert_eq!(deleted.status, Status::SeeOther, "{}", deleted.body);
        assert_eq!(count(&mut conn), (0, 0, 0, 0));
        assert!(Granted::load(&mut conn, &Value::Integer(2)).expect("the grants").is_empty());
        assert_eq!(last_entry(&mut conn, "group").0, "delete");
        // The permissions themselves stay.
        assert_eq!(permission(&mut conn, "message", "view").to_string(), view);
    })
    .await;
}
