use hangar_ui_tests::users;

#[derive(hangar::Model)]
#[diesel(table_name = users)]
pub struct Account {
    #[model(max_digits = 10)]
    pub id: i32,
    pub username: String,
}
fn main() {}
