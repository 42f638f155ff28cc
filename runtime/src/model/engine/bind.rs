//! Binding a value as a statement parameter, the same way on every backend.

use std::borrow::Cow;

use bigdecimal::BigDecimal;
use diesel::query_builder::AstPass;
use diesel::result::Error as DieselError;
use diesel::sql_types::{
    BigInt, Binary, Bool, Date, Double, Float, Integer, Nullable, SmallInt, Text, Time, Timestamp,
};
use diesel::QueryResult;

use crate::db::{Dialect, MultiBackend};
use crate::model::{canonical_json, FieldMeta, SqlKind, Value};

/// `value` in the form [`bind`] binds for `field`'s column: the types
/// Diesel's multi-backend connection has no binds for (UUIDs, instants,
/// decimals, JSON) become their text, which is bound as text and cast by
/// the backend; every other value is itself. Statements hold their values
/// in this form, so that the text lives as long as the statement and the
/// statement's SQL stays the same whatever the value, as a prepared
/// statement's must.
///
/// - an instant is `YYYY-MM-DD HH:MM:SS.ffffff`, in UTC;
/// - a UUID is hyphenated, in lower case;
/// - a decimal is written with the field's scale, `12.50` for `12.5` in a
///   `NUMERIC(12, 2)`, so that SQLite's text holds what the other backends
///   hold and equal values are equal text;
/// - a JSON document has its keys in order.
pub(crate) fn bound(field: &FieldMeta, value: Value) -> Value {
    let text = match (field.kind, &value) {
        (SqlKind::Timestamptz, Value::Timestamptz(v)) => v.naive_utc().format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
        (SqlKind::Uuid, Value::Uuid(v)) => v.hyphenated().to_string(),
        (SqlKind::Numeric, Value::Numeric(v)) => scaled(v, field),
        (SqlKind::Jsonb, Value::Jsonb(v)) => canonical_json(v).to_string(),
        _ => return value,
    };
    Value::Text(text)
}

/// [`bound`] of a borrowed value, copied only when its form changes.
pub(crate) fn bound_ref<'a>(field: &FieldMeta, value: &'a Value) -> Cow<'a, Value> {
    match field.kind {
        SqlKind::Timestamptz | SqlKind::Uuid | SqlKind::Numeric | SqlKind::Jsonb => {
            Cow::Owned(bound(field, value.clone()))
        }
        _ => Cow::Borrowed(value),
    }
}

/// Binds `value`, in the form [`bound`] gives it, as a parameter for
/// `field`'s column.
///
/// - PostgreSQL: `CAST(? AS UUID)`, `CAST(? AS NUMERIC)`,
///   `CAST(? AS JSONB)`, and `(CAST(? AS TIMESTAMP) AT TIME ZONE 'UTC')`
///   for an instant, whatever the session's time zone.
/// - MariaDB: a timestamp is written as `CAST('…' AS DATETIME(6))`: Diesel
///   binds `Timestamp` as MySQL's `TIMESTAMP` type, which holds only 1970 to
///   2038 and turns any other value into NULL, where `DATETIME` holds the
///   years 1 to 9999, as the other backends do. The text is hangar's own
///   formatting of the value (digits, `-`, `:`, `.` and a space), never the
///   request's. An instant is `CAST(? AS DATETIME(6))`, and a decimal
///   `CAST(? AS DECIMAL(65, s))`, exact where a bare string would be
///   compared as a double.
/// - SQLite: the text as it is.
pub(crate) fn bind<'b>(
    out: &mut AstPass<'_, 'b, MultiBackend>,
    field: &FieldMeta,
    value: &'b Value,
) -> QueryResult<()> {
    let dialect = Dialect::of(out);
    match (field.kind, value) {
        (SqlKind::Timestamp, Value::Timestamp(v)) if dialect == Dialect::Mysql => {
            out.push_sql(&format!("CAST('{}' AS DATETIME(6))", v.format("%Y-%m-%d %H:%M:%S%.6f")));
            Ok(())
        }
        (kind @ (SqlKind::Timestamptz | SqlKind::Uuid | SqlKind::Numeric | SqlKind::Jsonb), Value::Text(text)) => {
            let cast = match (dialect, kind) {
                (Dialect::Postgres, SqlKind::Timestamptz) => " AS TIMESTAMP) AT TIME ZONE 'UTC'".to_owned(),
                (Dialect::Postgres, SqlKind::Uuid) => " AS UUID".to_owned(),
                (Dialect::Postgres, SqlKind::Numeric) => " AS NUMERIC".to_owned(),
                (Dialect::Postgres, _) => " AS JSONB".to_owned(),
                (Dialect::Mysql, SqlKind::Timestamptz) => " AS DATETIME(6)".to_owned(),
                (Dialect::Mysql, SqlKind::Numeric) => {
                    // As many places as the value has; the digits before
                    // the point fit in the rest of MariaDB's 65.
                    let places = text.split_once('.').map_or(0, |(_, fraction)| fraction.len()).min(30);
                    format!(" AS DECIMAL(65, {places})")
                }
                _ => String::new(),
            };
            let instant_on_pg = dialect == Dialect::Postgres && kind == SqlKind::Timestamptz;
            if !cast.is_empty() {
                out.push_sql(if instant_on_pg { "(CAST(" } else { "CAST(" });
            }
            out.push_bind_param::<Text, String>(text)?;
            if !cast.is_empty() {
                out.push_sql(&cast);
                out.push_sql(")");
            }
            Ok(())
        }
        (SqlKind::Binary, Value::Binary(v)) => out.push_bind_param::<Binary, Vec<u8>>(v),
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
        (kind, Value::Null) => bind_null(out, kind, dialect),
        (kind, value) => Err(DieselError::QueryBuilderError(
            format!("the value `{value}` cannot be bound as {}", kind.describe()).into(),
        )),
    }
}

/// `NULL`, typed for a column of `kind`.
fn bind_null(out: &mut AstPass<'_, '_, MultiBackend>, kind: SqlKind, dialect: Dialect) -> QueryResult<()> {
    match kind {
        SqlKind::SmallInt => out.push_bind_param::<Nullable<SmallInt>, Option<i16>>(&None),
        SqlKind::Integer => out.push_bind_param::<Nullable<Integer>, Option<i32>>(&None),
        SqlKind::BigInt => out.push_bind_param::<Nullable<BigInt>, Option<i64>>(&None),
        SqlKind::Float => out.push_bind_param::<Nullable<Float>, Option<f32>>(&None),
        SqlKind::Double => out.push_bind_param::<Nullable<Double>, Option<f64>>(&None),
        SqlKind::Bool => out.push_bind_param::<Nullable<Bool>, Option<bool>>(&None),
        SqlKind::Date => out.push_bind_param::<Nullable<Date>, Option<chrono::NaiveDate>>(&None),
        SqlKind::Time => out.push_bind_param::<Nullable<Time>, Option<chrono::NaiveTime>>(&None),
        SqlKind::Timestamp => out.push_bind_param::<Nullable<Timestamp>, Option<chrono::NaiveDateTime>>(&None),
        SqlKind::Binary => out.push_bind_param::<Nullable<Binary>, Option<Vec<u8>>>(&None),
        SqlKind::Text => out.push_bind_param::<Nullable<Text>, Option<String>>(&None),
        SqlKind::Timestamptz | SqlKind::Uuid | SqlKind::Numeric | SqlKind::Jsonb => {
            let cast = match (dialect, kind) {
                (Dialect::Postgres, SqlKind::Timestamptz) => "TIMESTAMPTZ",
                (Dialect::Postgres, SqlKind::Uuid) => "UUID",
                (Dialect::Postgres, SqlKind::Numeric) => "NUMERIC",
                (Dialect::Postgres, _) => "JSONB",
                _ => {
                    out.push_sql("NULL");
                    return Ok(());
                }
            };
            out.push_sql(&format!("CAST(NULL AS {cast})"));
            Ok(())
        }
    }
}

/// A decimal's text with `field`'s scale: `12.50` for `12.5` in a
/// `NUMERIC(12, 2)`. A value with more places than the field was refused
/// before it got here; one that has them anyway keeps them rather than
/// being rounded.
fn scaled(value: &BigDecimal, field: &FieldMeta) -> String {
    let own = value.normalized().fractional_digit_count().max(0);
    let scale = field.precision.map_or(own, |p| i64::from(p.decimal_places).max(own));
    value.with_scale(scale).to_plain_string()
}
