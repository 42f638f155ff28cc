//! The Rust types a model's field may have, each paired with its column's
//! SQL type.
//!
//! hangar writes every column it filters, orders or selects from the names
//! in [`ModelMeta`](super::ModelMeta), so the code that does so is compiled
//! once instead of once per column of every model. What the types
//! guarantee is kept: `derive(Model)` checks each field against its Diesel
//! column with [`check_column`], which the compiler evaluates and never
//! generates code for.
//!
//! Diesel's multi-backend connection reads the types every backend shares;
//! the others (UUIDs, instants, decimals, JSON) hangar reads from each
//! backend's raw value itself, in [`crate::db`]'s `raw` module.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::expression::Expression;
use diesel::internal::table_macro::{Identifier, StaticQueryFragment};
use diesel::result::UnexpectedNullError;
#[allow(unused_imports)]
use diesel::sql_types::{
    BigInt, Binary, Bool, Date, Double, Float, Integer, Jsonb, Numeric, SmallInt, Text, Time, Timestamp, Timestamptz,
    Uuid,
};

use super::ChoiceMeta;
use crate::db::{raw, MultiBackend};

/// A column's raw value, as the connection gives it.
pub type Raw<'a> = <MultiBackend as Backend>::RawValue<'a>;

/// Reading a non-null value of one supported type from a column's raw value.
trait ReadRaw: Sized {
    fn read_raw(value: Raw<'_>) -> deserialize::Result<Self>;
}

/// The types Diesel's multi-backend connection reads itself.
macro_rules! read_by_diesel {
    ($($rust:ty => $st:ident),* $(,)?) => {$(
        impl ReadRaw for $rust {
            fn read_raw(value: Raw<'_>) -> deserialize::Result<Self> {
                <$rust as FromSql<$st, MultiBackend>>::from_sql(value)
            }
        }
    )*};
}

read_by_diesel! {
    i16 => SmallInt, i32 => Integer, i64 => BigInt, f32 => Float, f64 => Double, bool => Bool,
    String => Text, chrono::NaiveDate => Date, chrono::NaiveTime => Time, chrono::NaiveDateTime => Timestamp,
    Vec<u8> => Binary,
}

impl ReadRaw for chrono::DateTime<chrono::Utc> {
    fn read_raw(value: Raw<'_>) -> deserialize::Result<Self> {
        raw::instant(value)
    }
}

impl ReadRaw for uuid::Uuid {
    fn read_raw(value: Raw<'_>) -> deserialize::Result<Self> {
        raw::uuid(value)
    }
}

impl ReadRaw for bigdecimal::BigDecimal {
    fn read_raw(value: Raw<'_>) -> deserialize::Result<Self> {
        raw::decimal(value)
    }
}

impl ReadRaw for serde_json::Value {
    fn read_raw(value: Raw<'_>) -> deserialize::Result<Self> {
        raw::json(value)
    }
}

/// Declares [`FieldType`] and implements it for each supported type, with
/// the list of them in its docs and in the error for any other type.
macro_rules! field_types {
    ([$supported:literal, $note:literal] $($rust:ty => $st:ident),* $(,)?) => {
        /// A Rust type that a model field may have, with its SQL type.
        ///
        #[doc = concat!("Implemented for ", $supported, ".")]
        /// An enum stored as text implements it with `derive(hangar::Choice)`.
        #[diagnostic::on_unimplemented(
            message = "`{Self}` is not a field type that hangar supports",
            note = $note
        )]
        pub trait FieldType: Sized + 'static {
            /// The Diesel SQL type of a column holding it.
            type SqlType: diesel::sql_types::SqlType;
            /// Its kind.
            const KIND: super::SqlKind;
            /// Whether it is an `Option`.
            const NULLABLE: bool;
            /// The values it may take, for an enum of choices; empty for
            /// any other type.
            const CHOICES: &'static [ChoiceMeta] = &[];

            /// Reads a value from a column's raw value (`None` for NULL).
            #[doc(hidden)]
            fn from_raw(value: Option<Raw<'_>>) -> deserialize::Result<Self>;
        }

        $(
            impl FieldType for $rust {
                type SqlType = $st;
                const KIND: super::SqlKind = super::SqlKind::$st;
                const NULLABLE: bool = false;

                fn from_raw(value: Option<Raw<'_>>) -> deserialize::Result<Self> {
                    <$rust as ReadRaw>::read_raw(value.ok_or_else(|| Box::new(UnexpectedNullError))?)
                }
            }

            impl NotNullFieldType for $rust {}
        )*
    };
}

with_field_types!(field_types);

/// A [`FieldType`] that is not an `Option`.
pub trait NotNullFieldType: FieldType {}

impl<F: NotNullFieldType> FieldType for Option<F>
where
    F::SqlType: diesel::sql_types::SqlType<IsNull = diesel::sql_types::is_nullable::NotNull>,
{
    type SqlType = diesel::sql_types::Nullable<F::SqlType>;
    const KIND: super::SqlKind = F::KIND;
    const NULLABLE: bool = true;
    const CHOICES: &'static [ChoiceMeta] = F::CHOICES;

    fn from_raw(value: Option<Raw<'_>>) -> deserialize::Result<Self> {
        match value {
            None => Ok(None),
            Some(value) => F::from_raw(Some(value)).map(Some),
        }
    }
}

/// Checks, while compiling, that field type `F` fits the Diesel column `C`
/// of table `T`. `derive(Model)` calls it in a constant for every field, so a
/// field whose type does not match its column is an error at the field, and
/// nothing is generated for the check.
pub const fn check_column<T, C, F>()
where
    F: FieldType,
    C: diesel::Column<Table = T> + Expression<SqlType = F::SqlType>,
{
}

/// The SQL name of table `T`, as its `table!` gives it (its `sql_name`
/// when it has one). hangar writes every statement from this name, so a
/// table in a named schema, which Diesel writes as `schema.table`, is not
/// supported: such a model fails to compile here.
pub const fn table_sql_name<T>() -> &'static str
where
    T: StaticQueryFragment<Component = Identifier<'static>>,
{
    T::STATIC_COMPONENT.0
}
