diesel::table! {
    accounts (id) {
        id -> Integer,
        login -> Text,
        password -> Text,
        enabled -> Bool,
        admin -> Bool,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::UserModel)]
#[diesel(table_name = accounts)]
#[user(active = enabled)]
pub struct Account {
    pub id: i32,
    pub login: String,
    pub password: String,
    pub enabled: bool,
    pub admin: bool,
}

fn main() {}
