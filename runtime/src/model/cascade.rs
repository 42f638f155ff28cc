//! Deleting a row with the rows that depend on it, across every model the
//! program defines.
//!
//! A model knows the models it points at, but not the ones that point at it.
//! `derive(Model)` registers each model at link time, so a delete can find
//! every foreign key that refers to a row, whichever crate declares it.

use std::collections::HashSet;

use super::{BoxedQuery, Model, ModelMeta, Value};
use crate::db::AnyConnection;
use crate::query::{column_predicate, Predicate, Test};
use crate::Error;

/// An operation on the rows of one model whose field is one of some values.
type RowsWhere<T> = fn(&mut AnyConnection, &str, &[Value]) -> Result<T, Error>;

/// What a delete needs to know of one model, without knowing its type.
#[derive(Debug)]
pub struct ModelEntry {
    meta: fn() -> &'static ModelMeta,
    keys_where: RowsWhere<Vec<Value>>,
    delete_where: RowsWhere<usize>,
    nullify_where: RowsWhere<usize>,
}

inventory::collect!(ModelEntry);

impl ModelEntry {
    /// The entry for `M`; `derive(Model)` submits one per model.
    pub const fn of<M: Model>() -> Self {
        ModelEntry {
            meta: M::meta,
            keys_where: keys_where::<M>,
            delete_where: delete_where::<M>,
            nullify_where: nullify_where::<M>,
        }
    }
}

/// The rows of `M` whose `field` is one of `values`.
pub(crate) fn rows_where<M: Model>(
    field: &str,
    values: &[Value],
    conn: &AnyConnection,
) -> Result<Predicate<M::Table>, Error> {
    let column =
        M::column(field).ok_or_else(|| Error::BadRequest(format!("`{}` has no field `{field}`", M::meta().slug)))?;
    Ok(column_predicate(column, &[Test::In(values.to_vec())], conn.dialect())?)
}

fn keys_where<M: Model>(conn: &mut AnyConnection, field: &str, values: &[Value]) -> Result<Vec<Value>, Error> {
    use diesel::QueryDsl;
    let query: BoxedQuery<M> = M::all().filter(rows_where::<M>(field, values, conn)?);
    Ok(M::load(query, conn)?.iter().map(Model::pk).collect())
}

fn delete_where<M: Model>(conn: &mut AnyConnection, field: &str, values: &[Value]) -> Result<usize, Error> {
    let predicate = rows_where::<M>(field, values, conn)?;
    Ok(super::write::delete::<M>(conn, predicate)?)
}

fn nullify_where<M: Model>(conn: &mut AnyConnection, field: &str, values: &[Value]) -> Result<usize, Error> {
    let meta = M::meta().field(field).ok_or_else(|| Error::BadRequest(format!("no field `{field}`")))?;
    let predicate = rows_where::<M>(field, values, conn)?;
    Ok(super::write::update::<M>(conn, predicate, &[(meta, Value::Null)])?)
}

fn entry_of(meta: &'static ModelMeta) -> Option<&'static ModelEntry> {
    inventory::iter::<ModelEntry>.into_iter().find(|e| std::ptr::eq((e.meta)(), meta))
}

/// Deletes the rows of `M` whose primary keys are `keys`, first deleting
/// every row whose non-null foreign key points at one of them (and so on
/// down), and setting nullable foreign keys that point at them to NULL.
/// Returns how many rows of `M` were deleted. Run it in a transaction.
pub fn delete_with_dependents<M: Model>(conn: &mut AnyConnection, keys: &[Value]) -> Result<usize, Error> {
    let mut seen = HashSet::new();
    delete_tree(conn, M::meta(), &ModelEntry::of::<M>(), keys, &mut seen)
}

fn delete_tree(
    conn: &mut AnyConnection,
    meta: &'static ModelMeta,
    entry: &ModelEntry,
    keys: &[Value],
    seen: &mut HashSet<(&'static str, String)>,
) -> Result<usize, Error> {
    // A row already on its way out (a cycle of foreign keys) is not visited twice.
    let keys: Vec<Value> = keys.iter().filter(|k| seen.insert((meta.name, k.to_string()))).cloned().collect();
    if keys.is_empty() {
        return Ok(0);
    }
    for child in inventory::iter::<ModelEntry> {
        let child_meta = (child.meta)();
        for relation in child_meta.relations.iter().filter(|r| std::ptr::eq((r.target)(), meta)) {
            if relation.nullable {
                (child.nullify_where)(conn, relation.field, &keys)?;
            } else {
                let child_keys = (child.keys_where)(conn, relation.field, &keys)?;
                let child_entry = entry_of(child_meta).unwrap_or(child);
                delete_tree(conn, child_meta, child_entry, &child_keys, seen)?;
            }
        }
    }
    (entry.delete_where)(conn, meta.primary_key.name, &keys)
}
