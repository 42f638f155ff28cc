//! A model's columns: the Rust types a field may have, and a column's SQL
//! written from its name.
//!
//! hangar writes every column it filters, orders or selects from the names
//! in [`ModelMeta`](super::ModelMeta), so the code that does so is compiled
//! once, here, instead of once per column of every model. What the types
//! guarantee is kept: `derive(Model)` checks each field against its Diesel
//! column with [`check_column`], which the compiler evaluates and never
//! generates code for.

use std::fmt;

use diesel::deserialize::FromSql;
use diesel::expression::Expression;
use diesel::internal::table_macro::{Identifier, StaticQueryFragment};
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::sql_types::{BigInt, Bool, Date, Double, Float, Integer, Nullable, SmallInt, Text, Time, Timestamp};
use diesel::QueryResult;

use super::sql::free_expression;
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

/// A column's SQL, `"table"."column"`, written from its names. Values are
/// bound by their field's kind, never by this node's SQL type, which only
/// hangar's own comparison and ordering nodes see.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColumnSql {
    table: &'static str,
    column: &'static str,
}

impl ColumnSql {
    /// `column` of `table`, both as the database names them.
    pub(crate) fn new(table: &'static str, column: &'static str) -> Self {
        ColumnSql { table, column }
    }
}

free_expression!(ColumnSql, Nullable<Text>);

impl QueryFragment<MultiBackend> for ColumnSql {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        push_column(&mut out, self.table, self.column)
    }
}

/// Writes `"table"."column"`.
pub(crate) fn push_column(out: &mut AstPass<'_, '_, MultiBackend>, table: &str, column: &str) -> QueryResult<()> {
    out.push_identifier(table)?;
    out.push_sql(".");
    out.push_identifier(column)
}

impl fmt::Display for ColumnSql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.table, self.column)
    }
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
