// A mistake in the enum is the only error: it is still a field type, so a
// model with a field of it reports nothing more.
use hangar_ui_tests::product;

#[derive(hangar::Choice)]
pub enum Stock {
    #[choice(value = " ")]
    InStock,
    SoldOut,
}

#[derive(hangar::Model)]
#[diesel(table_name = product)]
pub struct Product {
    pub id: i32,
    pub name: String,
    #[model(choices)]
    pub stock: Stock,
    #[model(choices)]
    pub restock: Option<Stock>,
    #[model(max_digits = 8, decimal_places = 2)]
    pub price: bigdecimal::BigDecimal,
    pub listed: chrono::DateTime<chrono::Utc>,
}
fn main() {}
