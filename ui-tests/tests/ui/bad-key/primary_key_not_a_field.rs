use hangar_ui_tests::message;

#[derive(hangar::Model)]
#[diesel(table_name = message, primary_key(message_id))]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}
fn main() {}
