//! A row shown for people: as JSON, or as one line of text.

use serde_json::{Map, Value as Json};

use super::{FieldMeta, Model, ModelMeta, Value};

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
