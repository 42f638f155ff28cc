use hangar_ui_tests::product;

pub enum Stock {
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
    pub restock: Option<String>,
    #[model(max_digits = 8, decimal_places = 2)]
    pub price: bigdecimal::BigDecimal,
    pub listed: chrono::DateTime<chrono::Utc>,
}
fn main() {}
