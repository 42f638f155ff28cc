//! Reading `#[rest(...)]` and checking every name in it against the model.

use std::collections::BTreeSet;

use proc_macro2::Ident;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitBool, LitInt, Path, Token};

use super::ast::Container;
use super::attr::{check_names, count, did_you_mean, CountAttr};
use super::ctxt::Ctxt;
use super::symbol::*;

/// A page size: `paginate_by = 20`, or `paginate_by = none` for one page.
#[derive(Clone, Copy)]
pub(crate) enum PageSize {
    Rows(u64),
    Unlimited,
}

/// What `#[rest(...)]` says.
#[derive(Default)]
pub(crate) struct RestAttrs {
    pub(crate) fields: Option<Vec<Ident>>,
    pub(crate) exclude: Vec<Ident>,
    pub(crate) readonly_fields: Vec<Ident>,
    pub(crate) filter_fields: Option<Vec<Ident>>,
    pub(crate) filter_exclude: Vec<Ident>,
    pub(crate) paginate_by: Option<(PageSize, proc_macro2::Span)>,
    pub(crate) max_paginate_by: Option<(PageSize, proc_macro2::Span)>,
    pub(crate) count: Option<CountAttr>,
    pub(crate) includes: Vec<(Ident, Option<Path>)>,
    pub(crate) owner: Option<Ident>,
    pub(crate) owner_reads: Option<Path>,
    pub(crate) nested_writes: Option<bool>,
}

fn names(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Ident>> {
    let mut out = Vec::new();
    meta.parse_nested_meta(|item| {
        out.push(item.path.require_ident()?.clone());
        Ok(())
    })?;
    Ok(out)
}

fn page_size(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<(PageSize, proc_macro2::Span)> {
    let example = |span| syn::Error::new(span, format!("`{key}` takes a number of rows, like {key} = 20, or `none`"));
    let value = meta.value().map_err(|e| example(e.span()))?;
    if value.peek(syn::Ident) {
        let ident: Ident = value.parse()?;
        return if ident == "none" { Ok((PageSize::Unlimited, ident.span())) } else { Err(example(ident.span())) };
    }
    let lit: LitInt = value.parse().map_err(|e| example(e.span()))?;
    match lit.base10_parse::<u64>() {
        Ok(0) | Err(_) => {
            Err(syn::Error::new(lit.span(), format!("`{key}` must be at least 1; use `none` for one page")))
        }
        Ok(n) => Ok((PageSize::Rows(n), lit.span())),
    }
}

/// Parses `#[rest(...)]`, rejecting unknown and repeated keys.
pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute]) -> RestAttrs {
    let mut out = RestAttrs::default();
    let mut seen = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(REST)) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if !REST_KEYS.contains(&key.as_str()) {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown key `{key}` in #[rest]; keys are: {}{}",
                        REST_KEYS.join(", "),
                        did_you_mean(&key, REST_KEYS)
                    ),
                );
                return skip(&meta);
            }
            if !seen.insert(key.clone()) {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{key}` in #[rest]; give it once"));
                return skip(&meta);
            }
            match key.as_str() {
                FIELDS => out.fields = Some(names(&meta)?),
                EXCLUDE => out.exclude = names(&meta)?,
                READONLY_FIELDS => out.readonly_fields = names(&meta)?,
                FILTER_FIELDS => out.filter_fields = Some(names(&meta)?),
                FILTER_EXCLUDE => out.filter_exclude = names(&meta)?,
                PAGINATE_BY => out.paginate_by = Some(page_size(&meta, PAGINATE_BY)?),
                MAX_PAGINATE_BY => out.max_paginate_by = Some(page_size(&meta, MAX_PAGINATE_BY)?),
                COUNT => out.count = Some(count(&meta)?),
                INCLUDE => {
                    meta.parse_nested_meta(|item| {
                        let relation = item.path.require_ident()?.clone();
                        let resource =
                            if item.input.peek(Token![=]) { Some(item.value()?.parse::<Path>()?) } else { None };
                        out.includes.push((relation, resource));
                        Ok(())
                    })?;
                }
                OWNER => {
                    let example =
                        |span| syn::Error::new(span, "`owner` takes a relation to the user model, like owner = user");
                    let value = meta.value().map_err(|e| example(e.span()))?;
                    out.owner = Some(value.parse::<Ident>().map_err(|e| example(e.span()))?);
                }
                OWNER_READS => {
                    if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                        return Err(meta.error("`owner_reads` is a flag and takes no value"));
                    }
                    out.owner_reads = Some(meta.path);
                }
                _ => {
                    let example = |span| syn::Error::new(span, "`nested_writes` takes true or false");
                    let value = meta.value().map_err(|e| example(e.span()))?;
                    out.nested_writes = Some(value.parse::<LitBool>().map_err(|e| example(e.span()))?.value);
                }
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    out
}

fn skip(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
        meta.input.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// Checks every name against the model `c`.
pub(crate) fn check(cx: &Ctxt, c: &Container<'_>, attrs: &RestAttrs) {
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
    for (relation, _) in &attrs.includes {
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
