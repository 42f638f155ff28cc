use hangar_ui_tests::users;

diesel::table! {
    link (id) {
        id -> Integer,
        src_id -> Integer,
        dst_id -> Integer,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::AdminModel)]
#[diesel(table_name = users)]
#[admin(inlines(Link))]
pub struct Person {
    pub id: i32,
    pub username: String,
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = link)]
pub struct Link {
    pub id: i32,
    #[model(references = Person)]
    pub src_id: i32,
    #[model(references = Person)]
    pub dst_id: i32,
}

fn main() {}
