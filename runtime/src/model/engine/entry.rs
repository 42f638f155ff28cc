//! What can be done to a registered model's rows without knowing its type:
//! load some of their values, find rows by a field, delete them, and clear
//! a foreign key, each in statements of at most 500 keys.

use super::execute::load_values;
use super::expr::one_of;
use super::write::{delete_where, update_where};
use crate::db::AnyConnection;
use crate::model::show::display_line;
use crate::model::{FieldMeta, ModelEntry, Value};
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
    /// The display line (see [`display`](fn@crate::model::display)).
    pub display: String,
}

impl ModelEntry {
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
