#[derive(hangar::Model)]
#[diesel(table_name = hangar_ui_tests::message)]
pub struct Message;
fn main() {}
