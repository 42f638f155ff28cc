//! A choice field and a nullable one: the enum's values in the model's
//! description, and its conversions to and from `Value`.

use hangar::model::{ChoiceMeta, SqlKind, Value};
use hangar::{Choice as _, Model as _};
use hangar_ui_tests::product;

#[derive(Debug, Clone, Copy, PartialEq, Eq, hangar::Choice)]
pub enum Stock {
    InStock,
    #[choice(label = "Ordered, not yet here")]
    Backorder,
    #[choice(value = "gone", label = "Sold out")]
    SoldOut,
}

#[derive(hangar::Model)]
#[diesel(table_name = product)]
pub struct Product {
    pub id: i32,
    pub name: String,
    #[model(choices)]
    pub stock: Stock,
    #[model(choices, verbose_name = "Stock after the next delivery")]
    pub restock: Option<Stock>,
    #[model(max_digits = 8, decimal_places = 2)]
    pub price: bigdecimal::BigDecimal,
    pub listed: chrono::DateTime<chrono::Utc>,
}

fn main() {
    let expected = [
        ChoiceMeta { value: "in_stock", label: "In stock" },
        ChoiceMeta { value: "backorder", label: "Ordered, not yet here" },
        ChoiceMeta { value: "gone", label: "Sold out" },
    ];
    assert_eq!(Stock::CHOICES, expected);
    let meta = Product::meta();
    let stock = meta.field("stock").expect("stock is a field");
    assert_eq!((stock.kind, stock.nullable, stock.choices), (SqlKind::Text, false, &expected[..]));
    let restock = meta.field("restock").expect("restock is a field");
    assert_eq!((restock.nullable, restock.choices), (true, &expected[..]));
    assert_eq!(meta.field("name").map(|f| f.choices), Some(&[][..]));

    let product = Product {
        id: 1,
        name: "kettle".into(),
        stock: Stock::SoldOut,
        restock: None,
        price: "12.50".parse().expect("a decimal"),
        listed: chrono::DateTime::UNIX_EPOCH,
    };
    assert_eq!(product.value("stock"), Some(Value::Text("gone".into())));
    assert_eq!(product.value("restock"), Some(Value::Null));
    assert_eq!(Value::from(Some(Stock::Backorder)), Value::Text("backorder".into()));
    assert_eq!(Stock::try_from(&Value::Text("in_stock".into())), Ok(Stock::InStock));
    assert_eq!(Stock::from_str_value("sold_out"), None, "its value is `gone`");
}
