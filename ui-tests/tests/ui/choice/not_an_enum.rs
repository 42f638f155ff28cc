#[derive(hangar::Choice)]
pub struct Stock {
    pub value: String,
}
fn main() {}
