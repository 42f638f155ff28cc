//! The model the derives work from: the struct's fields, its table, its key
//! and its relations, each keeping the syntax it came from; read here from
//! the struct and its parsed attributes (`RawContainer`), then completed by
//! `check::model` (`Container`). Beside it, what the other derives read:
//! the model with its checked `#[admin]` or `#[rest]`, a user model's
//! fields, and a choice enum's variants.

use proc_macro2::{Ident, Span};
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, LitStr, Path, Type};

use super::attr::admin::AdminAttrs;
use super::attr::choice as choice_attr;
use super::attr::model::{self as parse, BelongsTo, PrimaryKey};
use super::attr::rest::RestAttrs;
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
    /// `#[model(max_digits = P, decimal_places = S)]`: a decimal's precision
    /// and scale.
    pub(crate) precision: Option<(u32, u32)>,
    /// `#[model(db_default)]`: the database fills the column when an
    /// insert leaves it out.
    pub(crate) db_default: bool,
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

impl Container<'_> {
    /// The field a name in an attribute list stands for: a relation's name
    /// stands for its foreign key, unless a field has that name too.
    pub(crate) fn field_name(&self, name: &str) -> String {
        let relation = self.relations.iter().find(|r| r.name == name && self.fields.iter().all(|f| f.ident != name));
        relation.map_or_else(|| name.to_owned(), |r| self.fields[r.field].ident.to_string())
    }

    /// The relation named `name`, by its own name or by its foreign key's.
    pub(crate) fn relation(&self, name: &Ident) -> Option<&Relation> {
        self.relations.iter().find(|r| *name == r.name || *self.fields[r.field].ident == *name)
    }
}

/// A model with its checked `#[admin(...)]`: what derive(AdminModel)
/// generates from.
pub(crate) struct Admin<'a> {
    pub(crate) model: Container<'a>,
    pub(crate) attrs: AdminAttrs,
    /// The names that go into related models, checked up to the relation.
    pub(crate) related_paths: Vec<RelatedPath>,
}

/// A name in `#[admin(...)]` that goes through a relation (`user__username`,
/// or a lookup's field). It is checked here up to the relation; the
/// generator emits a `const` check of the rest against the related model's
/// description (see `hangar::model::check_path`).
pub(crate) struct RelatedPath {
    /// Where the name is written: the `const` check's error points there.
    pub(crate) span: Span,
    /// The key it is listed under, for the error: `columns`, `search_fields`.
    pub(crate) key: &'static str,
    /// The relation it goes through, by index in the model's relations.
    pub(crate) relation: usize,
    /// The segments after the relation.
    pub(crate) rest: Vec<String>,
    /// Whether it must end at a text field (searches and lookups).
    pub(crate) needs_text: bool,
}

/// A model with its checked `#[rest(...)]`: what derive(RestResource)
/// generates from.
pub(crate) struct Rest<'a> {
    pub(crate) model: Container<'a>,
    pub(crate) attrs: RestAttrs,
}

/// A field of a struct deriving UserModel.
pub(crate) struct UserField<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
}

/// The fields that play a user model's parts: what derive(UserModel)
/// generates from.
pub(crate) struct UserFields<'a> {
    pub(crate) username: &'a Ident,
    /// The password hash.
    pub(crate) password: &'a Ident,
    pub(crate) email: Option<&'a Ident>,
    /// Whether the user may log in; always when absent.
    pub(crate) active: Option<&'a Ident>,
    /// Whether the user may use the admin; never when absent.
    pub(crate) admin: Option<&'a Ident>,
    /// Whether the user is staff, who may use the admin as far as their
    /// permissions go; never when absent.
    pub(crate) staff: Option<&'a Ident>,
}

/// The named fields of `input` for derive(UserModel); `None`, with the
/// error recorded, when `input` is not a struct with named fields.
pub(crate) fn user_fields<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Option<Vec<UserField<'a>>> {
    match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Some(
                named.named.iter().filter_map(|f| Some(UserField { ident: f.ident.as_ref()?, ty: &f.ty })).collect(),
            ),
            _ => {
                cx.error_spanned_by(
                    &input.ident,
                    format!("derive(UserModel) needs a struct with named fields; `{}` has none", input.ident),
                );
                None
            }
        },
        _ => {
            cx.error_spanned_by(
                &input.ident,
                format!("derive(UserModel) needs a struct; `{}` is not one", input.ident),
            );
            None
        }
    }
}

/// An enum deriving Choice: what derive(Choice) generates from.
pub(crate) struct ChoiceEnum<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) variants: Vec<ChoiceVariant<'a>>,
}

/// One variant of a choice enum.
pub(crate) struct ChoiceVariant<'a> {
    pub(crate) ident: &'a Ident,
    /// What it is stored as: `#[choice(value = "...")]`, else its name in
    /// snake case.
    pub(crate) value: String,
    /// The literal `value` came from, when given, for errors about it.
    pub(crate) value_given: Option<LitStr>,
    /// What people see: `#[choice(label = "...")]`, else the value with
    /// spaces for underscores and its first letter capitalised.
    pub(crate) label: String,
}

impl<'a> ChoiceEnum<'a> {
    /// Reads `input`, recording every problem in `cx`. `None` when it is not
    /// an enum, so there are no variants to read.
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let what = match &input.data {
            Data::Enum(data) => Ok(data),
            Data::Struct(_) => Err("a struct"),
            Data::Union(_) => Err("a union"),
        };
        let data = match what {
            Ok(data) => data,
            Err(what) => {
                cx.error_spanned_by(
                    &input.ident,
                    format!(
                        "derive(Choice) needs an enum whose variants have no fields, one per stored value; `{}` is {what}",
                        input.ident
                    ),
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "derive(Choice) does not support generic parameters; a choice is stored as text, one value per variant",
            );
        }
        if data.variants.is_empty() {
            cx.error_spanned_by(
                &input.ident,
                format!("`{}` has no variants; a choice needs at least one value to store", input.ident),
            );
        }
        choice_attr::on_enum(cx, &input.attrs);
        let variants = data
            .variants
            .iter()
            .map(|variant| {
                if !matches!(variant.fields, Fields::Unit) {
                    cx.error_spanned_by(
                        &variant.fields,
                        format!(
                            "the variant `{}` has fields; derive(Choice) stores each variant as one text value, \
                             so variants have no fields",
                            variant.ident
                        ),
                    );
                }
                let attrs = choice_attr::variant(cx, &variant.attrs);
                let value =
                    attrs.value.as_ref().map_or_else(|| snake_case(&variant.ident.unraw().to_string()), LitStr::value);
                let label = attrs.label.as_ref().map_or_else(|| sentence_case(&value.replace('_', " ")), LitStr::value);
                ChoiceVariant { ident: &variant.ident, value, value_given: attrs.value, label }
            })
            .collect();
        Some(ChoiceEnum { ident: &input.ident, variants })
    }
}

/// A field as read, before the cross-field checks.
pub(crate) struct RawField<'a> {
    pub(crate) field: Field<'a>,
    pub(crate) references: Option<Path>,
    /// The keys given that apply to text only (`max_length`, `not_blank`),
    /// for the check that the field is text.
    pub(crate) text_keys: Vec<Path>,
    /// `max_digits` and `decimal_places`, for the check that the field is a
    /// decimal.
    pub(crate) max_digits: Option<parse::Count>,
    pub(crate) decimal_places: Option<parse::Count>,
    /// `choices`, for the check that the field's type is an enum.
    pub(crate) choices: Option<Path>,
}

/// The struct as read, before the cross-field checks.
pub(crate) struct RawContainer<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) table: Path,
    /// Whether `table` was given, rather than Diesel's default.
    pub(crate) table_given: bool,
    pub(crate) primary_key: Option<PrimaryKey>,
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
        let diesel = parse::diesel_struct(cx, &input.attrs);
        let model = parse::model_struct(cx, &input.attrs);
        let table_given = diesel.table_name.is_some();
        let table = diesel.table_name.unwrap_or_else(|| default_table(&input.ident));
        let fields = named
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let column = parse::diesel_column_name(cx, &f.attrs).unwrap_or_else(|| ident.clone());
                let options = parse::model_field(cx, &f.attrs);
                let class = match &options.choices {
                    Some(_) => Some(types::classify_choice(&f.ty)),
                    None => types::classify(&f.ty),
                };
                // A generic parameter's type is reported once, as a generic.
                let generic =
                    input.generics.type_params().any(|p| matches!(&f.ty, Type::Path(t) if t.path.is_ident(&p.ident)));
                let class = class.unwrap_or_else(|| {
                    if generic {
                        return FieldType { base: "i32", nullable: false };
                    }
                    cx.error_spanned_by(
                        &f.ty,
                        format!("field `{ident}` has a type that hangar does not support; {}", types::instead(&f.ty)),
                    );
                    FieldType { base: "i32", nullable: false }
                });
                let verbose_name = options
                    .verbose_name
                    .map_or_else(|| title_case(&ident.to_string().replace('_', " ")), |v| v.value());
                let text_keys: Vec<Path> =
                    options.max_length.iter().map(|m| m.key.clone()).chain(options.not_blank.clone()).collect();
                Some(RawField {
                    field: Field {
                        ident,
                        ty: &f.ty,
                        column,
                        class,
                        verbose_name,
                        max_length: options.max_length.as_ref().map(|m| m.chars),
                        not_blank: options.not_blank.is_some(),
                        precision: options
                            .max_digits
                            .as_ref()
                            .zip(options.decimal_places.as_ref())
                            .map(|(p, s)| (p.value, s.value)),
                        db_default: options.db_default.is_some(),
                    },
                    references: options.references,
                    text_keys,
                    max_digits: options.max_digits,
                    decimal_places: options.decimal_places,
                    choices: options.choices,
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

/// The relation a foreign key makes: the field's name without its `_id`
/// suffix (`user_id` → `user`).
pub(crate) fn relation_name(foreign_key: &str) -> String {
    foreign_key.strip_suffix("_id").filter(|n| !n.is_empty()).unwrap_or(foreign_key).to_owned()
}

/// The foreign key diesel's `belongs_to(Parent)` expects: `parent_id`.
pub(crate) fn foreign_key_name(parent: &Ident) -> String {
    format!("{}_id", snake_case(&parent.to_string()))
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

/// `in stock` → `In stock`.
pub(crate) fn sentence_case(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_and_title_case() {
        assert_eq!(snake_case("ApiToken"), "api_token");
        assert_eq!(snake_case("User"), "user");
        assert_eq!(title_case("join date"), "Join Date");
        assert_eq!(title_case(&snake_case("ApiToken").replace('_', " ")), "Api Token");
        assert_eq!(sentence_case(&snake_case("InStock").replace('_', " ")), "In stock");
        assert_eq!(sentence_case("élan"), "Élan");
        assert_eq!(sentence_case(""), "");
    }

    #[test]
    fn foreign_keys_and_relations() {
        assert_eq!(relation_name("user_id"), "user");
        assert_eq!(relation_name("_id"), "_id");
        assert_eq!(relation_name("owner"), "owner");
        assert_eq!(foreign_key_name(&Ident::new("ApiToken", Span::call_site())), "api_token_id");
    }
}
