//! The derive macros of [hangar](https://docs.rs/hangar). Depend on `hangar`,
//! which re-exports them beside the traits they implement.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod admin;
mod choice;
mod dummy;
mod exports;
mod internals;
mod model;
mod rest;
mod spans;
mod templates;
mod tokens;
mod user;

use proc_macro::TokenStream;

/// Derives `hangar::Model` for a Diesel model struct.
///
/// It reads Diesel's own `#[diesel(table_name = ..., primary_key(...),
/// belongs_to(...))]` and each field's `#[diesel(column_name = ...)]`, and
/// these of its own:
///
/// - on the struct: `#[model(verbose_name = "...", verbose_name_plural = "...")]`;
/// - on a field: `#[model(references = Parent)]` declares a foreign key
///   where `belongs_to` cannot (two keys to the same model), and
///   `#[model(verbose_name = "...")]` names the field for people.
#[proc_macro_derive(Model, attributes(model, diesel))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    model::expand(&input).into()
}

/// Derives `hangar::Choice` for a fieldless enum, which makes it a field
/// type stored as text: mark a field of it (or of an `Option` of it) with
/// `#[model(choices)]`.
///
/// Each variant is stored as its name in snake case (`InStock` is
/// `in_stock`) and labelled with that value, spaced and capitalised
/// (`In stock`); on a variant, `#[choice(value = "...", label = "...")]`
/// says otherwise. Two variants stored as one value, an empty value, a
/// variant with fields and a generic enum are compile errors. See the
/// trait `hangar::Choice` for an example.
#[proc_macro_derive(Choice, attributes(choice))]
pub fn derive_choice(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    choice::expand(&input).into()
}

/// Derives `hangar::admin::AdminModel` and a default
/// `hangar::admin::ModelAdmin` for a model that also derives `hangar::Model`.
///
/// Keys of `#[admin(...)]` on the struct, every name checked against the
/// model (paths into related models against theirs) while compiling:
///
/// - `columns(content, user__username, method = excerpt)`: the list's columns;
/// - `search_fields(...)`, `filter_fields(...)`, `filter_exclude(...)`;
/// - `fields(...)`, `exclude(...)`, `readonly_fields(...)`,
///   `fieldsets("Title" = (a, b), ...)`: the form;
/// - `ordering("-pub_date")`, `paginate_by = 20`;
/// - `foreign_key_lookups(user = username)`: a type-ahead picker;
/// - `delete_collect_objects = false`, `export_exclude(...)`.
///
/// On a field: `#[admin(label = "...", help_text = "...", widget = textarea|password)]`.
#[proc_macro_derive(AdminModel, attributes(admin))]
pub fn derive_admin_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    admin::expand(&input).into()
}

/// Derives `hangar::rest::RestModel` and a default `hangar::rest::Resource`
/// for a model that also derives `hangar::Model`.
///
/// Keys of `#[rest(...)]`, every name checked against the model:
///
/// - `fields(a, b)`, `exclude(a, b)`: what the JSON shows;
/// - `readonly_fields(a, b)`: what a body cannot set (the primary key never can);
/// - `filter_fields(a, relation__b)`, `filter_exclude(a)`: what may be filtered on;
/// - `paginate_by = 20`, `max_paginate_by = 100` (`none` for one page / no cap);
/// - `include(relation, other = Resource)`: nest related objects;
/// - `owner = relation`, `owner_reads`: flask-peewee's `RestrictOwnerResource`;
/// - `nested_writes = false`: refuse nested objects in bodies;
/// - `permissions = model`: reads need the model's view permission, writes
///   its add, change or delete permission (`hangar::auth::Permission`).
#[proc_macro_derive(RestResource, attributes(rest))]
pub fn derive_rest_resource(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    rest::expand(&input).into()
}

/// Derives `hangar::auth::UserModel` for a model that also derives
/// `hangar::Model`: the fields `username` and `password` (required), and
/// `email`, `active` and `admin` when the struct has them, or the fields
/// `#[user(username = login, password = pw_hash, ...)]` names instead.
#[proc_macro_derive(UserModel, attributes(user))]
pub fn derive_user_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    user::expand(&input).into()
}

/// Embeds every Handlebars template under a folder of the crate:
/// `hangar::embed_templates!("templates")` is a
/// `&'static [(&'static str, &'static str)]` of `(name, source)` pairs, for
/// `hangar::templates::Templates::add_all`.
///
/// The folder is relative to the crate's root, where its `Cargo.toml` is.
/// Every `*.hbs` file under it, at any depth, is one template; its name is
/// its path under the folder without `.hbs`, with `/` between folders
/// (`templates/tweepee/index.hbs` is `tweepee/index`), and the list is
/// sorted by name. Each source is embedded with `include_str!`, so the
/// binary needs no templates folder at run time.
///
/// A missing folder, a file instead of a folder, a template that cannot be
/// read or is not UTF-8, a folder without any `.hbs` file and an argument
/// that is not one string literal are compile errors at the argument.
///
/// **A new template file needs a rebuild of the crate.** Cargo tracks the
/// files `include_str!` read, so an edit to an embedded template rebuilds
/// the crate, but it does not watch the folder: a file added (or removed)
/// after the last build is picked up when something else makes the crate
/// rebuild, such as `touch src/lib.rs`. Macros in the style of `include_dir`
/// share this limit until Rust can track a folder.
#[proc_macro]
pub fn embed_templates(input: TokenStream) -> TokenStream {
    templates::expand(input.into()).unwrap_or_else(syn::Error::into_compile_error).into()
}

#[cfg(test)]
mod tests;

/// The table of supported field types, for the runtime's own impls:
/// `__field_types!(callback)` expands to
/// `callback! { ["i16, ...", "supported: i16, ..."] i16 => SmallInt, ... }`.
/// Not a public API.
#[doc(hidden)]
#[proc_macro]
pub fn __field_types(input: TokenStream) -> TokenStream {
    let callback = syn::parse_macro_input!(input as syn::Path);
    internals::types::field_types(&callback).unwrap_or_else(syn::Error::into_compile_error).into()
}
