//! What peewee's example keeps on its models: who follows whom, the two
//! timelines and the avatars, and the app's writes: joining, following and
//! posting. Each query is one SQL statement (follows are a subquery, never a
//! loop), and each list is a boxed query that `PaginatedQuery` pages.
//! `users` is hangar's table, so a subquery on `relationship` reaches it
//! through `hangar::model::in_subquery`. Writes are Diesel's typed
//! `insert_into`/`update`, as in any Rocket+Diesel app.

use chrono::NaiveDateTime;
use diesel::dsl::exists;
use diesel::prelude::*;
use hangar::db::{violation, AnyConnection, Violation};
use hangar::model::{in_subquery, BoxedQuery};
use hangar::Model as _;
use md5::{Digest, Md5};

use crate::models::{Message, User};
use crate::schema::{message, note, relationship, users};

/// The users `user_id` follows, by username.
pub fn following(user_id: i32) -> BoxedQuery<User> {
    let followed = relationship::table.filter(relationship::from_user_id.eq(user_id)).select(relationship::to_user_id);
    User::all().filter(in_subquery(users::id, followed)).order(users::username.asc())
}

/// The users who follow `user_id`, by username.
pub fn followers(user_id: i32) -> BoxedQuery<User> {
    let following = relationship::table.filter(relationship::to_user_id.eq(user_id)).select(relationship::from_user_id);
    User::all().filter(in_subquery(users::id, following)).order(users::username.asc())
}

/// Whether `from_user_id` follows `to_user_id`.
pub fn is_following(conn: &mut AnyConnection, from_user_id: i32, to_user_id: i32) -> QueryResult<bool> {
    diesel::select(exists(
        relationship::table
            .filter(relationship::from_user_id.eq(from_user_id))
            .filter(relationship::to_user_id.eq(to_user_id)),
    ))
    .get_result(conn)
}

/// Makes `from_user_id` follow `to_user_id`, once however often it is
/// asked: one INSERT, and the relationship's unique key turns a repeat
/// (or a request that raced this one) into the no-op it should be.
pub fn follow(conn: &mut AnyConnection, from_user_id: i32, to_user_id: i32) -> QueryResult<()> {
    let inserted = diesel::insert_into(relationship::table)
        .values((relationship::from_user_id.eq(from_user_id), relationship::to_user_id.eq(to_user_id)))
        .execute(conn);
    match inserted {
        Err(e) if matches!(violation(&e), Some(Violation::Unique { .. })) => Ok(()),
        other => other.map(drop),
    }
}

/// Makes `from_user_id` stop following `to_user_id`, harmlessly if they
/// did not: one DELETE.
pub fn unfollow(conn: &mut AnyConnection, from_user_id: i32, to_user_id: i32) -> QueryResult<()> {
    let theirs = relationship::from_user_id.eq(from_user_id).and(relationship::to_user_id.eq(to_user_id));
    diesel::delete(relationship::table.filter(theirs)).execute(conn).map(drop)
}

/// Whether a user is called `username`.
pub fn user_exists(conn: &mut AnyConnection, username: &str) -> QueryResult<bool> {
    diesel::select(exists(users::table.filter(users::username.eq(username.to_owned())))).get_result(conn)
}

/// Someone joining: an active user who is not an admin.
#[derive(Clone)]
pub struct Joining {
    /// The username; the table keeps it unique.
    pub username: String,
    /// The password, hashed already (`hangar::utils::make_password`).
    pub password_hash: String,
    /// The email address, for the avatar.
    pub email: String,
    /// When they joined.
    pub join_date: NaiveDateTime,
}

impl std::fmt::Debug for Joining {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the hash.
        f.debug_struct("Joining").field("username", &self.username).field("join_date", &self.join_date).finish()
    }
}

/// Creates the user `joining` describes, in one INSERT, and returns them;
/// `None` when the username is taken, which the table's unique key decides,
/// so two people racing for one name cannot both get it.
pub fn join(conn: &mut AnyConnection, joining: &Joining) -> QueryResult<Option<User>> {
    let inserted = diesel::insert_into(users::table)
        .values((
            users::username.eq(&joining.username),
            users::password.eq(&joining.password_hash),
            users::email.eq(&joining.email),
            users::join_date.eq(joining.join_date),
            users::active.eq(true),
            users::admin.eq(false),
        ))
        .execute(conn);
    match inserted {
        Err(e) if matches!(violation(&e), Some(Violation::Unique { .. })) => return Ok(None),
        other => other?,
    };
    let named = User::all().filter(users::username.eq(joining.username.clone())).limit(1);
    Ok(User::load(named, conn)?.pop())
}

/// Posts `content` as `user_id`, published at `pub_date`: one INSERT.
pub fn post_message(conn: &mut AnyConnection, user_id: i32, content: &str, pub_date: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(message::table)
        .values((message::user_id.eq(user_id), message::content.eq(content), message::pub_date.eq(pub_date)))
        .execute(conn)
        .map(drop)
}

/// Replaces the content of message `id` if `user_id` wrote it: one UPDATE.
pub fn edit_message(conn: &mut AnyConnection, user_id: i32, id: i32, content: &str) -> QueryResult<()> {
    let mine = message::table.filter(message::id.eq(id)).filter(message::user_id.eq(user_id));
    diesel::update(mine).set(message::content.eq(content)).execute(conn).map(drop)
}

/// Posts a note as `user_id` with `status`, created at `created_date`: one
/// INSERT.
pub fn post_note(
    conn: &mut AnyConnection,
    user_id: i32,
    text: &str,
    status: i32,
    created_date: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(note::table)
        .values((
            note::user_id.eq(user_id),
            note::message.eq(text),
            note::status.eq(status),
            note::created_date.eq(created_date),
        ))
        .execute(conn)
        .map(drop)
}

/// Every message, newest first.
pub fn public_timeline() -> BoxedQuery<Message> {
    Message::all().order((message::pub_date.desc(), message::id.desc()))
}

/// The messages of the users `user_id` follows (not their own), newest
/// first.
pub fn private_timeline(user_id: i32) -> BoxedQuery<Message> {
    let followed = relationship::table.filter(relationship::from_user_id.eq(user_id)).select(relationship::to_user_id);
    Message::all().filter(message::user_id.eq_any(followed)).order((message::pub_date.desc(), message::id.desc()))
}

/// `user_id`'s messages, newest first.
pub fn messages_of(user_id: i32) -> BoxedQuery<Message> {
    Message::all().filter(message::user_id.eq(user_id)).order((message::pub_date.desc(), message::id.desc()))
}

/// The Gravatar image of `email`, `size` pixels square: the MD5 of the
/// address trimmed and lower-cased, with an identicon for addresses
/// Gravatar does not know.
pub fn gravatar_url(email: &str, size: u32) -> String {
    let digest = Md5::digest(email.trim().to_lowercase().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("https://www.gravatar.com/avatar/{hex}?d=identicon&s={size}")
}

#[cfg(test)]
mod tests {
    use super::gravatar_url;

    #[test]
    fn gravatar_hashes_the_trimmed_lowercase_address() {
        // Gravatar's own example address and hash.
        let url = "https://www.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346?d=identicon&s=80";
        assert_eq!(gravatar_url("MyEmailAddress@example.com ", 80), url);
        assert_eq!(gravatar_url("  myemailaddress@example.com", 80), url);
    }
}
