#[derive(hangar::UserModel)]
pub struct Account {
    pub id: i32,
    pub username: String,
    pub password: String,
}

fn main() {}
