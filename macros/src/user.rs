//! `derive(UserModel)`: which fields hold the username, the password hash,
//! the email and the active and admin flags.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{Data, DeriveInput, Fields, Type};

use crate::exports::private;
use crate::internals::attr::did_you_mean;
use crate::internals::ctxt::Ctxt;
use crate::internals::symbol::*;
use crate::internals::types::classify;

/// A part and the field that plays it.
struct Part<'a> {
    field: &'a Ident,
}

/// Expands `derive(UserModel)`.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let parts = parts(&cx, input);
    match (cx.check(), parts) {
        (Ok(()), Some(parts)) => generate(input, &parts),
        (Err(errors), _) => errors.to_compile_error(),
        (Ok(()), None) => TokenStream::new(),
    }
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
fn parts<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Option<BTreeMap<&'static str, Part<'a>>> {
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

fn generate(input: &DeriveInput, parts: &BTreeMap<&'static str, Part<'_>>) -> TokenStream {
    let p = private();
    let ident = &input.ident;
    let name_of = |part: &str| parts.get(part).map(|f| f.field.to_string());
    let field = |part: &str| parts.get(part).map(|f| f.field);
    let (Some(username), Some(password)) = (field(USERNAME), field(PASSWORD)) else {
        return TokenStream::new();
    };
    let (username_name, password_name) = (username.to_string(), password.to_string());
    let optional = |part: &str| match name_of(part) {
        Some(name) => quote!(#p::Option::Some(#name)),
        None => quote!(#p::Option::None),
    };
    let (email_name, active_name, admin_name) = (optional(EMAIL), optional(ACTIVE), optional(ADMIN));
    let is_active = field(ACTIVE).map_or_else(|| quote!(true), |f| quote!(self.#f));
    let is_admin = field(ADMIN).map_or_else(|| quote!(false), |f| quote!(self.#f));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #p::UserModel for #ident {
                fn username_field() -> &'static str { #username_name }
                fn password_field() -> &'static str { #password_name }
                fn email_field() -> #p::Option<&'static str> { #email_name }
                fn active_field() -> #p::Option<&'static str> { #active_name }
                fn admin_field() -> #p::Option<&'static str> { #admin_name }
                fn username(&self) -> &str { &self.#username }
                fn password_hash(&self) -> &str { &self.#password }
                fn set_password_hash(&mut self, hash: ::std::string::String) { self.#password = hash; }
                fn is_active(&self) -> bool { #is_active }
                fn is_admin(&self) -> bool { #is_admin }
            }
        };
    }
}
