//! Token builders the generators share.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, ToTokens};

use crate::exports::private;
use crate::internals::ast::Container;
use crate::internals::attr::CountAttr;

/// `Option::Some(value)`, or `Option::None`.
pub(crate) fn option(value: Option<impl ToTokens>) -> TokenStream {
    let p = private();
    match value {
        Some(value) => quote!(#p::Option::Some(#value)),
        None => quote!(#p::Option::None),
    }
}

/// `&["a", "b"]`: the field names a list in an attribute stands for, where
/// a relation's name stands for its foreign key.
pub(crate) fn field_list(c: &Container<'_>, list: &[Ident]) -> TokenStream {
    let names = list.iter().map(|name| c.field_name(&name.to_string()));
    quote!(&[#(#names),*])
}

/// `&["user__username"]`: paths, as written.
pub(crate) fn path_list(list: &[Ident]) -> TokenStream {
    let paths = list.iter().map(ToString::to_string);
    quote!(&[#(#paths),*])
}

/// The runtime's `Count` for `count`.
pub(crate) fn count(count: CountAttr) -> TokenStream {
    let p = private();
    match count {
        CountAttr::Exact => quote!(#p::Count::Exact),
        CountAttr::Capped(n) => quote!(#p::Count::Capped(#n)),
        CountAttr::None => quote!(#p::Count::None),
    }
}

/// What derive(Choice) emits beside the `Choice` impl, the same whether
/// that impl is real or a failed derive's stub: the enum as a text field
/// type, and its conversions to and from `Value`. (`Option<E>`'s are the
/// runtime's own.)
pub(crate) fn choice_field_type(ident: &Ident) -> TokenStream {
    let p = private();
    quote! {
        #[automatically_derived]
        impl #p::FieldType for #ident {
            type SqlType = #p::diesel::sql_types::Text;
            const KIND: #p::SqlKind = #p::SqlKind::Text;
            const NULLABLE: bool = false;
            const CHOICES: &'static [#p::ChoiceMeta] = <Self as #p::Choice>::CHOICES;

            fn from_raw(__value: #p::Option<#p::Raw<'_>>) -> #p::diesel::deserialize::Result<Self> {
                #p::read_choice(__value)
            }
        }

        #[automatically_derived]
        impl #p::NotNullFieldType for #ident {}

        #[automatically_derived]
        impl #p::From<#ident> for #p::Value {
            fn from(__choice: #ident) -> Self {
                #p::choice_value(&__choice)
            }
        }

        #[automatically_derived]
        impl #p::From<&#ident> for #p::Value {
            fn from(__choice: &#ident) -> Self {
                #p::choice_value(__choice)
            }
        }

        #[automatically_derived]
        impl #p::TryFrom<&#p::Value> for #ident {
            type Error = ();

            fn try_from(__value: &#p::Value) -> #p::Result<Self, ()> {
                #p::Option::ok_or(#p::choice_from_value(__value), ())
            }
        }
    }
}
