//! The fixture models: flask-peewee's test models in hangar's shape.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::*;

/// A user, as tweepee's and flask-peewee's.
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
    hangar::UserModel,
    hangar::AdminModel,
)]
#[diesel(table_name = users)]
#[model(verbose_name = "Person", display = username)]
#[rest(exclude(password, email, staff), readonly_fields(admin))]
#[admin(columns(username, email, active, admin), search_fields(username, email), ordering("username"))]
pub struct User {
    pub id: i32,
    #[model(max_length = 150)]
    pub username: String,
    #[model(max_length = 255)]
    #[admin(widget = password)]
    pub password: String,
    #[model(max_length = 255)]
    pub email: String,
    pub join_date: NaiveDateTime,
    pub active: bool,
    #[model(verbose_name = "Can access admin")]
    pub admin: bool,
    /// Staff enter the admin as far as their permissions go.
    pub staff: bool,
}

/// A message: one foreign key through diesel's `belongs_to`.
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
#[rest(owner = user)]
#[admin(
    columns(user__username, content, pub_date, method = excerpt),
    search_fields(content, user__username),
    filter_fields(user, content, pub_date, user__username),
    foreign_key_lookups(user = username),
    ordering("-pub_date")
)]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: NaiveDateTime,
}

impl Message {
    /// The first 20 characters of the content, for the admin's list.
    pub fn excerpt(&self) -> String {
        let mut excerpt: String = self.content.chars().take(20).collect();
        if self.content.chars().nth(20).is_some() {
            excerpt.push('…');
        }
        excerpt
    }
}

/// A note with a status (1 live, 2 deleted).
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
#[admin(readonly_fields(created_date), paginate_by = 2)]
#[rest(include(user = crate::api::UserResource))]
pub struct Note {
    pub id: i32,
    pub user_id: i32,
    pub message: String,
    pub status: i32,
    pub created_date: NaiveDateTime,
}

/// Two foreign keys to the same model, one nullable: `belongs_to` can
/// declare only one, so both use `references`.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = link)]
#[rest(include(src, dst))]
#[admin(columns(label, src__username, dst__username), search_fields(label, dst__username))]
pub struct Link {
    pub id: i32,
    #[model(references = User)]
    pub src_id: i32,
    #[model(references = User)]
    pub dst_id: Option<i32>,
    #[model(max_length = 255)]
    pub label: String,
}

/// The head of the chain A←B←C←D; its lists count at most one row.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = amodel)]
#[model(display = a_field)]
#[rest(count = capped(1))]
#[admin(count = capped(1), inlines(BModel(extra = 2, max_num = 4, ordering("-b_field"))))]
pub struct AModel {
    pub id: i32,
    #[model(max_length = 255)]
    pub a_field: String,
}

/// B → A.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = bmodel, belongs_to(AModel, foreign_key = a_id))]
#[rest(include(a))]
pub struct BModel {
    pub id: i32,
    pub a_id: i32,
    #[model(max_length = 255)]
    pub b_field: String,
}

/// C → B; its lists are not counted.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = cmodel, belongs_to(BModel, foreign_key = b_id))]
#[rest(include(b), count = none)]
#[admin(count = none, paginate_by = 1)]
pub struct CModel {
    pub id: i32,
    pub b_id: i32,
    #[model(max_length = 255)]
    pub c_field: String,
}

/// D → C: three hops from D reach A.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = dmodel, belongs_to(CModel, foreign_key = c_id))]
#[rest(include(c))]
pub struct DModel {
    pub id: i32,
    pub c_id: i32,
    #[model(max_length = 255)]
    pub d_field: String,
}

/// One hop past D: four relations from here reach A, one more than a
/// filter may follow.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = ddetail, belongs_to(DModel, foreign_key = d_id))]
pub struct DDetail {
    pub id: i32,
    pub d_id: i32,
    #[model(max_length = 255)]
    pub detail: String,
}

/// The target of a nullable foreign key.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = emodel)]
#[rest(paginate_by = none, max_paginate_by = 5)]
pub struct EModel {
    pub id: i32,
    #[model(max_length = 255)]
    pub e_field: String,
}

/// A nullable foreign key.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = fmodel)]
#[rest(include(e), nested_writes = false)]
pub struct FModel {
    pub id: i32,
    #[model(references = EModel)]
    pub e_id: Option<i32>,
    #[model(max_length = 255)]
    pub f_field: String,
}

/// One column of every supported type, plain and nullable.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource, hangar::AdminModel,
)]
#[diesel(table_name = kitchen)]
#[admin(
    fieldsets("Numbers" = (small, big, ratio, score), "Everything else" = (flag, day, at, stamp, label, maybe_int, maybe_text, maybe_flag, maybe_day, maybe_stamp)),
    export_exclude(score)
)]
pub struct Kitchen {
    pub id: i32,
    pub small: i16,
    pub big: i64,
    pub ratio: f32,
    pub score: f64,
    pub flag: bool,
    pub day: NaiveDate,
    pub at: NaiveTime,
    pub stamp: NaiveDateTime,
    #[model(max_length = 255)]
    pub label: String,
    pub maybe_int: Option<i32>,
    #[model(max_length = 255)]
    pub maybe_text: Option<String>,
    pub maybe_flag: Option<bool>,
    pub maybe_day: Option<NaiveDate>,
    pub maybe_stamp: Option<NaiveDateTime>,
}

/// An API key and its secret.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model)]
#[diesel(table_name = api_key)]
pub struct ApiKey {
    pub id: i32,
    #[model(max_length = 64)]
    pub key: String,
    #[model(max_length = 64)]
    pub secret: String,
}

/// A bearer token that belongs to a user.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model)]
#[diesel(table_name = api_token, belongs_to(User))]
pub struct ApiToken {
    pub id: i32,
    #[model(max_length = 64)]
    pub token: String,
    pub user_id: i32,
}

/// What the API key protects, on every method; it shows only its data.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model, hangar::RestResource)]
#[diesel(table_name = api_doc)]
#[rest(fields(data))]
pub struct ApiDoc {
    pub id: i32,
    pub data: String,
}

/// What a bearer token protects, on every method.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model, hangar::RestResource)]
#[diesel(table_name = bearer_doc)]
pub struct BearerDoc {
    pub id: i32,
    pub data: String,
}

/// Owned by the user of the bearer token that created it, and seen only by
/// them; filtered on its content only.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model, hangar::RestResource)]
#[diesel(table_name = tweet, belongs_to(User))]
#[rest(owner = user, owner_reads, filter_fields(content))]
pub struct Tweet {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
}

/// A custom user model: its own column names, no email, and fields of its
/// own (flask-peewee's custom `User` models).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, hangar::Model, hangar::UserModel)]
#[diesel(table_name = members)]
#[user(username = login, password = pw_hash, active = enabled, admin = staff)]
pub struct Member {
    pub id: i32,
    #[model(max_length = 150)]
    pub login: String,
    #[model(max_length = 255)]
    pub pw_hash: String,
    pub enabled: bool,
    pub staff: bool,
    pub karma: i32,
    #[model(max_length = 500)]
    pub bio: String,
}

/// The notes again, behind the model's permissions: a user reads them with
/// `view`, and writes them with `add`, `change` or `delete`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize, hangar::Model, hangar::RestResource)]
#[diesel(table_name = note)]
#[rest(permissions = model)]
pub struct GuardedNote {
    pub id: i32,
    pub user_id: i32,
    pub message: String,
    pub status: i32,
    pub created_date: NaiveDateTime,
}

/// The API key's documents again, behind the model's permissions: a key
/// has no user, so it keeps its all-or-nothing rule.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model, hangar::RestResource)]
#[diesel(table_name = api_doc)]
#[rest(fields(data), permissions = model)]
pub struct GuardedDoc {
    pub id: i32,
    pub data: String,
}
