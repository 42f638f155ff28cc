use hangar_ui_tests::{message, User};

#[derive(hangar::Model)]
#[diesel(table_name = message)]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    #[model(references = User)]
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}
fn main() {}
