#[derive(hangar::Choice)]
pub enum Stock {
    InStock,
    #[choice(value = "in_stock", label = "Available")]
    Available,
}
fn main() {}
