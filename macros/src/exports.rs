//! Every path generated code uses, in one place. Generated code names
//! everything through `::hangar::__private`, so a user's own `Result` alias
//! or a renamed import cannot break it.

use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn private() -> TokenStream {
    quote!(::hangar::__private)
}

pub(crate) fn model_trait() -> TokenStream {
    quote!(::hangar::__private::Model)
}
