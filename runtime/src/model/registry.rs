//! Every model the program defines, registered at link time by
//! `derive(Model)`: found by its description, or by a column's name. What
//! can be done to a registered model's rows without its type (load, delete,
//! clear a foreign key) is the engine's, in `engine/entry.rs`.

use super::{Model, ModelMeta};

/// One model, and what can be done to its rows without its type. Each
/// operation is written from the names in its [`ModelMeta`], so its code is
/// compiled once for all models. A delete follows the foreign keys that
/// point at a row through it; the admin loads related rows through it.
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
