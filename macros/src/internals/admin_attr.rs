//! Reading `#[admin(...)]` on the struct and its fields, and checking every
//! name in it against the model.
//!
//! Names of this model are checked here, with suggestions. A path into a
//! related model (`user__username`) is checked here up to the relation, and
//! the rest by a `const` check against that model's description, which the
//! generator emits (see `hangar::model::check_path`).

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span};
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, LitBool, LitInt, LitStr, Token};

use super::ast::Container;
use super::attr::{check_names, did_you_mean};
use super::ctxt::Ctxt;
use super::symbol::*;

/// A list column: a field or relation path, or a method.
pub(crate) enum AdminColumn {
    Path(Ident),
    Method(Ident),
}

/// `ordering("-pub_date")`: a path as a string, and whether it descends.
pub(crate) struct OrderTerm {
    pub(crate) path: String,
    pub(crate) descending: bool,
    pub(crate) span: Span,
}

/// A widget a text field may ask for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Widget {
    Textarea,
    Password,
}

/// `#[admin(...)]` on one field.
pub(crate) struct FieldAdmin {
    pub(crate) field: Ident,
    pub(crate) label: Option<LitStr>,
    pub(crate) help_text: Option<LitStr>,
    pub(crate) widget: Option<(Widget, Ident)>,
}

/// What `#[admin(...)]` says.
#[derive(Default)]
pub(crate) struct AdminAttrs {
    pub(crate) columns: Option<Vec<AdminColumn>>,
    pub(crate) search_fields: Vec<Ident>,
    pub(crate) filter_fields: Option<Vec<Ident>>,
    pub(crate) filter_exclude: Vec<Ident>,
    pub(crate) fields: Option<Vec<Ident>>,
    pub(crate) exclude: Vec<Ident>,
    pub(crate) readonly_fields: Vec<Ident>,
    pub(crate) fieldsets: Vec<(LitStr, Vec<Ident>)>,
    pub(crate) ordering: Vec<OrderTerm>,
    pub(crate) paginate_by: Option<u64>,
    pub(crate) count: Option<super::attr::CountAttr>,
    pub(crate) foreign_key_lookups: Vec<(Ident, Ident)>,
    pub(crate) delete_collect_objects: Option<bool>,
    pub(crate) export_exclude: Vec<Ident>,
    pub(crate) field_options: Vec<FieldAdmin>,
}

fn names(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Ident>> {
    let mut out = Vec::new();
    meta.parse_nested_meta(|item| {
        out.push(item.path.require_ident()?.clone());
        Ok(())
    })?;
    Ok(out)
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

/// `"Title" = (a, b), "Other" = (c)`.
fn fieldsets(input: ParseStream<'_>) -> syn::Result<Vec<(LitStr, Vec<Ident>)>> {
    let example = "`fieldsets` takes titled groups, like fieldsets(\"Post\" = (user, content), \"Dates\" = (pub_date))";
    let mut out = Vec::new();
    while !input.is_empty() {
        let title: LitStr = input.parse().map_err(|e| syn::Error::new(e.span(), example))?;
        input.parse::<Token![=]>().map_err(|e| syn::Error::new(e.span(), example))?;
        let content;
        syn::parenthesized!(content in input);
        let fields = content.parse_terminated(Ident::parse, Token![,])?;
        out.push((title, fields.into_iter().collect()));
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

/// Parses `#[admin(...)]` on the struct and on each field, rejecting
/// unknown and repeated keys.
pub(crate) fn parse(cx: &Ctxt, input: &syn::DeriveInput) -> AdminAttrs {
    let mut out = AdminAttrs::default();
    let mut seen = BTreeSet::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident(ADMIN_ATTR)) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if !ADMIN_KEYS.contains(&key.as_str()) {
                let hint = if ADMIN_FIELD_KEYS.contains(&key.as_str()) {
                    format!("`{key}` goes on a field, not on the struct")
                } else {
                    format!("unknown key `{key}` in #[admin]; keys are: {}{}", ADMIN_KEYS.join(", "), did_you_mean(&key, ADMIN_KEYS))
                };
                cx.error_spanned_by(&meta.path, hint);
                return skip(&meta);
            }
            if !seen.insert(key.clone()) {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{key}` in #[admin]; give it once"));
                return skip(&meta);
            }
            match key.as_str() {
                COLUMNS => {
                    let mut columns = Vec::new();
                    meta.parse_nested_meta(|item| {
                        let name = item.path.require_ident()?.clone();
                        if name == METHOD && item.input.peek(Token![=]) {
                            columns.push(AdminColumn::Method(item.value()?.parse()?));
                        } else {
                            columns.push(AdminColumn::Path(name));
                        }
                        Ok(())
                    })?;
                    out.columns = Some(columns);
                }
                SEARCH_FIELDS => out.search_fields = names(&meta)?,
                FILTER_FIELDS => out.filter_fields = Some(names(&meta)?),
                FILTER_EXCLUDE => out.filter_exclude = names(&meta)?,
                FIELDS => out.fields = Some(names(&meta)?),
                EXCLUDE => out.exclude = names(&meta)?,
                READONLY_FIELDS => out.readonly_fields = names(&meta)?,
                EXPORT_EXCLUDE => out.export_exclude = names(&meta)?,
                FIELDSETS => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    out.fieldsets = fieldsets(&content)?;
                }
                ORDERING => {
                    let example = "`ordering` takes fields as strings, like ordering(\"-pub_date\", \"id\")";
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let terms = content
                        .parse_terminated(|i| i.parse::<LitStr>(), Token![,])
                        .map_err(|e| syn::Error::new(e.span(), example))?;
                    for term in terms {
                        let text = term.value();
                        let (descending, path) = match text.strip_prefix('-') {
                            Some(path) => (true, path.to_owned()),
                            None => (false, text.clone()),
                        };
                        out.ordering.push(OrderTerm { path, descending, span: term.span() });
                    }
                }
                PAGINATE_BY => {
                    let example = |span| syn::Error::new(span, "`paginate_by` takes a number of rows, like paginate_by = 20");
                    let value = meta.value().map_err(|e| example(e.span()))?;
                    let lit: LitInt = value.parse().map_err(|e| example(e.span()))?;
                    match lit.base10_parse::<u64>() {
                        Ok(n) if n > 0 => out.paginate_by = Some(n),
                        _ => return Err(syn::Error::new(lit.span(), "`paginate_by` must be at least 1")),
                    }
                }
                COUNT => out.count = Some(super::attr::count(&meta)?),
                FOREIGN_KEY_LOOKUPS => {
                    meta.parse_nested_meta(|item| {
                        let relation = item.path.require_ident()?.clone();
                        let example = |span| {
                            syn::Error::new(
                                span,
                                format!("`foreign_key_lookups` pairs a relation with the related field to show and search, like {relation} = username"),
                            )
                        };
                        let value = item.value().map_err(|e| example(e.span()))?;
                        let field: Ident = value.parse().map_err(|e| example(e.span()))?;
                        out.foreign_key_lookups.push((relation, field));
                        Ok(())
                    })?;
                }
                _ => {
                    let example = |span| syn::Error::new(span, "`delete_collect_objects` takes true or false");
                    let value = meta.value().map_err(|e| example(e.span()))?;
                    out.delete_collect_objects = Some(value.parse::<LitBool>().map_err(|e| example(e.span()))?.value);
                }
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    if let syn::Data::Struct(data) = &input.data {
        for field in &data.fields {
            let Some(ident) = &field.ident else {
                continue;
            };
            if let Some(options) = field_admin(cx, ident, &field.attrs) {
                out.field_options.push(options);
            }
        }
    }
    out
}

fn field_admin(cx: &Ctxt, ident: &Ident, attrs: &[Attribute]) -> Option<FieldAdmin> {
    let mut out = FieldAdmin { field: ident.clone(), label: None, help_text: None, widget: None };
    let mut any = false;
    let mut seen = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(ADMIN_ATTR)) {
        any = true;
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if !ADMIN_FIELD_KEYS.contains(&key.as_str()) {
                let hint = if ADMIN_KEYS.contains(&key.as_str()) {
                    format!("`{key}` goes on the struct, not on a field")
                } else {
                    format!(
                        "unknown key `{key}` in #[admin] on a field; keys are: {}{}",
                        ADMIN_FIELD_KEYS.join(", "),
                        did_you_mean(&key, ADMIN_FIELD_KEYS)
                    )
                };
                cx.error_spanned_by(&meta.path, hint);
                return skip(&meta);
            }
            if !seen.insert(key.clone()) {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{key}` in #[admin]; give it once"));
                return skip(&meta);
            }
            let string = |meta: &ParseNestedMeta<'_>| -> syn::Result<LitStr> {
                let example = |span| syn::Error::new(span, format!("`{key}` takes a string, like {key} = \"...\""));
                let value = meta.value().map_err(|e| example(e.span()))?;
                value.parse::<LitStr>().map_err(|e| example(e.span()))
            };
            match key.as_str() {
                LABEL => out.label = Some(string(&meta)?),
                HELP_TEXT => out.help_text = Some(string(&meta)?),
                _ => {
                    let value = meta.value()?;
                    let name: Ident = value.parse()?;
                    let widget = match name.to_string().as_str() {
                        "textarea" => Widget::Textarea,
                        "password" => Widget::Password,
                        other => {
                            cx.error_spanned_by(
                                &name,
                                format!(
                                    "unknown widget `{other}`; widgets are: textarea, password{}",
                                    did_you_mean(other, &["textarea", "password"])
                                ),
                            );
                            return Ok(());
                        }
                    };
                    out.widget = Some((widget, name));
                }
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    any.then_some(out)
}

/// A path checked against this model: its first segment, and the rest for
/// the related model's `const` check.
pub(crate) struct CheckedPath {
    /// The relation the path goes through, by index in the container's relations.
    pub(crate) relation: Option<usize>,
    /// The segments after the relation.
    pub(crate) rest: Vec<String>,
}

/// Checks every name against the model `c`; returns the paths that go into
/// related models, with the key they came from, for the generator's
/// `const` checks: `(path ident or span, key, needs text)`.
pub(crate) fn check(cx: &Ctxt, c: &Container<'_>, attrs: &AdminAttrs) -> Vec<(Span, &'static str, CheckedPath, bool)> {
    let fields: Vec<String> = c.fields.iter().map(|f| f.ident.to_string()).collect();
    let field_names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let relations: Vec<&str> = c.relations.iter().map(|r| r.name.as_str()).collect();
    let candidates: Vec<&str> = field_names.iter().chain(&relations).copied().collect();
    let model = c.ident;
    let mut remote = Vec::new();

    let is_text = |name: &str| c.fields.iter().find(|f| f.ident == name).is_some_and(|f| f.class.base == "String");

    // A field or relation of this model, or a path through a relation.
    let mut path = |text: &str, span: Span, key: &'static str, text_only: bool| {
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
            } else if text_only && !is_text(first) {
                cx.syn_error(syn::Error::new(
                    span,
                    format!("`{key}` needs a text field; `{first}` of `{model}` is not text"),
                ));
            }
            return;
        }
        match c.relations.iter().position(|r| r.name == first) {
            Some(index) => remote.push((
                span,
                key,
                CheckedPath { relation: Some(index), rest: segments[1..].iter().map(|s| (*s).to_owned()).collect() },
                text_only,
            )),
            None if field_names.contains(&first) => cx.syn_error(syn::Error::new(
                span,
                format!(
                    "`{first}` is a field of `{model}`, not a relation, so `{text}` in `{key}` cannot go through it"
                ),
            )),
            None => cx.syn_error(syn::Error::new(
                span,
                format!(
                    "`{first}` in `{key}` is not a relation of `{model}`; relations are: {}{}",
                    if relations.is_empty() { "none".to_owned() } else { relations.join(", ") },
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
    for (_, list) in &attrs.fieldsets {
        plain(FIELDSETS, list);
        for name in list {
            if !in_fieldsets.insert(name.to_string()) {
                cx.error_spanned_by(name, format!("`{name}` is in two fieldsets; put it in one"));
            }
        }
    }
    for name in &attrs.exclude {
        let shown = attrs.fields.iter().flatten().chain(attrs.fieldsets.iter().flat_map(|(_, l)| l));
        if shown.clone().any(|s| s == name) {
            cx.error_spanned_by(name, format!("`{name}` is excluded but also listed to be shown; keep one"));
        }
    }

    for (relation, field) in &attrs.foreign_key_lookups {
        match c.relations.iter().position(|r| *relation == r.name) {
            Some(index) => remote.push((
                field.span(),
                FOREIGN_KEY_LOOKUPS,
                CheckedPath { relation: Some(index), rest: vec![field.to_string()] },
                true,
            )),
            None => cx.error_spanned_by(
                relation,
                format!(
                    "`{relation}` in `foreign_key_lookups` is not a relation of `{model}`; relations are: {}{}",
                    if relations.is_empty() { "none".to_owned() } else { relations.join(", ") },
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
