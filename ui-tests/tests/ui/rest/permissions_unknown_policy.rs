use hangar_ui_tests::{message, User};

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::RestResource)]
#[diesel(table_name = message, belongs_to(User))]
#[rest(permissions = models)]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

fn main() {}
