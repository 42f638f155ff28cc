//! `derive(RestResource)`: the REST configuration, the included resources,
//! and a default `Resource`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::dummy;
use crate::exports::private;
use crate::internals::ast::Rest;
use crate::internals::attr::rest::PageSize;
use crate::internals::attr::{self, CountAttr};
use crate::internals::{base_model, check, ctxt::Ctxt};
use crate::spans::respan;
use crate::tokens::{count, field_list, option, path_list};

/// Expands `derive(RestResource)`: the impls, or the errors and stubs.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let model = base_model(input);
    let cx = Ctxt::default();
    let attrs = attr::rest::parse(&cx, &input.attrs);
    let rest = model.map(|model| check::rest::check(&cx, model, attrs));
    match (cx.check(), rest) {
        (Ok(()), Some(rest)) => generate(&rest),
        (Err(errors), _) => dummy::rest(input, Some(&errors)),
        (Ok(()), None) => dummy::rest(input, None),
    }
}

/// The page size given, else `default`.
fn page_size(size: Option<PageSize>, default: TokenStream) -> TokenStream {
    match size {
        Some(PageSize::Rows(n)) => option(Some(n)),
        Some(PageSize::Unlimited) => option(None::<u64>),
        None => default,
    }
}

fn generate(rest: &Rest<'_>) -> TokenStream {
    let p = private();
    let (c, attrs) = (&rest.model, &rest.attrs);
    let ident = c.ident;
    let fields = option(attrs.fields.as_ref().map(|list| field_list(c, list)));
    let filter_fields = option(attrs.filter_fields.as_deref().map(path_list));
    let (exclude, readonly, filter_exclude) =
        (field_list(c, &attrs.exclude), field_list(c, &attrs.readonly_fields), path_list(&attrs.filter_exclude));
    let paginate_by = page_size(attrs.paginate_by.map(|(s, _)| s), quote!(#p::Option::Some(#p::DEFAULT_PAGINATE_BY)));
    let max_paginate_by =
        page_size(attrs.max_paginate_by.map(|(s, _)| s), quote!(#p::Option::Some(#p::DEFAULT_MAX_PAGINATE_BY)));
    let owner = option(attrs.owner.as_ref().and_then(|owner| c.relation(owner)).map(|r| &r.name));
    let count = count(attrs.count.unwrap_or(CountAttr::Exact));
    let owner_reads = attrs.owner_reads.is_some();
    let nested_writes = attrs.nested_writes.unwrap_or(true);
    let model_permissions = attrs.model_permissions;

    let mut includes = Vec::new();
    for include in &attrs.includes {
        let (name, resource) = (&include.relation, &include.resource);
        let Some(r) = c.relation(name) else {
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
                        model_permissions: #model_permissions,
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
