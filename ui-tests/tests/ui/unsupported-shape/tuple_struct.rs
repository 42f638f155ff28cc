#[derive(hangar::Model)]
#[diesel(table_name = hangar_ui_tests::message)]
pub struct Message(i32, i32, String, chrono::NaiveDateTime);
fn main() {}
