//! Reading `#[user(...)]`: which field plays each part of a user model.

use std::collections::BTreeMap;

use proc_macro2::Ident;
use syn::{Data, DeriveInput, Fields, Type};

use super::attr::{closest, did_you_mean};
use super::ctxt::Ctxt;
use super::symbol::*;
use super::types::classify;

/// A part and the field that plays it.
pub(crate) struct Part<'a> {
    pub(crate) field: &'a Ident,
}

fn named_fields<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Option<Vec<(&'a Ident, &'a Type)>> {
    match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Some(named.named.iter().filter_map(|f| Some((f.ident.as_ref()?, &f.ty))).collect()),
            _ => {
                cx.error_spanned_by(
                    &input.ident,
                    format!("derive(UserModel) needs a struct with named fields; `{}` has none", input.ident),
                );
                None
            }
        },
        _ => {
            cx.error_spanned_by(
                &input.ident,
                format!("derive(UserModel) needs a struct; `{}` is not one", input.ident),
            );
            None
        }
    }
}

/// Reads `#[user(...)]` and finds each part's field: the one named there, or
/// the field of the part's own name.
pub(crate) fn parts<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Option<BTreeMap<&'static str, Part<'a>>> {
    let fields = named_fields(cx, input)?;
    let names: Vec<String> = fields.iter().map(|(i, _)| i.to_string()).collect();
    let name_list: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut given: BTreeMap<&'static str, Ident> = BTreeMap::new();
    // Parts whose value was wrong, already reported.
    let mut failed: Vec<&'static str> = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident(USER)) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            let Some(part) = USER_KEYS.iter().copied().find(|k| *k == key) else {
                // A misspelt part is reported once, here, not again as a missing field.
                if let Some(meant) = closest(&key, USER_KEYS) {
                    failed.push(meant);
                }
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown key `{key}` in #[user]; keys are: {}{}",
                        USER_KEYS.join(", "),
                        did_you_mean(&key, USER_KEYS)
                    ),
                );
                let _ = meta.value().and_then(|v| v.parse::<syn::Expr>());
                return Ok(());
            };
            let field = meta.value().and_then(|value| value.parse::<Ident>());
            let field = match field {
                Ok(field) => field,
                Err(e) => {
                    failed.push(part);
                    cx.syn_error(syn::Error::new(e.span(), format!("`{part}` names a field, like {part} = login")));
                    let _ = meta.input.parse::<syn::Expr>();
                    return Ok(());
                }
            };
            if given.insert(part, field).is_some() {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{part}` in #[user]; give it once"));
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    let mut parts = BTreeMap::new();
    for part in USER_KEYS {
        let wanted = given.get(part).map_or_else(|| (*part).to_owned(), ToString::to_string);
        let found = fields.iter().find(|(ident, _)| **ident == wanted);
        let expected = if matches!(*part, ACTIVE | ADMIN) { "bool" } else { "String" };
        match (found, given.get(part)) {
            (Some((ident, ty)), _) => {
                let class = classify(ty);
                if class.is_none_or(|c| c.base != expected || c.nullable) {
                    cx.error_spanned_by(ty, format!("the {part} field `{ident}` must be a `{expected}`"));
                }
                parts.insert(*part, Part { field: ident });
            }
            (None, Some(named)) => cx.error_spanned_by(
                named,
                format!(
                    "`{}` has no field `{named}` for the {part}; fields are: {}{}",
                    input.ident,
                    name_list.join(", "),
                    did_you_mean(&named.to_string(), &name_list)
                ),
            ),
            (None, None) if matches!(*part, USERNAME | PASSWORD) && !failed.contains(part) => cx.error_spanned_by(
                &input.ident,
                format!(
                    "`{}` has no field `{part}`; name the field that holds it with #[user({part} = field)]",
                    input.ident
                ),
            ),
            (None, None) => {}
        }
    }
    Some(parts)
}
