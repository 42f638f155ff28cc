// `User` here is a model, but not a user model: a guard cannot log it in.
use hangar::auth::LoginRequired;
use hangar_ui_tests::User;

#[rocket::get("/private")]
fn private(user: LoginRequired<'_, User>) -> String {
    format!("{}", user.0.username)
}

fn main() {
    let _ = rocket::routes![private];
}
