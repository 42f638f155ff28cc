#[derive(hangar::Choice)]
pub enum Stock {
    #[choice(valeu = "available")]
    InStock,
    SoldOut,
}
fn main() {}
