//! A model admin's list as a request asks for it, Django's `ChangeList`:
//! the list options, the search, the base query, and the page's headers,
//! result rows and page links, built before the template sees them, each
//! a fragment that Rust writes as its partial draws it. The list and the
//! export read the same rows through it.

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
use crate::templates::{push_escaped, push_escaped_display, Fragment};
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

/// A column's header: its label, and for a column that sorts, the link
/// that sorts by it and how it sorts now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) label: String,
    pub(crate) sort_url: Option<String>,
    /// `asc` or `desc`, when the list sorts by this column first.
    pub(crate) sorted: Option<&'static str>,
}

impl Header {
    fn aria_and_arrow(&self) -> (&'static str, &'static str) {
        if self.sorted == Some("asc") {
            ("ascending", "▲")
        } else {
            ("descending", "▼")
        }
    }
}

impl Fragment for Header {
    const TEMPLATE: &'static str = "hangar/admin/list_header";

    fn to_json(&self) -> Json {
        let (aria, arrow) = self.aria_and_arrow();
        json!({
            "label": self.label,
            "sort_url": self.sort_url,
            "sorted": self.sorted,
            "sorted_aria": aria,
            "sorted_arrow": arrow,
        })
    }

    fn write_html(&self, out: &mut String) {
        let (aria, arrow) = self.aria_and_arrow();
        out.push_str("<th scope=\"col\"");
        if self.sorted.is_some() {
            out.push_str(" aria-sort=\"");
            out.push_str(aria);
            out.push('"');
        }
        out.push('>');
        match &self.sort_url {
            Some(url) => {
                out.push_str("<a href=\"");
                push_escaped(out, url);
                out.push_str("\">");
                push_escaped(out, &self.label);
                if self.sorted.is_some() {
                    out.push_str(" <span aria-hidden=\"true\">");
                    out.push_str(arrow);
                    out.push_str("</span>");
                }
                out.push_str("</a>");
            }
            None => push_escaped(out, &self.label),
        }
        out.push_str("</th>\n");
    }
}

/// The list's column headers: a column that sorts links to the list
/// sorted by it (descending when it sorts ascending already).
pub(crate) fn result_headers(columns: &[Column], ordering: &[OrderBy], params: &Params, url: &str) -> Vec<Header> {
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
            Header { label: column.label.clone(), sort_url, sorted }
        })
        .collect()
}

/// One row of the list, as its template shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResultRow {
    /// The primary key, as text.
    pub(crate) pk: String,
    /// The row's edit page.
    pub(crate) url: String,
    /// The row's display line: the checkbox's label.
    pub(crate) display: String,
    /// Each column's value, shown as [`cell_text`] says, and whether it is
    /// a number (aligned right).
    pub(crate) cells: Vec<(Value, bool)>,
}

impl Fragment for ResultRow {
    const TEMPLATE: &'static str = "hangar/admin/list_row";

    fn to_json(&self) -> Json {
        let cells: Vec<Json> =
            self.cells.iter().map(|(value, numeric)| json!({"text": cell_text(value), "numeric": numeric})).collect();
        json!({"pk": self.pk, "url": self.url, "display": self.display, "cells": cells})
    }

    fn write_html(&self, out: &mut String) {
        out.push_str("<tr><td class=\"select\"><input type=\"checkbox\" name=\"id\" value=\"");
        push_escaped(out, &self.pk);
        out.push_str("\" aria-label=\"Select ");
        push_escaped(out, &self.display);
        out.push_str("\"></td>");
        for (i, (value, numeric)) in self.cells.iter().enumerate() {
            out.push_str(if *numeric { "<td class=\"number\">" } else { "<td>" });
            if i == 0 {
                out.push_str("<a href=\"");
                push_escaped(out, &self.url);
                out.push_str("\">");
                push_cell(out, value);
                out.push_str("</a>");
            } else {
                push_cell(out, value);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
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

/// Appends [`cell_text`] of `value`, escaped, without a string of its own.
fn push_cell(out: &mut String, value: &Value) {
    match value {
        Value::Null | Value::Bool(_) => out.push_str(&cell_text(value)),
        other => push_escaped_display(out, other),
    }
}

/// The page's rows: `table` holds each row's values, column by column.
pub(crate) fn result_rows<M: Model>(
    rows: &[M],
    columns: &[Column],
    table: Vec<Vec<Value>>,
    url: &str,
) -> Vec<ResultRow> {
    let numeric: Vec<bool> = columns.iter().map(Column::numeric).collect();
    rows.iter()
        .zip(table)
        .map(|(row, values)| {
            let pk = row.pk().to_string();
            ResultRow {
                url: format!("{url}{}/", encode_component(&pk)),
                pk,
                display: display(row),
                cells: values.into_iter().zip(&numeric).map(|(value, numeric)| (value, *numeric)).collect(),
            }
        })
        .collect()
}

/// A link to a page of the list, or a gap between the links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PageLink {
    Page { number: u64, url: String, current: bool },
    Gap,
}

/// The list's page links, with the previous and next pages'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pagination {
    pub(crate) links: Vec<PageLink>,
    pub(crate) previous_url: Option<String>,
    pub(crate) next_url: Option<String>,
}

impl Pagination {
    /// The links of `page`: the first, the last, and two either side of
    /// this one; `url` gives a page's.
    pub(crate) fn of(page: &Page<impl Sized>, url: &dyn Fn(u64) -> String) -> Self {
        // Without an exact count, the last page is not known: link up to the next.
        let last = match page.counted {
            Counted::Exact => page.page_count,
            Counted::AtLeast | Counted::NotCounted => page.page + u64::from(page.has_more),
        };
        let current = page.page;
        let mut links = Vec::new();
        if last > 1 {
            let mut previous = 0;
            for n in 1..=last {
                let near = n == 1 || n == last || n.abs_diff(current) <= 2;
                if !near {
                    continue;
                }
                if n > previous + 1 {
                    links.push(PageLink::Gap);
                }
                links.push(PageLink::Page { number: n, url: url(n), current: n == current });
                previous = n;
            }
        }
        Pagination { links, previous_url: page.previous_page().map(url), next_url: page.next_page().map(url) }
    }

    /// The links as a list template of the app's own reads them.
    pub(crate) fn links_json(&self) -> Vec<Json> {
        self.links
            .iter()
            .map(|link| match link {
                PageLink::Gap => json!({"gap": true}),
                PageLink::Page { number, url, current } => json!({"number": number, "url": url, "current": current}),
            })
            .collect()
    }
}

impl Fragment for Pagination {
    const TEMPLATE: &'static str = "hangar/admin/list_pagination";

    fn to_json(&self) -> Json {
        json!({"page_links": self.links_json(), "previous_url": self.previous_url, "next_url": self.next_url})
    }

    fn write_html(&self, out: &mut String) {
        if !self.links.is_empty() {
            out.push_str("<nav class=\"pagination\" aria-label=\"Pages\">");
            if let Some(url) = &self.previous_url {
                out.push_str("<a rel=\"prev\" href=\"");
                push_escaped(out, url);
                out.push_str("\">Previous</a>");
            }
            out.push_str("<ol>");
            for link in &self.links {
                out.push_str("<li>");
                match link {
                    PageLink::Gap => out.push_str("<span class=\"gap\">…</span>"),
                    PageLink::Page { number, current: true, .. } => {
                        out.push_str("<span aria-current=\"page\">");
                        out.push_str(&number.to_string());
                        out.push_str("</span>");
                    }
                    PageLink::Page { number, url, .. } => {
                        out.push_str("<a href=\"");
                        push_escaped(out, url);
                        out.push_str("\">");
                        out.push_str(&number.to_string());
                        out.push_str("</a>");
                    }
                }
                out.push_str("</li>");
            }
            out.push_str("</ol>");
            if let Some(url) = &self.next_url {
                out.push_str("<a rel=\"next\" href=\"");
                push_escaped(out, url);
                out.push_str("\">Next</a>");
            }
            out.push_str("</nav>");
        }
        out.push('\n');
    }
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
    use crate::templates::{assert_written_as_drawn, render_fragments, Templates};

    fn rows() -> Vec<ResultRow> {
        vec![
            ResultRow {
                pk: "1".into(),
                url: "/admin/message/1/".into(),
                display: "hello".into(),
                cells: vec![
                    (Value::Text("hello".into()), false),
                    (Value::Integer(42), true),
                    (Value::Null, false),
                    (Value::Bool(true), false),
                ],
            },
            ResultRow {
                pk: "a b&c".into(),
                url: "/admin/tag/a%20b%26c/".into(),
                display: "<b>\"it's\"</b> `x`=y".into(),
                cells: vec![(Value::Text("<script>alert(1)</script>".into()), false), (Value::Double(-1.5), true)],
            },
            ResultRow { pk: "7".into(), url: "/admin/tag/7/".into(), display: String::new(), cells: Vec::new() },
        ]
    }

    #[test]
    fn rows_written_in_rust_are_what_the_row_partial_draws() -> Result<(), Error> {
        for row in rows() {
            assert_written_as_drawn(&row)?;
        }
        let html = render_fragments(&Templates::embedded()?, &rows())?;
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        Ok(())
    }

    #[test]
    fn a_row_partial_of_the_apps_own_draws_every_row() -> Result<(), Error> {
        let mut templates = Templates::embedded()?;
        templates.add(ResultRow::TEMPLATE, "<tr data-pk=\"{{pk}}\">{{#each cells}}<td>{{text}}</td>{{/each}}</tr>")?;
        let html = render_fragments(&templates, &rows())?;
        assert!(html.starts_with("<tr data-pk=\"1\"><td>hello</td><td>42</td><td>—</td><td>yes</td></tr>"), "{html}");
        assert_eq!(html.matches("<tr data-pk").count(), 3);
        Ok(())
    }

    #[test]
    fn headers_written_in_rust_are_what_the_header_partial_draws() -> Result<(), Error> {
        let url = Some("/admin/message/?ordering=-pub_date&q=a%3Db".to_owned());
        for sorted in [None, Some("asc"), Some("desc")] {
            for sort_url in [None, url.clone()] {
                assert_written_as_drawn(&Header { label: "Pub <date>".into(), sort_url, sorted })?;
            }
        }
        Ok(())
    }

    #[test]
    fn page_links_written_in_rust_are_what_the_pagination_partial_draws() -> Result<(), Error> {
        let url = |n: u64| format!("/admin/message/?q=x&y&page={n}");
        let links = vec![
            PageLink::Page { number: 1, url: url(1), current: false },
            PageLink::Gap,
            PageLink::Page { number: 4, url: url(4), current: true },
            PageLink::Page { number: 9, url: url(9), current: false },
        ];
        for (previous_url, next_url) in [(None, None), (Some(url(3)), Some(url(5)))] {
            assert_written_as_drawn(&Pagination { links: links.clone(), previous_url, next_url })?;
        }
        assert_written_as_drawn(&Pagination { links: Vec::new(), previous_url: None, next_url: None })?;
        Ok(())
    }
}
