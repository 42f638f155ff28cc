//! tweepee's models: users who follow each other and post messages and
//! notes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::api::UserResource;
use crate::schema::{message, note, relationship};

/// tweepee's users are hangar's: its REST resource hides the password hash and
/// the email, and Basic authentication and login share them.
pub use hangar::auth::User;

/// `from_user` follows `to_user`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Identifiable,
    Serialize,
    hangar::Model,
    hangar::RestResource,
    hangar::AdminModel,
)]
#[diesel(table_name = relationship)]
#[rest(owner = from_user, include(from_user = UserResource, to_user = UserResource), paginate_by = none)]
#[admin(columns(from_user__username, to_user__username), foreign_key_lookups(from_user = username, to_user = username))]
pub struct Relationship {
    pub id: i32,
    #[model(references = User)]
    pub from_user_id: i32,
    #[model(references = User)]
    pub to_user_id: i32,
}

/// A message, owned by the user who posted it.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Identifiable,
    Associations,
    Serialize,
    hangar::Model,
    hangar::RestResource,
    hangar::AdminModel,
)]
#[diesel(table_name = message, belongs_to(User))]
#[rest(owner = user, include(user = UserResource))]
#[admin(
    columns(user__username, content, pub_date),
    foreign_key_lookups(user = username),
    filter_fields(user, content, pub_date, user__username),
    search_fields(content, user__username),
    ordering("-pub_date")
)]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    #[admin(widget = textarea)]
    pub content: String,
    #[model(db_default)]
    pub pub_date: NaiveDateTime,
}

/// A note: status 1 is live, 2 is deleted.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Identifiable,
    Associations,
    Serialize,
    hangar::Model,
    hangar::RestResource,
    hangar::AdminModel,
)]
#[diesel(table_name = note, belongs_to(User))]
#[rest(owner = user, include(user = UserResource), readonly_fields(status))]
#[admin(
    columns(user__username, message, status, created_date),
    readonly_fields(created_date),
    foreign_key_lookups(user = username),
    search_fields(message),
    ordering("-created_date")
)]
pub struct Note {
    pub id: i32,
    pub user_id: i32,
    pub message: String,
    /// Live when created through the API, which lists only live notes.
    #[model(db_default)]
    pub status: i32,
    #[model(db_default)]
    pub created_date: NaiveDateTime,
}

/// A live note.
pub const LIVE: i32 = 1;
/// A deleted note.
pub const DELETED: i32 = 2;
