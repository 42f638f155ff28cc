//! Checking the model as read: the rules for text fields, the primary key,
//! the relations, and the display field.

use std::collections::BTreeMap;

use quote::ToTokens;

use crate::internals::ast::{
    foreign_key_name, relation_name, snake_case, title_case, Container, RawContainer, Relation,
};
use crate::internals::attr::model::PrimaryKey;
use crate::internals::ctxt::Ctxt;
use crate::internals::suggest::did_you_mean;
use crate::internals::types::{self, KEYS};

/// Resolves the primary key and the relations of `raw`, recording every
/// problem in `cx`. `None` when the model cannot be generated.
pub(crate) fn check<'a>(cx: &Ctxt, raw: RawContainer<'a>) -> Option<Container<'a>> {
    let ident = &raw.input.ident;
    let fields: Vec<_> = raw.fields.iter().map(|f| &f.field).collect();
    let index_of = |name: &str| fields.iter().position(|f| f.ident == name);

    // Lengths and blankness are rules for text.
    for raw_field in &raw.fields {
        let field = &raw_field.field;
        for key in raw_field.text_keys.iter().filter(|_| field.class.base != "String") {
            cx.error_spanned_by(
                key,
                format!(
                    "`{}` applies to text fields; `{}` is {}",
                    key.get_ident().map(ToString::to_string).unwrap_or_default(),
                    field.ident,
                    field.class.described()
                ),
            );
        }
    }

    // Precision and scale are rules for decimals, which must have both.
    for raw_field in &raw.fields {
        let field = &raw_field.field;
        let is_decimal = field.class.base == "BigDecimal";
        let keys = raw_field.max_digits.iter().chain(&raw_field.decimal_places);
        for count in keys.filter(|_| !is_decimal) {
            cx.error_spanned_by(
                &count.key,
                format!(
                    "`{}` applies to decimal fields (BigDecimal); `{}` is {}",
                    count.key.get_ident().map(ToString::to_string).unwrap_or_default(),
                    field.ident,
                    field.class.described()
                ),
            );
        }
        match (&raw_field.max_digits, &raw_field.decimal_places) {
            _ if !is_decimal => {}
            (Some(digits), Some(places)) if places.value > digits.value => cx.error_spanned_by(
                &places.key,
                format!(
                    "`{}` has {} decimal places but only {} digits; decimal_places must not exceed max_digits",
                    field.ident, places.value, digits.value
                ),
            ),
            (Some(_), Some(_)) => {}
            (Some(given), None) | (None, Some(given)) => {
                let key = given.key.get_ident().map(ToString::to_string).unwrap_or_default();
                let other = if key == "max_digits" { "decimal_places" } else { "max_digits" };
                cx.error_spanned_by(
                    &given.key,
                    format!(
                        "`{key}` needs `{other}` beside it, as the column of `{}` declares both: \
                         #[model(max_digits = 12, decimal_places = 2)] for a NUMERIC(12, 2)",
                        field.ident
                    ),
                );
            }
            (None, None) => cx.error_spanned_by(
                field.ty,
                format!(
                    "the decimal `{}` needs its precision and scale, as its column declares them: \
                     #[model(max_digits = 12, decimal_places = 2)] for a NUMERIC(12, 2)",
                    field.ident
                ),
            ),
        }
        if let Some(key) = &raw_field.choices {
            if let Some(class) = types::classify(field.ty) {
                cx.error_spanned_by(
                    key,
                    format!(
                        "`choices` marks a field whose type is an enum deriving hangar::Choice; `{}` is {}: \
                         list its values as the variants of such an enum, and make the enum the field's type",
                        field.ident,
                        class.described()
                    ),
                );
            }
        }
    }

    let primary_key = match &raw.primary_key {
        None => index_of("id").or_else(|| {
            cx.error_spanned_by(
                ident,
                format!(
                    "`{ident}` has no field `id`; add one, or name its primary key with #[diesel(primary_key(...))]"
                ),
            );
            None
        }),
        Some(PrimaryKey { key: path, fields: keys }) => match keys.as_slice() {
            [key] => index_of(&key.to_string()).or_else(|| {
                cx.error_spanned_by(key, format!("the primary key `{key}` is not a field of `{ident}`"));
                None
            }),
            [] => {
                cx.error_spanned_by(path, "primary_key(...) needs a field");
                None
            }
            _ => {
                cx.error_spanned_by(
                    path,
                    "hangar supports a single-column primary key; composite keys are not supported",
                );
                None
            }
        },
    };
    if let Some(pk) = primary_key.and_then(|i| fields.get(i)) {
        if pk.class.nullable {
            cx.error_spanned_by(pk.ty, format!("the primary key `{}` cannot be an Option", pk.ident));
        } else if !pk.class.is_key() {
            cx.error_spanned_by(
                pk.ty,
                format!("the primary key `{}` must be a key type: {}", pk.ident, KEYS.join(", ")),
            );
        }
    }

    // Foreign keys: from diesel's belongs_to, then from #[model(references)].
    let mut declared: BTreeMap<usize, proc_macro2::TokenStream> = BTreeMap::new();
    let mut relations = Vec::new();
    let mut add = |cx: &Ctxt, index: usize, target: &syn::Path, origin: proc_macro2::TokenStream| {
        let Some(field) = fields.get(index) else {
            return;
        };
        if declared.insert(index, origin.clone()).is_some() {
            cx.error_spanned_by(
                origin,
                format!("the foreign key `{}` is declared twice; keep one declaration", field.ident),
            );
            return;
        }
        if !field.class.is_key() {
            cx.error_spanned_by(
                field.ty,
                format!(
                    "the foreign key `{}` must be a key type ({}), or an Option of one",
                    field.ident,
                    KEYS.join(", ")
                ),
            );
        }
        relations.push(Relation {
            name: relation_name(&field.ident.to_string()),
            field: index,
            target: target.clone(),
        });
    };
    for belongs in &raw.belongs_to {
        let Some(parent) = belongs.parent.segments.last() else {
            continue;
        };
        let key = match &belongs.foreign_key {
            Some(key) => key.to_string(),
            None => foreign_key_name(&parent.ident),
        };
        match index_of(&key) {
            Some(index) => add(cx, index, &belongs.parent, belongs.parent.to_token_stream()),
            None => {
                let (span, how): (proc_macro2::TokenStream, _) = match &belongs.foreign_key {
                    Some(k) => (k.to_token_stream(), "add it, or name the right field"),
                    None => (
                        belongs.parent.to_token_stream(),
                        "add it, or name the key with belongs_to(Parent, foreign_key = field)",
                    ),
                };
                cx.error_spanned_by(
                    span,
                    format!("belongs_to({}) needs a foreign key field `{key}` on `{ident}`; {how}", parent.ident),
                );
            }
        }
    }
    for (index, raw_field) in raw.fields.iter().enumerate() {
        if let Some(target) = &raw_field.references {
            add(cx, index, target, target.to_token_stream());
        }
    }

    // A relation's name must not clash with another relation or field.
    for (i, relation) in relations.iter().enumerate() {
        let Some(fk) = fields.get(relation.field) else {
            continue;
        };
        if relations[..i].iter().any(|r| r.name == relation.name) {
            cx.error_spanned_by(
                fk.ident,
                format!("two foreign keys make a relation called `{}`; rename one", relation.name),
            );
        } else if let Some(other) = fields.iter().find(|f| f.ident == relation.name.as_str() && f.ident != fk.ident) {
            cx.error_spanned_by(
                other.ident,
                format!("the field `{}` has the name of the relation of `{}`; rename one", other.ident, fk.ident),
            );
        }
    }

    let display = raw.display.as_ref().and_then(|name| {
        let found = index_of(&name.to_string());
        if found.is_none() {
            let names: Vec<String> = fields.iter().map(|f| f.ident.to_string()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            cx.error_spanned_by(
                name,
                format!(
                    "`display` names `{name}`, which is not a field of `{ident}`; fields are: {}{}",
                    names.join(", "),
                    did_you_mean(&name.to_string(), &names)
                ),
            );
        }
        found
    });

    let primary_key = primary_key?;
    if cx.has_errors() {
        return None;
    }
    let verbose_name = raw
        .verbose_name
        .as_ref()
        .map_or_else(|| title_case(&snake_case(&ident.to_string()).replace('_', " ")), |v| v.value());
    let verbose_name_plural =
        raw.verbose_name_plural.as_ref().map_or_else(|| format!("{verbose_name}s"), |v| v.value());
    Some(Container {
        ident,
        table: raw.table,
        fields: raw.fields.into_iter().map(|f| f.field).collect(),
        primary_key,
        relations,
        verbose_name,
        verbose_name_plural,
        display,
    })
}
