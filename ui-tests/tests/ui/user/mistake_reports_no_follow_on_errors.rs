// A mistake in #[user(...)] is the only error: the model still works as a
// user model for the guards and `Auth`, so nothing else is reported.
use hangar::auth::{Auth, LoginRequired};

diesel::table! {
    accounts (id) {
        id -> Integer,
        login -> Text,
        password -> Text,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::UserModel)]
#[diesel(table_name = accounts)]
#[user(usrname = login)]
pub struct Account {
    pub id: i32,
    pub login: String,
    pub password: String,
}

#[rocket::get("/private")]
fn private(account: LoginRequired<'_, Account>) -> String {
    account.login.clone()
}

fn main() {
    let app = Auth::<Account>::new().mount(rocket::build().mount("/", rocket::routes![private]));
    drop(app);
}
