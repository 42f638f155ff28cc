use bigdecimal::BigDecimal;
use hangar_ui_tests::product;

#[derive(hangar::Model)]
#[diesel(table_name = product)]
pub struct Product {
    pub id: i32,
    pub name: String,
    pub stock: String,
    pub restock: Option<String>,
    #[model(max_digits = 4, decimal_places = 6)]
    pub price: BigDecimal,
    pub listed: chrono::DateTime<chrono::Utc>,
}
fn main() {}
