//! The model a derive works from: the struct's fields, its table, its key
//! and its relations, each keeping the syntax it came from.

use proc_macro2::Ident;
use syn::{Data, DeriveInput, Fields, LitStr, Path, Type};

use super::attr::{self, BelongsTo};
use super::ctxt::Ctxt;
use super::types::{self, FieldType};

/// A model struct, read and checked.
pub(crate) struct Container<'a> {
    pub(crate) ident: &'a Ident,
    /// The Diesel table module: `message` or `crate::schema::message`.
    pub(crate) table: Path,
    pub(crate) fields: Vec<Field<'a>>,
    /// Index of the primary key in `fields`.
    pub(crate) primary_key: usize,
    pub(crate) relations: Vec<Relation>,
    pub(crate) verbose_name: String,
    pub(crate) verbose_name_plural: String,
    /// The field that names a row for people, by index in `fields`.
    pub(crate) display: Option<usize>,
}

/// One field.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// The Diesel column: `#[diesel(column_name = ...)]`, else the field's name.
    pub(crate) column: Ident,
    pub(crate) class: FieldType,
    pub(crate) verbose_name: String,
    /// `#[model(max_length = N)]`: the column's length in characters.
    pub(crate) max_length: Option<u32>,
    /// `#[model(not_blank)]`: text that may not be empty or only spaces.
    pub(crate) not_blank: bool,
}

/// A foreign key.
pub(crate) struct Relation {
    /// The name in filter paths: the field without its `_id` suffix.
    pub(crate) name: String,
    /// Index of the foreign key in `fields`.
    pub(crate) field: usize,
    /// The related model's type.
    pub(crate) target: Path,
}

/// A field as read, before the cross-field checks.
pub(crate) struct RawField<'a> {
    pub(crate) field: Field<'a>,
    pub(crate) references: Option<Path>,
}

/// The struct as read, before the cross-field checks.
pub(crate) struct RawContainer<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) table: Path,
    /// Whether `table` was given, rather than Diesel's default.
    pub(crate) table_given: bool,
    pub(crate) primary_key: Option<(Path, Vec<Ident>)>,
    pub(crate) belongs_to: Vec<BelongsTo>,
    pub(crate) fields: Vec<RawField<'a>>,
    pub(crate) verbose_name: Option<LitStr>,
    pub(crate) verbose_name_plural: Option<LitStr>,
    pub(crate) display: Option<Ident>,
}

impl<'a> RawContainer<'a> {
    /// Reads `input`, recording every problem in `cx`. `None` when the input
    /// is not a struct with named fields, so nothing else can be read.
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let shape = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => Ok(named),
                Fields::Unnamed(_) => Err("a tuple struct"),
                Fields::Unit => Err("a unit struct"),
            },
            Data::Enum(_) => Err("an enum"),
            Data::Union(_) => Err("a union"),
        };
        let named = match shape {
            Ok(named) => named,
            Err(what) => {
                cx.error_spanned_by(
                    &input.ident,
                    format!(
                        "derive(Model) needs a struct with named fields, one per column; `{}` is {what}",
                        input.ident
                    ),
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "derive(Model) does not support generic parameters; a model maps one concrete table",
            );
        }
        let diesel = attr::diesel_struct(cx, &input.attrs);
        let model = attr::model_struct(cx, &input.attrs);
        let table_given = diesel.table_name.is_some();
        let table = diesel.table_name.unwrap_or_else(|| default_table(&input.ident));
        let fields = named
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let column = attr::diesel_column_name(cx, &f.attrs).unwrap_or_else(|| ident.clone());
                let options = attr::model_field(cx, &f.attrs);
                let class = types::classify(&f.ty).unwrap_or_else(|| {
                    cx.error_spanned_by(
                        &f.ty,
                        format!(
                            "field `{ident}` has a type that hangar does not support; supported types are {}",
                            types::supported_list()
                        ),
                    );
                    FieldType { base: "i32", nullable: false }
                });
                let verbose_name = options
                    .verbose_name
                    .map_or_else(|| title_case(&ident.to_string().replace('_', " ")), |v| v.value());
                // Lengths and blankness are rules for text.
                let text_only = |key: &syn::Path| {
                    if class.base != "String" {
                        cx.error_spanned_by(
                            key,
                            format!(
                                "`{}` applies to text fields; `{ident}` is {}",
                                key.get_ident().map(ToString::to_string).unwrap_or_default(),
                                class.base
                            ),
                        );
                    }
                };
                if let Some((_, key)) = &options.max_length {
                    text_only(key);
                }
                if let Some(key) = &options.not_blank {
                    text_only(key);
                }
                Some(RawField {
                    field: Field {
                        ident,
                        ty: &f.ty,
                        column,
                        class,
                        verbose_name,
                        max_length: options.max_length.map(|(n, _)| n),
                        not_blank: options.not_blank.is_some(),
                    },
                    references: options.references,
                })
            })
            .collect();
        Some(RawContainer {
            input,
            table,
            table_given,
            primary_key: diesel.primary_key,
            belongs_to: diesel.belongs_to,
            fields,
            verbose_name: model.verbose_name,
            verbose_name_plural: model.verbose_name_plural,
            display: model.display,
        })
    }
}

/// Diesel's default table name: the struct's name in snake case, plus `s`.
fn default_table(ident: &Ident) -> Path {
    let name = format!("{}s", snake_case(&ident.to_string()));
    Ident::new(&name, ident.span()).into()
}

/// `ApiToken` → `api_token`.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `join date` → `Join Date`.
pub(crate) fn title_case(words: &str) -> String {
    words
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake_case("ApiToken"), "api_token");
        assert_eq!(snake_case("User"), "user");
        assert_eq!(title_case("join date"), "Join Date");
        assert_eq!(title_case(&snake_case("ApiToken").replace('_', " ")), "Api Token");
    }
}
