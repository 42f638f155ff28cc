// A mistake in #[admin(...)] is the only error: the model still works as a
// model admin, so registering it reports nothing more.
use hangar::admin::Admin;
use hangar_ui_tests::{message, User};

#[derive(diesel::Queryable, diesel::Selectable, diesel::Associations, hangar::Model, hangar::AdminModel)]
#[diesel(table_name = message, belongs_to(User))]
#[admin(colums(content))]
pub struct Message {
    pub id: i32,
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

fn main() {
    let admin = Admin::<hangar::auth::User>::new().register::<Message>();
    drop(admin);
}
