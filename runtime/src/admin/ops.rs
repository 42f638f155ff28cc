//! What the admin does with one registered model admin, reached through a
//! table of function pointers so that pages can call into other models'
//! admins (a picker's choices, the dashboard's counts) without their types.

use diesel::QueryDsl;

use super::inline::{child_row, children_in, ChildRow, ScopedChildren};
use super::model_admin::{allows, ModelAdmin};
use crate::auth::{Caller, Permission};
use crate::db::AnyConnection;
use crate::forms::FormErrors;
use crate::model::{display, load_by_keys, Condition, Data, Lookup, Model, ModelMeta, Value};
use crate::query::OrderBy;
use crate::Error;

/// One registered admin's operations, with its types erased.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AdminOps {
    pub(crate) meta: fn() -> &'static ModelMeta,
    /// May the caller do this with the model's rows, model-wide (not one
    /// row)? The admin's [`allows`].
    pub(crate) allows: fn(&Caller, Permission) -> bool,
    pub(crate) count: fn(&mut AnyConnection, &Caller) -> Result<i64, Error>,
    pub(crate) choose: Choose,
    /// The rows whose foreign key is a parent's, among those the admin
    /// shows: `(conn, caller, fk, parent key, ordering)`.
    pub(crate) children: ScopedChildren,
    /// Writes a row through the admin's hooks, as its own form does: an
    /// inline row of this model.
    pub(crate) save_row: SaveRow,
}

/// Writes a row through an admin's hooks (`validate`, `before_save`,
/// `save_model`, `after_save`): `(conn, caller, data, key of the row
/// changed)` → the row as saved, or the errors `validate` found.
pub(crate) type SaveRow =
    fn(&mut AnyConnection, &Caller, Data, Option<&Value>) -> Result<Result<ChildRow, FormErrors>, Error>;

/// Rows to pick from, for a picker or a select: `(conn, caller, field
/// searched, text, offset, limit)`
/// → each row's key and label, at most `limit` of them.
pub(crate) type Choose =
    fn(&mut AnyConnection, &Caller, Option<&'static str>, &str, u64, u64) -> Result<Vec<(Value, String)>, Error>;

impl AdminOps {
    pub(crate) fn of<A: ModelAdmin>() -> Self {
        AdminOps {
            meta: A::Model::meta,
            allows: allows::<A>,
            count: count::<A>,
            choose: choose::<A>,
            children: children::<A>,
            save_row: save_row::<A>,
        }
    }

    /// Whether the caller may see this model at all: any of the four
    /// permissions, as Django's index and sidebar show a model.
    pub(crate) fn visible(&self, caller: &Caller) -> bool {
        Permission::ALL.into_iter().any(|p| (self.allows)(caller, p))
    }
}

fn children<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    fk: &'static str,
    parent: &Value,
    ordering: &[&str],
) -> Result<Vec<ChildRow>, Error> {
    children_in::<A::Model>(A::get_query(caller), conn, fk, parent, ordering)
}

fn save_row<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    mut data: Data,
    pk: Option<&Value>,
) -> Result<Result<ChildRow, FormErrors>, Error> {
    let existing = match pk {
        Some(pk) => Some(load_by_keys::<A::Model>(conn, std::slice::from_ref(pk))?.pop().ok_or(Error::NotFound)?),
        None => None,
    };
    if let Err(errors) = A::validate(caller, &data, existing.as_ref()) {
        return Ok(Err(errors));
    }
    A::before_save(caller, &mut data, existing.as_ref())?;
    let key = A::save_model(conn, caller, &data, existing.as_ref())?;
    A::after_save(conn, caller, &key, existing.is_none())?;
    let saved = load_by_keys::<A::Model>(conn, std::slice::from_ref(&key))?.pop().ok_or(Error::NotFound)?;
    Ok(Ok(child_row(&saved)))
}

fn count<A: ModelAdmin>(conn: &mut AnyConnection, caller: &Caller) -> Result<i64, Error> {
    Ok(A::Model::count(A::get_query(caller), conn)?)
}

/// The rows of `A` a picker offers: `field` containing `text` (any row when
/// `text` is empty), ordered by `field` then key, labelled by `field` or
/// the display line.
fn choose<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    field: Option<&'static str>,
    text: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<(Value, String)>, Error> {
    let meta = A::Model::meta();
    let mut query = A::get_query(caller);
    let field = field.and_then(|f| meta.field(f));
    if let Some(field) = field.filter(|_| !text.trim().is_empty()) {
        let pattern = format!("%{}%", crate::query::escape_like(text.trim()));
        let lookup = Lookup::new(field.name, vec![Condition::Like { pattern, case_sensitive: false }]);
        query = query.filter(crate::model::predicate::<A::Model>(&[], &lookup, conn.dialect())?);
    }
    let order = field.map_or(meta.primary_key.name, |f| f.name);
    let mut query = OrderBy::field(order, false).apply::<A::Model>(query)?;
    if order != meta.primary_key.name {
        query = OrderBy::field(meta.primary_key.name, false).apply::<A::Model>(query)?;
    }
    let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let rows = A::Model::load(query.offset(clamp(offset)).limit(clamp(limit)), conn)?;
    Ok(rows
        .iter()
        .map(|row| {
            let label = field.and_then(|f| row.value(f.name)).filter(|v| !v.is_null()).map(|v| v.to_string());
            (row.pk(), label.unwrap_or_else(|| display(row)))
        })
        .collect())
}
