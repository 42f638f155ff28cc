#[derive(hangar::Choice)]
pub enum Stock {
    InStock,
    Backorder { days: u32 },
}
fn main() {}
