//! The admin configuration `derive(AdminModel)` emits for a model.

use super::inline::Inline;
use crate::model::{FieldMeta, Model, ModelMeta};

/// A column of the list: a field or relation path, or a method of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminColumn {
    /// A field, or a path through relations: `user__username`.
    Field(&'static str),
    /// A `&self` method whose value is `Display`.
    Method(&'static str),
}

/// A widget a text field asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminWidget {
    /// A multi-line `<textarea>`.
    Textarea,
    /// A password: never shown; left blank, the stored value stays; a new
    /// one is stored hashed.
    Password,
}

/// `#[admin(label = "...", help_text = "...", widget = ...)]` on a field.
#[derive(Debug, Clone, Copy)]
pub struct FieldOptions {
    /// The field.
    pub field: &'static str,
    /// Its label on forms and list headers.
    pub label: Option<&'static str>,
    /// A line of help under its input.
    pub help_text: Option<&'static str>,
    /// Its widget.
    pub widget: Option<AdminWidget>,
}

/// A titled group of fields on the form.
#[derive(Debug, Clone, Copy)]
pub struct Fieldset {
    /// The title.
    pub title: &'static str,
    /// The fields, in order.
    pub fields: &'static [&'static str],
}

/// How a model is shown in the admin: `#[admin(...)]`.
#[derive(Debug)]
pub struct AdminConfig {
    /// `columns(...)`: the list's columns, when given.
    pub columns: Option<&'static [AdminColumn]>,
    /// `search_fields(...)`: the text fields and paths `q` searches.
    pub search_fields: &'static [&'static str],
    /// `filter_fields(...)`: the only paths the list filters on, when given.
    pub filter_fields: Option<&'static [&'static str]>,
    /// `filter_exclude(...)`: paths the list never filters on.
    pub filter_exclude: &'static [&'static str],
    /// `fields(...)`: the form's fields, when given.
    pub fields: Option<&'static [&'static str]>,
    /// `exclude(...)`: fields never shown on forms or lists.
    pub exclude: &'static [&'static str],
    /// `readonly_fields(...)`: fields shown on the form but never written.
    pub readonly_fields: &'static [&'static str],
    /// `fieldsets(...)`: the form's groups.
    pub fieldsets: &'static [Fieldset],
    /// `ordering(...)`: the list's default order, `-` for descending.
    pub ordering: &'static [&'static str],
    /// `paginate_by`: rows on a page (default 20).
    pub paginate_by: u64,
    /// `count = exact | capped(N) | none`: how the list counts its rows.
    pub count: crate::query::Count,
    /// `foreign_key_lookups(relation = field)`: relations picked by typing,
    /// showing and searching the related model's field.
    pub foreign_key_lookups: &'static [(&'static str, &'static str)],
    /// `delete_collect_objects`: whether the delete page lists dependents.
    pub delete_collect_objects: bool,
    /// `export_exclude(...)`: fields never exported.
    pub export_exclude: &'static [&'static str],
    /// Per-field labels, help and widgets.
    pub field_options: &'static [FieldOptions],
    /// `inlines(...)`: child models edited on this model's form.
    pub inlines: &'static [Inline],
}

impl AdminConfig {
    /// Every default: all fields, 20 rows a page.
    pub const DEFAULT: AdminConfig = AdminConfig {
        columns: None,
        search_fields: &[],
        filter_fields: None,
        filter_exclude: &[],
        fields: None,
        exclude: &[],
        readonly_fields: &[],
        fieldsets: &[],
        ordering: &[],
        paginate_by: 20,
        count: crate::query::Count::Exact,
        foreign_key_lookups: &[],
        delete_collect_objects: true,
        export_exclude: &[],
        field_options: &[],
        inlines: &[],
    };

    /// The options given for `field`.
    pub fn options(&self, field: &str) -> Option<&FieldOptions> {
        self.field_options.iter().find(|o| o.field == field)
    }

    /// `field`'s label: its `label`, else its verbose name.
    pub fn label(&self, field: &FieldMeta) -> &'static str {
        self.options(field.name).and_then(|o| o.label).unwrap_or(field.verbose_name)
    }

    /// Whether `field` holds a password: never shown, exported or filtered.
    pub fn is_password(&self, field: &str) -> bool {
        self.options(field).and_then(|o| o.widget) == Some(AdminWidget::Password)
    }

    /// Whether `field` may be shown at all: not excluded, not a password.
    pub fn shows(&self, field: &str) -> bool {
        !self.exclude.contains(&field) && !self.is_password(field)
    }

    /// The related field a relation's picker shows and searches, if set.
    pub fn lookup_field(&self, relation: &str) -> Option<&'static str> {
        self.foreign_key_lookups.iter().find(|(r, _)| *r == relation).map(|(_, f)| *f)
    }

    /// The form's fields, in order: `fieldsets`, else `fields`, else every
    /// field but a primary key the database makes (an integer, or one
    /// marked `db_default`); never an excluded one. A key typed by hand, a
    /// slug say, is typed on the add form and shown, readonly, on the edit
    /// form.
    pub fn form_fields(&self, meta: &'static ModelMeta) -> Vec<&'static FieldMeta> {
        let named = |names: &[&str]| names.iter().filter_map(|n| meta.field(n)).collect::<Vec<_>>();
        let fields = if !self.fieldsets.is_empty() {
            self.fieldsets.iter().flat_map(|f| named(f.fields)).collect()
        } else if let Some(fields) = self.fields {
            named(fields)
        } else {
            meta.fields.iter().filter(|f| !f.primary_key || !made_by_the_database(f)).collect()
        };
        fields.into_iter().filter(|f| !self.exclude.contains(&f.name)).collect()
    }

    /// Whether a form shows `field` without letting it change: a readonly
    /// field, or the key of a row being edited (a key is typed when a row
    /// is added, and never changed after).
    pub(crate) fn readonly_in_form(&self, field: &FieldMeta, editing: bool) -> bool {
        (field.primary_key && editing) || self.readonly_fields.contains(&field.name)
    }

    /// The form's fields that a submitted form may change.
    pub(crate) fn editable_fields(&self, meta: &'static ModelMeta, editing: bool) -> Vec<&'static FieldMeta> {
        self.form_fields(meta).into_iter().filter(|f| !self.readonly_in_form(f, editing)).collect()
    }
}

/// Whether the database makes a primary key's value when a row is added:
/// an integer key (`SERIAL`, `AUTOINCREMENT`), or one marked `db_default`.
pub(crate) fn made_by_the_database(key: &FieldMeta) -> bool {
    key.db_default || key.kind.is_integer()
}

/// A model with an admin configuration; implemented by `derive(AdminModel)`.
pub trait AdminModel: Model {
    /// The configuration from `#[admin(...)]`.
    fn admin() -> &'static AdminConfig;

    /// The value of the method column `name`, as text.
    fn method_column(&self, name: &str) -> Option<String>;
}

/// Registers a model's admin configuration at link time, so that a filter
/// or an export through a relation can ask what the related model hides.
#[derive(Debug)]
pub struct AdminEntry {
    meta: fn() -> &'static ModelMeta,
    config: fn() -> &'static AdminConfig,
}

inventory::collect!(AdminEntry);

impl AdminEntry {
    /// The entry for `M`; `derive(AdminModel)` submits one per model.
    pub const fn of<M: AdminModel>() -> Self {
        AdminEntry { meta: M::meta, config: M::admin }
    }
}

/// The admin configuration of the model `meta` describes, if it has one.
pub fn config_of(meta: &'static ModelMeta) -> Option<&'static AdminConfig> {
    inventory::iter::<AdminEntry>.into_iter().find(|e| std::ptr::eq((e.meta)(), meta)).map(|e| (e.config)())
}

/// Whether the admin may show, filter on or export `field` of `meta` when a
/// path reaches it through a relation: that model has an admin, which
/// neither hides the field nor marks it a password. A model without one
/// (a user model, say) shows nothing through a relation, so no path can
/// reach a password hash.
pub(crate) fn shown_through_relation(meta: &'static ModelMeta, field: &'static FieldMeta) -> bool {
    config_of(meta).is_some_and(|config| config.shows(field.name) && !config.export_exclude.contains(&field.name))
}
