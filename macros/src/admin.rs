//! `derive(AdminModel)`: the admin configuration, the list's method
//! columns, the compile-time checks of paths into related models, and a
//! default `ModelAdmin`.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};
use syn::DeriveInput;

use crate::dummy;
use crate::exports::{model_trait, private};
use crate::internals::ast::Admin;
use crate::internals::attr::admin::{AdminColumn, Widget};
use crate::internals::attr::{self, CountAttr};
use crate::internals::{base_model, check, ctxt::Ctxt};
use crate::spans::respan;
use crate::tokens::{count, field_list, option, path_list};

/// Expands `derive(AdminModel)`: the impls, or the errors and stubs.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let model = base_model(input);
    let cx = Ctxt::default();
    let attrs = attr::admin::parse(&cx, input);
    let admin = model.map(|model| check::admin::check(&cx, model, attrs));
    match (cx.check(), admin) {
        (Ok(()), Some(admin)) => generate(&admin),
        (Err(errors), _) => dummy::admin(input, Some(&errors)),
        (Ok(()), None) => dummy::admin(input, None),
    }
}

fn generate(admin: &Admin<'_>) -> TokenStream {
    let p = private();
    let model = model_trait();
    let (c, attrs) = (&admin.model, &admin.attrs);
    let ident = c.ident;

    let columns = option(attrs.columns.as_ref().map(|columns| {
        let items = columns.iter().map(|column| match column {
            AdminColumn::Path(path) => {
                let path = c.field_name(&path.to_string());
                quote!(#p::AdminColumn::Field(#path))
            }
            AdminColumn::Method(method) => {
                let name = method.to_string();
                quote!(#p::AdminColumn::Method(#name))
            }
        });
        quote!(&[#(#items),*])
    }));
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
    let search_fields = path_list(&attrs.search_fields);
    let filter_fields = option(attrs.filter_fields.as_deref().map(path_list));
    let filter_exclude = path_list(&attrs.filter_exclude);
    let fields = option(attrs.fields.as_ref().map(|l| field_list(c, l)));
    let (exclude, readonly, export_exclude) =
        (field_list(c, &attrs.exclude), field_list(c, &attrs.readonly_fields), field_list(c, &attrs.export_exclude));
    let fieldsets = attrs.fieldsets.iter().map(|fieldset| {
        let (title, list) = (&fieldset.title, field_list(c, &fieldset.fields));
        quote!(#p::Fieldset { title: #title, fields: #list })
    });
    let ordering = attrs.ordering.iter().map(|term| {
        let path = c.field_name(&term.path);
        let text = if term.descending { format!("-{path}") } else { path };
        quote!(#text)
    });
    let paginate_by = attrs.paginate_by.unwrap_or(20);
    let count = count(attrs.count.unwrap_or(CountAttr::Exact));
    let lookups = attrs.foreign_key_lookups.iter().map(|lookup| {
        let (relation, field) = (lookup.relation.to_string(), lookup.field.to_string());
        quote!((#relation, #field))
    });
    let delete_collect_objects = attrs.delete_collect_objects.unwrap_or(true);
    let field_options = attrs.field_options.iter().map(|o| {
        let field = o.field.to_string();
        let label = option(o.label.as_ref());
        let help_text = option(o.help_text.as_ref());
        let widget = option(o.widget.as_ref().map(|(w, _)| match w {
            Widget::Textarea => quote!(#p::AdminWidget::Textarea),
            Widget::Password => quote!(#p::AdminWidget::Password),
        }));
        quote!(#p::FieldOptions { field: #field, label: #label, help_text: #help_text, widget: #widget })
    });

    // Paths into related models, checked against their descriptions while
    // compiling; an error points at the name in the attribute.
    let checks = admin.related_paths.iter().map(|path| {
        let target = &c.relations[path.relation].target;
        let (rest, key) = (&path.rest, path.key);
        let end = if path.needs_text { quote!(#p::PathEnd::Text) } else { quote!(#p::PathEnd::Field) };
        // Every token carries the name's span, so the error points at it.
        let check = quote! {
            const _: () = #p::check_path(<#target as #model>::META, &[#(#rest),*], #end, #key);
        };
        respan(check, path.span)
    });

    // Inlines: the child's foreign keys to this model, and the names of
    // its fields, checked against the child while compiling.
    let parent_name = ident.to_string();
    let mut inline_checks = Vec::new();
    let inlines: Vec<TokenStream> = attrs
        .inlines
        .iter()
        .map(|inline| {
            let child = &inline.child;
            let fks = quote!(<#child as #p::ForeignKeyTo<#ident>>::FIELDS);
            let named = option(inline.fk.as_ref().map(ToString::to_string));
            let check = quote! {
                const _: () = #p::check_inline_fk(#fks, #named, <#child as #model>::META.name, #parent_name);
            };
            let at = inline.fk.as_ref().map_or_else(|| syn::spanned::Spanned::span(child), Ident::span);
            inline_checks.push(respan(check, at));
            for (names, key) in [
                (
                    inline.readonly_fields.iter().map(|n| (n.to_string(), n.span())).collect::<Vec<_>>(),
                    "readonly_fields",
                ),
                (inline.ordering.iter().map(|t| (t.path.clone(), t.span)).collect(), "ordering"),
            ] {
                for (name, span) in names {
                    let check = quote! {
                        const _: () = #p::check_path(<#child as #model>::META, &[#name], #p::PathEnd::Field, #key);
                    };
                    inline_checks.push(respan(check, span));
                }
            }
            let fk = match &inline.fk {
                Some(fk) => {
                    let fk = fk.to_string();
                    quote!(#fk)
                }
                None => quote!(#fks[0]),
            };
            let layout = if inline.stacked { quote!(Stacked) } else { quote!(Tabular) };
            let extra = inline.extra.unwrap_or(3);
            let max_num = inline.max_num.map_or_else(|| quote!(#p::DEFAULT_MAX_NUM), |n| quote!(#n));
            let readonly = inline.readonly_fields.iter().map(ToString::to_string);
            let ordering =
                inline.ordering.iter().map(|t| if t.descending { format!("-{}", t.path) } else { t.path.clone() });
            quote! {
                #p::Inline::__derived::<#child, #ident>(#fk)
                    .layout(#p::InlineLayout::#layout)
                    .extra(#extra)
                    .max_num(#max_num)
                    .__names(&[#(#readonly),*], &[#(#ordering),*])
            }
        })
        .collect();

    quote! {
        const _: () = {
            #(#checks)*
            #(#inline_checks)*

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
                        inlines: &[#(#inlines),*],
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
