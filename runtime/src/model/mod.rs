//! The traits that `derive(Model)` implements, and the static description of
//! a model that it emits.

/// Calls `$then!` with the table of supported field types: Rust type =>
/// the name shared by their `SqlKind`, `Value` and Diesel SQL type.
macro_rules! with_field_types {
    ($then:ident) => {
        $then! {
            i16 => SmallInt,
            i32 => Integer,
            i64 => BigInt,
            f32 => Float,
            f64 => Double,
            String => Text,
            bool => Bool,
            chrono::NaiveDate => Date,
            chrono::NaiveTime => Time,
            chrono::NaiveDateTime => Timestamp,
        }
    };
}

mod cascade;
mod column;
mod data;
mod load;
mod meta;
mod parse;
mod value;
mod write;

pub(crate) use cascade::rows_where;
pub use cascade::{delete_with_dependents, ModelEntry};
pub(crate) use column::with_column;
pub use column::{column, typed_column, Boxed, Column, ColumnFn, ColumnType, FieldType, NotNullFieldType};
pub use data::Data;
pub use load::SelectableModel;
pub use meta::{FieldMeta, ModelMeta, RelationMeta, SqlKind};
pub use parse::{parse_bool, parse_timestamp};
pub use value::Value;
pub use write::{delete, insert, insert_many, update};

use diesel::internal::table_macro::{BoxedSelectStatement, FromClause};
use diesel::query_builder::{AsQuery, QueryFragment};
use diesel::{Expression, QueryResult, Table};

use crate::db::Dialect;
use crate::db::{AnyConnection, MultiBackend};
use crate::query::{Lookup, PaginatedQuery, Predicate, QueryError};

/// A boxed `SELECT * FROM <table of M>` on any backend.
pub type BoxedQuery<M> = BoxedSelectStatement<
    'static,
    <<M as Model>::Table as AsQuery>::SqlType,
    FromClause<<M as Model>::Table>,
    MultiBackend,
>;

/// The SQL type of `M`'s primary key.
pub type PkSqlType<M> = <<<M as Model>::Table as Table>::PrimaryKey as Expression>::SqlType;

/// A boxed `SELECT <primary key> FROM <table of M>`, used as a subquery.
pub type PkSubquery<M> = BoxedSelectStatement<'static, PkSqlType<M>, FromClause<<M as Model>::Table>, MultiBackend>;

/// A Diesel model that hangar can describe, filter, order and read.
///
/// Implement it with `#[derive(hangar::Model)]` beside Diesel's own
/// `Queryable` and `Selectable`:
///
/// ```
/// use diesel::prelude::*;
///
/// diesel::table! {
///     note (id) {
///         id -> Integer,
///         message -> Text,
///         status -> Integer,
///     }
/// }
///
/// #[derive(Queryable, Selectable, hangar::Model)]
/// #[diesel(table_name = note)]
/// struct Note {
///     id: i32,
///     message: String,
///     status: i32,
/// }
///
/// use hangar::Model as _;
/// let meta = Note::meta();
/// assert_eq!(meta.slug, "note");
/// assert_eq!(meta.field_names().collect::<Vec<_>>(), ["id", "message", "status"]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a hangar model",
    label = "not a model",
    note = "derive `hangar::Model` on it, beside diesel's `Queryable` and `Selectable`"
)]
pub trait Model: Sized + Send + 'static {
    /// The Diesel table the model is read from.
    type Table: Table + QueryFragment<MultiBackend> + Default + Copy + Send + Sync + 'static;

    /// The static description: fields, types, relations.
    fn meta() -> &'static ModelMeta;

    /// The column behind field `field`.
    fn column(field: &str) -> Option<Column<Self::Table>>;

    /// A predicate on this model's rows that holds when the row's `relation`
    /// points at a row of the related model matching `lookup` through the
    /// remaining `hops`.
    fn through(
        relation: &str,
        hops: &[&'static str],
        lookup: &Lookup,
        dialect: Dialect,
    ) -> Result<Predicate<Self::Table>, QueryError>;

    /// `SELECT * FROM <table>`, boxed.
    fn all() -> BoxedQuery<Self>;

    /// `SELECT <primary key> FROM <table> WHERE <predicate>`, boxed.
    fn pk_subquery(predicate: Predicate<Self::Table>) -> PkSubquery<Self>;

    /// Runs `query`, selecting this model's fields.
    fn load(query: BoxedQuery<Self>, conn: &mut AnyConnection) -> QueryResult<Vec<Self>>;

    /// Counts the rows `query` selects, through a subquery so that any
    /// ordering in it is harmless.
    fn count(query: BoxedQuery<Self>, conn: &mut AnyConnection) -> QueryResult<i64>;

    /// The value of field `field`.
    fn value(&self, field: &str) -> Option<Value>;

    /// The primary key's value.
    fn pk(&self) -> Value;

    /// `query` in pages of `paginate_by` rows: flask-peewee's
    /// `PaginatedQuery(query, paginate_by)`.
    fn paginate<F>(query: F, paginate_by: u64) -> PaginatedQuery<Self, F>
    where
        F: Fn() -> BoxedQuery<Self>,
    {
        PaginatedQuery::new(query, paginate_by)
    }
}
