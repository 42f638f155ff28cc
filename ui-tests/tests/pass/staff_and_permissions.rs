//! A user model with a staff flag of its own name, and a resource behind
//! the model's permissions.

use hangar::auth::UserModel;

diesel::table! {
    accounts (id) {
        id -> Integer,
        login -> Text,
        password -> Text,
        moderator -> Bool,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::UserModel, hangar::RestResource)]
#[diesel(table_name = accounts)]
#[user(username = login, staff = moderator)]
#[rest(exclude(password), permissions = model)]
pub struct Account {
    pub id: i32,
    pub login: String,
    pub password: String,
    pub moderator: bool,
}

fn main() {
    assert_eq!(Account::staff_field(), Some("moderator"));
    let account = Account { id: 1, login: "mo".into(), password: String::new(), moderator: true };
    assert!(account.is_staff());
    assert!(<Account as hangar::rest::RestModel>::rest().model_permissions);
}
