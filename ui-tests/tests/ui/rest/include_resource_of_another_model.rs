use hangar_ui_tests::{message, User};

diesel::table! {
    tag (id) {
        id -> Integer,
        name -> Text,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::RestResource)]
#[diesel(table_name = tag)]
pub struct Tag {
    pub id: i32,
    pub name: String,
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::RestResource)]
#[diesel(table_name = message, belongs_to(User))]
#[rest(include(user = Tag))]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

fn main() {}
