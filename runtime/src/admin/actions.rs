//! Admin actions, Django's and flask-peewee's: a named operation that a
//! model's list applies to the rows ticked on its page, or to every row its
//! filters and search match, in one transaction.
//!
//! An [`AdminAction`] is a name (what the list's form posts), a label, the
//! permission it needs, an optional confirmation, and a function. The
//! function gets an [`ActionContext`]: it reads the selected rows from it
//! batch by batch ([`ActionContext::next_batch`], at most
//! [`BATCH`] rows each, in key order), so that an action over a whole
//! filtered table holds one batch in memory at a time, and writes through
//! it.
//!
//! # The audit log
//!
//! Every change an action makes is in the audit log, in the action's
//! transaction. The context's write helpers record it:
//! [`update`](ActionContext::update) records a change entry for each row
//! whose values it changes (before and after, from the rows it was given
//! and the values it sets), [`delete`](ActionContext::delete) a delete
//! entry for each row it deletes, and for each row the delete takes with it
//! (deleted, or its foreign key cleared), and [`record`](ActionContext::record)
//! an entry for a write the function made itself through
//! [`conn`](ActionContext::conn). The helpers take rows of any model, so an
//! action on users that deletes their messages records the messages.
//!
//! Snapshotting the selected rows before and after the function, and
//! recording the difference, was the other way: it needs no help from the
//! function, but it reads every selected row twice, and it cannot see the
//! rows of other models that an action changes (the messages of the
//! selected users), whose entries would be missing. The helpers know
//! exactly which rows they write, so their entries are complete and cost
//! no extra reads; the entries wait in the context and go in one multi-row
//! `INSERT` per [`BATCH`].

use std::sync::Arc;

use diesel::QueryDsl;
use serde_json::{Map, Value as Json};

use super::audit::{changes, record_all, ChangeKind, Pending};
use super::config::config_of;
use super::field_changes::{self, RowHooks};
use super::version::{RowsVersion, SEEN};
use crate::auth::{Caller, Permission};
use crate::db::{AnyConnection, Dialect};
use crate::forms::Params;
use crate::model::{
    by_keys, display, predicate, BoxedQuery, Comparison, Condition, Data, DependentAction, Dependents, FieldMeta,
    Lookup, Model, ModelEntry, ModelMeta, Value,
};
use crate::query::OrderBy;
use crate::Error;

/// How many selected rows an action reads at a time, and how many audit
/// entries go in one statement.
pub const BATCH: usize = 500;

/// What an action does: reads the selected rows from the context, writes
/// through it, and returns the message shown afterwards.
pub type ActionFn<M> = dyn Fn(&mut ActionContext<'_, M>) -> Result<String, Error> + Send + Sync;

/// An operation on the selected rows of a model's list: Django's admin
/// action.
///
/// ```
/// # use diesel::prelude::*;
/// # diesel::table! { note (id) { id -> Integer, message -> Text, status -> Integer } }
/// # #[derive(Queryable, Selectable, hangar::Model, hangar::AdminModel)]
/// # #[diesel(table_name = note)]
/// # struct Note { id: i32, message: String, status: i32 }
/// use hangar::admin::AdminAction;
/// use hangar::model::Value;
///
/// let archive = AdminAction::<Note>::new("archive", "Archive selected notes", |ctx| {
///     let mut archived = 0;
///     while let Some(notes) = ctx.next_batch()? {
///         archived += ctx.update(&notes, &[("status", Value::Integer(2))])?;
///     }
///     Ok(format!("Archived {archived} notes"))
/// })
/// .confirm("Archived notes leave the site.");
/// assert_eq!(archive.name(), "archive");
/// ```
pub struct AdminAction<M: Model> {
    pub(crate) name: &'static str,
    pub(crate) label: String,
    pub(crate) permission: Permission,
    pub(crate) confirmation: Option<String>,
    /// Whether the confirmation lists what deleting the rows takes with them.
    pub(crate) lists_dependents: bool,
    /// Whether it is "Change fields": a form picks the fields and values,
    /// and a preview shows each row's before and after, before it runs.
    pub(crate) changes_fields: bool,
    pub(crate) run: Arc<ActionFn<M>>,
}

impl<M: Model> Clone for AdminAction<M> {
    fn clone(&self) -> Self {
        AdminAction {
            name: self.name,
            label: self.label.clone(),
            permission: self.permission,
            confirmation: self.confirmation.clone(),
            lists_dependents: self.lists_dependents,
            changes_fields: self.changes_fields,
            run: self.run.clone(),
        }
    }
}

impl<M: Model> std::fmt::Debug for AdminAction<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminAction")
            .field("name", &self.name)
            .field("label", &self.label)
            .field("permission", &self.permission)
            .field("confirmation", &self.confirmation)
            .finish_non_exhaustive()
    }
}

impl<M: Model> AdminAction<M> {
    /// The action `name` (what the list's form posts: letters, digits and
    /// `_`), shown as `label` ("Deactivate selected users"), which runs
    /// `run`. It needs the `change` permission, and runs without asking
    /// first.
    pub fn new(
        name: &'static str,
        label: impl Into<String>,
        run: impl Fn(&mut ActionContext<'_, M>) -> Result<String, Error> + Send + Sync + 'static,
    ) -> Self {
        AdminAction {
            name,
            label: label.into(),
            permission: Permission::Change,
            confirmation: None,
            lists_dependents: false,
            changes_fields: false,
            run: Arc::new(run),
        }
    }

    /// Asks first: a page says `text`, lists the selected rows, and runs
    /// the action only when the user confirms it.
    #[must_use]
    pub fn confirm(mut self, text: impl Into<String>) -> Self {
        self.confirmation = Some(text.into());
        self
    }

    /// The permission on the model that the action needs (`change` unless
    /// told): without it, the list does not offer the action and a post
    /// gets a 403 page; each selected row must pass the matching
    /// object-level hook too (`has_change_permission(caller, Some(row))`).
    #[must_use]
    pub fn permission(mut self, permission: Permission) -> Self {
        self.permission = permission;
        self
    }

    /// The name the list's form posts.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// How the action reads in the list's menu.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The permission the action needs.
    pub fn required_permission(&self) -> Permission {
        self.permission
    }

    /// The built-in bulk delete, `delete_selected`: "Delete selected
    /// <models>", needing `delete`, confirmed on a page that lists what
    /// goes with the rows. It is the default
    /// [`ModelAdmin::actions`](super::ModelAdmin::actions); an admin with
    /// actions of its own lists it beside them to keep it.
    pub fn delete_selected() -> Self {
        let meta = M::meta();
        let label = format!("Delete selected {}", meta.verbose_name_plural.to_lowercase());
        let mut action = AdminAction::new("delete_selected", label, |ctx: &mut ActionContext<'_, M>| {
            let mut deleted = 0;
            while let Some(rows) = ctx.next_batch()? {
                deleted += ctx.delete(&rows)?;
            }
            Ok(deleted_message(M::meta(), deleted))
        })
        .permission(Permission::Delete)
        .confirm("Everything listed below goes with them, in one transaction.");
        action.lists_dependents = true;
        action
    }
}

impl<M: Model> AdminAction<M> {
    /// The built-in bulk edit, `change_fields`: "Change fields of selected
    /// <models>", needing `change`. Its page picks fields and the values to
    /// give them, then previews each selected row's values before and
    /// after, and the rows the model admin's `validate` (or `before_save`)
    /// refuses; "Apply" writes them all, or none when any row is refused
    /// by then, in one transaction, with a change entry in the audit log
    /// for each row it changes.
    ///
    /// Each row's new values go through `validate` and `before_save`, then
    /// rows with the same values are written with one `UPDATE` a batch, as
    /// Django's `QuerySet.update`: `save_model` and `after_save` do not
    /// run. The fields it offers are the form's editable ones, but the
    /// key, passwords and files.
    pub fn change_fields() -> Self {
        let meta = M::meta();
        let label = format!("Change fields of selected {}", meta.verbose_name_plural.to_lowercase());
        let mut action = AdminAction::new("change_fields", label, |ctx: &mut ActionContext<'_, M>| {
            let meta = M::meta();
            let data = match field_changes::read(meta, &ctx.form)? {
                Ok(data) => data,
                Err(errors) => return Err(Error::BadRequest(errors.to_string())),
            };
            let mut changed = 0;
            while let Some(rows) = ctx.next_batch()? {
                // Rows the hooks give the same values go in one `UPDATE`.
                let mut groups: Vec<(field_changes::Assignments, Vec<M>)> = Vec::new();
                for row in rows {
                    let values = match ctx.hooks {
                        Some(hooks) => field_changes::check_row(hooks, ctx.caller, &data, &row).map_err(|refused| {
                            Error::BadRequest(format!(
                                "the {} “{}” is refused: {}",
                                meta.verbose_name,
                                display(&row),
                                refused.join(" ")
                            ))
                        })?,
                        None => data.clone(),
                    };
                    if field_changes::holds(&row, &values) {
                        continue;
                    }
                    let values = field_changes::assignments(&values);
                    match groups.iter_mut().find(|(v, _)| *v == values) {
                        Some((_, rows)) => rows.push(row),
                        None => groups.push((values, vec![row])),
                    }
                }
                for (values, rows) in groups {
                    ctx.update(&rows, &values)?;
                    changed += rows.len();
                }
            }
            let name = if changed == 1 { meta.verbose_name } else { meta.verbose_name_plural };
            Ok(format!("Changed {changed} {name}"))
        });
        action.changes_fields = true;
        action
    }
}

/// "Deleted 3 Messages".
pub(crate) fn deleted_message(meta: &ModelMeta, count: usize) -> String {
    let name = if count == 1 { meta.verbose_name } else { meta.verbose_name_plural };
    format!("Deleted {count} {name}")
}

/// Whether the name is one a form can post and a page can show as it is.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The query of the rows an action may read, written for a backend.
pub(crate) type BaseQuery<M> = Box<dyn Fn(Dialect) -> Result<BoxedQuery<M>, Error> + Send>;

/// The rows of `M` an action reads: what `base` selects (the list's scope,
/// filters and search, or the ticked rows among them), in key order, each
/// let through by `allowed` (the object-level permission hook).
pub(crate) struct Selection<M: Model> {
    base: BaseQuery<M>,
    allowed: fn(&Caller, Option<&M>) -> bool,
    permission: Permission,
    after: Option<Value>,
    done: bool,
    read: usize,
    /// The version of the rows read so far.
    seen: RowsVersion,
}

impl<M: Model> Selection<M> {
    pub(crate) fn new(base: BaseQuery<M>, allowed: fn(&Caller, Option<&M>) -> bool, permission: Permission) -> Self {
        Selection { base, allowed, permission, after: None, done: false, read: 0, seen: RowsVersion::default() }
    }

    /// The version of every selected row, once all were read: what a page
    /// that showed them carries, so that the action can tell whether they
    /// changed since.
    pub(crate) fn seen(&self) -> Option<String> {
        self.done.then(|| self.seen.digits())
    }

    /// The next batch of at most [`BATCH`] rows after the last one read;
    /// `None` when all were read. A row `allowed` refuses is an error that
    /// names it.
    pub(crate) fn next_batch(&mut self, conn: &mut AnyConnection, caller: &Caller) -> Result<Option<Vec<M>>, Error> {
        if self.done {
            return Ok(None);
        }
        let meta = M::meta();
        let key = meta.primary_key;
        let dialect = conn.dialect();
        let mut query = (self.base)(dialect)?;
        // Rows in key order, a batch at a time, each after the last one
        // read: a keyset, so a write that moves rows out of the filter
        // cannot make the next batch skip any. A key with no order (bytes)
        // is read in one go.
        let rows = if key.kind.is_ordered() {
            if let Some(last) = &self.after {
                let lookup = Lookup::new(key.name, vec![Condition::Cmp(Comparison::Gt, last.clone())]);
                query = query.filter(predicate::<M>(&[], &lookup, dialect)?);
            }
            let limit = i64::try_from(BATCH).unwrap_or(i64::MAX);
            let rows = M::load(OrderBy::field(key.name, false).apply::<M>(query)?.limit(limit), conn)?;
            self.done = rows.len() < BATCH;
            rows
        } else {
            self.done = true;
            M::load(query, conn)?
        };
        if rows.is_empty() {
            self.done = true;
            return Ok(None);
        }
        if let Some(refused) = rows.iter().find(|row| !(self.allowed)(caller, Some(row))) {
            return Err(Error::Forbidden(format!(
                "You may not {} the {} “{}”.",
                self.permission.name(),
                meta.verbose_name,
                display(refused)
            )));
        }
        self.after = rows.last().map(Model::pk);
        self.read += rows.len();
        for row in &rows {
            self.seen.add(meta.fields.iter().map(|f| row.value(f.name).unwrap_or(Value::Null)));
        }
        Ok(Some(rows))
    }
}

/// What an action's function works with: the selected rows, batch by
/// batch; the connection, inside the action's transaction; and write
/// helpers that record what they change in the audit log.
pub struct ActionContext<'a, M: Model> {
    conn: &'a mut AnyConnection,
    caller: &'a Caller,
    selection: Selection<M>,
    pending: Vec<Pending>,
    /// The fields the action's page posted.
    form: Params,
    /// The model admin's hooks for a row's new values.
    hooks: Option<RowHooks<M>>,
    /// The admin's user model, and what forgets a deleted user's groups and
    /// grants (adding what they were to the delete's changes): a later user
    /// given the same key inherits none.
    user_model: (&'static ModelMeta, ForgetUser),
}

/// Forgets the groups and grants of the user with a key, on the delete's
/// connection, adding what they were to the delete's changes.
pub(crate) type ForgetUser = fn(&mut AnyConnection, &Value, &mut Json) -> Result<(), Error>;

impl<M: Model> std::fmt::Debug for ActionContext<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionContext")
            .field("model", &M::meta().slug)
            .field("read", &self.selection.read)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl<'a, M: Model> ActionContext<'a, M> {
    pub(crate) fn new(
        conn: &'a mut AnyConnection,
        caller: &'a Caller,
        selection: Selection<M>,
        user_model: (&'static ModelMeta, ForgetUser),
    ) -> Self {
        ActionContext { conn, caller, selection, pending: Vec::new(), form: Params::default(), hooks: None, user_model }
    }

    /// The context of an action whose page posted `form`, on a model whose
    /// admin checks a row's new values with `hooks`.
    pub(crate) fn with_form(mut self, form: Params, hooks: RowHooks<M>) -> Self {
        self.form = form;
        self.hooks = Some(hooks);
        self
    }

    /// The fields the action's page posted: the list's form, or a
    /// confirmation's.
    pub fn form(&self) -> &Params {
        &self.form
    }

    /// Forgets the groups and grants of the user `key`, when `model` is the
    /// admin's user model, adding what they were to `changes`.
    fn forget_user(&mut self, model: &'static ModelMeta, key: &Value, changes: &mut Json) -> Result<(), Error> {
        let (users, forget) = self.user_model;
        if std::ptr::eq(model, users) {
            forget(self.conn, key, changes)?;
        }
        Ok(())
    }

    /// The next batch of selected rows (at most [`BATCH`], in key order),
    /// or `None` when every one was read. Each row has passed the
    /// action's object-level permission hook; a row that does not refuses
    /// the whole action, and nothing it wrote is kept.
    pub fn next_batch(&mut self) -> Result<Option<Vec<M>>, Error> {
        self.selection.next_batch(self.conn, self.caller)
    }

    /// How many selected rows were read so far.
    pub fn read(&self) -> usize {
        self.selection.read
    }

    /// Who runs the action.
    pub fn caller(&self) -> &Caller {
        self.caller
    }

    /// The connection, inside the action's transaction. A write made
    /// through it is in the audit log only when [`record`](Self::record)ed.
    pub fn conn(&mut self) -> &mut AnyConnection {
        self.conn
    }

    /// Sets the fields `values` names on `rows` (of any model), in one
    /// `UPDATE` per [`BATCH`] rows, and records a change entry for each row
    /// whose values it changes. Returns how many rows the database
    /// updated. A name that is no field, or a value the field cannot hold,
    /// is a 400 naming the field.
    pub fn update<R: Model>(&mut self, rows: &[R], values: &[(&str, Value)]) -> Result<usize, Error> {
        let meta = R::meta();
        let mut data = Data::new(meta);
        for (name, value) in values {
            if meta.field(name).is_some_and(|f| f.primary_key) {
                return Err(Error::BadRequest(format!(
                    "`{name}` is the key of `{}`; an action cannot set it",
                    meta.slug
                )));
            }
            data.set(name, value.clone()).map_err(Error::BadRequest)?;
        }
        let columns = data.values();
        if columns.is_empty() || rows.is_empty() {
            return Ok(0);
        }
        let fields: Vec<&'static FieldMeta> = columns.iter().map(|(f, _)| *f).collect();
        let mut updated = 0;
        for chunk in rows.chunks(BATCH) {
            let keys: Vec<Value> = chunk.iter().map(Model::pk).collect();
            updated += crate::model::update::<R>(self.conn, &by_keys::<R>(&keys, self.conn.dialect())?, columns)?;
            for row in chunk {
                let before: Vec<Value> = fields.iter().map(|f| row.value(f.name).unwrap_or(Value::Null)).collect();
                let after: Vec<Value> = columns.iter().map(|(_, v)| v.clone()).collect();
                let changed = changes(&fields, Some(&before), Some(&after), |f| hidden(meta, f));
                if changed.as_object().is_some_and(|c| !c.is_empty()) {
                    self.push(Pending {
                        meta,
                        pk: row.pk(),
                        repr: display(row),
                        kind: ChangeKind::Change,
                        changes: changed,
                    })?;
                }
            }
        }
        Ok(updated)
    }

    /// Deletes `rows` (of any model) with the rows that depend on them, as
    /// the delete page does (unless the model's admin sets
    /// `delete_collect_objects = false`: then the rows alone), and records
    /// a delete entry for each row deleted and a change entry for each row
    /// whose foreign key is cleared. Returns how many of `rows` were
    /// deleted.
    pub fn delete<R: Model>(&mut self, rows: &[R]) -> Result<usize, Error> {
        let meta = R::meta();
        let mut deleted = 0;
        for chunk in rows.chunks(BATCH) {
            let keys: Vec<Value> = chunk.iter().map(Model::pk).collect();
            let fields: Vec<&'static FieldMeta> = meta.fields.iter().collect();
            for row in chunk {
                let values: Vec<Value> = fields.iter().map(|f| row.value(f.name).unwrap_or(Value::Null)).collect();
                let mut changed = changes(&fields, Some(&values), None, |f| hidden(meta, f));
                self.forget_user(meta, &row.pk(), &mut changed)?;
                self.push(Pending {
                    meta,
                    pk: row.pk(),
                    repr: display(row),
                    kind: ChangeKind::Delete,
                    changes: changed,
                })?;
            }
            if !config_of(meta).is_none_or(|config| config.delete_collect_objects) {
                deleted += crate::model::delete::<R>(self.conn, &by_keys::<R>(&keys, self.conn.dialect())?)?;
                continue;
            }
            let dependents = Dependents::collect::<R>(self.conn, &keys, 0)?;
            for (model, action, keys) in dependents.touched().skip(1) {
                self.record_dependents(model, action, keys)?;
            }
            deleted += dependents.delete(self.conn)?;
        }
        Ok(deleted)
    }

    /// Records the rows of `model` with `keys` that a delete takes with it:
    /// deleted, with every value; or kept with `field` cleared.
    fn record_dependents(
        &mut self,
        model: &'static ModelMeta,
        action: DependentAction,
        keys: &[Value],
    ) -> Result<(), Error> {
        let entry = ModelEntry::find(model)
            .ok_or_else(|| Error::BadRequest(format!("the model `{}` is not registered", model.slug)))?;
        let (fields, kind): (Vec<&'static FieldMeta>, _) = match action {
            DependentAction::Delete => (model.fields.iter().collect(), ChangeKind::Delete),
            DependentAction::SetNull { field } => (model.field(field).into_iter().collect(), ChangeKind::Change),
        };
        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
        for row in entry.values_by_keys(self.conn, keys, &names)? {
            let after: Option<Vec<Value>> = match action {
                DependentAction::Delete => None,
                DependentAction::SetNull { .. } => Some(vec![Value::Null]),
            };
            let mut changed = changes(&fields, Some(&row.values), after.as_deref(), |f| hidden(model, f));
            if matches!(action, DependentAction::Delete) {
                self.forget_user(model, &row.pk, &mut changed)?;
            }
            self.push(Pending { meta: model, pk: row.pk, repr: row.display, kind, changes: changed })?;
        }
        Ok(())
    }

    /// Records a write the function made itself through
    /// [`conn`](Self::conn): `before` and `after` are the row (of any
    /// model) as it was and as it is: an add without `before`, a delete
    /// without `after`. Nothing is recorded when neither is given or
    /// nothing changed.
    pub fn record<R: Model>(&mut self, before: Option<&R>, after: Option<&R>) -> Result<(), Error> {
        let meta = R::meta();
        let (kind, row) = match (before, after) {
            (None, Some(row)) => (ChangeKind::Add, row),
            (Some(_), Some(row)) => (ChangeKind::Change, row),
            (Some(row), None) => (ChangeKind::Delete, row),
            (None, None) => return Ok(()),
        };
        let fields: Vec<&'static FieldMeta> = meta.fields.iter().collect();
        let values = |row: &R| fields.iter().map(|f| row.value(f.name).unwrap_or(Value::Null)).collect::<Vec<_>>();
        let (old, new) = (before.map(values), after.map(values));
        let changed = changes(&fields, old.as_deref(), new.as_deref(), |f| hidden(meta, f));
        if kind == ChangeKind::Change && changed.as_object().is_some_and(Map::is_empty) {
            return Ok(());
        }
        self.push(Pending { meta, pk: row.pk(), repr: display(row), kind, changes: changed })
    }

    /// Keeps an entry, writing the kept ones once a batch of them waits.
    fn push(&mut self, entry: Pending) -> Result<(), Error> {
        self.pending.push(entry);
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the entries that wait.
    fn flush(&mut self) -> Result<(), Error> {
        let pending = std::mem::take(&mut self.pending);
        record_all(self.conn, self.caller, &pending)
    }

    /// Writes the entries that still wait, once the function returned.
    /// When the page the action was confirmed on carried the version of
    /// the rows it showed, and the function read them all, rows that
    /// changed since are a conflict: an error, so nothing is kept.
    pub(crate) fn finish(mut self) -> Result<usize, Error> {
        if let (Some(shown), Some(read)) = (self.form.get(SEEN), self.selection.seen()) {
            if shown != read {
                return Err(Error::Conflict(format!(
                    "the {} changed since you saw them; look again",
                    M::meta().verbose_name_plural.to_lowercase()
                )));
            }
        }
        self.flush()?;
        Ok(self.selection.read)
    }
}

/// Whether the audit log hides the values of `field` of `meta`: a password
/// field of its admin; for a model without an admin, a field whose name
/// says it is one.
fn hidden(meta: &'static ModelMeta, field: &str) -> bool {
    match config_of(meta) {
        Some(config) => config.is_password(field),
        None => field.contains("password"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_form_can_post() {
        assert!(valid_name("delete_selected") && valid_name("a1"));
        assert!(!valid_name("") && !valid_name("a b") && !valid_name("x\"") && !valid_name(&"a".repeat(65)));
    }
}
