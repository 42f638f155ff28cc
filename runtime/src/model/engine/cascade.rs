//! Deleting a row with the rows that depend on it, across every model the
//! program defines, and showing what that delete would touch first.
//!
//! A model knows the models it points at, but not the ones that point at it.
//! `derive(Model)` registers each model at link time, so a delete can find
//! every foreign key that refers to a row, whichever crate declares it.

use std::collections::HashSet;

use crate::db::AnyConnection;
use crate::model::{Model, ModelEntry, ModelMeta, Value};
use crate::Error;

/// What happens to a row that depends on a deleted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependentAction {
    /// Its foreign key may not be NULL, so it is deleted too.
    Delete,
    /// Its nullable foreign key `field` is set to NULL; the row stays.
    SetNull {
        /// The foreign key cleared.
        field: &'static str,
    },
}

/// One dependent row, as a confirmation page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DependentObject {
    /// Its primary key.
    pub pk: Value,
    /// Its display line (see [`display`](super::display)).
    pub display: String,
}

/// The dependent rows of one model that one action touches.
#[derive(Debug, Clone, PartialEq)]
pub struct DependentGroup {
    /// The model.
    pub model: &'static ModelMeta,
    /// What happens to them.
    pub action: DependentAction,
    /// How many rows in all.
    pub total: usize,
    /// The first of them, at most the number asked for.
    pub objects: Vec<DependentObject>,
}

/// One step of a delete: rows of one model, and what happens to them.
#[derive(Debug)]
struct Step {
    entry: ModelEntry,
    action: DependentAction,
    keys: Vec<Value>,
    displays: Vec<Option<String>>,
}

/// Everything deleting some rows of a model touches: the rows that depend
/// on them through non-null foreign keys (deleted, and so on down), and the
/// rows whose nullable foreign keys point at any of those (set to NULL).
///
/// [`collect`](Dependents::collect) only reads, so a confirmation page can
/// show [`groups`](Dependents::groups); [`delete`](Dependents::delete) then
/// deletes exactly what was collected. Run both in one transaction for the
/// delete to see what the page saw.
#[derive(Debug)]
pub struct Dependents {
    steps: Vec<Step>,
    shown: usize,
}

impl Dependents {
    /// Collects what deleting the rows of `M` with primary keys `keys`
    /// touches, keeping the display lines of the first `shown` rows of each
    /// group (0 to keep none: a delete that shows nothing).
    pub fn collect<M: Model>(conn: &mut AnyConnection, keys: &[Value], shown: usize) -> Result<Self, Error> {
        let mut collected = Dependents { steps: Vec::new(), shown };
        let mut seen = HashSet::new();
        let rows = keys.iter().map(|k| (k.clone(), None)).collect();
        collected.collect_tree(conn, ModelEntry::of::<M>(), rows, &mut seen)?;
        Ok(collected)
    }

    fn collect_tree(
        &mut self,
        conn: &mut AnyConnection,
        entry: ModelEntry,
        rows: Vec<(Value, Option<String>)>,
        seen: &mut HashSet<(&'static str, &'static str, String)>,
    ) -> Result<(), Error> {
        let meta = (entry.meta)();
        // A row already on its way out (a cycle of foreign keys) is not visited twice.
        let (keys, displays): (Vec<_>, Vec<_>) =
            rows.into_iter().filter(|(pk, _)| seen.insert((meta.name, "", pk.to_string()))).unzip();
        if keys.is_empty() {
            return Ok(());
        }
        self.steps.push(Step { entry, action: DependentAction::Delete, keys: keys.clone(), displays });
        let with_display = self.shown > 0;
        for child in inventory::iter::<ModelEntry> {
            let child_meta = (child.meta)();
            for relation in child_meta.relations.iter().filter(|r| std::ptr::eq(r.target, meta)) {
                let rows = child.rows_where(conn, relation.field, &keys, with_display)?;
                if relation.nullable {
                    let field = relation.field;
                    let (keys, displays): (Vec<_>, Vec<_>) = rows
                        .into_iter()
                        .filter(|(pk, _)| seen.insert((child_meta.name, field, pk.to_string())))
                        .unzip();
                    if !keys.is_empty() {
                        let action = DependentAction::SetNull { field };
                        self.steps.push(Step { entry: *child, action, keys, displays });
                    }
                } else {
                    self.collect_tree(conn, *child, rows, seen)?;
                }
            }
        }
        Ok(())
    }

    /// How many rows of the model itself would be deleted.
    pub fn count(&self) -> usize {
        self.steps.first().map_or(0, |s| s.keys.len())
    }

    /// The dependent rows, one group per model and action, in the order
    /// first reached; the rows asked to be deleted are not among them.
    pub fn groups(&self) -> Vec<DependentGroup> {
        let mut groups: Vec<DependentGroup> = Vec::new();
        for step in self.steps.iter().skip(1) {
            let model = (step.entry.meta)();
            let index = match groups.iter().position(|g| std::ptr::eq(g.model, model) && g.action == step.action) {
                Some(index) => index,
                None => {
                    groups.push(DependentGroup { model, action: step.action, total: 0, objects: Vec::new() });
                    groups.len() - 1
                }
            };
            let group = &mut groups[index];
            group.total += step.keys.len();
            let room = self.shown.saturating_sub(group.objects.len());
            let shown = step.keys.iter().zip(&step.displays).take(room);
            group.objects.extend(
                shown.filter_map(|(pk, display)| Some(DependentObject { pk: pk.clone(), display: display.clone()? })),
            );
        }
        groups
    }

    /// Every row collected, model by model in the order first reached (the
    /// rows asked to be deleted first): its model, what happens to it, and
    /// the keys. An audit log reads what a delete takes here.
    pub fn touched(&self) -> impl Iterator<Item = (&'static ModelMeta, DependentAction, &[Value])> + '_ {
        self.steps.iter().map(|step| ((step.entry.meta)(), step.action, step.keys.as_slice()))
    }

    /// Deletes what was collected, dependents first, and returns how many
    /// rows of the model itself were deleted.
    pub fn delete(self, conn: &mut AnyConnection) -> Result<usize, Error> {
        let mut deleted = 0;
        for (i, step) in self.steps.iter().enumerate().rev() {
            match step.action {
                DependentAction::Delete => {
                    let n = step.entry.delete_keys(conn, &step.keys)?;
                    if i == 0 {
                        deleted = n;
                    }
                }
                DependentAction::SetNull { field } => {
                    step.entry.nullify_keys(conn, field, &step.keys)?;
                }
            }
        }
        Ok(deleted)
    }
}

/// Deletes the rows of `M` whose primary keys are `keys`, first deleting
/// every row whose non-null foreign key points at one of them (and so on
/// down), and setting nullable foreign keys that point at them to NULL.
/// Returns how many rows of `M` were deleted. Run it in a transaction.
pub fn delete_with_dependents<M: Model>(conn: &mut AnyConnection, keys: &[Value]) -> Result<usize, Error> {
    Dependents::collect::<M>(conn, keys, 0)?.delete(conn)
}
