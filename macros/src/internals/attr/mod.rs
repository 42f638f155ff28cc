//! Parsing attributes into plain values, one file per namespace: diesel's
//! and `#[model(...)]` in `model`, then `admin`, `rest`, `user` and
//! `choice`. Nothing here looks at other fields or at the model; `check`
//! does that.
//!
//! This file holds what every namespace shares: walking an attribute's keys
//! (rejecting unknown and repeated ones), and reading a list of names, a
//! typed value, a flag or a row count.

pub(crate) mod admin;
pub(crate) mod choice;
pub(crate) mod model;
pub(crate) mod rest;
pub(crate) mod user;

use std::collections::BTreeSet;
use std::fmt::Display;

use proc_macro2::{Ident, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::Parse;
use syn::{Attribute, Token};

use super::ctxt::Ctxt;
use super::suggest::did_you_mean;

/// Where an attribute sits, which decides the keys it takes.
pub(crate) struct Place {
    /// The attribute's name: `model`, `admin`, `rest`.
    pub(crate) attr: &'static str,
    /// The keys it takes here.
    pub(crate) keys: &'static [&'static str],
    /// The place, as an unknown key's message names it: ` on a field`, or
    /// nothing where the message needs no place.
    pub(crate) named: &'static str,
    /// The attribute's other place, whose keys are refused here with a
    /// pointer there rather than as unknown.
    pub(crate) elsewhere: Option<Elsewhere>,
}

/// The other place an attribute may sit, and its keys.
pub(crate) struct Elsewhere {
    /// The keys the attribute takes there.
    pub(crate) keys: &'static [&'static str],
    /// That place, as a sentence names it: `a field`.
    pub(crate) there: &'static str,
    /// This place, as the same sentence names it: `the struct`.
    pub(crate) here: &'static str,
}

/// Calls `each` with every key (as written in `place.keys`) of the
/// `place.attr` attributes among `attrs`, after recording an error for each
/// unknown or repeated key and skipping its value. An error `each` returns
/// is recorded, and ends the reading of that attribute.
pub(crate) fn each_key(
    cx: &Ctxt,
    attrs: &[Attribute],
    place: &Place,
    mut each: impl FnMut(&'static str, &ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    let mut seen = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(place.attr)) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = key_name(&meta);
            let Some(known) = place.keys.iter().copied().find(|k| *k == key) else {
                let message = match &place.elsewhere {
                    Some(other) if other.keys.contains(&key.as_str()) => {
                        format!("`{key}` goes on {}, not on {}", other.there, other.here)
                    }
                    _ => format!(
                        "unknown key `{key}` in #[{}]{}; keys are: {}{}",
                        place.attr,
                        place.named,
                        place.keys.join(", "),
                        did_you_mean(&key, place.keys)
                    ),
                };
                cx.error_spanned_by(&meta.path, message);
                return skip(&meta);
            };
            if !seen.insert(known) {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{key}` in #[{}]; give it once", place.attr));
                return skip(&meta);
            }
            each(known, &meta)
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
}

/// A key as written: `columns`, or `a::b` for a path.
pub(crate) fn key_name(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| meta.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"))
}

/// Consumes the value of a key that is not read: `= anything` or
/// `(anything)`, up to the next comma outside angle brackets.
pub(crate) fn skip(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
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

/// A list of names: `(a, b, c)`.
pub(crate) fn names(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Ident>> {
    let mut out = Vec::new();
    meta.parse_nested_meta(|item| {
        out.push(item.path.require_ident()?.clone());
        Ok(())
    })?;
    Ok(out)
}

/// The value of `key = value` as a `T`; a missing `=` or a value of another
/// kind is an error saying `message`, at the token found.
pub(crate) fn value<T: Parse>(meta: &ParseNestedMeta<'_>, message: impl Display) -> syn::Result<T> {
    let example = |e: syn::Error| syn::Error::new(e.span(), &message);
    meta.value().map_err(example)?.parse::<T>().map_err(example)
}

/// A key that takes no value; one given is an error saying `message`.
pub(crate) fn flag(meta: &ParseNestedMeta<'_>, message: &str) -> syn::Result<()> {
    if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        return Err(meta.error(message));
    }
    Ok(())
}

/// How a list counts its rows: `count = exact`, `count = none` or
/// `count = capped(1000)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CountAttr {
    Exact,
    Capped(u64),
    None,
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
