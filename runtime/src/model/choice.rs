//! Enums stored as text: a field whose values are one of a fixed list,
//! Django's `choices`.
//!
//! `derive(hangar::Choice)` implements [`Choice`] on a fieldless enum, and
//! with it [`FieldType`](super::FieldType) (a `Text` column) and the
//! conversions to and from [`Value`]. The functions below are what those
//! impls call, so that the derive generates only the tables and the
//! matches.

use diesel::deserialize;

use super::field_type::Raw;
use super::suggest::shown;
use super::{ChoiceMeta, FieldType, Value};

/// A fieldless enum stored as one text value per variant.
///
/// Derive it with `#[derive(hangar::Choice)]` and mark the field that has
/// it with `#[model(choices)]`; the field's column is text. Each variant is
/// stored as its name in snake case and labelled with that value, spaced
/// and capitalised, unless `#[choice(value = "...", label = "...")]` says
/// otherwise:
///
/// ```
/// use diesel::prelude::*;
/// use hangar::model::{ChoiceMeta, Value};
/// use hangar::{Choice as _, Model as _};
///
/// #[derive(Debug, Clone, Copy, PartialEq, hangar::Choice)]
/// enum Stock {
///     InStock,
///     #[choice(label = "Ordered, not yet here")]
///     Backorder,
///     #[choice(value = "gone", label = "Sold out")]
///     SoldOut,
/// }
///
/// diesel::table! {
///     product (id) {
///         id -> Integer,
///         stock -> Text,
///         restock -> Nullable<Text>,
///     }
/// }
///
/// #[derive(hangar::Model)]
/// #[diesel(table_name = product)]
/// struct Product {
///     id: i32,
///     #[model(choices)]
///     stock: Stock,
///     #[model(choices)]
///     restock: Option<Stock>,
/// }
///
/// assert_eq!(Stock::CHOICES, [
///     ChoiceMeta { value: "in_stock", label: "In stock" },
///     ChoiceMeta { value: "backorder", label: "Ordered, not yet here" },
///     ChoiceMeta { value: "gone", label: "Sold out" },
/// ]);
/// assert_eq!(Stock::SoldOut.as_str(), "gone");
/// assert_eq!(Stock::from_str_value("in_stock"), Some(Stock::InStock));
/// assert_eq!(Value::from(Stock::SoldOut), Value::Text("gone".into()));
/// assert_eq!(Stock::try_from(&Value::Text("backorder".into())), Ok(Stock::Backorder));
///
/// // The model's description lists the choices, for the REST API's
/// // checks and its OpenAPI `enum`.
/// let restock = Product::meta().field("restock").unwrap();
/// assert!(restock.nullable);
/// assert_eq!(restock.choice_label("gone"), Some("Sold out"));
///
/// # let db = hangar::db::Database::connect("sqlite::memory:")?;
/// # let mut conn = db.get()?;
/// # use diesel::connection::SimpleConnection;
/// # conn.batch_execute("CREATE TABLE product (id INTEGER PRIMARY KEY, stock TEXT NOT NULL, restock TEXT)")?;
/// // Stored as its text, and read back as the variant.
/// let mut data = hangar::model::Data::new(Product::meta());
/// data.set("stock", Stock::Backorder)?;
/// data.set("restock", None::<Stock>)?;
/// hangar::model::save::<Product>(&mut conn, &data, None)?;
/// let product = Product::load(Product::all(), &mut conn)?.pop().unwrap();
/// assert_eq!((product.stock, product.restock), (Stock::Backorder, None));
///
/// // A stored value that is not a choice is an error naming it.
/// conn.batch_execute("UPDATE product SET stock = 'lost'")?;
/// let error = Product::load(Product::all(), &mut conn).err().unwrap();
/// assert!(error.to_string().contains("`lost` is not one of"), "{error}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a choice enum",
    label = "not a choice enum",
    note = "derive `hangar::Choice` on it"
)]
pub trait Choice: Sized + 'static {
    /// Every variant's stored value and label, in the order declared.
    const CHOICES: &'static [ChoiceMeta];

    /// The value this variant is stored as.
    fn as_str(&self) -> &'static str;

    /// The variant stored as `value`, if one is.
    fn from_str_value(value: &str) -> Option<Self>;
}

/// Reads a choice from a column's raw value: its text, which must be one of
/// the choices.
#[doc(hidden)]
pub fn read_choice<E: Choice>(value: Option<Raw<'_>>) -> deserialize::Result<E> {
    let text = <String as FieldType>::from_raw(value)?;
    E::from_str_value(&text).ok_or_else(|| {
        let values: Vec<&str> = E::CHOICES.iter().map(|c| c.value).collect();
        format!(
            "the column's value `{}` is not one of the choices of `{}`: {}",
            shown(&text),
            std::any::type_name::<E>(),
            values.join(", ")
        )
        .into()
    })
}

/// The value a choice is stored as.
#[doc(hidden)]
pub fn choice_value<E: Choice>(choice: &E) -> Value {
    Value::Text(choice.as_str().to_owned())
}

// `From<E>` and `From<&E>` are generated beside the enum; these two cannot
// be, since `Option<E>` is not the user's type. They make an `Option<E>`
// field's value `Null` or the choice's text, as for any other field type.

impl<E: Choice> From<Option<E>> for Value {
    fn from(choice: Option<E>) -> Self {
        choice.as_ref().map_or(Value::Null, choice_value)
    }
}

impl<E: Choice> From<&Option<E>> for Value {
    fn from(choice: &Option<E>) -> Self {
        choice.as_ref().map_or(Value::Null, choice_value)
    }
}

/// The choice stored as `value`, when it is the text of one.
#[doc(hidden)]
pub fn choice_from_value<E: Choice>(value: &Value) -> Option<E> {
    match value {
        Value::Text(text) => E::from_str_value(text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NotNullFieldType, SqlKind};

    #[derive(Debug, Clone, Copy, PartialEq, crate::Choice)]
    enum Size {
        Small,
        ExtraLarge,
        #[choice(value = "m", label = "Medium, the default")]
        Medium,
    }

    fn not_null<T: NotNullFieldType>() -> bool {
        !T::NULLABLE
    }

    #[test]
    fn variants_are_stored_as_their_snake_case_names_unless_given() {
        let values: Vec<(&str, &str)> = <Size as Choice>::CHOICES.iter().map(|c| (c.value, c.label)).collect();
        assert_eq!(values, [("small", "Small"), ("extra_large", "Extra large"), ("m", "Medium, the default")]);
        assert_eq!(Size::ExtraLarge.as_str(), "extra_large");
        assert_eq!(Size::from_str_value("m"), Some(Size::Medium));
        assert_eq!(Size::from_str_value("Medium"), None, "the variant's name is not its value");
        assert_eq!(Size::from_str_value(""), None);
    }

    #[test]
    fn a_choice_is_a_text_field_type_listing_its_choices() {
        assert_eq!(<Size as FieldType>::KIND, SqlKind::Text);
        assert!(not_null::<Size>());
        assert_eq!(<Size as FieldType>::CHOICES, <Size as Choice>::CHOICES);
        assert_eq!(<Option<Size> as FieldType>::CHOICES, <Size as Choice>::CHOICES);
        const { assert!(<Option<Size> as FieldType>::NULLABLE) };
    }

    #[test]
    fn values_convert_both_ways() {
        assert_eq!(Value::from(Size::Small), Value::Text("small".into()));
        assert_eq!(Value::from(&Size::Medium), Value::Text("m".into()));
        assert_eq!(Value::from(Some(Size::ExtraLarge)), Value::Text("extra_large".into()));
        assert_eq!(Value::from(&None::<Size>), Value::Null);
        assert_eq!(Size::try_from(&Value::Text("m".into())), Ok(Size::Medium));
        assert_eq!(Size::try_from(&Value::Text("huge".into())), Err(()));
        assert_eq!(Size::try_from(&Value::Integer(1)), Err(()));
        assert_eq!(Size::try_from(&Value::Null), Err(()));
    }
}
