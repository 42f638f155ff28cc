use chrono::{DateTime, FixedOffset};
use hangar_ui_tests::product;

#[derive(hangar::Model)]
#[diesel(table_name = product)]
pub struct Product {
    pub id: i32,
    pub name: String,
    pub stock: String,
    pub restock: Option<String>,
    #[model(max_digits = 8, decimal_places = 2)]
    pub price: bigdecimal::BigDecimal,
    pub listed: DateTime<FixedOffset>,
}
fn main() {}
