#[derive(hangar::Choice)]
pub enum Stock {
    #[choice(label = "In stock")]
    #[choice(label = "Available")]
    InStock,
    SoldOut,
}
fn main() {}
