use hangar_ui_tests::message;

#[derive(hangar::Model)]
#[diesel(table_name = message)]
#[model(verbose_nme = "Post")]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}
fn main() {}
