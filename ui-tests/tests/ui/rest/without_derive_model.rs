use hangar_ui_tests::message;

#[derive(diesel::Queryable, diesel::Selectable, hangar::RestResource)]
#[diesel(table_name = message)]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

fn main() {}
