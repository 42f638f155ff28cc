#[derive(hangar::UserModel)]
pub enum Account {
    Admin,
}

fn main() {}
