//! Every model the program defines, registered at link time by
//! `derive(Model)`, with what can be done to its rows without knowing its
//! type: find, load, delete, and clear a foreign key. A delete follows the
//! foreign keys that point at a row through it; the admin loads related
//! rows through it.

use super::expr::one_of;
use super::rows::display_line;
use super::run::load_values;
use super::write::{delete_where, update_where};
use super::{FieldMeta, Model, ModelMeta, Value};
use crate::db::AnyConnection;
use crate::Error;

/// How many keys one statement names: `pk IN (?, ...)` stays well under
/// every backend's limit on parameters.
const KEYS_PER_STATEMENT: usize = 500;

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

/// One model, and what can be done to its rows without its type. Each
/// operation is written from the names in its [`ModelMeta`], so its code is
/// compiled once for all models.
#[derive(Debug, Clone, Copy)]
pub struct ModelEntry {
    pub(crate) meta: fn() -> &'static ModelMeta,
}

inventory::collect!(ModelEntry);

impl ModelEntry {
    /// The entry for `M`; `derive(Model)` submits one per model.
    pub const fn of<M: Model>() -> Self {
        ModelEntry { meta: M::meta }
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
        let meta = self.meta();
        let wanted: Vec<Option<&'static FieldMeta>> = fields.iter().map(|f| meta.field(f)).collect();
        let mut selected = vec![meta.primary_key];
        selected.extend(wanted.iter().flatten());
        let shown = meta.display.and_then(|f| meta.field(f));
        selected.extend(shown);
        let mut rows = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let condition = one_of(meta, meta.primary_key.name, chunk, conn.dialect())?;
            for values in load_values(conn, meta, &selected, &condition)? {
                let display = display_line(meta, &values[0], shown.and_then(|_| values.last()));
                let mut values = values.into_iter();
                let pk = values.next().unwrap_or(Value::Null);
                let values = wanted.iter().map(|w| w.and_then(|_| values.next()).unwrap_or(Value::Null)).collect();
                rows.push(RowValues { pk, values, display });
            }
        }
        Ok(rows)
    }

    /// Each row whose `field` is one of `values`: its key, and its display
    /// line when asked for.
    pub(crate) fn rows_where(
        &self,
        conn: &mut AnyConnection,
        field: &str,
        values: &[Value],
        with_display: bool,
    ) -> Result<Vec<(Value, Option<String>)>, Error> {
        let meta = self.meta();
        let mut selected = vec![meta.primary_key];
        let shown = meta.display.and_then(|f| meta.field(f)).filter(|_| with_display);
        selected.extend(shown);
        let mut rows = Vec::new();
        for chunk in values.chunks(KEYS_PER_STATEMENT) {
            let condition = one_of(meta, field, chunk, conn.dialect())?;
            for values in load_values(conn, meta, &selected, &condition)? {
                let display = with_display.then(|| display_line(meta, &values[0], shown.and_then(|_| values.last())));
                rows.extend(values.into_iter().next().map(|pk| (pk, display)));
            }
        }
        Ok(rows)
    }

    /// Deletes the rows with these keys.
    pub(crate) fn delete_keys(&self, conn: &mut AnyConnection, keys: &[Value]) -> Result<usize, Error> {
        let meta = self.meta();
        let mut deleted = 0;
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let condition = one_of(meta, meta.primary_key.name, chunk, conn.dialect())?;
            deleted += delete_where(conn, meta, &condition)?;
        }
        Ok(deleted)
    }

    /// Sets `field` to NULL in the rows with these keys.
    pub(crate) fn nullify_keys(&self, conn: &mut AnyConnection, field: &str, keys: &[Value]) -> Result<usize, Error> {
        let meta = self.meta();
        let field = meta.field(field).ok_or_else(|| Error::BadRequest(format!("no field `{field}`")))?;
        let mut changed = 0;
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let condition = one_of(meta, meta.primary_key.name, chunk, conn.dialect())?;
            changed += update_where(conn, meta, &condition, &[(field, Value::Null)])?;
        }
        Ok(changed)
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
