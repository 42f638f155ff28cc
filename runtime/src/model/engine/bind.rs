//! Binding a value as a statement parameter, the same way on every backend.

use diesel::query_builder::AstPass;
use diesel::result::Error as DieselError;
use diesel::sql_types::{BigInt, Bool, Date, Double, Float, Integer, Nullable, SmallInt, Text, Time, Timestamp};
use diesel::QueryResult;

use crate::db::MultiBackend;
use crate::model::{SqlKind, Value};

/// Whether the statement is being built for MySQL or MariaDB.
fn is_mysql(out: &AstPass<'_, '_, MultiBackend>) -> bool {
    #[cfg(feature = "mysql")]
    {
        matches!(out.backend(), MultiBackend::Mysql(_))
    }
    #[cfg(not(feature = "mysql"))]
    {
        let _ = out;
        false
    }
}

/// Binds `value` as a parameter of SQL type `kind`.
///
/// On MariaDB a timestamp is written as `CAST('…' AS DATETIME(6))`: Diesel
/// binds `Timestamp` as MySQL's `TIMESTAMP` type, which holds only 1970 to
/// 2038 and turns any other value into NULL, where `DATETIME` holds the years
/// 1 to 9999, as the other backends do. The text is hangar's own formatting
/// of the value (digits, `-`, `:`, `.` and a space), never the request's.
pub(crate) fn bind<'b>(out: &mut AstPass<'_, 'b, MultiBackend>, kind: SqlKind, value: &'b Value) -> QueryResult<()> {
    match (kind, value) {
        (SqlKind::Timestamp, Value::Timestamp(v)) if is_mysql(out) => {
            out.push_sql(&format!("CAST('{}' AS DATETIME(6))", v.format("%Y-%m-%d %H:%M:%S%.6f")));
            Ok(())
        }
        (SqlKind::SmallInt, Value::SmallInt(v)) => out.push_bind_param::<SmallInt, _>(v),
        (SqlKind::Integer, Value::Integer(v)) => out.push_bind_param::<Integer, _>(v),
        (SqlKind::BigInt, Value::BigInt(v)) => out.push_bind_param::<BigInt, _>(v),
        (SqlKind::Float, Value::Float(v)) => out.push_bind_param::<Float, _>(v),
        (SqlKind::Double, Value::Double(v)) => out.push_bind_param::<Double, _>(v),
        (SqlKind::Text, Value::Text(v)) => out.push_bind_param::<Text, _>(v),
        (SqlKind::Bool, Value::Bool(v)) => out.push_bind_param::<Bool, _>(v),
        (SqlKind::Date, Value::Date(v)) => out.push_bind_param::<Date, _>(v),
        (SqlKind::Time, Value::Time(v)) => out.push_bind_param::<Time, _>(v),
        (SqlKind::Timestamp, Value::Timestamp(v)) => out.push_bind_param::<Timestamp, _>(v),
        (SqlKind::SmallInt, Value::Null) => out.push_bind_param::<Nullable<SmallInt>, Option<i16>>(&None),
        (SqlKind::Integer, Value::Null) => out.push_bind_param::<Nullable<Integer>, Option<i32>>(&None),
        (SqlKind::BigInt, Value::Null) => out.push_bind_param::<Nullable<BigInt>, Option<i64>>(&None),
        (SqlKind::Float, Value::Null) => out.push_bind_param::<Nullable<Float>, Option<f32>>(&None),
        (SqlKind::Double, Value::Null) => out.push_bind_param::<Nullable<Double>, Option<f64>>(&None),
        (SqlKind::Text, Value::Null) => out.push_bind_param::<Nullable<Text>, Option<String>>(&None),
        (SqlKind::Bool, Value::Null) => out.push_bind_param::<Nullable<Bool>, Option<bool>>(&None),
        (SqlKind::Date, Value::Null) => out.push_bind_param::<Nullable<Date>, Option<chrono::NaiveDate>>(&None),
        (SqlKind::Time, Value::Null) => out.push_bind_param::<Nullable<Time>, Option<chrono::NaiveTime>>(&None),
        (SqlKind::Timestamp, Value::Null) => {
            out.push_bind_param::<Nullable<Timestamp>, Option<chrono::NaiveDateTime>>(&None)
        }
        (kind, value) => Err(DieselError::QueryBuilderError(
            format!("the value `{value}` cannot be bound as {}", kind.describe()).into(),
        )),
    }
}
