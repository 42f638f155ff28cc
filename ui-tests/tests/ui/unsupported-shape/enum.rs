#[derive(hangar::Model)]
#[diesel(table_name = hangar_ui_tests::message)]
pub enum Message {
    Text(String),
    Empty,
}
fn main() {}
