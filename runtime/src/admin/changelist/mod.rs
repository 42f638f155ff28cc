//! A model admin's list as a request asks for it, Django's `ChangeList`:
//! the list options, the search, the base query, and the page's headers,
//! result rows and page links, built before the template sees them, each
//! a fragment that Rust writes as its partial draws it. The list and the
//! export read the same rows through it.

mod headers;
mod pages;
mod rows;
mod selected;

pub(crate) use headers::result_headers;
pub(crate) use pages::{count_text, Pagination};
pub(crate) use rows::result_rows;
pub(crate) use selected::{object_hook, offered, permitted, row_hooks, Chosen};

use diesel::QueryDsl;

use super::config::{shown_through_relation, AdminModel};
use super::model_admin::ModelAdmin;
use crate::auth::Caller;
use crate::db::Dialect;
use crate::forms::Params;
use crate::model::{all_of, any_of, predicate, BoxedQuery, Predicate};
use crate::query::{Filter, ListOptions, ListQuery, OrderBy, QueryError};
use crate::Error;

/// The most terms of a search that count: words and quoted phrases.
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

/// The terms of a search, as Django's admin reads them: words separated by
/// whitespace, and a `"quoted phrase"` as one term, spaces and all. A quote
/// left open runs to the end, so that `"hello wor` is the phrase a person
/// is still typing rather than an error or a search for the quote mark
/// itself. Only double quotes group: a single quote is an apostrophe as
/// often as not (`don't`). An empty phrase is no term; at most
/// [`MAX_SEARCH_WORDS`] terms count.
pub(crate) fn search_terms(q: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let mut rest = q;
    while terms.len() < MAX_SEARCH_WORDS {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            break;
        };
        let (term, after) = if first == '"' {
            let inside = &rest[1..];
            inside.split_once('"').unwrap_or((inside, ""))
        } else {
            // A word ends at whitespace or where a phrase begins.
            let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
            rest.split_at(end)
        };
        if !term.is_empty() {
            terms.push(term);
        }
        rest = after;
    }
    terms
}

/// The rows whose `search_fields` contain every term of `q` ([`search_terms`]),
/// ignoring case: each term may match any field, and a row with a NULL
/// foreign key can still match through its other fields.
pub(crate) fn search<M: AdminModel>(q: &str, dialect: Dialect) -> Result<Option<Predicate<M::Table>>, QueryError> {
    let fields = M::admin().search_fields;
    if fields.is_empty() {
        return Ok(None);
    }
    let mut words = Vec::new();
    for word in search_terms(q) {
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

#[cfg(test)]
mod tests {
    use super::{search_terms, MAX_SEARCH_WORDS};

    #[test]
    fn a_quoted_phrase_is_one_term() {
        assert_eq!(search_terms(r#"hello "big world"  again"#), ["hello", "big world", "again"]);
        assert_eq!(search_terms(r#"a"b c"d"#), ["a", "b c", "d"]);
        assert_eq!(search_terms(r#""" x "  ""#), ["x", "  "]);
        assert_eq!(search_terms("don't stop"), ["don't", "stop"]);
    }

    #[test]
    fn an_open_quote_runs_to_the_end() {
        assert_eq!(search_terms(r#"tea "earl grey hot"#), ["tea", "earl grey hot"]);
        assert_eq!(search_terms(r#"""#), Vec::<&str>::new());
        assert_eq!(search_terms("   "), Vec::<&str>::new());
    }

    #[test]
    fn only_the_first_terms_count() {
        let q = (0..MAX_SEARCH_WORDS + 5).map(|i| format!("\"w {i}\"")).collect::<Vec<_>>().join(" ");
        let terms = search_terms(&q);
        assert_eq!(terms.len(), MAX_SEARCH_WORDS);
        assert_eq!(terms[0], "w 0");
    }
}
