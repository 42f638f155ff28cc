//! `derive(UserModel)`: which fields hold the username, the password hash,
//! the email and the active, admin and staff flags.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::dummy;
use crate::exports::private;
use crate::internals::ast::{self, UserFields};
use crate::internals::{attr, check, ctxt::Ctxt};
use crate::tokens::option;

/// Expands `derive(UserModel)`: the impl, or the errors and a stub impl.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let user = ast::user_fields(&cx, input).and_then(|fields| {
        let attrs = attr::user::parse(&cx, &input.attrs);
        check::user::check(&cx, input, &fields, &attrs)
    });
    match (cx.check(), user) {
        (Ok(()), Some(user)) => generate(input, &user),
        (Err(errors), _) => dummy::user(input, Some(&errors)),
        (Ok(()), None) => dummy::user(input, None),
    }
}

fn generate(input: &DeriveInput, user: &UserFields<'_>) -> TokenStream {
    let p = private();
    let ident = &input.ident;
    let (username, password) = (user.username, user.password);
    let (username_name, password_name) = (username.to_string(), password.to_string());
    let name_of = |field: Option<&proc_macro2::Ident>| option(field.map(ToString::to_string));
    let (email_name, active_name, admin_name) = (name_of(user.email), name_of(user.active), name_of(user.admin));
    let staff_name = name_of(user.staff);
    let is_staff = user.staff.map_or_else(|| quote!(false), |f| quote!(self.#f));
    let is_active = user.active.map_or_else(|| quote!(true), |f| quote!(self.#f));
    let is_admin = user.admin.map_or_else(|| quote!(false), |f| quote!(self.#f));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #p::UserModel for #ident {
                fn username_field() -> &'static str { #username_name }
                fn password_field() -> &'static str { #password_name }
                fn email_field() -> #p::Option<&'static str> { #email_name }
                fn active_field() -> #p::Option<&'static str> { #active_name }
                fn admin_field() -> #p::Option<&'static str> { #admin_name }
                fn staff_field() -> #p::Option<&'static str> { #staff_name }
                fn username(&self) -> &str { &self.#username }
                fn password_hash(&self) -> &str { &self.#password }
                fn set_password_hash(&mut self, hash: ::std::string::String) { self.#password = hash; }
                fn is_active(&self) -> bool { #is_active }
                fn is_admin(&self) -> bool { #is_admin }
                fn is_staff(&self) -> bool { #is_staff }
            }
        };
    }
}
