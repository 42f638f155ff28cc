#[rocket::launch]
fn launch() -> _ {
    notes::rocket()
}
