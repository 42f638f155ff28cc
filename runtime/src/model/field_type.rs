//! The Rust types a model's field may have, each paired with its column's
//! SQL type.
//!
//! hangar writes every column it filters, orders or selects from the names
//! in [`ModelMeta`](super::ModelMeta), so the code that does so is compiled
//! once instead of once per column of every model. What the types
//! guarantee is kept: `derive(Model)` checks each field against its Diesel
//! column with [`check_column`], which the compiler evaluates and never
//! generates code for.

use diesel::deserialize::FromSql;
use diesel::expression::Expression;
use diesel::internal::table_macro::{Identifier, StaticQueryFragment};
use diesel::sql_types::{BigInt, Bool, Date, Double, Float, Integer, Nullable, SmallInt, Text, Time, Timestamp};

use crate::db::MultiBackend;

/// Declares [`FieldType`] and implements it for each supported type, with
/// the list of them in its docs and in the error for any other type.
macro_rules! field_types {
    ([$supported:literal, $note:literal] $($rust:ty => $st:ident),* $(,)?) => {
        /// A Rust type that a model field may have, with its SQL type.
        ///
        #[doc = concat!("Implemented for ", $supported, ".")]
        #[diagnostic::on_unimplemented(
            message = "`{Self}` is not a field type that hangar supports",
            note = $note
        )]
        pub trait FieldType: FromSql<Self::SqlType, MultiBackend> + Sized + 'static {
            /// The Diesel SQL type of a column holding it.
            type SqlType: diesel::sql_types::SqlType;
            /// Its kind.
            const KIND: super::SqlKind;
            /// Whether it is an `Option`.
            const NULLABLE: bool;
        }

        $(
            impl FieldType for $rust {
                type SqlType = $st;
                const KIND: super::SqlKind = super::SqlKind::$st;
                const NULLABLE: bool = false;
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
    Option<F>: FromSql<Nullable<F::SqlType>, MultiBackend>,
    F::SqlType: diesel::sql_types::SqlType<IsNull = diesel::sql_types::is_nullable::NotNull>,
{
    type SqlType = Nullable<F::SqlType>;
    const KIND: super::SqlKind = F::KIND;
    const NULLABLE: bool = true;
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
