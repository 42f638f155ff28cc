//! How a list endpoint reads its query string, and the limits on what a
//! list request may ask for.

use super::ordering::OrderBy;
use super::{Count, Filter};
use crate::model::{FieldMeta, ModelMeta};

/// The default page size.
pub const DEFAULT_PAGINATE_BY: u64 = 20;
/// The most values a list request's filters may compare: each one is a
/// bound parameter, and the backends cap those (SQLite at 32,766).
pub const MAX_VALUES: usize = 1000;
/// The most conditions a list request's filters may hold: SQLite refuses
/// expressions nested more than 1000 deep.
pub const MAX_CONDITIONS: usize = 100;
/// The most terms `ordering` may have.
pub const MAX_ORDERING: usize = 20;
/// The default cap on `limit`.
pub const DEFAULT_MAX_PAGINATE_BY: u64 = 100;

/// How a list endpoint reads its query string.
#[derive(Debug, Clone)]
pub struct ListOptions {
    /// The page size when no `limit` is given; `None` puts every row on one page.
    pub paginate_by: Option<u64>,
    /// The largest `limit` honoured; larger ones are capped to it.
    pub max_paginate_by: Option<u64>,
    /// Parameters that are neither filters nor errors, such as an API key's
    /// `key` and `secret`.
    pub ignored: Vec<String>,
    /// When set, only these field paths may be filtered on.
    pub filter_fields: Option<Vec<String>>,
    /// Field paths that may not be filtered on, such as `password`.
    pub filter_exclude: Vec<String>,
    /// When set, decides whether a field reached through a relation may be
    /// filtered on; the REST API allows only the fields the related
    /// resource shows.
    pub related_field_allowed: Option<fn(&'static ModelMeta, &'static FieldMeta) -> bool>,
    /// How the list counts its rows.
    pub count: Count,
    /// Whether `?cursor=` may page the list (keyset pagination).
    pub cursors: bool,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions {
            paginate_by: Some(DEFAULT_PAGINATE_BY),
            max_paginate_by: Some(DEFAULT_MAX_PAGINATE_BY),
            ignored: Vec::new(),
            filter_fields: None,
            filter_exclude: Vec::new(),
            related_field_allowed: None,
            count: Count::Exact,
            cursors: true,
        }
    }
}

impl ListOptions {
    /// Whether a list may be ordered by `order`: a field of the model, or a
    /// related field the list may filter on.
    pub(super) fn orders_by(&self, order: &OrderBy, meta: &'static ModelMeta) -> bool {
        let Some(field) = order.field_meta(meta) else {
            return false;
        };
        let path = order.term().trim_start_matches('-').to_owned();
        let first = path.split("__").next().unwrap_or_default().to_owned();
        let named = |list: &[String]| list.iter().any(|f| *f == path || *f == first);
        let related =
            order.hops.is_empty() || self.related_field_allowed.is_none_or(|allowed| allowed(order.model(meta), field));
        related && !named(&self.filter_exclude)
    }

    pub(super) fn allows(&self, filter: &Filter) -> bool {
        let path = filter.path();
        let first = path.split("__").next().unwrap_or_default();
        // `?user=2` compares `user_id`; a rule about `user` covers it too.
        let relation =
            filter.hops.first().copied().or_else(|| filter.model.relation_of_field(filter.field.name).map(|r| r.name));
        let named = |list: &[String]| list.iter().any(|f| f == &path || f == first || Some(f.as_str()) == relation);
        let related = filter.hops.is_empty()
            || self.related_field_allowed.is_none_or(|allowed| allowed(filter.model, filter.field));
        related && !named(&self.filter_exclude) && self.filter_fields.as_deref().is_none_or(named)
    }
}
