//! Parsing `#[admin(...)]` on the struct and on its fields. The names in it
//! are checked against the model in `check::admin`.

use proc_macro2::{Ident, Span};
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, LitBool, LitInt, LitStr, Token};

use super::{count, each_key, names, skip, value, CountAttr, Elsewhere, Place};
use crate::internals::ctxt::Ctxt;
use crate::internals::suggest::did_you_mean;
use crate::internals::symbol::*;

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

/// `"Title" = (a, b)` in `fieldsets(...)`.
pub(crate) struct Fieldset {
    pub(crate) title: LitStr,
    pub(crate) fields: Vec<Ident>,
}

/// `relation = field` in `foreign_key_lookups(...)`: the related model's
/// field that the picker shows and searches.
pub(crate) struct Lookup {
    pub(crate) relation: Ident,
    pub(crate) field: Ident,
}

/// `Message(fk = user_id, layout = stacked, ...)` in `inlines(...)`.
pub(crate) struct InlineAttr {
    /// The child model, as written.
    pub(crate) child: syn::Path,
    pub(crate) fk: Option<Ident>,
    pub(crate) stacked: bool,
    pub(crate) extra: Option<u32>,
    pub(crate) max_num: Option<u32>,
    pub(crate) readonly_fields: Vec<Ident>,
    pub(crate) ordering: Vec<OrderTerm>,
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
    /// The widget, with its name as written, for errors.
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
    pub(crate) fieldsets: Vec<Fieldset>,
    pub(crate) ordering: Vec<OrderTerm>,
    pub(crate) paginate_by: Option<u64>,
    pub(crate) count: Option<CountAttr>,
    pub(crate) foreign_key_lookups: Vec<Lookup>,
    pub(crate) delete_collect_objects: Option<bool>,
    pub(crate) export_exclude: Vec<Ident>,
    pub(crate) field_options: Vec<FieldAdmin>,
    pub(crate) inlines: Vec<InlineAttr>,
}

/// `#[admin(...)]` on the struct.
const ON_STRUCT: Place = Place {
    attr: ADMIN_ATTR,
    keys: ADMIN_KEYS,
    named: "",
    elsewhere: Some(Elsewhere { keys: ADMIN_FIELD_KEYS, there: "a field", here: "the struct" }),
};

/// `#[admin(...)]` on a field.
const ON_FIELD: Place = Place {
    attr: ADMIN_ATTR,
    keys: ADMIN_FIELD_KEYS,
    named: " on a field",
    elsewhere: Some(Elsewhere { keys: ADMIN_KEYS, there: "the struct", here: "a field" }),
};

/// `"Title" = (a, b), "Other" = (c)`.
fn fieldsets(input: ParseStream<'_>) -> syn::Result<Vec<Fieldset>> {
    let example = "`fieldsets` takes titled groups, like fieldsets(\"Post\" = (user, content), \"Dates\" = (pub_date))";
    let mut out = Vec::new();
    while !input.is_empty() {
        let title: LitStr = input.parse().map_err(|e| syn::Error::new(e.span(), example))?;
        input.parse::<Token![=]>().map_err(|e| syn::Error::new(e.span(), example))?;
        let content;
        syn::parenthesized!(content in input);
        let fields = content.parse_terminated(Ident::parse, Token![,])?;
        out.push(Fieldset { title, fields: fields.into_iter().collect() });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

/// `ordering("-pub_date", "id")`.
fn ordering(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<OrderTerm>> {
    let example = "`ordering` takes fields as strings, like ordering(\"-pub_date\", \"id\")";
    let content;
    syn::parenthesized!(content in meta.input);
    let terms =
        content.parse_terminated(|i| i.parse::<LitStr>(), Token![,]).map_err(|e| syn::Error::new(e.span(), example))?;
    Ok(terms
        .into_iter()
        .map(|term| {
            let text = term.value();
            let (descending, path) = match text.strip_prefix('-') {
                Some(path) => (true, path.to_owned()),
                None => (false, text.clone()),
            };
            OrderTerm { path, descending, span: term.span() }
        })
        .collect())
}

/// A number of rows: `extra = 3`, `max_num = 20`.
fn rows(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<u32> {
    let lit: LitInt = value(meta, format!("`{key}` takes a number of rows, like {key} = 3"))?;
    lit.base10_parse::<u32>()
        .map_err(|_| syn::Error::new(lit.span(), format!("`{key}` takes a number of rows, like {key} = 3")))
}

/// `Message` or `Message(fk = user_id, layout = stacked, extra = 3,
/// max_num = 20, readonly_fields(pub_date), ordering("-pub_date"))`.
fn inline(cx: &Ctxt, item: &ParseNestedMeta<'_>) -> syn::Result<InlineAttr> {
    let mut out = InlineAttr {
        child: item.path.clone(),
        fk: None,
        stacked: false,
        extra: None,
        max_num: None,
        readonly_fields: Vec::new(),
        ordering: Vec::new(),
    };
    if !item.input.peek(syn::token::Paren) {
        return Ok(out);
    }
    let mut seen: Vec<&'static str> = Vec::new();
    item.parse_nested_meta(|option| {
        let key = option.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let Some(known) = INLINE_KEYS.iter().copied().find(|k| *k == key) else {
            cx.error_spanned_by(
                &option.path,
                format!(
                    "unknown option `{key}` of an inline; options are: {}{}",
                    INLINE_KEYS.join(", "),
                    did_you_mean(&key, INLINE_KEYS)
                ),
            );
            return skip(&option);
        };
        if seen.contains(&known) {
            cx.error_spanned_by(&option.path, format!("duplicate option `{key}` of an inline; give it once"));
            return skip(&option);
        }
        seen.push(known);
        match known {
            FK => out.fk = Some(value(&option, "`fk` takes the foreign key to this model, like fk = user_id")?),
            LAYOUT => {
                let name: Ident = value(&option, "`layout` takes `tabular` or `stacked`, like layout = stacked")?;
                match name.to_string().as_str() {
                    "tabular" => out.stacked = false,
                    "stacked" => out.stacked = true,
                    other => cx.error_spanned_by(
                        &name,
                        format!(
                            "unknown layout `{other}`; layouts are: {}{}",
                            LAYOUTS.join(", "),
                            did_you_mean(other, LAYOUTS)
                        ),
                    ),
                }
            }
            EXTRA => out.extra = Some(rows(&option, EXTRA)?),
            MAX_NUM => out.max_num = Some(rows(&option, MAX_NUM)?),
            READONLY_FIELDS => out.readonly_fields = names(&option)?,
            _ => out.ordering = ordering(&option)?,
        }
        Ok(())
    })?;
    Ok(out)
}

/// Parses `#[admin(...)]` on the struct and on each field, rejecting
/// unknown and repeated keys.
pub(crate) fn parse(cx: &Ctxt, input: &syn::DeriveInput) -> AdminAttrs {
    let mut out = AdminAttrs::default();
    each_key(cx, &input.attrs, &ON_STRUCT, |key, meta| {
        match key {
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
            SEARCH_FIELDS => out.search_fields = names(meta)?,
            FILTER_FIELDS => out.filter_fields = Some(names(meta)?),
            FILTER_EXCLUDE => out.filter_exclude = names(meta)?,
            FIELDS => out.fields = Some(names(meta)?),
            EXCLUDE => out.exclude = names(meta)?,
            READONLY_FIELDS => out.readonly_fields = names(meta)?,
            EXPORT_EXCLUDE => out.export_exclude = names(meta)?,
            FIELDSETS => {
                let content;
                syn::parenthesized!(content in meta.input);
                out.fieldsets = fieldsets(&content)?;
            }
            ORDERING => out.ordering = ordering(meta)?,
            INLINES => {
                meta.parse_nested_meta(|item| {
                    out.inlines.push(inline(cx, &item)?);
                    Ok(())
                })?;
            }
            PAGINATE_BY => {
                let lit: LitInt = value(meta, "`paginate_by` takes a number of rows, like paginate_by = 20")?;
                match lit.base10_parse::<u64>() {
                    Ok(n) if n > 0 => out.paginate_by = Some(n),
                    _ => return Err(syn::Error::new(lit.span(), "`paginate_by` must be at least 1")),
                }
            }
            COUNT => out.count = Some(count(meta)?),
            FOREIGN_KEY_LOOKUPS => {
                meta.parse_nested_meta(|item| {
                    let relation = item.path.require_ident()?.clone();
                    let example = format!(
                        "`foreign_key_lookups` pairs a relation with the related field to show and search, like {relation} = username"
                    );
                    let field = value(&item, example)?;
                    out.foreign_key_lookups.push(Lookup { relation, field });
                    Ok(())
                })?;
            }
            _ => {
                let flag: LitBool = value(meta, "`delete_collect_objects` takes true or false")?;
                out.delete_collect_objects = Some(flag.value);
            }
        }
        Ok(())
    });
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

/// Parses `#[admin(...)]` on one field; `None` when it has none.
fn field_admin(cx: &Ctxt, ident: &Ident, attrs: &[Attribute]) -> Option<FieldAdmin> {
    if !attrs.iter().any(|a| a.path().is_ident(ADMIN_ATTR)) {
        return None;
    }
    let mut out = FieldAdmin { field: ident.clone(), label: None, help_text: None, widget: None };
    each_key(cx, attrs, &ON_FIELD, |key, meta| {
        let string = |meta| value::<LitStr>(meta, format!("`{key}` takes a string, like {key} = \"...\""));
        match key {
            LABEL => out.label = Some(string(meta)?),
            HELP_TEXT => out.help_text = Some(string(meta)?),
            _ => {
                let name: Ident = meta.value()?.parse()?;
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
    Some(out)
}
