//! Reading `#[diesel(...)]` and `#[model(...)]` attributes.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr, Path, Token};

use super::ctxt::Ctxt;
use super::symbol::*;

/// What diesel's struct attributes say.
#[derive(Default)]
pub(crate) struct DieselStruct {
    pub(crate) table_name: Option<Path>,
    pub(crate) primary_key: Option<(Path, Vec<Ident>)>,
    pub(crate) belongs_to: Vec<BelongsTo>,
}

/// `belongs_to(Parent)` or `belongs_to(Parent, foreign_key = field)`.
pub(crate) struct BelongsTo {
    pub(crate) parent: Path,
    pub(crate) foreign_key: Option<Ident>,
}

/// What `#[model(...)]` says on the struct.
#[derive(Default)]
pub(crate) struct ModelStruct {
    pub(crate) verbose_name: Option<LitStr>,
    pub(crate) verbose_name_plural: Option<LitStr>,
    /// The field that names a row for people.
    pub(crate) display: Option<Ident>,
}

/// What `#[model(...)]` says on a field.
#[derive(Default)]
pub(crate) struct ModelField {
    pub(crate) references: Option<Path>,
    pub(crate) verbose_name: Option<LitStr>,
    /// `max_length = N`, with the key for errors.
    pub(crate) max_length: Option<(u32, Path)>,
    /// `not_blank`, with the key for errors.
    pub(crate) not_blank: Option<Path>,
}

/// Consumes the value of a key hangar does not read: `= anything` or
/// `(anything)`, up to the next comma outside angle brackets.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    let mut depth = 0usize;
    while !meta.input.is_empty() {
        if depth == 0 && meta.input.peek(Token![,]) {
            break;
        }
        match meta.input.parse::<TokenTree>()? {
            TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
            TokenTree::Punct(p) if p.as_char() == '>' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn key_name(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| meta.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"))
}

/// Parses diesel's attributes on the struct, keeping the keys hangar reads.
pub(crate) fn diesel_struct(cx: &Ctxt, attrs: &[Attribute]) -> DieselStruct {
    let mut out = DieselStruct::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(DIESEL)) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(TABLE_NAME) {
                out.table_name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident(PRIMARY_KEY) {
                let mut keys = Vec::new();
                meta.parse_nested_meta(|key| {
                    keys.push(key.path.require_ident()?.clone());
                    Ok(())
                })?;
                out.primary_key = Some((meta.path, keys));
            } else if meta.path.is_ident(BELONGS_TO) {
                let content;
                syn::parenthesized!(content in meta.input);
                let parent: Path = content.parse()?;
                let mut foreign_key = None;
                if content.parse::<Option<Token![,]>>()?.is_some() && !content.is_empty() {
                    let key: Ident = content.parse()?;
                    if key != FOREIGN_KEY {
                        return Err(syn::Error::new(key.span(), "expected `foreign_key = field`"));
                    }
                    content.parse::<Token![=]>()?;
                    foreign_key = Some(content.parse()?);
                }
                out.belongs_to.push(BelongsTo { parent, foreign_key });
            } else {
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    out
}

/// The `column_name` diesel's attributes give a field.
pub(crate) fn diesel_column_name(cx: &Ctxt, attrs: &[Attribute]) -> Option<Ident> {
    let mut column = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident(DIESEL)) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(COLUMN_NAME) {
                column = Some(meta.value()?.parse()?);
            } else {
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    column
}

/// Where a `#[model(...)]` attribute sits, which decides its keys.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Struct,
    Field,
}

impl Place {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Place::Struct => STRUCT_KEYS,
            Place::Field => FIELD_KEYS,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Place::Struct => "the struct",
            Place::Field => "a field",
        }
    }

    fn other(self) -> Place {
        match self {
            Place::Struct => Place::Field,
            Place::Field => Place::Struct,
        }
    }
}

/// Calls `each` with every key of the `#[model(...)]` attributes, after
/// rejecting unknown and repeated keys.
fn model_keys(
    cx: &Ctxt,
    attrs: &[Attribute],
    place: Place,
    mut each: impl FnMut(&str, &ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    let mut seen = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(MODEL)) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = key_name(&meta);
            if !place.keys().contains(&key.as_str()) {
                let message = if place.other().keys().contains(&key.as_str()) {
                    format!("`{key}` goes on {}, not on {}", place.other().name(), place.name())
                } else {
                    format!(
                        "unknown key `{key}` in #[model] on {}; keys are: {}{}",
                        place.name(),
                        place.keys().join(", "),
                        did_you_mean(&key, place.keys())
                    )
                };
                cx.error_spanned_by(&meta.path, message);
                return skip_value(&meta);
            }
            if !seen.insert(key.clone()) {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{key}` in #[model]; give it once"));
                return skip_value(&meta);
            }
            each(&key, &meta)
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
}

fn string_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<LitStr> {
    let example = || format!("`{key}` takes a string, like {key} = \"Can access admin\"");
    let value = meta.value().map_err(|e| syn::Error::new(e.span(), example()))?;
    value.parse::<LitStr>().map_err(|e| syn::Error::new(e.span(), example()))
}

/// Parses `#[model(...)]` on the struct.
pub(crate) fn model_struct(cx: &Ctxt, attrs: &[Attribute]) -> ModelStruct {
    let mut out = ModelStruct::default();
    model_keys(cx, attrs, Place::Struct, |key, meta| {
        match key {
            DISPLAY => {
                let example = |span| syn::Error::new(span, "`display` names a field, like display = username");
                let value = meta.value().map_err(|e| example(e.span()))?;
                out.display = Some(value.parse::<Ident>().map_err(|e| example(e.span()))?);
            }
            VERBOSE_NAME => out.verbose_name = Some(string_value(meta, key)?),
            _ => out.verbose_name_plural = Some(string_value(meta, key)?),
        }
        Ok(())
    });
    out
}

/// Parses `#[model(...)]` on a field.
pub(crate) fn model_field(cx: &Ctxt, attrs: &[Attribute]) -> ModelField {
    let mut out = ModelField::default();
    model_keys(cx, attrs, Place::Field, |key, meta| {
        match key {
            REFERENCES => {
                let example =
                    |span| syn::Error::new(span, "`references` takes the related model's type, like references = User");
                let value = meta.value().map_err(|e| example(e.span()))?;
                out.references = Some(value.parse::<Path>().map_err(|e| example(e.span()))?);
            }
            MAX_LENGTH => {
                let example = |span| {
                    syn::Error::new(span, "`max_length` takes the column's length in characters, like max_length = 150")
                };
                let value = meta.value().map_err(|e| example(e.span()))?;
                let lit = value.parse::<syn::LitInt>().map_err(|e| example(e.span()))?;
                match lit.base10_parse::<u32>() {
                    Ok(n) if n > 0 => out.max_length = Some((n, meta.path.clone())),
                    _ => return Err(example(lit.span())),
                }
            }
            NOT_BLANK => {
                if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    return Err(meta.error("`not_blank` takes no value: write #[model(not_blank)]"));
                }
                out.not_blank = Some(meta.path.clone());
            }
            _ => out.verbose_name = Some(string_value(meta, key)?),
        }
        Ok(())
    });
    out
}

/// The candidate closest to `name`, if any is close enough to be a typo.
pub(crate) fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), *c))
        .filter(|(distance, c)| *distance > 0 && *distance <= (c.len().max(name.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// `; did you mean `x`?` when a candidate is close to `name`.
pub(crate) fn did_you_mean(name: &str, candidates: &[&str]) -> String {
    closest(name, candidates).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()
}

/// Records a spanned error for each name in `list` (the value of `key` on
/// `model`) that `accepts` refuses, listing `shown` with a did-you-mean, and
/// for each name listed twice.
pub(crate) fn check_names(
    cx: &Ctxt,
    model: &Ident,
    key: &str,
    list: &[Ident],
    shown: &[&str],
    accepts: impl Fn(&str) -> bool,
) {
    let mut seen = BTreeSet::new();
    for name in list {
        let text = name.to_string();
        if !accepts(&text) {
            cx.error_spanned_by(
                name,
                format!(
                    "unknown field `{text}` in `{key}`; `{model}` has: {}{}",
                    shown.join(", "),
                    did_you_mean(&text, shown)
                ),
            );
        } else if !seen.insert(text.clone()) {
            cx.error_spanned_by(name, format!("`{text}` is listed twice in `{key}`"));
        }
    }
}

/// How a list counts its rows: `count = exact`, `count = none` or
/// `count = capped(1000)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CountAttr {
    Exact,
    Capped(u64),
    None,
}

impl CountAttr {
    /// The runtime's `Count` for this, under the private path `p`.
    pub(crate) fn tokens(self, p: &proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        match self {
            CountAttr::Exact => quote::quote!(#p::Count::Exact),
            CountAttr::Capped(n) => quote::quote!(#p::Count::Capped(#n)),
            CountAttr::None => quote::quote!(#p::Count::None),
        }
    }
}

/// Parses `count = exact | none | capped(N)`.
pub(crate) fn count(meta: &ParseNestedMeta<'_>) -> syn::Result<CountAttr> {
    let example = |span| {
        syn::Error::new(span, "`count` takes `exact`, `capped(N)` (count at most N rows, like capped(1000)) or `none`")
    };
    let value = meta.value().map_err(|e| example(e.span()))?;
    let ident: Ident = value.parse().map_err(|e| example(e.span()))?;
    match ident.to_string().as_str() {
        "exact" => Ok(CountAttr::Exact),
        "none" => Ok(CountAttr::None),
        "capped" => {
            if !value.peek(syn::token::Paren) {
                return Err(syn::Error::new(
                    ident.span(),
                    "`capped` needs the most rows to count, in parentheses, like capped(1000)",
                ));
            }
            let content;
            syn::parenthesized!(content in value);
            let lit: syn::LitInt = content.parse().map_err(|e| example(e.span()))?;
            match lit.base10_parse::<u64>() {
                Ok(n) if n > 0 => Ok(CountAttr::Capped(n)),
                _ => Err(syn::Error::new(lit.span(), "`capped` needs a number of rows from 1 up, like capped(1000)")),
            }
        }
        other => Err(syn::Error::new(
            ident.span(),
            format!(
                "`count` takes `exact`, `capped(N)` or `none`, not `{other}`{}",
                did_you_mean(other, &["exact", "capped", "none"])
            ),
        )),
    }
}
