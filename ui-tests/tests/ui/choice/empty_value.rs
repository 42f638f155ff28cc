#[derive(hangar::Choice)]
pub enum Stock {
    InStock,
    #[choice(value = "")]
    Unknown,
}
fn main() {}
