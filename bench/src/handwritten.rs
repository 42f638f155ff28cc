//! The baseline: `/api/message/` and `/api/user/` written by hand with
//! Rocket and Diesel, answering the same JSON as tweepee's generated
//! resources for the queries the benchmark sends.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use hangar::db::{Database, DbError, MultiBackend};
use rocket::http::uri::Origin;
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{get, routes, Route};
use serde_json::{json, Map, Value};

// The hand-written app declares its own schema, as any Diesel app would: the
// tables tweepee's migrations create, with the columns it reads.
diesel::table! {
    message (id) {
        id -> Integer,
        user_id -> Integer,
        content -> Text,
        pub_date -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        username -> Text,
        join_date -> Timestamp,
        active -> Bool,
        admin -> Bool,
    }
}

diesel::allow_tables_to_appear_in_same_query!(users, message);

const TIMESTAMP: &str = "%Y-%m-%dT%H:%M:%S%.f";

type MessageRow = (i32, i32, String, NaiveDateTime);
type UserRow = (i32, String, NaiveDateTime, bool, bool);

fn user_json(user: &UserRow) -> Value {
    json!({
        "id": user.0,
        "username": user.1,
        "join_date": user.2.format(TIMESTAMP).to_string(),
        "active": user.3,
        "admin": user.4,
    })
}

fn message_json(row: &MessageRow, user: Option<&UserRow>) -> Value {
    json!({
        "id": row.0,
        "user_id": row.1,
        "content": row.2,
        "pub_date": row.3.format(TIMESTAMP).to_string(),
        "user": user.map_or(Value::Null, user_json),
    })
}

fn users_of(conn: &mut hangar::db::AnyConnection, rows: &[MessageRow]) -> QueryResult<Vec<UserRow>> {
    let mut ids: Vec<i32> = rows.iter().map(|r| r.1).collect();
    ids.sort_unstable();
    ids.dedup();
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username, users::join_date, users::active, users::admin))
        .load(conn)
}

/// `path?query` with `page` set to `page`.
fn page_link(path: &str, query: &str, page: u64) -> String {
    let mut parts: Vec<String> =
        query.split('&').filter(|p| !p.is_empty() && !p.starts_with("page=")).map(str::to_owned).collect();
    parts.push(format!("page={page}"));
    format!("{path}?{}", parts.join("&"))
}

fn base(username: Option<&str>) -> message::BoxedQuery<'static, MultiBackend> {
    let query = message::table.into_boxed();
    match username {
        Some(name) => query.filter(
            message::user_id.eq_any(users::table.select(users::id).filter(users::username.eq(name.to_owned()))),
        ),
        None => query,
    }
}

/// What a list request asks for.
pub(crate) struct ListRequest {
    pub(crate) per_page: u64,
    pub(crate) page: u64,
    pub(crate) username: Option<String>,
    pub(crate) descending: bool,
    pub(crate) path: String,
    pub(crate) query: String,
}

/// The list envelope's JSON.
pub(crate) fn list_json(conn: &mut hangar::db::AnyConnection, request: &ListRequest) -> QueryResult<Value> {
    let username = request.username.as_deref();
    let count: i64 = base(username).count().get_result(conn)?;
    let ordered = if request.descending {
        base(username).order((message::pub_date.desc(), message::id.asc()))
    } else {
        base(username).order(message::id.asc())
    };
    let offset = i64::try_from((request.page - 1) * request.per_page).unwrap_or(i64::MAX);
    let rows: Vec<MessageRow> = ordered
        .select((message::id, message::user_id, message::content, message::pub_date))
        .limit(i64::try_from(request.per_page).unwrap_or(i64::MAX))
        .offset(offset)
        .load(conn)?;
    let users = users_of(conn, &rows)?;
    let count = u64::try_from(count).unwrap_or(0);
    let (page, pages) = (request.page, count.div_ceil(request.per_page));
    let objects: Vec<Value> = rows.iter().map(|r| message_json(r, users.iter().find(|u| u.0 == r.1))).collect();
    let meta = envelope_meta("message", page, pages, count, &|n| page_link(&request.path, &request.query, n));
    Ok(json!({"meta": meta, "objects": objects}))
}

/// The list envelope's `meta`.
fn envelope_meta(model: &str, page: u64, pages: u64, count: u64, link: &dyn Fn(u64) -> String) -> Map<String, Value> {
    let mut meta = Map::new();
    meta.insert("model".into(), json!(model));
    meta.insert("page".into(), json!(page));
    meta.insert("page_count".into(), json!(pages));
    meta.insert("object_count".into(), json!(count));
    meta.insert("next".into(), json!(if page < pages { link(page + 1) } else { String::new() }));
    meta.insert("previous".into(), json!(if page > 1 { link((page - 1).min(pages.max(1))) } else { String::new() }));
    meta
}

#[get("/message?<limit>&<page>&<user__username>&<ordering>")]
#[allow(non_snake_case)]
async fn list(
    db: Database,
    uri: &Origin<'_>,
    limit: Option<u64>,
    page: Option<u64>,
    user__username: Option<String>,
    ordering: Option<String>,
) -> Result<Json<Value>, Status> {
    let descending = match ordering.as_deref() {
        None => false,
        Some("-pub_date") => true,
        Some(_) => return Err(Status::BadRequest),
    };
    let request = ListRequest {
        per_page: limit.unwrap_or(20).clamp(1, 100),
        page: page.unwrap_or(1).max(1),
        username: user__username,
        descending,
        path: uri.path().as_str().to_owned(),
        query: uri.query().map(|q| q.as_str().to_owned()).unwrap_or_default(),
    };
    let answer = db.run(move |conn| list_json(conn, &request).map_err(DbError::from)).await;
    answer.map(Json).map_err(|_| Status::InternalServerError)
}

/// The detail's JSON, or `None` when there is no such message.
pub(crate) fn detail_json(conn: &mut hangar::db::AnyConnection, id: i32) -> QueryResult<Option<Value>> {
    let row: Option<MessageRow> = message::table
        .filter(message::id.eq(id))
        .select((message::id, message::user_id, message::content, message::pub_date))
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let users = users_of(conn, std::slice::from_ref(&row))?;
    Ok(Some(message_json(&row, users.first())))
}

#[get("/message/<id>")]
async fn detail(db: Database, id: i32) -> Result<Json<Value>, Status> {
    let found = db
        .run(move |conn| detail_json(conn, id).map_err(DbError::from))
        .await
        .map_err(|_| Status::InternalServerError)?;
    found.map(Json).ok_or(Status::NotFound)
}

/// The user list's JSON: active users, by id, as tweepee's `UserResource`
/// shows them.
pub(crate) fn user_list_json(
    conn: &mut hangar::db::AnyConnection,
    per_page: u64,
    page: u64,
    path: &str,
    query: &str,
) -> QueryResult<Value> {
    let count: i64 = users::table.filter(users::active.eq(true)).count().get_result(conn)?;
    let offset = i64::try_from((page - 1) * per_page).unwrap_or(i64::MAX);
    let rows: Vec<UserRow> = users::table
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select((users::id, users::username, users::join_date, users::active, users::admin))
        .limit(i64::try_from(per_page).unwrap_or(i64::MAX))
        .offset(offset)
        .load(conn)?;
    let count = u64::try_from(count).unwrap_or(0);
    let pages = count.div_ceil(per_page);
    let meta = envelope_meta("user", page, pages, count, &|n| page_link(path, query, n));
    Ok(json!({"meta": meta, "objects": rows.iter().map(user_json).collect::<Vec<_>>()}))
}

#[get("/user?<limit>&<page>")]
async fn user_list(
    db: Database,
    uri: &Origin<'_>,
    limit: Option<u64>,
    page: Option<u64>,
) -> Result<Json<Value>, Status> {
    let (per_page, page) = (limit.unwrap_or(20).clamp(1, 100), page.unwrap_or(1).max(1));
    let path = uri.path().as_str().to_owned();
    let query = uri.query().map(|q| q.as_str().to_owned()).unwrap_or_default();
    let answer = db.run(move |conn| user_list_json(conn, per_page, page, &path, &query).map_err(DbError::from)).await;
    answer.map(Json).map_err(|_| Status::InternalServerError)
}

/// The hand-written routes, to mount under `/hand`.
pub(crate) fn routes() -> Vec<Route> {
    routes![list, detail, user_list, floor]
}

/// The web framework alone: a constant JSON object, no database, no
/// authentication. What any handler on Rocket costs at the least.
#[get("/floor")]
fn floor() -> (ContentType, &'static str) {
    (ContentType::JSON, r#"{"floor": true}"#)
}
