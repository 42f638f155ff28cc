//! The REST configuration `derive(RestResource)` emits for a model.

use super::ops::ResourceOps;
use crate::model::{FieldMeta, Model, ModelMeta};
use crate::query::Count;

/// How a model is exposed through the REST API: `#[rest(...)]`.
#[derive(Debug)]
pub struct RestConfig {
    /// `fields(...)`: the only fields shown, when given.
    pub fields: Option<&'static [&'static str]>,
    /// `exclude(...)`: fields never shown, nor filtered on.
    pub exclude: &'static [&'static str],
    /// `readonly_fields(...)`: fields a request body cannot set.
    pub readonly_fields: &'static [&'static str],
    /// `filter_fields(...)`: the only field paths that may be filtered on, when given.
    pub filter_fields: Option<&'static [&'static str]>,
    /// `filter_exclude(...)`: field paths that may not be filtered on.
    pub filter_exclude: &'static [&'static str],
    /// `paginate_by = N`, or `None` for every row on one page.
    pub paginate_by: Option<u64>,
    /// `max_paginate_by = N`: the cap on `limit`.
    pub max_paginate_by: Option<u64>,
    /// `count = exact | capped(N) | none`: how lists count their rows.
    pub count: Count,
    /// `owner = relation`: the foreign key to the user who owns a row.
    pub owner: Option<&'static str>,
    /// `owner_reads`: reads, too, see only the caller's rows.
    pub owner_reads: bool,
    /// `nested_writes = false` turns off writes through included relations.
    pub nested_writes: bool,
    /// `permissions = model`: a user's requests need the model's
    /// permissions: view to read, add, change or delete to write.
    pub model_permissions: bool,
}

impl RestConfig {
    /// Every field shown, nothing read-only, 20 rows a page, at most 100.
    pub const DEFAULT: RestConfig = RestConfig {
        fields: None,
        exclude: &[],
        readonly_fields: &[],
        filter_fields: None,
        filter_exclude: &[],
        paginate_by: Some(crate::query::DEFAULT_PAGINATE_BY),
        max_paginate_by: Some(crate::query::DEFAULT_MAX_PAGINATE_BY),
        count: Count::Exact,
        owner: None,
        owner_reads: false,
        nested_writes: true,
        model_permissions: false,
    };

    /// Whether `field` is shown.
    pub fn shows(&self, field: &str) -> bool {
        self.fields.is_none_or(|fields| fields.contains(&field)) && !self.exclude.contains(&field)
    }

    /// The fields shown, in declaration order.
    pub fn shown_fields(&self, meta: &'static ModelMeta) -> impl Iterator<Item = &'static FieldMeta> + '_ {
        meta.fields.iter().filter(|f| self.shows(f.name))
    }

    /// Whether a body may set `field`: it is neither the primary key nor read-only.
    pub fn writable(&self, meta: &ModelMeta, field: &str) -> bool {
        field != meta.primary_key.name && !self.readonly_fields.contains(&field)
    }
}

/// A relation serialised as a nested object through another resource:
/// `include(relation = Resource)`.
#[derive(Debug)]
pub struct Include {
    /// The relation's name.
    pub relation: &'static str,
    /// The resource that serialises and writes the related rows.
    pub resource: &'static ResourceOps,
}

/// A model with a REST configuration; implemented by `derive(RestResource)`.
pub trait RestModel: Model {
    /// The configuration from `#[rest(...)]`.
    fn rest() -> &'static RestConfig;

    /// The relations serialised as nested objects.
    fn includes() -> &'static [Include];
}

/// Registers a model's REST configuration at link time, so that a filter
/// through a relation can ask what the related model shows.
#[derive(Debug)]
pub struct RestEntry {
    meta: fn() -> &'static ModelMeta,
    config: fn() -> &'static RestConfig,
}

inventory::collect!(RestEntry);

impl RestEntry {
    /// The entry for `M`; `derive(RestResource)` submits one per model.
    pub const fn of<M: RestModel>() -> Self {
        RestEntry { meta: M::meta, config: M::rest }
    }
}

/// Whether a filter may reach `field` of `meta` through a relation: only
/// when that model has a REST configuration that shows the field and lets
/// it be filtered on. A filter is a way to read a field, one guess at a
/// time; `?user__password__startswith=...` must not be one.
pub fn shown_through_relation(meta: &'static ModelMeta, field: &'static FieldMeta) -> bool {
    config_of(meta).is_some_and(|config| {
        config.shows(field.name)
            && !config.filter_exclude.contains(&field.name)
            && config.filter_fields.is_none_or(|only| only.contains(&field.name))
    })
}

/// The REST configuration of the model `meta` describes, if it has one.
pub fn config_of(meta: &'static ModelMeta) -> Option<&'static RestConfig> {
    inventory::iter::<RestEntry>.into_iter().find(|e| std::ptr::eq((e.meta)(), meta)).map(|e| (e.config)())
}
