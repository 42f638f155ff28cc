//! An app's own handler beside the generated ones: the products above a
//! price. On PostgreSQL it is an ordinary typed Diesel query on PostgreSQL's
//! own connection, reached with [`AnyConnection::as_postgres`]; the
//! multi-backend connection cannot run queries on `Numeric` or `Uuid`
//! columns. On the other backends the same question goes through hangar's
//! query engine, which reads and binds these types on every backend.

use bigdecimal::BigDecimal;
use diesel::prelude::*;
use hangar::db::{AnyConnection, Database};
use hangar::model::{predicate, Comparison, Condition, Lookup, Model, SqlKind, Value};
use rocket::http::Status;
use rocket::serde::json::Json;
use serde::Serialize;

use crate::Product;

/// The answer: the threshold, and the products above it, dearest first.
#[derive(Debug, Serialize)]
pub struct PriceReport {
    /// The threshold, as given.
    pub above: String,
    /// `(sku, price)` of each product above it.
    pub products: Vec<(String, String)>,
}

/// An error as the API writes one: its status and `{"error": "..."}`.
type Failure = (Status, Json<serde_json::Value>);

fn failure(error: &hangar::Error) -> Failure {
    (error.status(), Json(serde_json::json!({ "error": error.public_message() })))
}

/// `GET /report/prices?above=12.50`.
#[rocket::get("/report/prices?<above>")]
pub async fn prices(db: Database, above: Option<String>) -> Result<Json<PriceReport>, Failure> {
    let text = above.unwrap_or_else(|| "0".to_owned());
    let Some(Value::Numeric(threshold)) = Value::parse(SqlKind::Numeric, &text) else {
        let why = format!("`above` value `{text}` is not a decimal (use 12.50)");
        return Err(failure(&hangar::Error::BadRequest(why)));
    };
    let products = db.run(move |conn| above_price(conn, &threshold)).await.map_err(|e| failure(&e))?;
    let products = products.into_iter().map(|(sku, price)| (sku, price.to_plain_string())).collect();
    Ok(Json(PriceReport { above: text, products }))
}

/// The products dearer than `threshold`, dearest first, then by SKU.
pub fn above_price(
    conn: &mut AnyConnection,
    threshold: &BigDecimal,
) -> Result<Vec<(String, BigDecimal)>, hangar::Error> {
    #[cfg(feature = "postgres")]
    if let Some(pg) = conn.as_postgres() {
        use crate::schema::product;
        return Ok(product::table
            .filter(product::price.gt(threshold))
            .order((product::price.desc(), product::sku.asc()))
            .select((product::sku, product::price))
            .load::<(String, BigDecimal)>(pg)?);
    }
    let above = Lookup::new("price", vec![Condition::Cmp(Comparison::Gt, Value::Numeric(threshold.clone()))]);
    let filter = predicate::<Product>(&[], &above, conn.dialect())?;
    let mut rows: Vec<(String, BigDecimal)> =
        Product::load(Product::all().filter(filter), conn)?.into_iter().map(|p| (p.sku, p.price)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(rows)
}
