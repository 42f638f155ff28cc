use hangar_ui_tests::users;

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = users)]
pub struct Account {
    #[model(not_blank)]
    pub id: i32,
    pub username: String,
}

fn main() {}
