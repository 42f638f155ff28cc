use hangar_ui_tests::{message, User};

#[derive(hangar::Model)]
#[diesel(table_name = message, belongs_to(User))]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    #[diesel(column_name = content)]
    pub user: String,
    pub pub_date: chrono::NaiveDateTime,
}
fn main() {}
