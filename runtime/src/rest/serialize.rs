//! Rows written as the API's JSON: each row's shown fields, with each
//! included relation nested through the related resource, written straight
//! into text on the thread that read the rows. No `serde_json::Value` tree
//! is built for a list: it cost more than reading the rows did.

use std::ops::Range;

use super::config::RestModel;
use super::reply::JsonText;
use super::resource::Resource;
use crate::auth::Caller;
use crate::db::AnyConnection;
use crate::model::{load_by_keys, push_json_str, FieldMeta, Model, RelationMeta, Value};
use crate::Error;

/// Related rows written as JSON objects in one text, each with its key.
#[derive(Debug, Default)]
pub(crate) struct Nested {
    text: String,
    objects: Vec<(Value, Range<usize>)>,
}

impl Nested {
    /// The object of the row with this key.
    fn find(&self, key: &Value) -> Option<&str> {
        let (_, range) = self.objects.iter().find(|(k, _)| same_key(k, key))?;
        self.text.get(range.clone())
    }
}

/// The related rows with these keys, written through their resource.
pub(crate) type SerializeKeys = fn(&mut AnyConnection, &Caller, &[Value]) -> Result<Nested, Error>;

/// Whether a foreign key's value and a primary key's are the same key,
/// also when one column is wider than the other (`INTEGER` and `BIGINT`).
fn same_key(a: &Value, b: &Value) -> bool {
    let wide = |v: &Value| match v {
        Value::SmallInt(i) => Some(i64::from(*i)),
        Value::Integer(i) => Some(i64::from(*i)),
        Value::BigInt(i) => Some(*i),
        _ => None,
    };
    match (wide(a), wide(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// The row's foreign key of `relation`, unless it is null.
fn key_of<M: Model>(row: &M, relation: &RelationMeta) -> Option<Value> {
    row.value(relation.field).filter(|v| !v.is_null())
}

/// What one key of a written object holds.
enum Member<'a> {
    Field(&'static FieldMeta),
    /// An included relation, in place of a field of its name or after the fields.
    Included(&'a RelationMeta, &'a Nested),
}

/// Writes `rows` into `out` as JSON objects separated by commas, with `R`'s
/// shown fields and each included relation nested, and returns where each
/// object is. Each included relation costs one query for all the rows.
pub(crate) fn write_objects<R: Resource>(
    conn: &mut AnyConnection,
    caller: &Caller,
    rows: &[R::Model],
    out: &mut String,
) -> Result<Vec<Range<usize>>, Error> {
    let meta = R::Model::meta();
    let config = R::Model::rest();
    let mut included: Vec<(&RelationMeta, Nested)> = Vec::new();
    for include in R::Model::includes() {
        let Some(relation) = meta.relation(include.relation) else {
            continue;
        };
        let mut keys: Vec<Value> = Vec::new();
        for key in rows.iter().filter_map(|row| key_of(row, relation)) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let nested =
            if keys.is_empty() { Nested::default() } else { (include.resource.serialize_keys)(conn, caller, &keys)? };
        included.push((relation, nested));
    }

    // The keys in order, as an object map would hold them: an included
    // relation named as a shown field takes that field's place.
    let relation_named = |name: &str| included.iter().find(|(r, _)| r.name == name);
    let mut members: Vec<Member<'_>> = config
        .shown_fields(meta)
        .map(|f| relation_named(f.name).map_or(Member::Field(f), |(r, n)| Member::Included(r, n)))
        .collect();
    for (relation, nested) in &included {
        if !config.shown_fields(meta).any(|f| f.name == relation.name) {
            members.push(Member::Included(relation, nested));
        }
    }

    let mut ranges = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let start = out.len();
        out.push('{');
        for (j, member) in members.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            match member {
                Member::Field(field) => {
                    push_json_str(out, field.name);
                    out.push(':');
                    row.value(field.name).unwrap_or(Value::Null).write_json(out);
                }
                Member::Included(relation, nested) => {
                    push_json_str(out, relation.name);
                    out.push(':');
                    let object = key_of(row, relation).and_then(|key| nested.find(&key));
                    out.push_str(object.unwrap_or("null"));
                }
            }
        }
        out.push('}');
        ranges.push(start..out.len());
    }
    Ok(ranges)
}

/// One row written as `R` shows it.
pub(crate) fn write_one<R: Resource>(
    conn: &mut AnyConnection,
    caller: &Caller,
    row: &R::Model,
) -> Result<JsonText, Error> {
    let mut out = String::with_capacity(256);
    write_objects::<R>(conn, caller, std::slice::from_ref(row), &mut out)?;
    Ok(JsonText(out))
}

/// The rows of `R` with these keys, written for a relation that includes them.
pub(crate) fn serialize_keys<R: Resource>(
    conn: &mut AnyConnection,
    caller: &Caller,
    keys: &[Value],
) -> Result<Nested, Error> {
    let rows = load_by_keys::<R::Model>(conn, keys)?;
    let mut text = String::with_capacity(128 * rows.len());
    let ranges = write_objects::<R>(conn, caller, &rows, &mut text)?;
    Ok(Nested { text, objects: rows.iter().map(Model::pk).zip(ranges).collect() })
}
