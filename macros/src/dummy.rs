//! What a failed derive emits: its errors, and a stub impl so that code
//! using the model does not drown them in "trait not implemented" errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::exports::{model_trait, private};
use crate::internals::ast::RawContainer;
use crate::tokens::choice_field_type;

/// What the stub names from the user's code: the table, when they gave one,
/// and the models their foreign keys point at. Naming them keeps the user's
/// imports in use and still reports a misspelt model, as the real impl would.
pub(crate) struct Stub {
    table: Option<syn::Path>,
    targets: Vec<syn::Path>,
}

impl Stub {
    pub(crate) fn from_raw(raw: &RawContainer<'_>) -> Stub {
        let references = raw.fields.iter().filter_map(|f| f.references.clone());
        Stub {
            table: raw.table_given.then(|| raw.table.clone()),
            targets: raw.belongs_to.iter().map(|b| b.parent.clone()).chain(references).collect(),
        }
    }
}

/// The errors, plus `RestModel` and `Resource` impls whose items are never
/// run, when `input` is a plain struct.
pub(crate) fn rest(input: &DeriveInput, errors: Option<&syn::Error>) -> TokenStream {
    let errors = errors.map(syn::Error::to_compile_error);
    if !is_plain_struct(input) {
        return errors.unwrap_or_default();
    }
    let p = private();
    let ident = &input.ident;
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #p::RestModel for #ident {
                fn rest() -> &'static #p::RestConfig { ::std::unreachable!() }
                fn includes() -> &'static [#p::Include] { ::std::unreachable!() }
            }
            #[automatically_derived]
            impl #p::Resource for #ident {
                type Model = #ident;
            }
        };
    }
}

/// The errors, plus a `UserModel` impl whose items are never run, when
/// `input` is a plain struct: code that uses the model as a user model
/// then reports nothing more than the mistake in `#[user(...)]`.
pub(crate) fn user(input: &DeriveInput, errors: Option<&syn::Error>) -> TokenStream {
    let errors = errors.map(syn::Error::to_compile_error);
    if !is_plain_struct(input) {
        return errors.unwrap_or_default();
    }
    let p = private();
    let ident = &input.ident;
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #p::UserModel for #ident {
                fn username(&self) -> &str { ::std::unreachable!() }
                fn password_hash(&self) -> &str { ::std::unreachable!() }
                fn set_password_hash(&mut self, _: ::std::string::String) { ::std::unreachable!() }
                fn is_active(&self) -> bool { ::std::unreachable!() }
                fn is_admin(&self) -> bool { ::std::unreachable!() }
            }
        };
    }
}

/// The errors, plus `AdminModel` and `ModelAdmin` impls whose items are
/// never run, when `input` is a plain struct.
pub(crate) fn admin(input: &DeriveInput, errors: Option<&syn::Error>) -> TokenStream {
    let errors = errors.map(syn::Error::to_compile_error);
    if !is_plain_struct(input) {
        return errors.unwrap_or_default();
    }
    let p = private();
    let ident = &input.ident;
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #p::AdminModel for #ident {
                fn admin() -> &'static #p::AdminConfig { ::std::unreachable!() }
                fn method_column(&self, _: &str) -> #p::Option<::std::string::String> { ::std::unreachable!() }
            }
            #[automatically_derived]
            impl #p::ModelAdmin for #ident {
                type Model = #ident;
            }
        };
    }
}

fn is_plain_struct(input: &DeriveInput) -> bool {
    matches!(&input.data, syn::Data::Struct(s) if matches!(s.fields, syn::Fields::Named(_)))
        && input.generics.params.is_empty()
}

/// The errors, plus a `Model` impl whose items are never run (the crate
/// does not compile), when `input` is a plain struct.
pub(crate) fn model(input: &DeriveInput, errors: &syn::Error, stub: Option<&Stub>) -> TokenStream {
    let errors = errors.to_compile_error();
    let Some(stub) = stub.filter(|_| is_plain_struct(input)) else {
        return errors;
    };
    let p = private();
    let model = model_trait();
    let ident = &input.ident;
    let table = stub.table.as_ref().map_or_else(|| quote!(#p::Unusable), |path| quote!(#path::table));
    let targets = &stub.targets;
    quote! {
        #errors
        const _: () = { #(let _ = ::core::marker::PhantomData::<#targets>;)* };
        const _: () = {
            #[automatically_derived]
            #[allow(unreachable_code, unused_variables)]
            impl #model for #ident {
                type Table = #table;
                const META: &'static #p::ModelMeta = &#p::UNUSABLE_META;
                fn all() -> #p::BoxedQuery<Self> { ::std::unreachable!() }
                fn from_row(_: &mut #p::RowReader<'_, '_, '_>) -> #p::diesel::QueryResult<Self> {
                    ::std::unreachable!()
                }
                fn value(&self, _: &str) -> #p::Option<#p::Value> { ::std::unreachable!() }
                fn pk(&self) -> #p::Value { ::std::unreachable!() }
            }
        };
    }
}

/// The errors, plus a `Choice` impl whose items are never run and the
/// impls that go with it, when `input` has no generic parameters: a model
/// with a field of this type then reports nothing more than the mistake in
/// the enum.
pub(crate) fn choice(input: &DeriveInput, errors: &syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    if !input.generics.params.is_empty() {
        return errors;
    }
    let p = private();
    let ident = &input.ident;
    let field_type = choice_field_type(ident);
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #p::Choice for #ident {
                const CHOICES: &'static [#p::ChoiceMeta] = &[];
                fn as_str(&self) -> &'static str { ::std::unreachable!() }
                fn from_str_value(_: &str) -> #p::Option<Self> { ::std::unreachable!() }
            }

            #field_type
        };
    }
}
