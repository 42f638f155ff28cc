//! A list request's query string: filters, ordering and pagination.

use std::fmt;
use std::marker::PhantomData;

use diesel::QueryDsl;

use super::cursor::{self, Direction};
use super::ordering::{with_tiebreak, OrderBy};
use super::pagination::{clamp, parse_page};
use super::{Count, Counted, Cursors, Filter, Page, QueryError};
use crate::db::{AnyConnection, Dialect};
use crate::model::{all_of, exclude, predicate, BoxedQuery, FieldMeta, Model, ModelMeta, Predicate};

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
    fn orders_by(&self, order: &OrderBy, meta: &'static ModelMeta) -> bool {
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

    fn allows(&self, filter: &Filter) -> bool {
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
    filters: Vec<Filter>,
    ordering: Vec<OrderBy>,
    page: u64,
    per_page: Option<u64>,
    used: Vec<String>,
    rejected: Vec<QueryError>,
    count: Count,
    cursor: Option<String>,
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
            match raw.trim().parse::<u64>() {
                Ok(n) if n > 0 => list.per_page = Some(options.max_paginate_by.map_or(n, |max| n.min(max))),
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

    /// Reads the requested page of the model's rows.
    pub fn fetch(&self, conn: &mut AnyConnection) -> Result<Page<M>, crate::Error> {
        self.fetch_from(conn, || Ok(M::all()))
    }

    /// Reads the requested page of the rows `base` selects (a scoped query,
    /// such as active users only), filtered and ordered: one query to count
    /// (unless the list's [`Count`] says otherwise) and one to read; a list
    /// paged by `cursor` reads only.
    pub fn fetch_from(
        &self,
        conn: &mut AnyConnection,
        base: impl Fn() -> Result<BoxedQuery<M>, crate::Error>,
    ) -> Result<Page<M>, crate::Error> {
        if let Some(token) = &self.cursor {
            return self.fetch_by_cursor(conn, base, token);
        }
        let dialect = conn.dialect();
        let filtered = || -> Result<BoxedQuery<M>, crate::Error> { Ok(self.filter(base()?, dialect)?) };
        let counted = match self.count {
            Count::Exact => Some(M::count(filtered()?, conn)?),
            Count::Capped(cap) => Some(M::count(filtered()?.limit(clamp(cap.saturating_add(1))), conn)?),
            Count::None => None,
        };
        let counted = counted.map(|n| u64::try_from(n).unwrap_or(0));
        let exact = self.count == Count::Exact;
        let mut query = self.order(filtered()?)?;
        if let Some(size) = self.per_page {
            let offset = (self.page - 1).saturating_mul(size);
            // Without an exact count, one more row says whether a next page exists.
            query = query.limit(clamp(size.saturating_add(u64::from(!exact)))).offset(clamp(offset));
        }
        let mut objects = M::load(query, conn)?;
        if exact {
            return Ok(Page::new(objects, self.page, self.per_page, counted.unwrap_or(0)));
        }
        let has_more = keep_page(&mut objects, self.per_page);
        Ok(match (self.count, counted) {
            (Count::Capped(cap), Some(n)) if n > cap => {
                Page::uncounted(objects, self.page, self.per_page, Counted::AtLeast, cap, has_more)
            }
            (_, Some(n)) => Page::new(objects, self.page, self.per_page, n),
            (_, None) => Page::uncounted(objects, self.page, self.per_page, Counted::NotCounted, 0, has_more),
        })
    }

    /// Whether the list is paged by `cursor` rather than by page number.
    pub fn by_cursor(&self) -> bool {
        self.cursor.is_some()
    }

    /// The page after or before the row the cursor marks, or the first:
    /// a keyset query, so its cost does not depend on how deep it is.
    fn fetch_by_cursor(
        &self,
        conn: &mut AnyConnection,
        base: impl Fn() -> Result<BoxedQuery<M>, crate::Error>,
        token: &str,
    ) -> Result<Page<M>, crate::Error> {
        let meta = M::meta();
        let terms = with_tiebreak(meta, &self.ordering);
        cursor::check_ordering(meta, &terms)?;
        let position = match token.trim() {
            "" => None,
            token => Some(cursor::decode(meta, &terms, token)?),
        };
        let dialect = conn.dialect();
        let mut query = self.filter(base()?, dialect)?;
        let backwards = position.as_ref().is_some_and(|p| p.direction == Direction::Before);
        if let Some(position) = &position {
            query = query.filter(cursor::keyset::<M>(&terms, position, dialect)?);
        }
        let order = if backwards { cursor::reversed(&terms) } else { terms.clone() };
        query = order.iter().try_fold(query, |q, term| term.apply::<M>(q))?;
        if let Some(size) = self.per_page {
            query = query.limit(clamp(size.saturating_add(1)));
        }
        let mut objects = M::load(query, conn)?;
        let more_that_way = keep_page(&mut objects, self.per_page);
        if backwards {
            objects.reverse();
        }
        let mark =
            |direction, row: Option<&M>| row.map(|r| cursor::encode(direction, &terms, &cursor::values_of(r, &terms)));
        let (after, before) = (mark(Direction::After, objects.last()), mark(Direction::Before, objects.first()));
        let cursors = if backwards {
            Cursors { next: after, previous: before.filter(|_| more_that_way) }
        } else {
            Cursors { next: after.filter(|_| more_that_way), previous: before.filter(|_| position.is_some()) }
        };
        let has_more = cursors.next.is_some();
        let mut page = Page::uncounted(objects, 1, self.per_page, Counted::NotCounted, 0, has_more);
        page.cursors = Some(cursors);
        Ok(page)
    }
}

/// Drops the extra row read past a page of `per_page`, answering whether
/// there was one.
fn keep_page<T>(objects: &mut Vec<T>, per_page: Option<u64>) -> bool {
    let Some(size) = per_page.and_then(|s| usize::try_from(s).ok()) else {
        return false;
    };
    let more = objects.len() > size;
    objects.truncate(size);
    more
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
