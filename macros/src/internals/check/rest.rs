//! Checking every name in `#[rest(...)]` against the model.

use std::collections::BTreeSet;

use proc_macro2::Ident;

use super::check_names;
use crate::internals::ast::{Container, Rest};
use crate::internals::attr::rest::{PageSize, RestAttrs};
use crate::internals::ctxt::Ctxt;
use crate::internals::suggest::did_you_mean;
use crate::internals::symbol::*;

/// Checks every name in `attrs` against `model`, recording each problem in
/// `cx`.
pub(crate) fn check<'a>(cx: &Ctxt, model: Container<'a>, attrs: RestAttrs) -> Rest<'a> {
    check_names_in(cx, &model, &attrs);
    Rest { model, attrs }
}

fn check_names_in(cx: &Ctxt, c: &Container<'_>, attrs: &RestAttrs) {
    let fields: Vec<String> = c.fields.iter().map(|f| f.ident.to_string()).collect();
    let field_names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let relations: Vec<&str> = c.relations.iter().map(|r| r.name.as_str()).collect();
    let model = c.ident;

    let field_list = |key: &str, list: &[Ident]| {
        check_names(cx, model, key, list, &field_names, |name| {
            field_names.contains(&name) || relations.contains(&name)
        });
    };
    if let Some(list) = &attrs.fields {
        field_list(FIELDS, list);
    }
    field_list(EXCLUDE, &attrs.exclude);
    field_list(READONLY_FIELDS, &attrs.readonly_fields);
    if let Some(shown) = &attrs.fields {
        for name in &attrs.exclude {
            if shown.iter().any(|s| s == name) {
                cx.error_spanned_by(name, format!("`{name}` is in both `fields` and `exclude`; keep one"));
            }
        }
    }

    // Filter paths start with a field or a relation of this model; the
    // rest of a path is checked against the related model when a request
    // uses it.
    let path_list = |key: &str, list: &[Ident]| {
        for path in list {
            let text = path.to_string();
            let first = text.split("__").next().unwrap_or_default();
            let deeper = text.contains("__");
            let known = if deeper {
                relations.contains(&first)
            } else {
                field_names.contains(&first) || relations.contains(&first)
            };
            if deeper && field_names.contains(&first) && !relations.contains(&first) {
                cx.error_spanned_by(
                    path,
                    format!("`{first}` is a field of `{model}`, not a relation, so `{text}` in `{key}` cannot go through it"),
                );
            } else if !known {
                let candidates: Vec<&str> = field_names.iter().chain(&relations).copied().collect();
                let what = if deeper { "relation" } else { "field or relation" };
                cx.error_spanned_by(
                    path,
                    format!(
                        "`{first}` in `{key}` is not a {what} of `{model}`; it has: {}{}",
                        candidates.join(", "),
                        did_you_mean(first, &candidates)
                    ),
                );
            }
        }
    };
    if let Some(list) = &attrs.filter_fields {
        path_list(FILTER_FIELDS, list);
    }
    path_list(FILTER_EXCLUDE, &attrs.filter_exclude);

    let relation_named = |name: &Ident, key: &str, needs: &str| {
        let text = name.to_string();
        if relations.contains(&text.as_str()) {
            return;
        }
        let hint = if field_names.contains(&text.as_str()) {
            format!("`{text}` is a field of `{model}`, not a foreign key")
        } else {
            format!("`{model}` has no relation `{text}`")
        };
        let list = if relations.is_empty() {
            "it has none".to_owned()
        } else {
            format!("relations are: {}", relations.join(", "))
        };
        cx.error_spanned_by(name, format!("{hint}; `{key}` needs {needs}; {list}{}", did_you_mean(&text, &relations)));
    };
    let mut included = BTreeSet::new();
    for include in &attrs.includes {
        let relation = &include.relation;
        relation_named(relation, INCLUDE, "a relation");
        if !included.insert(relation.to_string()) {
            cx.error_spanned_by(relation, format!("`{relation}` is included twice"));
        }
    }
    if let Some(owner) = &attrs.owner {
        relation_named(owner, OWNER, "a foreign key to the user model");
    }
    if let (Some(flag), None) = (&attrs.owner_reads, &attrs.owner) {
        cx.error_spanned_by(flag, "`owner_reads` needs `owner = relation` to know whose rows to show");
    }
    if let (Some((PageSize::Rows(page), _)), Some((PageSize::Rows(max), span))) =
        (attrs.paginate_by, attrs.max_paginate_by)
    {
        if max < page {
            cx.syn_error(syn::Error::new(span, format!("`max_paginate_by` ({max}) is below `paginate_by` ({page})")));
        }
    }
}
