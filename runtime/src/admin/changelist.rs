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
use crate::templates::{escape_html, Templates};
use crate::Error;

/// The partial that renders one row of the list.
pub(crate) const ROW_TEMPLATE: &str = "hangar/admin/list_row";

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

impl ResultRow {
    /// The row as the `hangar/admin/list_row` partial reads it.
    pub(crate) fn to_json(&self) -> Json {
        let cells: Vec<Json> =
            self.cells.iter().map(|(text, numeric)| json!({"text": text, "numeric": numeric})).collect();
        json!({"pk": self.pk, "url": self.url, "display": self.display, "cells": cells})
    }

    /// Writes the row as the library's own `hangar/admin/list_row` renders
    /// it, byte for byte, without a template: rendering a page's rows cost
    /// the list most of its time.
    fn write_html(&self, out: &mut String) {
        out.push_str("<tr><td class=\"select\"><input type=\"checkbox\" name=\"id\" value=\"");
        out.push_str(&escape_html(&self.pk));
        out.push_str("\" aria-label=\"Select ");
        out.push_str(&escape_html(&self.display));
        out.push_str("\"></td>");
        for (i, (text, numeric)) in self.cells.iter().enumerate() {
            out.push_str(if *numeric { "<td class=\"number\">" } else { "<td>" });
            if i == 0 {
                out.push_str("<a href=\"");
                out.push_str(&escape_html(&self.url));
                out.push_str("\">");
                out.push_str(&escape_html(text));
                out.push_str("</a>");
            } else {
                out.push_str(&escape_html(text));
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
}

/// The rows as HTML: each through the app's `hangar/admin/list_row` when
/// it replaces the library's, else written as the library's renders them.
pub(crate) fn rows_html(templates: &Templates, rows: &[ResultRow]) -> Result<String, Error> {
    if templates.is_replaced(ROW_TEMPLATE) {
        let rendered: Vec<String> =
            rows.iter().map(|row| templates.render_json(ROW_TEMPLATE, row.to_json())).collect::<Result<_, _>>()?;
        return Ok(rendered.concat());
    }
    let mut out = String::with_capacity(rows.len() * 256);
    for row in rows {
        row.write_html(&mut out);
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<ResultRow> {
        vec![
            ResultRow {
                pk: "1".into(),
                url: "/admin/message/1/".into(),
                display: "hello".into(),
                cells: vec![("hello".into(), false), ("42".into(), true), ("—".into(), false)],
            },
            ResultRow {
                pk: "a b&c".into(),
                url: "/admin/tag/a%20b%26c/".into(),
                display: "<b>\"it's\"</b> `x`=y".into(),
                cells: vec![("<script>alert(1)</script>".into(), false), ("-1.5".into(), true)],
            },
            ResultRow { pk: "7".into(), url: "/admin/tag/7/".into(), display: String::new(), cells: Vec::new() },
        ]
    }

    #[test]
    fn rows_written_in_rust_are_what_the_row_partial_renders() -> Result<(), Error> {
        let templates = Templates::embedded()?;
        for row in rows() {
            let mut written = String::new();
            row.write_html(&mut written);
            assert_eq!(written, templates.render_json(ROW_TEMPLATE, row.to_json())?);
        }
        assert!(rows_html(&templates, &rows())?.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        Ok(())
    }

    #[test]
    fn a_row_partial_of_the_apps_own_renders_every_row() -> Result<(), Error> {
        let mut templates = Templates::embedded()?;
        templates.add(ROW_TEMPLATE, "<tr data-pk=\"{{pk}}\">{{#each cells}}<td>{{text}}</td>{{/each}}</tr>")?;
        let html = rows_html(&templates, &rows())?;
        assert!(html.starts_with("<tr data-pk=\"1\"><td>hello</td><td>42</td><td>—</td></tr>"), "{html}");
        assert_eq!(html.matches("<tr data-pk").count(), 3);
        Ok(())
    }
}
