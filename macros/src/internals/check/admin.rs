//! Checking every name in `#[admin(...)]` against the model.
//!
//! Names of this model are checked here, with suggestions. A path into a
//! related model (`user__username`) is checked here up to the relation, and
//! the rest by a `const` check against that model's description, which the
//! generator emits (see `hangar::model::check_path`).

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span};

use super::check_names;
use crate::internals::ast::{Admin, Container, RelatedPath};
use crate::internals::attr::admin::{AdminAttrs, AdminColumn, Widget};
use crate::internals::ctxt::Ctxt;
use crate::internals::suggest::did_you_mean;
use crate::internals::symbol::*;

/// Checks every name in `attrs` against `model`, recording each problem in
/// `cx`, and keeps the paths that go into related models for the
/// generator's `const` checks.
pub(crate) fn check<'a>(cx: &Ctxt, model: Container<'a>, attrs: AdminAttrs) -> Admin<'a> {
    let related_paths = related_paths(cx, &model, &attrs);
    Admin { model, attrs, related_paths }
}

fn related_paths(cx: &Ctxt, c: &Container<'_>, attrs: &AdminAttrs) -> Vec<RelatedPath> {
    let fields: Vec<String> = c.fields.iter().map(|f| f.ident.to_string()).collect();
    let field_names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let relations: Vec<&str> = c.relations.iter().map(|r| r.name.as_str()).collect();
    let candidates: Vec<&str> = field_names.iter().chain(&relations).copied().collect();
    let relation_list = if relations.is_empty() { "none".to_owned() } else { relations.join(", ") };
    let model = c.ident;
    let mut remote = Vec::new();

    let is_text = |name: &str| c.fields.iter().find(|f| f.ident == name).is_some_and(|f| f.class.base == "String");

    // A field or relation of this model, or a path through a relation.
    let mut path = |text: &str, span: Span, key: &'static str, needs_text: bool| {
        let segments: Vec<&str> = text.split("__").collect();
        let first = segments[0];
        if segments.len() == 1 {
            if !candidates.contains(&first) {
                cx.syn_error(syn::Error::new(
                    span,
                    format!(
                        "unknown field `{first}` in `{key}`; `{model}` has: {}{}",
                        candidates.join(", "),
                        did_you_mean(first, &candidates)
                    ),
                ));
            } else if needs_text && !is_text(first) {
                cx.syn_error(syn::Error::new(
                    span,
                    format!("`{key}` needs a text field; `{first}` of `{model}` is not text"),
                ));
            }
            return;
        }
        match c.relations.iter().position(|r| r.name == first) {
            Some(relation) => remote.push(RelatedPath {
                span,
                key,
                relation,
                rest: segments[1..].iter().map(|s| (*s).to_owned()).collect(),
                needs_text,
            }),
            None if field_names.contains(&first) => cx.syn_error(syn::Error::new(
                span,
                format!(
                    "`{first}` is a field of `{model}`, not a relation, so `{text}` in `{key}` cannot go through it"
                ),
            )),
            None => cx.syn_error(syn::Error::new(
                span,
                format!(
                    "`{first}` in `{key}` is not a relation of `{model}`; relations are: {relation_list}{}",
                    did_you_mean(first, &relations)
                ),
            )),
        }
    };

    if let Some(columns) = &attrs.columns {
        for column in columns {
            if let AdminColumn::Path(name) = column {
                path(&name.to_string(), name.span(), COLUMNS, false);
            }
        }
    }
    for name in &attrs.search_fields {
        path(&name.to_string(), name.span(), SEARCH_FIELDS, true);
    }
    for name in attrs.filter_fields.iter().flatten().chain(&attrs.filter_exclude) {
        let key = if attrs.filter_exclude.contains(name) { FILTER_EXCLUDE } else { FILTER_FIELDS };
        path(&name.to_string(), name.span(), key, false);
    }
    for term in &attrs.ordering {
        path(&term.path, term.span, ORDERING, false);
    }

    // Plain names of this model's fields (a relation stands for its key).
    let plain = |key: &'static str, list: &[Ident]| {
        check_names(cx, model, key, list, &candidates, |name| candidates.contains(&name));
    };
    if let Some(list) = &attrs.fields {
        plain(FIELDS, list);
    }
    plain(EXCLUDE, &attrs.exclude);
    plain(READONLY_FIELDS, &attrs.readonly_fields);
    plain(EXPORT_EXCLUDE, &attrs.export_exclude);
    let mut in_fieldsets = BTreeSet::new();
    for fieldset in &attrs.fieldsets {
        plain(FIELDSETS, &fieldset.fields);
        for name in &fieldset.fields {
            if !in_fieldsets.insert(name.to_string()) {
                cx.error_spanned_by(name, format!("`{name}` is in two fieldsets; put it in one"));
            }
        }
    }
    for name in &attrs.exclude {
        let shown = attrs.fields.iter().flatten().chain(attrs.fieldsets.iter().flat_map(|f| &f.fields));
        if shown.clone().any(|s| s == name) {
            cx.error_spanned_by(name, format!("`{name}` is excluded but also listed to be shown; keep one"));
        }
    }

    for lookup in &attrs.foreign_key_lookups {
        let relation = &lookup.relation;
        match c.relations.iter().position(|r| *relation == r.name) {
            Some(index) => remote.push(RelatedPath {
                span: lookup.field.span(),
                key: FOREIGN_KEY_LOOKUPS,
                relation: index,
                rest: vec![lookup.field.to_string()],
                needs_text: true,
            }),
            None => cx.error_spanned_by(
                relation,
                format!(
                    "`{relation}` in `foreign_key_lookups` is not a relation of `{model}`; relations are: {relation_list}{}",
                    did_you_mean(&relation.to_string(), &relations)
                ),
            ),
        }
    }

    for options in &attrs.field_options {
        if let Some((widget, name)) = &options.widget {
            if !is_text(&options.field.to_string()) {
                let widget = if *widget == Widget::Textarea { "textarea" } else { "password" };
                cx.error_spanned_by(
                    name,
                    format!("the `{widget}` widget is for text fields; `{}` is not text", options.field),
                );
            }
        }
    }
    remote
}
