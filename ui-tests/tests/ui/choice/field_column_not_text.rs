diesel::table! {
    shelf (id) {
        id -> Integer,
        stock -> Integer,
    }
}

#[derive(hangar::Choice)]
pub enum Stock {
    InStock,
    SoldOut,
}

#[derive(hangar::Model)]
#[diesel(table_name = shelf)]
pub struct Shelf {
    pub id: i32,
    #[model(choices)]
    pub stock: Stock,
}
fn main() {}
