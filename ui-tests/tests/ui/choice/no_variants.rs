#[derive(hangar::Choice)]
pub enum Stock {}
fn main() {}
