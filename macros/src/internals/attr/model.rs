//! Parsing diesel's `#[diesel(...)]` (the keys hangar reads) and
//! `#[model(...)]`, on the struct and on its fields.

use proc_macro2::Ident;
use syn::{Attribute, LitInt, LitStr, Path, Token};

use super::{each_key, flag, skip, value, Elsewhere, Place};
use crate::internals::ctxt::Ctxt;
use crate::internals::symbol::*;

/// What diesel's struct attributes say.
#[derive(Default)]
pub(crate) struct DieselStruct {
    pub(crate) table_name: Option<Path>,
    pub(crate) primary_key: Option<PrimaryKey>,
    pub(crate) belongs_to: Vec<BelongsTo>,
}

/// `primary_key(a, ...)`.
pub(crate) struct PrimaryKey {
    /// The word `primary_key`, for errors about the list as a whole.
    pub(crate) key: Path,
    /// The fields named.
    pub(crate) fields: Vec<Ident>,
}

/// `belongs_to(Parent)` or `belongs_to(Parent, foreign_key = field)`.
pub(crate) struct BelongsTo {
    pub(crate) parent: Path,
    pub(crate) foreign_key: Option<Ident>,
}

/// What `#[model(...)]` says on the struct.
#[derive(Default)]
pub(crate) struct ModelStruct {
    pub(crate) verbose_name: Option<LitStr>,
    pub(crate) verbose_name_plural: Option<LitStr>,
    /// The field that names a row for people.
    pub(crate) display: Option<Ident>,
}

/// What `#[model(...)]` says on a field.
#[derive(Default)]
pub(crate) struct ModelField {
    pub(crate) references: Option<Path>,
    pub(crate) verbose_name: Option<LitStr>,
    pub(crate) max_length: Option<MaxLength>,
    /// `not_blank`: the key, for errors.
    pub(crate) not_blank: Option<Path>,
    /// `max_digits = N`: a decimal's digits in all.
    pub(crate) max_digits: Option<Count>,
    /// `decimal_places = N`: a decimal's digits after the point.
    pub(crate) decimal_places: Option<Count>,
    /// `db_default`: the key, for errors.
    pub(crate) db_default: Option<Path>,
    /// `choices`: the key, for errors.
    pub(crate) choices: Option<Path>,
}

/// A count given to a key: `max_digits = 12`.
pub(crate) struct Count {
    pub(crate) value: u32,
    /// The key, for errors.
    pub(crate) key: Path,
}

/// `max_length = N`.
pub(crate) struct MaxLength {
    /// The column's length in characters.
    pub(crate) chars: u32,
    /// The key, for errors.
    pub(crate) key: Path,
}

/// `#[model(...)]` on the struct.
const ON_STRUCT: Place = Place {
    attr: MODEL,
    keys: STRUCT_KEYS,
    named: " on the struct",
    elsewhere: Some(Elsewhere { keys: FIELD_KEYS, there: "a field", here: "the struct" }),
};

/// `#[model(...)]` on a field.
const ON_FIELD: Place = Place {
    attr: MODEL,
    keys: FIELD_KEYS,
    named: " on a field",
    elsewhere: Some(Elsewhere { keys: STRUCT_KEYS, there: "the struct", here: "a field" }),
};

/// Parses diesel's attributes on the struct, keeping the keys hangar reads.
pub(crate) fn diesel_struct(cx: &Ctxt, attrs: &[Attribute]) -> DieselStruct {
    let mut out = DieselStruct::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(DIESEL)) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(TABLE_NAME) {
                out.table_name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident(PRIMARY_KEY) {
                let mut fields = Vec::new();
                meta.parse_nested_meta(|key| {
                    fields.push(key.path.require_ident()?.clone());
                    Ok(())
                })?;
                out.primary_key = Some(PrimaryKey { key: meta.path, fields });
            } else if meta.path.is_ident(BELONGS_TO) {
                let content;
                syn::parenthesized!(content in meta.input);
                let parent: Path = content.parse()?;
                let mut foreign_key = None;
                if content.parse::<Option<Token![,]>>()?.is_some() && !content.is_empty() {
                    let key: Ident = content.parse()?;
                    if key != FOREIGN_KEY {
                        return Err(syn::Error::new(key.span(), "expected `foreign_key = field`"));
                    }
                    content.parse::<Token![=]>()?;
                    foreign_key = Some(content.parse()?);
                }
                out.belongs_to.push(BelongsTo { parent, foreign_key });
            } else {
                skip(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    out
}

/// The `column_name` diesel's attributes give a field.
pub(crate) fn diesel_column_name(cx: &Ctxt, attrs: &[Attribute]) -> Option<Ident> {
    let mut column = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident(DIESEL)) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(COLUMN_NAME) {
                column = Some(meta.value()?.parse()?);
            } else {
                skip(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    column
}

fn string(meta: &syn::meta::ParseNestedMeta<'_>, key: &str) -> syn::Result<LitStr> {
    value(meta, format!("`{key}` takes a string, like {key} = \"Can access admin\""))
}

/// Parses `#[model(...)]` on the struct.
pub(crate) fn model_struct(cx: &Ctxt, attrs: &[Attribute]) -> ModelStruct {
    let mut out = ModelStruct::default();
    each_key(cx, attrs, &ON_STRUCT, |key, meta| {
        match key {
            DISPLAY => out.display = Some(value(meta, "`display` names a field, like display = username")?),
            VERBOSE_NAME => out.verbose_name = Some(string(meta, key)?),
            _ => out.verbose_name_plural = Some(string(meta, key)?),
        }
        Ok(())
    });
    out
}

/// Parses `#[model(...)]` on a field.
pub(crate) fn model_field(cx: &Ctxt, attrs: &[Attribute]) -> ModelField {
    let mut out = ModelField::default();
    each_key(cx, attrs, &ON_FIELD, |key, meta| {
        match key {
            REFERENCES => {
                let example = "`references` takes the related model's type, like references = User";
                out.references = Some(value(meta, example)?);
            }
            MAX_LENGTH => {
                let example = "`max_length` takes the column's length in characters, like max_length = 150";
                let lit: LitInt = value(meta, example)?;
                match lit.base10_parse::<u32>() {
                    Ok(chars) if chars > 0 => out.max_length = Some(MaxLength { chars, key: meta.path.clone() }),
                    _ => return Err(syn::Error::new(lit.span(), example)),
                }
            }
            NOT_BLANK => {
                flag(meta, "`not_blank` takes no value: write #[model(not_blank)]")?;
                out.not_blank = Some(meta.path.clone());
            }
            MAX_DIGITS | DECIMAL_PLACES => {
                let example = match key {
                    MAX_DIGITS => "`max_digits` takes a decimal's digits in all, 1 to 1000, like max_digits = 12",
                    _ => "`decimal_places` takes the digits after the point, like decimal_places = 2",
                };
                let lit: LitInt = value(meta, example)?;
                let least = u32::from(key == MAX_DIGITS);
                let count = match lit.base10_parse::<u32>() {
                    Ok(n) if (least..=1000).contains(&n) => Count { value: n, key: meta.path.clone() },
                    _ => return Err(syn::Error::new(lit.span(), example)),
                };
                match key {
                    MAX_DIGITS => out.max_digits = Some(count),
                    _ => out.decimal_places = Some(count),
                }
            }
            DB_DEFAULT => {
                flag(meta, "`db_default` takes no value: write #[model(db_default)]")?;
                out.db_default = Some(meta.path.clone());
            }
            CHOICES => {
                flag(
                    meta,
                    "`choices` takes no value: write #[model(choices)] on a field whose enum derives hangar::Choice",
                )?;
                out.choices = Some(meta.path.clone());
            }
            _ => out.verbose_name = Some(string(meta, key)?),
        }
        Ok(())
    });
    out
}
