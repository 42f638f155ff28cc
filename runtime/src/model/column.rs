//! A model's column as a typed, boxed Diesel expression.

use std::fmt;

use diesel::expression::{
    is_aggregate, AppearsOnTable, BoxableExpression, Expression, SelectableExpression, ValidGrouping,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Date, Double, Float, Integer, Nullable, SmallInt, Text, Time, Timestamp};
use diesel::QueryResult;

use crate::db::MultiBackend;

/// A boxed Diesel expression on table `T` with SQL type `ST`.
pub type Boxed<T, ST> = Box<dyn BoxableExpression<T, MultiBackend, SqlType = ST>>;

/// A function that makes a fresh boxed copy of one column.
pub type ColumnFn<T, ST> = fn() -> Boxed<T, ST>;

/// An SQL type that hangar can filter and order by.
///
/// It is implemented for every [`SqlKind`](super::SqlKind) and its
/// `Nullable` form, and maps the Diesel type to its [`Column`] variant.
pub trait ColumnType: Sized {
    /// Wraps a column of this type.
    fn wrap<T>(column: ColumnFn<T, Self>) -> Column<T>;
}

macro_rules! columns {
    ($($variant:ident / $nullable:ident => $st:ident),* $(,)?) => {
        /// One column of table `T`, tagged with its SQL type.
        ///
        /// `derive(Model)` maps each field name to one of these; the query
        /// engine matches on the variant to build typed comparisons.
        pub enum Column<T> {
            $(
                #[doc = concat!("A `", stringify!($st), "` column.")]
                $variant(ColumnFn<T, $st>),
                #[doc = concat!("A nullable `", stringify!($st), "` column.")]
                $nullable(ColumnFn<T, Nullable<$st>>),
            )*
        }

        $(
            impl ColumnType for $st {
                fn wrap<T>(column: ColumnFn<T, Self>) -> Column<T> {
                    Column::$variant(column)
                }
            }

            impl ColumnType for Nullable<$st> {
                fn wrap<T>(column: ColumnFn<T, Self>) -> Column<T> {
                    Column::$nullable(column)
                }
            }
        )*

        impl<T> Column<T> {
            /// The kind of the column's values.
            pub fn kind(&self) -> super::SqlKind {
                match self {
                    $(Column::$variant(_) | Column::$nullable(_) => super::SqlKind::$st,)*
                }
            }
        }

        // Function pointers are `Copy` whatever `T` is; a derive would ask `T: Copy`.
        impl<T> Clone for Column<T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T> Copy for Column<T> {}

        impl<T> fmt::Debug for Column<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let name = match self {
                    $(
                        Column::$variant(_) => stringify!($st),
                        Column::$nullable(_) => concat!("Nullable<", stringify!($st), ">"),
                    )*
                };
                f.debug_tuple("Column").field(&name).finish()
            }
        }
    };
}

columns! {
    SmallInt / NullableSmallInt => SmallInt,
    Integer / NullableInteger => Integer,
    BigInt / NullableBigInt => BigInt,
    Float / NullableFloat => Float,
    Double / NullableDouble => Double,
    Text / NullableText => Text,
    Bool / NullableBool => Bool,
    Date / NullableDate => Date,
    Time / NullableTime => Time,
    Timestamp / NullableTimestamp => Timestamp,
}

fn boxed<T, C>() -> Boxed<T, C::SqlType>
where
    C: BoxableExpression<T, MultiBackend> + Default + 'static,
{
    Box::new(C::default())
}

/// The [`Column`] for the Diesel column `C` of table `T`.
///
/// Generated code calls this once per field; a field whose Rust type does not
/// match its column's SQL type fails to compile here.
pub fn column<T, C>() -> Column<T>
where
    C: BoxableExpression<T, MultiBackend> + Default + 'static,
    C::SqlType: ColumnType,
{
    <C::SqlType as ColumnType>::wrap(boxed::<T, C>)
}

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
        pub trait FieldType {
            /// The Diesel SQL type of a column holding it.
            type SqlType: ColumnType;
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
    Nullable<F::SqlType>: ColumnType,
{
    type SqlType = Nullable<F::SqlType>;
    const KIND: super::SqlKind = F::KIND;
    const NULLABLE: bool = true;
}

/// The [`Column`] for field type `F` stored in the Diesel column `C` of
/// table `T`. A field whose type does not match its column fails to compile.
pub fn typed_column<T, C, F>() -> Column<T>
where
    F: FieldType,
    C: BoxableExpression<T, MultiBackend, SqlType = F::SqlType> + Default + 'static,
{
    column::<T, C>()
}

/// Runs `$body` with `$c` bound to the column function, whatever its type.
macro_rules! with_column {
    ($column:expr, $c:ident => $body:expr) => {
        match $column {
            $crate::model::Column::SmallInt($c) => $body,
            $crate::model::Column::NullableSmallInt($c) => $body,
            $crate::model::Column::Integer($c) => $body,
            $crate::model::Column::NullableInteger($c) => $body,
            $crate::model::Column::BigInt($c) => $body,
            $crate::model::Column::NullableBigInt($c) => $body,
            $crate::model::Column::Float($c) => $body,
            $crate::model::Column::NullableFloat($c) => $body,
            $crate::model::Column::Double($c) => $body,
            $crate::model::Column::NullableDouble($c) => $body,
            $crate::model::Column::Text($c) => $body,
            $crate::model::Column::NullableText($c) => $body,
            $crate::model::Column::Bool($c) => $body,
            $crate::model::Column::NullableBool($c) => $body,
            $crate::model::Column::Date($c) => $body,
            $crate::model::Column::NullableDate($c) => $body,
            $crate::model::Column::Time($c) => $body,
            $crate::model::Column::NullableTime($c) => $body,
            $crate::model::Column::Timestamp($c) => $body,
            $crate::model::Column::NullableTimestamp($c) => $body,
        }
    };
}

/// A column's SQL with its type erased: what comparisons and orderings
/// write. Values are bound by their field's kind, never by this type, so
/// nothing is lost; and the comparison and ordering code is compiled once
/// per table, not once per SQL type of every table, which was most of the
/// build time `derive(Model)` added to an app.
pub(crate) struct ColumnSql(Box<dyn QueryFragment<MultiBackend> + Send>);

/// One typed column, as plain SQL.
struct Typed<T, ST>(Boxed<T, ST>);

impl<T, ST> QueryFragment<MultiBackend> for Typed<T, ST> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

impl<T: 'static> Column<T> {
    /// The column's SQL, its type erased.
    pub(crate) fn sql(self) -> ColumnSql {
        with_column!(self, c => ColumnSql(Box::new(Typed(c()))))
    }
}

impl Expression for ColumnSql {
    // Only ever compared or ordered by hangar's own nodes.
    type SqlType = Nullable<Text>;
}

impl<QS> AppearsOnTable<QS> for ColumnSql {}

impl<QS> SelectableExpression<QS> for ColumnSql {}

impl ValidGrouping<()> for ColumnSql {
    type IsAggregate = is_aggregate::No;
}

impl QueryId for ColumnSql {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<MultiBackend> for ColumnSql {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

impl fmt::Debug for ColumnSql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ColumnSql")
    }
}
