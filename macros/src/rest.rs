//! `derive(RestResource)`: the REST configuration, the included resources,
//! and a default `Resource`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::dummy;
use crate::exports::private;
use crate::internals::ast::{Container, RawContainer};
use crate::internals::attr::CountAttr;
use crate::internals::rest_attr::{self, PageSize, RestAttrs};
use crate::internals::{check, ctxt::Ctxt};
use crate::spans::respan;

/// Expands `derive(RestResource)`: the impls, or the errors and stubs.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    // derive(Model) reports the model's own mistakes; here they only mean
    // there is nothing to check the REST attributes against.
    let model_cx = Ctxt::default();
    let container = RawContainer::from_ast(&model_cx, input).and_then(|raw| check(&model_cx, raw));
    drop(model_cx.check());
    let cx = Ctxt::default();
    let attrs = rest_attr::parse(&cx, &input.attrs);
    if let Some(container) = &container {
        rest_attr::check(&cx, container, &attrs);
    }
    match (cx.check(), container) {
        (Ok(()), Some(container)) => generate(&container, &attrs),
        (Err(errors), _) => dummy::rest(input, Some(&errors)),
        (Ok(()), None) => dummy::rest(input, None),
    }
}

/// Filter paths, as written.
fn paths(list: &[proc_macro2::Ident]) -> TokenStream {
    let paths = list.iter().map(ToString::to_string);
    quote!(&[#(#paths),*])
}

/// The field names of `list`, where a relation's name stands for its
/// foreign key.
fn names(c: &Container<'_>, list: &[proc_macro2::Ident]) -> TokenStream {
    let names = list.iter().map(|name| {
        let relation = c.relations.iter().find(|r| *name == r.name && c.fields.iter().all(|f| *f.ident != r.name));
        relation.map_or_else(|| name.to_string(), |r| c.fields[r.field].ident.to_string())
    });
    quote!(&[#(#names),*])
}

fn page_size(size: Option<PageSize>, default: TokenStream) -> TokenStream {
    let p = private();
    match size {
        Some(PageSize::Rows(n)) => quote!(#p::Option::Some(#n)),
        Some(PageSize::Unlimited) => quote!(#p::Option::None),
        None => default,
    }
}

fn generate(c: &Container<'_>, attrs: &RestAttrs) -> TokenStream {
    let p = private();
    let ident = c.ident;
    // A relation may be named by its own name or by its foreign key field.
    let relation =
        |name: &proc_macro2::Ident| c.relations.iter().find(|r| *name == r.name || *c.fields[r.field].ident == *name);
    let fields = match &attrs.fields {
        Some(list) => {
            let list = names(c, list);
            quote!(#p::Option::Some(#list))
        }
        None => quote!(#p::Option::None),
    };
    let filter_fields = match &attrs.filter_fields {
        Some(list) => {
            let list = paths(list);
            quote!(#p::Option::Some(#list))
        }
        None => quote!(#p::Option::None),
    };
    let (exclude, readonly, filter_exclude) =
        (names(c, &attrs.exclude), names(c, &attrs.readonly_fields), paths(&attrs.filter_exclude));
    let paginate_by = page_size(attrs.paginate_by.map(|(s, _)| s), quote!(#p::Option::Some(#p::DEFAULT_PAGINATE_BY)));
    let max_paginate_by =
        page_size(attrs.max_paginate_by.map(|(s, _)| s), quote!(#p::Option::Some(#p::DEFAULT_MAX_PAGINATE_BY)));
    let owner = match attrs.owner.as_ref().and_then(relation) {
        Some(r) => {
            let name = &r.name;
            quote!(#p::Option::Some(#name))
        }
        None => quote!(#p::Option::None),
    };
    let count = attrs.count.unwrap_or(CountAttr::Exact).tokens(&p);
    let owner_reads = attrs.owner_reads.is_some();
    let nested_writes = attrs.nested_writes.unwrap_or(true);

    let mut includes = Vec::new();
    for (name, resource) in &attrs.includes {
        let Some(r) = relation(name) else {
            continue;
        };
        let relation_name = &r.name;
        let target = &r.target;
        // Without a named resource, the related model serves; an error about
        // it points at the relation named in `include(...)`.
        let resource = resource.as_ref().map_or_else(|| respan(quote!(#target), name.span()), |r| quote!(#r));
        // The included resource must serve the related model.
        includes.push(quote_spanned! {resource.span()=>
            #p::Include { relation: #relation_name, resource: &#p::ResourceOps::of_related::<#resource, #target>() }
        });
    }
    let include_count = includes.len();

    quote! {
        const _: () = {
            #p::inventory::submit! { #p::RestEntry::of::<#ident>() }

            #[automatically_derived]
            impl #p::RestModel for #ident {
                fn rest() -> &'static #p::RestConfig {
                    static __HANGAR_REST: #p::RestConfig = #p::RestConfig {
                        fields: #fields,
                        exclude: #exclude,
                        readonly_fields: #readonly,
                        filter_fields: #filter_fields,
                        filter_exclude: #filter_exclude,
                        paginate_by: #paginate_by,
                        max_paginate_by: #max_paginate_by,
                        count: #count,
                        owner: #owner,
                        owner_reads: #owner_reads,
                        nested_writes: #nested_writes,
                    };
                    &__HANGAR_REST
                }

                fn includes() -> &'static [#p::Include] {
                    static __HANGAR_INCLUDES: [#p::Include; #include_count] = [#(#includes),*];
                    &__HANGAR_INCLUDES
                }
            }

            #[automatically_derived]
            impl #p::Resource for #ident {
                type Model = #ident;
            }
        };
    }
}
