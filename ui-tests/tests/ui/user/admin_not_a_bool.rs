diesel::table! {
    accounts (id) {
        id -> Integer,
        login -> Text,
        password -> Text,
        enabled -> Bool,
        admin -> Nullable<Bool>,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::UserModel)]
#[diesel(table_name = accounts)]
#[user(username = login)]
pub struct Account {
    pub id: i32,
    pub login: String,
    pub password: String,
    pub enabled: bool,
    pub admin: Option<bool>,
}

fn main() {}
