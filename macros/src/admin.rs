//! `derive(AdminModel)`: the admin configuration, the list's method
//! columns, the compile-time checks of paths into related models, and a
//! default `ModelAdmin`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;

use crate::dummy;
use crate::exports::{model_trait, private};
use crate::internals::admin_attr::{self, AdminAttrs, AdminColumn, Widget};
use crate::internals::ast::{Container, RawContainer};
use crate::internals::{check, ctxt::Ctxt};
use crate::spans::respan;

/// Expands `derive(AdminModel)`: the impls, or the errors and stubs.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    // derive(Model) reports the model's own mistakes; here they only mean
    // there is nothing to check the admin attributes against.
    let model_cx = Ctxt::default();
    let container = RawContainer::from_ast(&model_cx, input).and_then(|raw| check(&model_cx, raw));
    drop(model_cx.check());
    let cx = Ctxt::default();
    let attrs = admin_attr::parse(&cx, input);
    let remote = container.as_ref().map(|c| admin_attr::check(&cx, c, &attrs)).unwrap_or_default();
    match (cx.check(), container) {
        (Ok(()), Some(container)) => generate(&container, &attrs, &remote),
        (Err(errors), _) => dummy::admin(input, Some(&errors)),
        (Ok(()), None) => dummy::admin(input, None),
    }
}

/// The field name a plain name stands for: a relation's foreign key.
fn field_name(c: &Container<'_>, name: &str) -> String {
    let relation = c.relations.iter().find(|r| r.name == name && c.fields.iter().all(|f| f.ident != name));
    relation.map_or_else(|| name.to_owned(), |r| c.fields[r.field].ident.to_string())
}

fn names(c: &Container<'_>, list: &[proc_macro2::Ident]) -> TokenStream {
    let names = list.iter().map(|n| field_name(c, &n.to_string()));
    quote!(&[#(#names),*])
}

fn paths(list: &[proc_macro2::Ident]) -> TokenStream {
    let paths = list.iter().map(ToString::to_string);
    quote!(&[#(#paths),*])
}

fn generate(
    c: &Container<'_>,
    attrs: &AdminAttrs,
    remote: &[(proc_macro2::Span, &'static str, admin_attr::CheckedPath, bool)],
) -> TokenStream {
    let p = private();
    let model = model_trait();
    let ident = c.ident;
    let some_or_none = |list: Option<TokenStream>| match list {
        Some(list) => quote!(#p::Option::Some(#list)),
        None => quote!(#p::Option::None),
    };

    let columns = match &attrs.columns {
        Some(columns) => {
            let items = columns.iter().map(|column| match column {
                AdminColumn::Path(path) => {
                    let path = field_name(c, &path.to_string());
                    quote!(#p::AdminColumn::Field(#path))
                }
                AdminColumn::Method(method) => {
                    let name = method.to_string();
                    quote!(#p::AdminColumn::Method(#name))
                }
            });
            quote!(#p::Option::Some(&[#(#items),*]))
        }
        None => quote!(#p::Option::None),
    };
    let method_arms = attrs.columns.iter().flatten().filter_map(|column| match column {
        AdminColumn::Method(method) => {
            let name = method.to_string();
            // Spanned at the method's name: a missing method or one whose
            // value is not `Display` is reported there.
            Some(quote_spanned! {method.span()=>
                #name => #p::Option::Some(::std::string::ToString::to_string(&self.#method())),
            })
        }
        AdminColumn::Path(_) => None,
    });
    let search_fields = paths(&attrs.search_fields);
    let filter_fields = some_or_none(attrs.filter_fields.as_ref().map(|l| paths(l)));
    let filter_exclude = paths(&attrs.filter_exclude);
    let fields = some_or_none(attrs.fields.as_ref().map(|l| names(c, l)));
    let (exclude, readonly, export_exclude) =
        (names(c, &attrs.exclude), names(c, &attrs.readonly_fields), names(c, &attrs.export_exclude));
    let fieldsets = attrs.fieldsets.iter().map(|(title, list)| {
        let list = names(c, list);
        quote!(#p::Fieldset { title: #title, fields: #list })
    });
    let ordering = attrs.ordering.iter().map(|term| {
        let path = field_name(c, &term.path);
        let text = if term.descending { format!("-{path}") } else { path };
        quote!(#text)
    });
    let paginate_by = attrs.paginate_by.unwrap_or(20);
    let count = attrs.count.unwrap_or(crate::internals::attr::CountAttr::Exact).tokens(&p);
    let lookups = attrs.foreign_key_lookups.iter().map(|(relation, field)| {
        let (relation, field) = (relation.to_string(), field.to_string());
        quote!((#relation, #field))
    });
    let delete_collect_objects = attrs.delete_collect_objects.unwrap_or(true);
    let field_options = attrs.field_options.iter().map(|o| {
        let field = o.field.to_string();
        let label = some_or_none(o.label.as_ref().map(|l| quote!(#l)));
        let help_text = some_or_none(o.help_text.as_ref().map(|l| quote!(#l)));
        let widget = some_or_none(o.widget.as_ref().map(|(w, _)| match w {
            Widget::Textarea => quote!(#p::AdminWidget::Textarea),
            Widget::Password => quote!(#p::AdminWidget::Password),
        }));
        quote!(#p::FieldOptions { field: #field, label: #label, help_text: #help_text, widget: #widget })
    });

    // Paths into related models, checked against their descriptions while
    // compiling; an error points at the name in the attribute.
    let checks = remote.iter().filter_map(|(span, key, path, text)| {
        let relation = &c.relations[path.relation?];
        let target = &relation.target;
        let rest = &path.rest;
        let end = if *text { quote!(#p::PathEnd::Text) } else { quote!(#p::PathEnd::Field) };
        // Every token carries the name's span, so the error points at it.
        let check = quote! {
            const _: () = #p::check_path(<#target as #model>::META, &[#(#rest),*], #end, #key);
        };
        Some(respan(check, *span))
    });

    quote! {
        const _: () = {
            #(#checks)*

            #p::inventory::submit! { #p::AdminEntry::of::<#ident>() }

            #[automatically_derived]
            impl #p::AdminModel for #ident {
                fn admin() -> &'static #p::AdminConfig {
                    static __HANGAR_ADMIN: #p::AdminConfig = #p::AdminConfig {
                        columns: #columns,
                        search_fields: #search_fields,
                        filter_fields: #filter_fields,
                        filter_exclude: #filter_exclude,
                        fields: #fields,
                        exclude: #exclude,
                        readonly_fields: #readonly,
                        fieldsets: &[#(#fieldsets),*],
                        ordering: &[#(#ordering),*],
                        paginate_by: #paginate_by,
                        count: #count,
                        foreign_key_lookups: &[#(#lookups),*],
                        delete_collect_objects: #delete_collect_objects,
                        export_exclude: #export_exclude,
                        field_options: &[#(#field_options),*],
                    };
                    &__HANGAR_ADMIN
                }

                #[allow(unused_variables)]
                fn method_column(&self, __name: &str) -> #p::Option<::std::string::String> {
                    match __name {
                        #(#method_arms)*
                        _ => #p::Option::None,
                    }
                }
            }

            #[automatically_derived]
            impl #p::ModelAdmin for #ident {
                type Model = #ident;
            }
        };
    }
}
