use hangar_ui_tests::{message, users, User};

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::AdminModel)]
#[diesel(table_name = users)]
#[admin(inlines(Message))]
pub struct Person {
    pub id: i32,
    pub username: String,
}

/// Refers to `User`, not to `Person`.
#[derive(diesel::Queryable, diesel::Selectable, diesel::Associations, hangar::Model)]
#[diesel(table_name = message, belongs_to(User))]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

fn main() {}
