//! The traits that `derive(Model)` implements, and the static description of
//! a model that it emits.

/// Calls `$then!` with the table of supported field types, which lives in
/// `hangar-macros` beside the derives that check fields against it:
/// `["<the list>", "supported: <the list>"] Rust type => the name shared by
/// their `SqlKind`, `Value` and Diesel SQL type, ...`.
macro_rules! with_field_types {
    ($then:ident) => {
        hangar_macros::__field_types!($then);
    };
}

mod check;
mod choice;
mod data;
mod engine;
mod field_type;
mod json;
mod meta;
mod parse;
mod path_check;
mod registry;
mod show;
mod suggest;
mod value;
mod violated;

pub use check::{Unstorable, MAX_YEAR, MIN_YEAR};
pub use choice::Choice;
#[doc(hidden)]
pub use choice::{choice_from_value, choice_value, read_choice};
pub use data::Data;
pub use engine::cascade::{delete_with_dependents, DependentAction, DependentGroup, DependentObject, Dependents};
pub use engine::entry::RowValues;
pub use engine::execute::RowReader;
#[doc(hidden)]
pub use engine::expr::build_error;
pub(crate) use engine::expr::column_of;
pub use engine::expr::{
    all_of, any_of, by_keys, exclude, in_subquery, predicate, rows_where, Comparison, Condition, Lookup, Predicate,
};
pub use engine::keyed::{load_by_keys, save};
pub(crate) use engine::sql::{free_expression, SortKey};
pub use engine::sql::{CountRows, Where};
pub use engine::write::{delete, insert, insert_many, lock_row, update};
#[doc(hidden)]
pub use field_type::Raw;
pub use field_type::{check_column, table_sql_name, FieldType, NotNullFieldType};
pub(crate) use json::push_json_str;
pub use meta::{ChoiceMeta, FieldMeta, ForeignKeyTo, ModelMeta, Precision, RelationMeta, SqlKind};
pub use parse::{parse_bool, parse_timestamp};
pub use path_check::{check_foreign_key, check_inline_fk, check_path, check_self_key, PathEnd};
pub use registry::{field_of_column, ModelEntry};
pub use show::{display, row_json};
pub(crate) use suggest::{did_you_mean, shown};
#[cfg(test)]
pub(crate) use value::strategy;
pub use value::{canonical_json, Value};

use diesel::internal::table_macro::{BoxedSelectStatement, FromClause};
use diesel::query_builder::{AsQuery, QueryFragment};
use diesel::{QueryResult, Table};

use crate::db::{AnyConnection, MultiBackend};

/// A boxed `SELECT * FROM <table of M>` on any backend.
pub type BoxedQuery<M> = BoxedSelectStatement<
    'static,
    <<M as Model>::Table as AsQuery>::SqlType,
    FromClause<<M as Model>::Table>,
    MultiBackend,
>;

/// A Diesel model that hangar can describe, filter, order and read.
///
/// Implement it with `#[derive(hangar::Model)]`. The derive checks every
/// field's type against its Diesel column while compiling, and reads rows
/// itself, so Diesel's `Queryable` and `Selectable` are only needed for the
/// app's own Diesel queries:
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
    note = "derive `hangar::Model` on it"
)]
pub trait Model: Sized + Send + 'static {
    /// The Diesel table the model is read from.
    type Table: Table<FromClause: QueryFragment<MultiBackend>>
        + QueryFragment<MultiBackend>
        + Default
        + Copy
        + Send
        + Sync
        + 'static;

    /// The static description: fields, types, relations. A constant, so
    /// that other derives can check names against it while compiling.
    const META: &'static ModelMeta;

    /// The static description: [`Model::META`].
    fn meta() -> &'static ModelMeta {
        Self::META
    }

    /// `SELECT * FROM <table>`, boxed.
    fn all() -> BoxedQuery<Self>;

    /// Reads one row whose columns are this model's fields, in order.
    fn from_row(row: &mut RowReader<'_, '_, '_>) -> QueryResult<Self>;

    /// Runs `query`, selecting this model's fields.
    fn load(query: BoxedQuery<Self>, conn: &mut AnyConnection) -> QueryResult<Vec<Self>> {
        engine::select::load_rows::<Self>(query, conn)
    }

    /// Counts the rows `query` selects, through a subquery so that any
    /// ordering in it is harmless.
    fn count(query: BoxedQuery<Self>, conn: &mut AnyConnection) -> QueryResult<i64> {
        engine::select::count_rows::<Self>(query, conn)
    }

    /// The value of field `field`.
    fn value(&self, field: &str) -> Option<Value>;

    /// The primary key's value.
    fn pk(&self) -> Value;
}
