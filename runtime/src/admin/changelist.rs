//! A model admin's list as a request asks for it, Django's `ChangeList`:
//! the list options, the search, the base query, and the page's headers,
//! result rows and page links, built before the template sees them. The
//! list and the export read the same rows through it.

use diesel::QueryDsl;
use serde_json::{json, Value as Json};

use super::columns::Column;
use super::config::{shown_through_relation, AdminModel};
use super::model_admin::ModelAdmin;
use crate::auth::Caller;
use crate::db::Dialect;
use crate::forms::{encode_component, Params};
use crate::model::{all_of, any_of, display, predicate, BoxedQuery, Model, Predicate, Value};
use crate::query::{Counted, Filter, ListOptions, ListQuery, OrderBy, Page, QueryError};
use crate::Error;

/// The most words of a search that count.
const MAX_SEARCH_WORDS: usize = 10;

/// How a list reads its query string: the admin's page size, its filter
/// rules, and `q` for the search.
pub(crate) fn list_options<M: AdminModel>() -> ListOptions {
    let config = M::admin();
    let hidden = M::meta().fields.iter().filter(|f| !config.shows(f.name)).map(|f| f.name.to_owned());
    ListOptions {
        paginate_by: Some(config.paginate_by),
        max_paginate_by: Some(config.paginate_by.max(crate::query::DEFAULT_MAX_PAGINATE_BY)),
        ignored: vec!["q".to_owned()],
        filter_fields: config.filter_fields.map(|f| f.iter().map(|s| (*s).to_owned()).collect()),
        filter_exclude: config.filter_exclude.iter().map(|s| (*s).to_owned()).chain(hidden).collect(),
        related_field_allowed: Some(shown_through_relation),
        count: config.count,
        // The admin's pages are numbered; `cursor` is the API's.
        cursors: false,
    }
}

/// The list a query string asks for: its filters, ordering (the admin's
/// default when it names none) and page, the search text `q`, and the
/// notices for what was ignored.
#[derive(Debug)]
pub(crate) struct ChangeList<M> {
    pub(crate) list: ListQuery<M>,
    pub(crate) q: String,
    pub(crate) notices: Vec<String>,
}

impl<M: AdminModel> ChangeList<M> {
    pub(crate) fn parse(params: &Params) -> Self {
        let list = ListQuery::<M>::parse(params, &list_options::<M>());
        let mut notices: Vec<String> = list.rejected().iter().map(ToString::to_string).collect();
        let list = if list.ordering().is_empty() {
            let meta = M::meta();
            let configured = M::admin().ordering.iter().filter_map(|term| match OrderBy::parse(meta, term) {
                Ok(order) => Some(order),
                Err(e) => {
                    notices.push(e.to_string());
                    None
                }
            });
            let mut terms: Vec<OrderBy> = configured.collect();
            if terms.is_empty() {
                terms.push(OrderBy::field(meta.primary_key.name, true));
            }
            list.with_default_ordering(terms)
        } else {
            list
        };
        let q = params.get("q").unwrap_or_default().to_owned();
        ChangeList { list, q, notices }
    }
}

/// The rows whose `search_fields` contain every word of `q`, ignoring case:
/// each word may match any field, and a row with a NULL foreign key can
/// still match through its other fields.
pub(crate) fn search<M: AdminModel>(q: &str, dialect: Dialect) -> Result<Option<Predicate<M::Table>>, QueryError> {
    let fields = M::admin().search_fields;
    if fields.is_empty() {
        return Ok(None);
    }
    let mut words = Vec::new();
    for word in q.split_whitespace().take(MAX_SEARCH_WORDS) {
        let mut any = Vec::with_capacity(fields.len());
        for path in fields {
            let filter = Filter::parse(M::meta(), &format!("{path}__contains"), &[word])?;
            let matched = predicate::<M>(filter.hops(), filter.lookup(), dialect)
                .map_err(|e| QueryError::Internal(e.to_string()))?;
            any.push(matched);
        }
        words.push(any_of(any).map_err(|e| QueryError::Internal(e.to_string()))?);
    }
    Ok(all_of(words))
}

/// The rows of `A` the list shows to `caller`: `get_query`, then the search.
pub(crate) fn base_query<A: ModelAdmin>(
    caller: &Caller,
    q: &str,
    dialect: Dialect,
) -> Result<BoxedQuery<A::Model>, Error> {
    let query = A::get_query(caller);
    Ok(match search::<A::Model>(q, dialect)? {
        Some(condition) => query.filter(condition),
        None => query,
    })
}

/// The list's column headers: each column's label, and for a column that
/// sorts, the link that sorts by it (descending when it sorts ascending
/// already) and how it sorts now.
pub(crate) fn result_headers(columns: &[Column], ordering: &[OrderBy], params: &Params, url: &str) -> Vec<Json> {
    let first = ordering.first().map(OrderBy::term);
    columns
        .iter()
        .map(|column| {
            let term = column.sort_term();
            let sorted = term.as_ref().zip(first.as_ref()).and_then(|(t, first)| {
                if first == t {
                    Some("asc")
                } else if first.strip_prefix('-') == Some(t.as_str()) {
                    Some("desc")
                } else {
                    None
                }
            });
            let sort_url = term.as_ref().map(|t| {
                let next = if sorted == Some("asc") { format!("-{t}") } else { t.clone() };
                params.url_without(url, &["page", "ordering"], &[("ordering", &next)])
            });
            json!({
                "label": column.label,
                "sort_url": sort_url,
                "sorted": sorted,
                "sorted_aria": if sorted == Some("asc") { "ascending" } else { "descending" },
                "sorted_arrow": if sorted == Some("asc") { "▲" } else { "▼" },
            })
        })
        .collect()
}

/// One row of the list, as its template shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResultRow {
    /// The primary key, as text.
    pub(crate) pk: String,
    /// The row's edit page.
    pub(crate) url: String,
    /// The row's display line: the checkbox's label.
    pub(crate) display: String,
    /// Each column's text, and whether it is a number (aligned right).
    pub(crate) cells: Vec<(String, bool)>,
}

/// What a cell shows of a value: a dash for NULL, yes/no for booleans.
pub(crate) fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        other => other.to_string(),
    }
}

/// The page's rows, their cells as text: `table` holds each row's values,
/// column by column.
pub(crate) fn result_rows<M: Model>(rows: &[M], columns: &[Column], table: &[Vec<Value>], url: &str) -> Vec<ResultRow> {
    let numeric: Vec<bool> = columns.iter().map(Column::numeric).collect();
    rows.iter()
        .zip(table)
        .map(|(row, values)| {
            let pk = row.pk().to_string();
            ResultRow {
                url: format!("{url}{}/", encode_component(&pk)),
                pk,
                display: display(row),
                cells: values.iter().zip(&numeric).map(|(value, numeric)| (cell_text(value), *numeric)).collect(),
            }
        })
        .collect()
}

/// The page links: the first, the last, and two either side of this one.
pub(crate) fn page_links(page: &Page<impl Sized>, url: &dyn Fn(u64) -> String) -> Vec<Json> {
    // Without an exact count, the last page is not known: link up to the next.
    let last = match page.counted {
        Counted::Exact => page.page_count,
        Counted::AtLeast | Counted::NotCounted => page.page + u64::from(page.has_more),
    };
    let current = page.page;
    if last <= 1 {
        return Vec::new();
    }
    let mut links = Vec::new();
    let mut previous = 0;
    for n in 1..=last {
        let near = n == 1 || n == last || n.abs_diff(current) <= 2;
        if !near {
            continue;
        }
        if n > previous + 1 {
            links.push(json!({"gap": true}));
        }
        links.push(json!({"number": n, "url": url(n), "current": n == current}));
        previous = n;
    }
    links
}

/// How many rows there are, in words: "42 records · page 2 of 3".
pub(crate) fn count_text(page: &Page<impl Sized>) -> String {
    let records = if page.object_count == 1 { "record" } else { "records" };
    match page.counted {
        Counted::Exact => format!("{} {records} · page {} of {}", page.object_count, page.page, page.page_count.max(1)),
        Counted::AtLeast => format!("more than {} {records} · page {}", page.object_count, page.page),
        Counted::NotCounted => format!("page {}", page.page),
    }
}
