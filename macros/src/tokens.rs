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
