#[derive(hangar::Model)]
#[diesel(table_name = hangar_ui_tests::message)]
pub struct Message<T> {
    pub id: i32,
    pub user_id: i32,
    pub content: T,
    pub pub_date: chrono::NaiveDateTime,
}
fn main() {}
