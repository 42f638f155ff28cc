#[derive(hangar::Choice)]
#[choice(label = "Stock")]
pub enum Stock {
    InStock,
    SoldOut,
}
fn main() {}
