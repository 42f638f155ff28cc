//! Typed `WHERE` conditions on a model's columns: what a parsed filter, a
//! lookup by key and a relation hop turn into.
//!
//! The conditions are data ([`Condition`], [`Lookup`]); [`column_predicate`]
//! and [`predicate`] turn them into boxed Diesel expressions through the
//! typed columns `derive(Model)` emits. A failure here is a bug in hangar or
//! in generated code, never bad input, so it is a Diesel query-builder error.

use diesel::expression::BoxableExpression;
use diesel::result::Error as DieselError;
use diesel::sql_types::{Bool, Nullable};
use diesel::{BoolExpressionMethods, ExpressionMethods, NullableExpressionMethods, QueryResult};

use super::sql::{InSubquery, NotTrue, PatternMatch};
use super::{Column, Model, Value};
use crate::db::{Dialect, MultiBackend};

/// A boxed `WHERE` condition on table `T`.
pub type Predicate<T> = Box<dyn BoxableExpression<T, MultiBackend, SqlType = Nullable<Bool>>>;

/// An ordering comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `<`.
    Lt,
    /// `<=`.
    Lte,
    /// `>`.
    Gt,
    /// `>=`.
    Gte,
}

/// One condition on a column's value, in positive form.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Equal to one of the values.
    In(Vec<Value>),
    /// Compares with the value.
    Cmp(Comparison, Value),
    /// Between the two values, inclusive.
    Between(Value, Value),
    /// `IS NULL` when `true`, `IS NOT NULL` when `false`.
    IsNull(bool),
    /// Matches an SQL pattern whose escape character is `\`.
    Like {
        /// The pattern.
        pattern: String,
        /// Whether case matters.
        case_sensitive: bool,
    },
}

/// The conditions on one field; a row matches when any of them holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub(crate) field: &'static str,
    pub(crate) conditions: Vec<Condition>,
}

impl Lookup {
    /// `field` holding any of `conditions`.
    pub fn new(field: &'static str, conditions: Vec<Condition>) -> Lookup {
        Lookup { field, conditions }
    }

    /// Tests `field` for equality with one of `values`.
    pub fn equals(field: &'static str, values: Vec<Value>) -> Lookup {
        Lookup { field, conditions: vec![Condition::In(values)] }
    }

    /// The field tested.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The conditions, any of which may hold.
    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }
}

/// A query-builder error: a bug in hangar or in generated code, not bad input.
#[doc(hidden)]
pub fn build_error(message: String) -> DieselError {
    DieselError::QueryBuilderError(message.into())
}

/// The predicate on `M`'s rows for `lookup`, reached through the relations
/// `hops`: each hop becomes `fk IN (SELECT pk FROM related WHERE ...)`.
pub fn predicate<M: Model>(
    hops: &[&'static str],
    lookup: &Lookup,
    dialect: Dialect,
) -> QueryResult<Predicate<M::Table>> {
    match hops.split_first() {
        Some((relation, rest)) => M::through(relation, rest, lookup, dialect),
        None => {
            let column = M::column(lookup.field).ok_or_else(|| {
                build_error(format!("`{}` has no column for field `{}`", M::meta().name, lookup.field))
            })?;
            column_predicate(column, &lookup.conditions, dialect)
        }
    }
}

/// The rows of `M` whose `field` is one of `values`: the one way hangar
/// writes "column IN values", for keys, owners, flags and cascades.
pub fn rows_where<M: Model>(field: &str, values: &[Value], dialect: Dialect) -> QueryResult<Predicate<M::Table>> {
    let column = M::column(field).ok_or_else(|| build_error(format!("`{}` has no field `{field}`", M::meta().slug)))?;
    column_predicate(column, &[Condition::In(values.to_vec())], dialect)
}

/// The rows of `M` whose primary key is one of `keys`.
pub fn by_keys<M: Model>(keys: &[Value], dialect: Dialect) -> QueryResult<Predicate<M::Table>> {
    rows_where::<M>(M::meta().primary_key.name, keys, dialect)
}

/// The rows for which `predicate` does not hold, NULLs included.
pub fn exclude<T: 'static>(predicate: Predicate<T>) -> Predicate<T> {
    Box::new(NotTrue(predicate))
}

/// `column IN (subquery)`, for a foreign key and the primary keys of the
/// related rows that match.
pub fn in_subquery<T, C, S>(column: C, subquery: S) -> Predicate<T>
where
    C: diesel::Expression
        + diesel::SelectableExpression<T>
        + diesel::expression::ValidGrouping<(), IsAggregate = diesel::expression::is_aggregate::No>
        + diesel::query_builder::QueryFragment<MultiBackend>
        + Send
        + 'static,
    S: diesel::query_builder::QueryFragment<MultiBackend> + Send + 'static,
{
    Box::new(InSubquery { column, subquery })
}

/// The rows for which any of `parts` holds.
pub fn any_of<T: 'static>(parts: Vec<Predicate<T>>) -> QueryResult<Predicate<T>> {
    parts.into_iter().reduce(|a, b| Box::new(a.or(b))).ok_or_else(|| build_error("a lookup with no conditions".into()))
}

/// The rows for which all of `parts` hold; `None` when there are none.
pub fn all_of<T: 'static>(parts: Vec<Predicate<T>>) -> Option<Predicate<T>> {
    parts.into_iter().reduce(|a, b| Box::new(a.and(b)))
}

fn typed<V>(value: &Value) -> QueryResult<V>
where
    V: for<'a> TryFrom<&'a Value>,
{
    V::try_from(value).map_err(|_| build_error(format!("value `{value}` has the wrong type for its column")))
}

macro_rules! pattern {
    (text, $c:ident, $pattern:expr, $case:expr, $dialect:expr) => {
        Box::new(PatternMatch::new($c(), $pattern, $case, $dialect))
    };
    (other, $c:ident, $pattern:expr, $case:expr, $dialect:expr) => {{
        let _ = ($pattern, $case);
        return Err(build_error("a pattern match on a column that is not text".into()));
    }};
}

/// Any of `conditions` on the column `$c`, whose values are `$rust`.
macro_rules! conditions_on {
    ($c:ident, $rust:ty, $conditions:expr, $dialect:expr, $text:tt) => {{
        let mut parts: Vec<Predicate<T>> = Vec::with_capacity($conditions.len());
        for condition in $conditions {
            let part: Predicate<T> = match condition {
                // `a = 1 OR a = 2` rather than `IN`: Diesel's `IN` picks its SQL
                // per backend, which a column boxed for any backend cannot do.
                Condition::In(values) => {
                    let mut equals: Vec<Predicate<T>> = Vec::with_capacity(values.len());
                    for value in values {
                        equals.push(Box::new($c().eq(typed::<$rust>(value)?).nullable()));
                    }
                    any_of(equals)?
                }
                Condition::Cmp(cmp, value) => {
                    let value = typed::<$rust>(value)?;
                    match cmp {
                        Comparison::Lt => Box::new($c().lt(value).nullable()),
                        Comparison::Lte => Box::new($c().le(value).nullable()),
                        Comparison::Gt => Box::new($c().gt(value).nullable()),
                        Comparison::Gte => Box::new($c().ge(value).nullable()),
                    }
                }
                Condition::Between(low, high) => {
                    Box::new($c().between(typed::<$rust>(low)?, typed::<$rust>(high)?).nullable())
                }
                Condition::IsNull(true) => Box::new($c().is_null().nullable()),
                Condition::IsNull(false) => Box::new($c().is_not_null().nullable()),
                Condition::Like { pattern, case_sensitive } => {
                    pattern!($text, $c, pattern, *case_sensitive, $dialect)
                }
            };
            parts.push(part);
        }
        any_of(parts)
    }};
}

/// Any of `conditions` on `column`.
pub fn column_predicate<T: diesel::Table + 'static>(
    column: Column<T>,
    conditions: &[Condition],
    dialect: Dialect,
) -> QueryResult<Predicate<T>> {
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    match column {
        Column::SmallInt(c) => conditions_on!(c, i16, conditions, dialect, other),
        Column::NullableSmallInt(c) => conditions_on!(c, i16, conditions, dialect, other),
        Column::Integer(c) => conditions_on!(c, i32, conditions, dialect, other),
        Column::NullableInteger(c) => conditions_on!(c, i32, conditions, dialect, other),
        Column::BigInt(c) => conditions_on!(c, i64, conditions, dialect, other),
        Column::NullableBigInt(c) => conditions_on!(c, i64, conditions, dialect, other),
        Column::Float(c) => conditions_on!(c, f32, conditions, dialect, other),
        Column::NullableFloat(c) => conditions_on!(c, f32, conditions, dialect, other),
        Column::Double(c) => conditions_on!(c, f64, conditions, dialect, other),
        Column::NullableDouble(c) => conditions_on!(c, f64, conditions, dialect, other),
        Column::Text(c) => conditions_on!(c, String, conditions, dialect, text),
        Column::NullableText(c) => conditions_on!(c, String, conditions, dialect, text),
        Column::Bool(c) => conditions_on!(c, bool, conditions, dialect, other),
        Column::NullableBool(c) => conditions_on!(c, bool, conditions, dialect, other),
        Column::Date(c) => conditions_on!(c, NaiveDate, conditions, dialect, other),
        Column::NullableDate(c) => conditions_on!(c, NaiveDate, conditions, dialect, other),
        Column::Time(c) => conditions_on!(c, NaiveTime, conditions, dialect, other),
        Column::NullableTime(c) => conditions_on!(c, NaiveTime, conditions, dialect, other),
        Column::Timestamp(c) => conditions_on!(c, NaiveDateTime, conditions, dialect, other),
        Column::NullableTimestamp(c) => conditions_on!(c, NaiveDateTime, conditions, dialect, other),
    }
}
