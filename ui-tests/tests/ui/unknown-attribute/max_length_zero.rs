use hangar_ui_tests::users;

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = users)]
pub struct Account {
    pub id: i32,
    #[model(max_length = 0)]
    pub username: String,
}

fn main() {}
