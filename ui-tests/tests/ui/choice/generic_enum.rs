#[derive(hangar::Choice)]
pub enum Stock<const SHELF: usize> {
    InStock,
    SoldOut,
}
fn main() {}
