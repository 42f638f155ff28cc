diesel::table! {
    accounts (id) {
        id -> Integer,
        login -> Integer,
        password -> Text,
        enabled -> Bool,
        admin -> Bool,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::UserModel)]
#[diesel(table_name = accounts)]
#[user(username = login)]
pub struct Account {
    pub id: i32,
    pub login: i32,
    pub password: String,
    pub enabled: bool,
    pub admin: bool,
}

fn main() {}
