//! Every model the program defines, registered at link time by
//! `derive(Model)`, with what can be done to its rows without knowing its
//! type: find, load, delete, and clear a foreign key. A delete follows the
//! foreign keys that point at a row through it; the admin loads related
//! rows through it.

use diesel::QueryDsl;

use super::{by_keys, display, rows_where, Model, ModelMeta, Value};
use crate::db::AnyConnection;
use crate::Error;

/// How many keys one statement names: `pk IN (?, ...)` stays well under
/// every backend's limit on parameters.
const KEYS_PER_STATEMENT: usize = 500;

/// Each row of a model whose `field` is one of `values`: its key, and its
/// display line when asked for.
type RowsWhere = fn(&mut AnyConnection, &str, &[Value], bool) -> Result<Vec<(Value, Option<String>)>, Error>;
/// Deletes the rows of a model with these keys.
type DeleteKeys = fn(&mut AnyConnection, &[Value]) -> Result<usize, Error>;
/// Sets `field` to NULL in the rows of a model with these keys.
type NullifyKeys = fn(&mut AnyConnection, &str, &[Value]) -> Result<usize, Error>;
/// The rows of a model with these keys: each key, the values of `fields`,
/// and the display line.
type ValuesByKeys = fn(&mut AnyConnection, &[Value], &[&str]) -> Result<Vec<RowValues>, Error>;

/// One row's key, some of its values, and its display line.
#[derive(Debug, Clone, PartialEq)]
pub struct RowValues {
    /// The primary key.
    pub pk: Value,
    /// The values asked for, in order (`Null` for a name that is no field).
    pub values: Vec<Value>,
    /// The display line (see [`display`](super::display)).
    pub display: String,
}

/// One model's operations, without its type.
#[derive(Debug, Clone, Copy)]
pub struct ModelEntry {
    pub(crate) meta: fn() -> &'static ModelMeta,
    pub(crate) rows_where: RowsWhere,
    pub(crate) delete_keys: DeleteKeys,
    pub(crate) nullify_keys: NullifyKeys,
    values_by_keys: ValuesByKeys,
}

inventory::collect!(ModelEntry);

impl ModelEntry {
    /// The entry for `M`; `derive(Model)` submits one per model.
    pub const fn of<M: Model>() -> Self {
        ModelEntry {
            meta: M::meta,
            rows_where: rows_where_erased::<M>,
            delete_keys: delete_keys::<M>,
            nullify_keys: nullify_keys::<M>,
            values_by_keys: values_by_keys::<M>,
        }
    }

    /// The registered entry of the model `meta` describes.
    pub fn find(meta: &'static ModelMeta) -> Option<&'static ModelEntry> {
        inventory::iter::<ModelEntry>.into_iter().find(|e| std::ptr::eq((e.meta)(), meta))
    }

    /// The model's description.
    pub fn meta(&self) -> &'static ModelMeta {
        (self.meta)()
    }

    /// The rows with primary keys `keys`, with the values of `fields`: one
    /// query for every 500 keys.
    pub fn values_by_keys(
        &self,
        conn: &mut AnyConnection,
        keys: &[Value],
        fields: &[&str],
    ) -> Result<Vec<RowValues>, Error> {
        (self.values_by_keys)(conn, keys, fields)
    }
}

/// The name of the field that maps `column` (of `table`, when known), in
/// any model the program defines.
pub fn field_of_column(table: Option<&str>, column: &str) -> Option<&'static str> {
    inventory::iter::<ModelEntry>
        .into_iter()
        .map(|entry| (entry.meta)())
        .filter(|meta| table.is_none_or(|t| meta.table == t))
        .find_map(|meta| meta.fields.iter().find(|f| f.column == column).map(|f| f.name))
}

fn rows_where_erased<M: Model>(
    conn: &mut AnyConnection,
    field: &str,
    values: &[Value],
    with_display: bool,
) -> Result<Vec<(Value, Option<String>)>, Error> {
    let mut rows = Vec::new();
    for chunk in values.chunks(KEYS_PER_STATEMENT) {
        let predicate = rows_where::<M>(field, chunk, conn.dialect())?;
        let loaded = M::load(M::all().filter(predicate), conn)?;
        rows.extend(loaded.iter().map(|row| (row.pk(), with_display.then(|| display(row)))));
    }
    Ok(rows)
}

fn values_by_keys<M: Model>(
    conn: &mut AnyConnection,
    keys: &[Value],
    fields: &[&str],
) -> Result<Vec<RowValues>, Error> {
    let mut rows = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        let loaded = M::load(M::all().filter(by_keys::<M>(chunk, conn.dialect())?), conn)?;
        rows.extend(loaded.iter().map(|row| RowValues {
            pk: row.pk(),
            values: fields.iter().map(|f| row.value(f).unwrap_or(Value::Null)).collect(),
            display: display(row),
        }));
    }
    Ok(rows)
}

fn delete_keys<M: Model>(conn: &mut AnyConnection, keys: &[Value]) -> Result<usize, Error> {
    let mut deleted = 0;
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        deleted += super::write::delete::<M>(conn, by_keys::<M>(chunk, conn.dialect())?)?;
    }
    Ok(deleted)
}

fn nullify_keys<M: Model>(conn: &mut AnyConnection, field: &str, keys: &[Value]) -> Result<usize, Error> {
    let meta = M::meta().field(field).ok_or_else(|| Error::BadRequest(format!("no field `{field}`")))?;
    let mut changed = 0;
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        let predicate = by_keys::<M>(chunk, conn.dialect())?;
        changed += super::write::update::<M>(conn, predicate, &[(meta, Value::Null)])?;
    }
    Ok(changed)
}
