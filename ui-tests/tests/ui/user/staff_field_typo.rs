diesel::table! {
    accounts (id) {
        id -> Integer,
        login -> Text,
        password -> Text,
        moderator -> Bool,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::UserModel)]
#[diesel(table_name = accounts)]
#[user(username = login, staff = moderater)]
pub struct Account {
    pub id: i32,
    pub login: String,
    pub password: String,
    pub moderator: bool,
}

fn main() {}
