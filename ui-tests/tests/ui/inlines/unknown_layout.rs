use hangar_ui_tests::{message, users};

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::AdminModel)]
#[diesel(table_name = users)]
#[admin(inlines(Message(layout = grid)))]
pub struct Person {
    pub id: i32,
    pub username: String,
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = message)]
pub struct Message {
    pub id: i32,
    #[model(references = Person)]
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

fn main() {}
