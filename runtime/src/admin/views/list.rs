//! `GET <prefix>/<model>/`: the list, filtered with the REST API's filter
//! language, searched, sorted and paged.

use diesel::QueryDsl;
use rocket::http::Status;
use rocket::response::Redirect;
use serde_json::{json, Value as Json};

use super::columns::{cell_text, columns, related_values, Column};
use super::config::shown_through_relation;
use super::filters::{active_filters, builder, filter_param};
use super::page::{context, crumb, render, template_name, Answer};
use super::view::Ctx;
use super::{AdminModel, ModelAdmin};
use crate::auth::{Caller, UserModel};
use crate::db::{AnyConnection, Dialect};
use crate::forms::{query_string, Params};
use crate::model::{all_of, any_of, predicate, BoxedQuery, Model, Predicate, Value};
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

/// The list request of the query string `params`, with the admin's default
/// ordering when it names none, and the notices for what was ignored.
pub(crate) fn parse_list<M: AdminModel>(params: &Params) -> (ListQuery<M>, Vec<String>) {
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
    (list, notices)
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

/// The cells of `rows`, column by column: related values in one query per
/// relation for the whole page.
pub(crate) fn cells<M: AdminModel>(
    conn: &mut AnyConnection,
    columns: &[Column],
    rows: &[M],
) -> Result<Vec<Vec<Value>>, Error> {
    let mut table: Vec<Vec<Value>> = vec![Vec::with_capacity(columns.len()); rows.len()];
    for column in columns {
        let values: Vec<Value> = if let Some(method) = column.method {
            rows.iter().map(|r| r.method_column(method).map_or(Value::Null, Value::Text)).collect()
        } else if let Some(first) = column.hops.first() {
            let keys = rows.iter().map(|r| r.value(first.field).unwrap_or(Value::Null)).collect();
            related_values(conn, column, keys)?
        } else {
            let field = column.field.map_or("", |f| f.name);
            rows.iter().map(|r| r.value(field).unwrap_or(Value::Null)).collect()
        };
        for (row, value) in table.iter_mut().zip(values) {
            row.push(value);
        }
    }
    Ok(table)
}

/// The page links: the first, the last, and two either side of this one.
fn page_links(page: &Page<impl Sized>, url: &dyn Fn(u64) -> String) -> Vec<Json> {
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

/// `params` without `drop`, as a query string, with `extra` after.
pub(crate) fn query_without(params: &Params, drop: &[&str], extra: &[(&str, &str)]) -> String {
    let kept = params.iter().filter(|(k, _)| !drop.contains(&k.as_str())).map(|(k, v)| (k.as_str(), v.as_str()));
    query_string(kept.chain(extra.iter().copied()))
}

fn with_query(url: &str, query: &str) -> String {
    if query.is_empty() {
        url.to_owned()
    } else {
        format!("{url}?{query}")
    }
}

pub(crate) async fn list<A: ModelAdmin, U: UserModel>(ctx: &Ctx<'_, '_>) -> Answer {
    let meta = A::Model::meta();
    let config = A::Model::admin();
    let url = ctx.state.model_url(meta);
    let params = Params::of_query(ctx.request.uri());

    // The filter builder's form, without JavaScript: its three fields
    // become one filter parameter.
    if let Some(field) = params.get("_filter_field") {
        let op = params.get("_filter_op").unwrap_or("eq");
        let value = params.get("_filter_value").unwrap_or_default();
        let param = filter_param(field, op);
        let query =
            query_without(&params, &["_filter_field", "_filter_op", "_filter_value", "page"], &[(&param, value)]);
        return Answer::Redirect(Redirect::to(with_query(&url, &query)));
    }

    let (list, mut notices) = parse_list::<A::Model>(&params);
    let q = params.get("q").unwrap_or_default().to_owned();
    let columns = columns::<A::Model>();
    let caller = ctx.caller.clone();
    let search_q = q.clone();
    let loaded_columns = columns.clone();
    let loaded = ctx
        .db
        .run(move |conn| {
            let dialect = conn.dialect();
            let (search_notice, q) = match search::<A::Model>(&search_q, dialect) {
                Ok(_) => (None, search_q.as_str()),
                Err(e) => (Some(e.to_string()), ""),
            };
            let page = list.fetch_from(conn, || base_query::<A>(&caller, q, dialect))?;
            let cells = cells::<A::Model>(conn, &loaded_columns, &page.objects)?;
            Ok::<_, Error>((list, page, cells, search_notice))
        })
        .await;
    let (list, page, table, search_notice) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            log::error!("the {} list failed: {e}", meta.slug);
            return render_error::<U>(ctx, e).await;
        }
    };
    notices.extend(search_notice);

    let page_url = |n: u64| with_query(&url, &query_without(&params, &["page"], &[("page", &n.to_string())]));
    let current_order: Vec<String> = list.ordering().iter().map(OrderBy::term).collect();
    let column_json: Vec<Json> = columns
        .iter()
        .map(|column| {
            let term = column.sort_term();
            let sorted = term.as_ref().and_then(|t| {
                current_order.first().and_then(|first| {
                    if first == t {
                        Some("asc")
                    } else if first.strip_prefix('-') == Some(t.as_str()) {
                        Some("desc")
                    } else {
                        None
                    }
                })
            });
            let sort_url = term.as_ref().map(|t| {
                let next = if sorted == Some("asc") { format!("-{t}") } else { t.clone() };
                with_query(&url, &query_without(&params, &["page", "ordering"], &[("ordering", &next)]))
            });
            json!({
                "label": column.label,
                "sort_url": sort_url,
                "sorted": sorted,
                "sorted_aria": if sorted == Some("asc") { "ascending" } else { "descending" },
                "sorted_arrow": if sorted == Some("asc") { "▲" } else { "▼" },
            })
        })
        .collect();
    let rows: Vec<Json> = page
        .objects
        .iter()
        .zip(&table)
        .map(|(row, values)| {
            let pk = row.pk().to_string();
            let cells: Vec<Json> = columns
                .iter()
                .zip(values)
                .map(|(column, value)| json!({"text": cell_text(value), "numeric": column.numeric()}))
                .collect();
            json!({
                "pk": pk,
                "url": format!("{url}{}/", crate::forms::encode_component(&pk)),
                "display": crate::model::display(row),
                "cells": cells,
            })
        })
        .collect();
    let records = if page.object_count == 1 { "record" } else { "records" };
    let count_text = match page.counted {
        Counted::Exact => format!("{} {records} · page {} of {}", page.object_count, page.page, page.page_count.max(1)),
        Counted::AtLeast => format!("more than {} {records} · page {}", page.object_count, page.page),
        Counted::NotCounted => format!("page {}", page.page),
    };
    let keep = |drop: &[&str]| -> Vec<Json> {
        params
            .iter()
            .filter(|(k, _)| !drop.contains(&k.as_str()))
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect()
    };
    let search_labels: Vec<String> = config
        .search_fields
        .iter()
        .filter_map(|path| super::columns::resolve(meta, config, path).map(|(_, _, label)| label.to_lowercase()))
        .collect();
    let filter_query = query_without(&params, &["page"], &[]);
    let page_context =
        match context::<U>(ctx.request, ctx.state, &ctx.caller, meta.verbose_name_plural, Some(meta)).await {
            Ok(page) => page,
            Err(page) => return Answer::Page(page),
        };
    let page_context = page_context
        .insert("breadcrumbs", [crumb("Home", Some(&format!("{}/", ctx.state.prefix))), crumb(meta.verbose_name_plural, None)])
        .insert_json("model", json!({"slug": meta.slug, "name": meta.verbose_name, "name_plural": meta.verbose_name_plural}))
        .insert_json(
            "urls",
            json!({
                "list": url,
                "add": with_query(&format!("{url}add/"), &query_string([("_list", filter_query.as_str())].into_iter().filter(|(_, v)| !v.is_empty()))),
                "export": with_query(&format!("{url}export/"), &filter_query),
                "delete_bulk": format!("{url}delete/"),
            }),
        )
        .insert("notices", notices)
        .insert_json(
            "search",
            json!({"enabled": !config.search_fields.is_empty(), "q": q, "label": search_labels.join(", "), "keep": keep(&["q", "page"])}),
        )
        .insert_json("filter_builder", builder::<A::Model>(&keep(&["page", "_filter_field", "_filter_op", "_filter_value"])))
        .insert_json("active_filters", Json::Array(active_filters(meta, config, list.filters(), &params, &url)))
        .insert("count_text", count_text)
        .insert_json("columns", Json::Array(column_json))
        .insert("column_span", columns.len() + 1)
        .insert_json("rows", Json::Array(rows))
        .insert_json("page_links", Json::Array(page_links(&page, &page_url)))
        .insert("previous_url", page.previous_page().map(&page_url))
        .insert("next_url", page.next_page().map(&page_url));
    render(ctx.request, Status::Ok, &template_name(A::get_template_overrides(), "list"), page_context)
}

/// An error as the admin's error page.
pub(crate) async fn render_error<U: UserModel>(ctx: &Ctx<'_, '_>, error: Error) -> Answer {
    let message = error.public_message();
    Answer::Page(crate::auth::error_page::<U>(ctx.request, error.status(), &message).await)
}
