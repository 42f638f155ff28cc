//! tweepee's tables; `users` is hangar's.

pub use hangar::auth::users;

diesel::table! {
    relationship (id) {
        id -> Integer,
        from_user_id -> Integer,
        to_user_id -> Integer,
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
    note (id) {
        id -> Integer,
        user_id -> Integer,
        message -> Text,
        status -> Integer,
        created_date -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(relationship, message, note);
