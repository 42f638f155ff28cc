use hangar_ui_tests::{message, users};

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = users)]
pub struct Account {
    pub id: i32,
    pub username: String,
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::RestResource)]
#[diesel(table_name = message, belongs_to(Account, foreign_key = user_id))]
#[rest(include(user))]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

fn main() {}
