//! `derive(UserModel)`: which fields hold the username, the password hash,
//! the email and the active and admin flags.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::dummy;
use crate::exports::private;
use crate::internals::ctxt::Ctxt;
use crate::internals::symbol::*;
use crate::internals::user_attr::{parts, Part};

/// Expands `derive(UserModel)`: the impl, or the errors and a stub impl.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let parts = parts(&cx, input);
    match (cx.check(), parts) {
        (Ok(()), Some(parts)) => generate(input, &parts),
        (Err(errors), _) => dummy::user(input, Some(&errors)),
        (Ok(()), None) => dummy::user(input, None),
    }
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
