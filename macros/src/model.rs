//! `derive(Model)`: the static description and the typed arms.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::dummy;
use crate::exports::{model_trait, private};
use crate::internals::ast::{Container, RawContainer};
use crate::internals::{check, ctxt::Ctxt};
use crate::spans::respan;
use crate::tokens::option;

/// Expands `derive(Model)`: the impl, or the errors and a stub impl.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let raw = RawContainer::from_ast(&cx, input);
    let stub = raw.as_ref().map(dummy::Stub::from_raw);
    let container = raw.and_then(|raw| check::model::check(&cx, raw));
    match (cx.check(), container) {
        (Ok(()), Some(container)) => generate(&container),
        (Err(errors), _) => dummy::model(input, &errors, stub.as_ref()),
        (Ok(()), None) => {
            let error = syn::Error::new_spanned(&input.ident, "derive(Model) could not read this struct");
            dummy::model(input, &error, stub.as_ref())
        }
    }
}

fn generate(c: &Container<'_>) -> TokenStream {
    let p = private();
    let model = model_trait();
    let ident = c.ident;
    let table = &c.table;
    let name = ident.to_string();
    let slug = name.to_lowercase();
    // A table in a named schema fails here, at the `table_name`.
    let table_sql = quote_spanned!(table.span()=> #p::table_sql_name::<#table::table>());
    let (verbose_name, verbose_name_plural) = (&c.verbose_name, &c.verbose_name_plural);
    let pk = &c.fields[c.primary_key];
    let pk_ident = pk.ident;
    let pk_index = c.primary_key;
    let field_count = c.fields.len();
    let display = option(c.display.map(|i| c.fields[i].ident.to_string()));
    let relation_count = c.relations.len();

    let field_metas = c.fields.iter().enumerate().map(|(i, f)| {
        let (field_name, column, ty) = (f.ident.to_string(), &f.column, f.ty);
        let column_name = quote!(<#table::#column as #p::diesel::Column>::NAME);
        let is_pk = i == c.primary_key;
        let verbose = &f.verbose_name;
        let max_length = option(f.max_length);
        let not_blank = f.not_blank;
        let db_default = f.db_default;
        let precision = match f.precision {
            Some((max_digits, decimal_places)) => quote! {
                #p::Option::Some(#p::Precision { max_digits: #max_digits, decimal_places: #decimal_places })
            },
            None => quote!(#p::Option::None),
        };
        // A type that is not a field type fails here, at the field's type.
        let field_type = respan(quote!(#p::FieldType), ty.span());
        quote_spanned! {ty.span()=>
            #p::FieldMeta {
                name: #field_name,
                column: #column_name,
                kind: <#ty as #field_type>::KIND,
                nullable: <#ty as #field_type>::NULLABLE,
                primary_key: #is_pk,
                verbose_name: #verbose,
                max_length: #max_length,
                not_blank: #not_blank,
                precision: #precision,
                db_default: #db_default,
                choices: <#ty as #field_type>::CHOICES,
            }
        }
    });
    let fields_static = format_ident!("__HANGAR_FIELDS");
    let relations_static = format_ident!("__HANGAR_RELATIONS");
    let meta_static = format_ident!("__HANGAR_META");
    let relation_metas = c.relations.iter().map(|r| {
        let fk = &c.fields[r.field];
        let (relation_name, field_name, target, nullable) =
            (&r.name, fk.ident.to_string(), &r.target, fk.class.nullable);
        // A model that refers to itself names its own description directly:
        // through `META` its statics would wait on each other.
        let target_meta = match refers_to_self(target, ident) {
            true => quote!(&#meta_static),
            false => quote!(<#target as #model>::META),
        };
        quote_spanned! {target.span()=>
            #p::RelationMeta {
                name: #relation_name,
                field: #field_name,
                target: #target_meta,
                nullable: #nullable,
            }
        }
    });
    let column_checks = c.fields.iter().map(|f| {
        let (column, ty) = (&f.column, f.ty);
        // A column whose SQL type does not match the field's Rust type fails
        // here; every token carries the field type's span, so the error does
        // too. The check is a constant: nothing is generated for it.
        let (table, check) = (respan(quote!(#table), ty.span()), respan(quote!(#p::check_column), ty.span()));
        quote_spanned! {ty.span()=>
            const _: () = #check::<#table::table, #table::#column, #ty>();
        }
    });
    let key_checks = c.relations.iter().map(|r| {
        let fk = &c.fields[r.field];
        let (target, ty, name) = (&r.target, fk.ty, fk.ident.to_string());
        // A foreign key whose type cannot hold the target's keys fails here,
        // at the field's type. A model that refers to itself is checked
        // against its own key's type: its description is still being built.
        let target_key = if refers_to_self(target, ident) {
            let pk_ty = pk.ty;
            quote!(#p::check_self_key(#name, <#ty as #p::FieldType>::KIND, <#pk_ty as #p::FieldType>::KIND))
        } else {
            quote!(#p::check_foreign_key(<#target as #model>::META, #name, <#ty as #p::FieldType>::KIND))
        };
        let check = respan(target_key, ty.span());
        quote_spanned!(ty.span()=> const _: () = #check;)
    });
    // One `ForeignKeyTo` impl for each model the foreign keys refer to,
    // naming those keys: what the admin's inlines are checked against.
    let mut targets: Vec<(String, TokenStream, Vec<String>)> = Vec::new();
    for r in &c.relations {
        let path = &r.target;
        let target = if refers_to_self(path, ident) { quote!(#ident) } else { quote!(#path) };
        let key = target.to_string();
        let field = c.fields[r.field].ident.to_string();
        match targets.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, fields)) => fields.push(field),
            None => targets.push((key, target, vec![field])),
        }
    }
    let foreign_keys_to = targets.iter().map(|(_, target, fields)| {
        quote! {
            #[automatically_derived]
            impl #p::ForeignKeyTo<#target> for #ident {
                const FIELDS: &'static [&'static str] = &[#(#fields),*];
            }
        }
    });
    let reads = c.fields.iter().map(|f| {
        let (field, ty) = (f.ident, f.ty);
        quote_spanned!(ty.span()=> #field: __row.read::<#ty>()?,)
    });
    let value_arms = c.fields.iter().map(|f| {
        let (field_name, field) = (f.ident.to_string(), f.ident);
        // A type without a conversion into `Value` fails at the field's type.
        let value = respan(quote!(#p::Value::from), f.ty.span());
        quote!(#field_name => #p::Option::Some(#value(&self.#field)),)
    });

    quote! {
        const _: () = {
            #p::inventory::submit! { #p::ModelEntry::of::<#ident>() }

            #(#column_checks)*
            #(#key_checks)*
            #(#foreign_keys_to)*

            static #fields_static: [#p::FieldMeta; #field_count] = [#(#field_metas),*];
            static #relations_static: [#p::RelationMeta; #relation_count] = [#(#relation_metas),*];
            static #meta_static: #p::ModelMeta = #p::ModelMeta {
                name: #name,
                slug: #slug,
                table: #table_sql,
                primary_key: &#fields_static[#pk_index],
                fields: &#fields_static,
                relations: &#relations_static,
                verbose_name: #verbose_name,
                verbose_name_plural: #verbose_name_plural,
                display: #display,
            };

            #[automatically_derived]
            impl #model for #ident {
                type Table = #table::table;

                const META: &'static #p::ModelMeta = &#meta_static;

                fn all() -> #p::BoxedQuery<Self> {
                    #p::diesel::QueryDsl::into_boxed(#table::table)
                }

                fn from_row(__row: &mut #p::RowReader<'_, '_, '_>) -> #p::diesel::QueryResult<Self> {
                    #p::Result::Ok(Self { #(#reads)* })
                }

                fn value(&self, __field: &str) -> #p::Option<#p::Value> {
                    match __field {
                        #(#value_arms)*
                        _ => #p::Option::None,
                    }
                }

                fn pk(&self) -> #p::Value {
                    #p::Value::from(&self.#pk_ident)
                }
            }
        };
    }
}

/// Whether `target` names the model being derived, `ident`, or `Self`.
fn refers_to_self(target: &syn::Path, ident: &syn::Ident) -> bool {
    target.segments.last().is_some_and(|s| s.ident == *ident || s.ident == "Self")
}
