use hangar_ui_tests::users;

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = users)]
#[model(display = "username")]
pub struct Account {
    pub id: i32,
    pub username: String,
}

fn main() {}
