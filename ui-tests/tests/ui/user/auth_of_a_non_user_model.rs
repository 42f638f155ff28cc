// `Auth` mounts login for a user model; `User` here is only a model.
use hangar::auth::Auth;
use hangar_ui_tests::User;

fn main() {
    let _ = Auth::<User>::new().mount(rocket::build());
}
