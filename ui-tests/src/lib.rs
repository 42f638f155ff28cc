//! Compile-fail and compile-pass cases for hangar's derives (see `tests/`),
//! and the tables and the `User` model they share, so that each case holds
//! only the model with its one mistake.

diesel::table! {
    users (id) {
        id -> Integer,
        username -> Text,
    }
}

diesel::table! {
    message (id) {
        id -> Integer,
        user_id -> Integer,
        content -> Text,
        pub_date -> Timestamp,
    }
}

diesel::table! {
    product (id) {
        id -> Integer,
        name -> Text,
        stock -> Text,
        restock -> Nullable<Text>,
        price -> Numeric,
        listed -> Timestamptz,
    }
}

/// The model the cases' foreign keys point at.
#[derive(Debug, diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub username: String,
}
