//! The models the fuzz targets parse against, and what the targets share.
//!
//! [`Gadget`] has a column of every type hangar supports, a choice and a
//! foreign key; [`Spare`] has each of them nullable, a nullable foreign
//! key and a UUID key the client chooses; [`Maker`] refers to itself, so
//! a path may go through as many relations as a client writes.

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use hangar::__fuzz::DIALECTS;
use hangar::query::{ListOptions, ListQuery, OrderBy, QueryError};
use uuid::Uuid;

pub mod schema {
    //! The tables.
    diesel::table! {
        maker (id) {
            id -> Integer,
            name -> Text,
            parent_id -> Nullable<Integer>,
        }
    }

    diesel::table! {
        gadget (id) {
            id -> Integer,
            small -> SmallInt,
            whole -> Integer,
            big -> BigInt,
            ratio -> Float,
            score -> Double,
            flag -> Bool,
            label -> Text,
            day -> Date,
            at -> Time,
            stamp -> Timestamp,
            instant -> Timestamptz,
            token -> Uuid,
            price -> Numeric,
            doc -> Jsonb,
            blob -> Binary,
            status -> Text,
            maker_id -> Integer,
        }
    }

    diesel::table! {
        spare (id) {
            id -> Uuid,
            gadget_id -> Nullable<Integer>,
            small -> Nullable<SmallInt>,
            whole -> Nullable<Integer>,
            big -> Nullable<BigInt>,
            ratio -> Nullable<Float>,
            score -> Nullable<Double>,
            flag -> Nullable<Bool>,
            label -> Nullable<Text>,
            day -> Nullable<Date>,
            at -> Nullable<Time>,
            stamp -> Nullable<Timestamp>,
            instant -> Nullable<Timestamptz>,
            price -> Nullable<Numeric>,
            doc -> Nullable<Jsonb>,
            blob -> Nullable<Binary>,
            status -> Nullable<Text>,
        }
    }

    diesel::joinable!(gadget -> maker (maker_id));
    diesel::joinable!(spare -> gadget (gadget_id));
    diesel::allow_tables_to_appear_in_same_query!(maker, gadget, spare);
}

use schema::{gadget, maker, spare};

/// Who makes gadgets, inside another maker or at the top.
#[derive(Debug, Clone, Queryable, Selectable, hangar::Model, hangar::RestResource, hangar::AdminModel)]
#[diesel(table_name = maker)]
#[model(display = name)]
#[admin(search_fields(name, parent__name))]
pub struct Maker {
    pub id: i32,
    #[model(max_length = 40, not_blank)]
    pub name: String,
    #[model(references = Maker)]
    pub parent_id: Option<i32>,
}

/// Where a gadget is in its life, stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, hangar::Choice)]
pub enum Status {
    /// Not yet for sale.
    Draft,
    /// For sale.
    #[choice(label = "On sale")]
    Active,
    /// No longer made.
    Gone,
}

/// A column of every type, a choice and a foreign key, none nullable.
#[derive(Debug, Clone, Queryable, Selectable, hangar::Model, hangar::RestResource, hangar::AdminModel)]
#[diesel(table_name = gadget, belongs_to(Maker))]
#[rest(include(maker))]
#[admin(search_fields(label, maker__name), ordering("-stamp"))]
pub struct Gadget {
    pub id: i32,
    pub small: i16,
    pub whole: i32,
    pub big: i64,
    pub ratio: f32,
    pub score: f64,
    pub flag: bool,
    #[model(max_length = 40)]
    pub label: String,
    pub day: NaiveDate,
    pub at: NaiveTime,
    pub stamp: NaiveDateTime,
    #[model(db_default)]
    pub instant: DateTime<Utc>,
    pub token: Uuid,
    #[model(max_digits = 8, decimal_places = 2)]
    pub price: BigDecimal,
    pub doc: serde_json::Value,
    pub blob: Vec<u8>,
    #[model(choices)]
    pub status: Status,
    pub maker_id: i32,
}

/// Each type again, nullable, with a nullable foreign key and a UUID key
/// the client chooses.
#[derive(Debug, Clone, Queryable, Selectable, hangar::Model, hangar::RestResource, hangar::AdminModel)]
#[diesel(table_name = spare)]
#[rest(include(gadget), readonly_fields(big))]
#[admin(search_fields(label, gadget__label, gadget__maker__name), readonly_fields(whole))]
pub struct Spare {
    pub id: Uuid,
    #[model(references = Gadget)]
    pub gadget_id: Option<i32>,
    pub small: Option<i16>,
    pub whole: Option<i32>,
    pub big: Option<i64>,
    pub ratio: Option<f32>,
    pub score: Option<f64>,
    pub flag: Option<bool>,
    #[model(max_length = 40, not_blank)]
    pub label: Option<String>,
    pub day: Option<NaiveDate>,
    pub at: Option<NaiveTime>,
    pub stamp: Option<NaiveDateTime>,
    pub instant: Option<DateTime<Utc>>,
    #[model(max_digits = 38, decimal_places = 10)]
    pub price: Option<BigDecimal>,
    pub doc: Option<serde_json::Value>,
    pub blob: Option<Vec<u8>>,
    #[model(choices)]
    pub status: Option<Status>,
}

/// How the REST API and a bare [`ListOptions`] read a list: every filter
/// allowed, or only what the related resource shows, paged by number or by
/// cursor.
pub fn list_options() -> [ListOptions; 2] {
    let rest = ListOptions {
        ignored: vec!["key".to_owned()],
        filter_exclude: vec!["blob".to_owned()],
        related_field_allowed: Some(hangar::rest::shown_through_relation),
        ..ListOptions::default()
    };
    let numbered = ListOptions { cursors: false, max_paginate_by: None, ..ListOptions::default() };
    [rest, numbered]
}

/// Panics on an error that is a bug: one a request would answer with 500.
pub fn no_internal<T>(what: &str, result: Result<T, QueryError>) -> Option<T> {
    match result {
        Err(QueryError::Internal(why)) => panic!("{what}: an internal error: {why}"),
        Err(_) => None,
        Ok(value) => Some(value),
    }
}

/// Reads `params` as a list of `M` with each of [`list_options`]: the
/// filters, ordering and page, the conditions built for every dialect and
/// the ordering applied. A value, an ordering term or a filter key printed
/// must parse back to itself.
pub fn read_list<M: hangar::Model>(params: &[(String, String)]) {
    let meta = M::meta();
    for options in list_options() {
        let list = ListQuery::<M>::parse(params, &options);
        for dialect in DIALECTS {
            no_internal("a list's conditions", list.predicate(dialect));
        }
        no_internal("a list's ordering", list.order(M::all()));
        for order in list.ordering() {
            assert_eq!(OrderBy::parse(meta, &order.term()).as_ref(), Ok(order), "ordering `{}`", order.term());
        }
        for filter in list.filters() {
            for condition in filter.lookup().conditions() {
                for value in condition_values(condition) {
                    let kind = value.kind().unwrap_or(hangar::model::SqlKind::Text);
                    let printed = value.to_string();
                    assert_eq!(hangar::model::Value::parse(kind, &printed).as_ref(), Some(value), "{printed:?}");
                }
            }
        }
    }
}

fn condition_values(condition: &hangar::model::Condition) -> Vec<&hangar::model::Value> {
    use hangar::model::Condition;
    match condition {
        Condition::In(values) => values.iter().collect(),
        Condition::Cmp(_, value) => vec![value],
        Condition::Between(low, high) | Condition::Range(low, high) => vec![low, high],
        Condition::IsNull(_) | Condition::Like { .. } | Condition::Month(_) => Vec::new(),
    }
}
