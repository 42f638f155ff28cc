#[derive(hangar::Choice)]
pub enum Stock {
    #[choice(value = in_stock)]
    InStock,
    SoldOut,
}
fn main() {}
