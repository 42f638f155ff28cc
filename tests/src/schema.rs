//! The fixture tables.

diesel::table! {
    users (id) {
        id -> Integer,
        username -> Text,
        password -> Text,
        email -> Text,
        join_date -> Timestamp,
        active -> Bool,
        admin -> Bool,
        staff -> Bool,
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

diesel::table! {
    link (id) {
        id -> Integer,
        src_id -> Integer,
        dst_id -> Nullable<Integer>,
        label -> Text,
    }
}

diesel::table! {
    amodel (id) {
        id -> Integer,
        a_field -> Text,
    }
}

diesel::table! {
    bmodel (id) {
        id -> Integer,
        a_id -> Integer,
        b_field -> Text,
    }
}

diesel::table! {
    cmodel (id) {
        id -> Integer,
        b_id -> Integer,
        c_field -> Text,
    }
}

diesel::table! {
    dmodel (id) {
        id -> Integer,
        c_id -> Integer,
        d_field -> Text,
    }
}

diesel::table! {
    ddetail (id) {
        id -> Integer,
        d_id -> Integer,
        detail -> Text,
    }
}

diesel::table! {
    emodel (id) {
        id -> Integer,
        e_field -> Text,
    }
}

diesel::table! {
    fmodel (id) {
        id -> Integer,
        e_id -> Nullable<Integer>,
        f_field -> Text,
    }
}

diesel::table! {
    kitchen (id) {
        id -> Integer,
        small -> SmallInt,
        big -> BigInt,
        ratio -> Float,
        score -> Double,
        flag -> Bool,
        day -> Date,
        at -> Time,
        stamp -> Timestamp,
        label -> Text,
        maybe_int -> Nullable<Integer>,
        maybe_text -> Nullable<Text>,
        maybe_flag -> Nullable<Bool>,
        maybe_day -> Nullable<Date>,
        maybe_stamp -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users, message, note, link, amodel, bmodel, cmodel, dmodel, ddetail, emodel, fmodel
);

diesel::table! {
    api_key (id) {
        id -> Integer,
        key -> Text,
        secret -> Text,
    }
}

diesel::table! {
    api_token (id) {
        id -> Integer,
        token -> Text,
        user_id -> Integer,
    }
}

diesel::table! {
    api_doc (id) {
        id -> Integer,
        data -> Text,
    }
}

diesel::table! {
    bearer_doc (id) {
        id -> Integer,
        data -> Text,
    }
}

diesel::table! {
    tweet (id) {
        id -> Integer,
        user_id -> Integer,
        content -> Text,
    }
}

diesel::table! {
    members (id) {
        id -> Integer,
        login -> Text,
        pw_hash -> Text,
        enabled -> Bool,
        staff -> Bool,
        karma -> Integer,
        bio -> Text,
    }
}
