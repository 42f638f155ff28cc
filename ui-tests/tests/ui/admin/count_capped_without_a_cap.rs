use hangar_ui_tests::{message, User};

#[derive(diesel::Queryable, diesel::Selectable, diesel::Associations, hangar::Model, hangar::AdminModel)]
#[diesel(table_name = message, belongs_to(User))]
#[admin(count = capped)]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

fn main() {}
