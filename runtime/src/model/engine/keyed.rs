//! Rows as a whole: loading them by key, saving them, and showing them as
//! JSON or as a line of text.

use diesel::{QueryDsl, QueryResult};
use serde_json::{Map, Value as Json};

use super::{by_keys, Data, FieldMeta, Model, ModelMeta, Value};
use crate::db::AnyConnection;

/// The rows of `M` whose primary keys are `keys`, in no particular order.
pub fn load_by_keys<M: Model>(conn: &mut AnyConnection, keys: &[Value]) -> QueryResult<Vec<M>> {
    let predicate = by_keys::<M>(keys, conn.dialect())?;
    M::load(M::all().filter(predicate), conn)
}

/// Inserts `data` as a new row of `M`, or updates `existing` with it, and
/// returns the row's primary key.
pub fn save<M: Model>(conn: &mut AnyConnection, data: &Data, existing: Option<&M>) -> QueryResult<Value> {
    match existing {
        None => super::insert::<M>(conn, data.values()),
        Some(obj) => {
            let pk = obj.pk();
            let predicate = by_keys::<M>(std::slice::from_ref(&pk), conn.dialect())?;
            super::update::<M>(conn, &predicate, data.values())?;
            Ok(pk)
        }
    }
}

/// `fields` of `row` as a JSON object, each under its field name: numbers,
/// booleans, strings, ISO 8601 dates and `null`.
pub fn row_json<'f, M: Model>(row: &M, fields: impl IntoIterator<Item = &'f FieldMeta>) -> Map<String, Json> {
    fields.into_iter().map(|f| (f.name.to_owned(), row.value(f.name).unwrap_or(Value::Null).to_json())).collect()
}

/// The row as one line of text for people, as Django's `str(obj)`: the
/// field `#[model(display = field)]` names, else "<verbose name> <key>".
pub fn display<M: Model>(row: &M) -> String {
    let meta = M::meta();
    display_line(meta, &row.pk(), meta.display.and_then(|field| row.value(field)).as_ref())
}

/// The display line of the row of `meta` with key `pk` whose display field
/// holds `shown`.
pub(crate) fn display_line(meta: &ModelMeta, pk: &Value, shown: Option<&Value>) -> String {
    match shown {
        Some(value) if !value.is_null() => value.to_string(),
        _ => format!("{} {}", meta.verbose_name, pk),
    }
}
