//! A list request's query string: filters, ordering and pagination.

use std::fmt;
use std::marker::PhantomData;

use diesel::QueryDsl;

use super::options::{ListOptions, MAX_CONDITIONS, MAX_ORDERING, MAX_VALUES};
use super::ordering::{with_tiebreak, OrderBy};
use super::pagination::parse_page;
use super::{Count, Filter, QueryError};
use crate::db::Dialect;
use crate::model::{all_of, exclude, predicate, BoxedQuery, Model, Predicate};

/// A parsed list request, as the REST contract describes it:
///
/// - `?field=v`, `?field__op=v` and `?relation__field__op=v` filter, up to 3
///   relations deep; a bare relation compares the foreign key.
/// - A repeated key ORs its values, or ANDs them for `ne`, `not_in`,
///   `is_not` and `-`negated keys; different keys AND.
/// - `?ordering=field,-other` orders; the primary key breaks ties.
/// - `?page=N&limit=M` paginates; `limit` is capped.
///
/// It reads the query string's decoded `(key, value)` pairs, in order, as
/// [`hangar::forms::Params`](crate::forms::Params) holds them:
///
/// ```
/// # use diesel::prelude::*;
/// # diesel::table! { note (id) { id -> Integer, message -> Text } }
/// # #[derive(Queryable, Selectable, hangar::Model)]
/// # #[diesel(table_name = note)]
/// # struct Note { id: i32, message: String }
/// use hangar::forms::Params;
/// use hangar::query::{ListOptions, ListQuery};
///
/// let params = Params::parse("message__ilike=%25hello%25&ordering=-id&page=2");
/// let list = ListQuery::<Note>::parse_strict(&params, &ListOptions::default())?;
/// assert_eq!((list.filters().len(), list.page()), (1, 2));
/// # Ok::<(), hangar::query::QueryError>(())
/// ```
///
/// Parsing never fails as a whole: it records which parameters were used and
/// which were rejected, and why.
pub struct ListQuery<M> {
    pub(super) filters: Vec<Filter>,
    pub(super) ordering: Vec<OrderBy>,
    pub(super) page: u64,
    pub(super) per_page: Option<u64>,
    used: Vec<String>,
    rejected: Vec<QueryError>,
    pub(super) count: Count,
    pub(super) cursor: Option<String>,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> ListQuery<M> {
    /// Reads the decoded parameters `params`.
    pub fn parse(params: &[(String, String)], options: &ListOptions) -> Self {
        let meta = M::meta();
        let mut list = ListQuery {
            filters: Vec::new(),
            ordering: Vec::new(),
            page: 1,
            per_page: options.paginate_by,
            used: Vec::new(),
            rejected: Vec::new(),
            count: options.count,
            cursor: None,
            model: PhantomData,
        };
        let mut keys: Vec<(String, Vec<String>)> = Vec::new();
        let mut limit = None;
        for (key, value) in params {
            if matches!(key.as_str(), "page" | "limit" | "ordering" | "cursor") && !list.used.contains(key) {
                list.used.push(key.clone());
            }
            match key.as_str() {
                "page" => list.page = parse_page(Some(value)),
                "cursor" if options.cursors => list.cursor = Some(value.clone()),
                "cursor" => list
                    .rejected
                    .push(QueryError::BadCursor("`cursor` does not page this list; it pages by `page`".into())),
                "limit" => limit = Some(value.clone()),
                "ordering" => {
                    for term in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                        match OrderBy::parse(meta, term) {
                            Ok(order) if options.orders_by(&order, meta) => list.ordering.push(order),
                            Ok(order) => list.rejected.push(QueryError::NotFilterable {
                                param: "ordering".to_owned(),
                                field: order.term().trim_start_matches('-').to_owned(),
                            }),
                            Err(e) => list.rejected.push(e),
                        }
                    }
                    if list.ordering.len() > MAX_ORDERING {
                        list.rejected.push(QueryError::TooManyOrderings { count: list.ordering.len() });
                        list.ordering.truncate(MAX_ORDERING);
                    }
                }
                k if options.ignored.iter().any(|i| i == k) => {}
                _ => match keys.iter_mut().find(|(k, _)| k == key) {
                    Some((_, values)) => values.push(value.clone()),
                    None => keys.push((key.clone(), vec![value.clone()])),
                },
            }
        }
        if list.cursor.is_some() && list.used.iter().any(|k| k == "page") {
            list.rejected.push(QueryError::BadCursor(
                "`cursor` and `page` cannot be combined: a list paged by `cursor` has no page numbers".into(),
            ));
        }
        if let Some(raw) = limit {
            let digits = raw.trim();
            let asked = match digits.parse::<u64>() {
                Ok(n) => Some(n),
                // A whole number past `u64` asks for more rows than any page
                // holds, as the OpenAPI document allows: the maximum.
                Err(_) if digits.bytes().all(|b| b.is_ascii_digit()) && digits.bytes().any(|b| b != b'0') => {
                    Some(u64::MAX)
                }
                Err(_) => None,
            };
            match asked {
                Some(n) if n > 0 => list.per_page = Some(options.max_paginate_by.map_or(n, |max| n.min(max))),
                _ => list.rejected.push(QueryError::BadLimit { value: raw }),
            }
        }
        let (mut value_count, mut condition_count) = (0, 0);
        for (key, values) in keys {
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            match Filter::parse(meta, &key, &values) {
                Ok(filter) if options.allows(&filter) => {
                    let (values, conditions) = filter.size();
                    value_count += values;
                    condition_count += conditions;
                    if value_count > MAX_VALUES {
                        let (what, count, max) = ("values", value_count, MAX_VALUES);
                        list.rejected.push(QueryError::TooMany { param: key, what, count, max });
                        continue;
                    }
                    if condition_count > MAX_CONDITIONS {
                        let (what, count, max) = ("conditions", condition_count, MAX_CONDITIONS);
                        list.rejected.push(QueryError::TooMany { param: key, what, count, max });
                        continue;
                    }
                    list.used.push(key);
                    list.filters.push(filter);
                }
                Ok(filter) => list.rejected.push(QueryError::NotFilterable { param: key, field: filter.path() }),
                Err(e) => list.rejected.push(e),
            }
        }
        list
    }

    /// Like [`ListQuery::parse`], but fails on the first rejected parameter.
    pub fn parse_strict(params: &[(String, String)], options: &ListOptions) -> Result<Self, QueryError> {
        let mut list = Self::parse(params, options);
        let first = list.rejected.drain(..).next();
        match first {
            Some(error) => Err(error),
            None => Ok(list),
        }
    }

    /// Orders by `terms` when the query string named no ordering: a list's
    /// default order.
    #[must_use]
    pub fn with_default_ordering(mut self, terms: Vec<OrderBy>) -> Self {
        if self.ordering.is_empty() {
            self.ordering = terms;
        }
        self
    }

    /// The parameters that took effect, in the order first seen.
    pub fn used(&self) -> &[String] {
        &self.used
    }

    /// The parameters that were rejected, with why.
    pub fn rejected(&self) -> &[QueryError] {
        &self.rejected
    }

    /// The filters, one per distinct key.
    pub fn filters(&self) -> &[Filter] {
        &self.filters
    }

    /// The ordering terms as given (without the primary-key tiebreak).
    pub fn ordering(&self) -> &[OrderBy] {
        &self.ordering
    }

    /// The requested page, from 1.
    pub fn page(&self) -> u64 {
        self.page
    }

    /// The page size in effect, or `None` for everything on one page.
    pub fn per_page(&self) -> Option<u64> {
        self.per_page
    }

    /// The `WHERE` condition of all the filters, or `None` when there are none.
    pub fn predicate(&self, dialect: Dialect) -> Result<Option<Predicate<M::Table>>, QueryError> {
        let mut parts = Vec::with_capacity(self.filters.len());
        for filter in &self.filters {
            let matched = predicate::<M>(&filter.hops, &filter.lookup, dialect)
                .map_err(|e| QueryError::Internal(e.to_string()))?;
            parts.push(if filter.exclude { exclude(matched) } else { matched });
        }
        Ok(all_of(parts))
    }

    /// `query` with the filters applied.
    pub fn filter(&self, query: BoxedQuery<M>, dialect: Dialect) -> Result<BoxedQuery<M>, QueryError> {
        Ok(match self.predicate(dialect)? {
            Some(condition) => query.filter(condition),
            None => query,
        })
    }

    /// `query` with the ordering applied, then the primary key.
    pub fn order(&self, query: BoxedQuery<M>) -> Result<BoxedQuery<M>, QueryError> {
        with_tiebreak(M::meta(), &self.ordering).iter().try_fold(query, |q, term| term.apply::<M>(q))
    }
}

impl<M> fmt::Debug for ListQuery<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListQuery")
            .field("filters", &self.filters)
            .field("ordering", &self.ordering)
            .field("page", &self.page)
            .field("per_page", &self.per_page)
            .field("rejected", &self.rejected)
            .finish()
    }
}
