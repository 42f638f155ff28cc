#[allow(unused_imports)] // `User` is named only in the faulty attribute.
use hangar_ui_tests::{message, User};

#[derive(hangar::Model)]
#[diesel(table_name = message)]
pub struct Message {
    pub id: i32,
    #[model(references = "User")]
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}
fn main() {}
