//! Typed Diesel predicates from parsed lookups.

use diesel::expression::BoxableExpression;
use diesel::sql_types::{Bool, Nullable};
use diesel::{BoolExpressionMethods, ExpressionMethods, NullableExpressionMethods};

use super::sql::{InSubquery, NotTrue, PatternMatch};
use super::{Comparison, Lookup, QueryError, Test};
use crate::db::{Dialect, MultiBackend};
use crate::model::{Column, Model, Value};

/// A boxed `WHERE` condition on table `T`.
pub type Predicate<T> = Box<dyn BoxableExpression<T, MultiBackend, SqlType = Nullable<Bool>>>;

/// The predicate on `M`'s rows for `lookup`, reached through the relations
/// `hops`: each hop becomes `fk IN (SELECT pk FROM related WHERE ...)`.
pub fn predicate<M: Model>(
    hops: &[&'static str],
    lookup: &Lookup,
    dialect: Dialect,
) -> Result<Predicate<M::Table>, QueryError> {
    match hops.split_first() {
        Some((relation, rest)) => M::through(relation, rest, lookup, dialect),
        None => {
            let column = M::column(lookup.field).ok_or_else(|| {
                QueryError::Internal(format!("`{}` has no column for field `{}`", M::meta().name, lookup.field))
            })?;
            column_predicate(column, &lookup.tests, dialect)
        }
    }
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
pub fn any_of<T: 'static>(parts: Vec<Predicate<T>>) -> Result<Predicate<T>, QueryError> {
    parts
        .into_iter()
        .reduce(|a, b| Box::new(a.or(b)))
        .ok_or_else(|| QueryError::Internal("a lookup with no tests".into()))
}

/// The rows for which all of `parts` hold; `None` when there are none.
pub fn all_of<T: 'static>(parts: Vec<Predicate<T>>) -> Option<Predicate<T>> {
    parts.into_iter().reduce(|a, b| Box::new(a.and(b)))
}

fn typed<V>(value: &Value) -> Result<V, QueryError>
where
    V: for<'a> TryFrom<&'a Value>,
{
    V::try_from(value).map_err(|_| QueryError::Internal(format!("value `{value}` has the wrong type for its column")))
}

macro_rules! pattern {
    (text, $c:ident, $pattern:expr, $case:expr, $dialect:expr) => {
        Box::new(PatternMatch::new($c(), $pattern, $case, $dialect))
    };
    (other, $c:ident, $pattern:expr, $case:expr, $dialect:expr) => {{
        let _ = ($pattern, $case);
        return Err(QueryError::Internal("a pattern match on a column that is not text".into()));
    }};
}

/// Any of `tests` on the column `$c`, whose values are `$rust`.
macro_rules! tests_on {
    ($c:ident, $rust:ty, $tests:expr, $dialect:expr, $text:tt) => {{
        let mut parts: Vec<Predicate<T>> = Vec::with_capacity($tests.len());
        for test in $tests {
            let part: Predicate<T> = match test {
                // `a = 1 OR a = 2` rather than `IN`: Diesel's `IN` picks its SQL
                // per backend, which a column boxed for any backend cannot do.
                Test::In(values) => {
                    let mut equals: Vec<Predicate<T>> = Vec::with_capacity(values.len());
                    for value in values {
                        equals.push(Box::new($c().eq(typed::<$rust>(value)?).nullable()));
                    }
                    any_of(equals)?
                }
                Test::Cmp(cmp, value) => {
                    let value = typed::<$rust>(value)?;
                    match cmp {
                        Comparison::Lt => Box::new($c().lt(value).nullable()),
                        Comparison::Lte => Box::new($c().le(value).nullable()),
                        Comparison::Gt => Box::new($c().gt(value).nullable()),
                        Comparison::Gte => Box::new($c().ge(value).nullable()),
                    }
                }
                Test::Between(low, high) => {
                    Box::new($c().between(typed::<$rust>(low)?, typed::<$rust>(high)?).nullable())
                }
                Test::IsNull(true) => Box::new($c().is_null().nullable()),
                Test::IsNull(false) => Box::new($c().is_not_null().nullable()),
                Test::Like { pattern, case_sensitive } => pattern!($text, $c, pattern, *case_sensitive, $dialect),
            };
            parts.push(part);
        }
        any_of(parts)
    }};
}

/// Any of `tests` on `column`.
pub fn column_predicate<T: diesel::Table + 'static>(
    column: Column<T>,
    tests: &[Test],
    dialect: Dialect,
) -> Result<Predicate<T>, QueryError> {
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    match column {
        Column::SmallInt(c) => tests_on!(c, i16, tests, dialect, other),
        Column::NullableSmallInt(c) => tests_on!(c, i16, tests, dialect, other),
        Column::Integer(c) => tests_on!(c, i32, tests, dialect, other),
        Column::NullableInteger(c) => tests_on!(c, i32, tests, dialect, other),
        Column::BigInt(c) => tests_on!(c, i64, tests, dialect, other),
        Column::NullableBigInt(c) => tests_on!(c, i64, tests, dialect, other),
        Column::Float(c) => tests_on!(c, f32, tests, dialect, other),
        Column::NullableFloat(c) => tests_on!(c, f32, tests, dialect, other),
        Column::Double(c) => tests_on!(c, f64, tests, dialect, other),
        Column::NullableDouble(c) => tests_on!(c, f64, tests, dialect, other),
        Column::Text(c) => tests_on!(c, String, tests, dialect, text),
        Column::NullableText(c) => tests_on!(c, String, tests, dialect, text),
        Column::Bool(c) => tests_on!(c, bool, tests, dialect, other),
        Column::NullableBool(c) => tests_on!(c, bool, tests, dialect, other),
        Column::Date(c) => tests_on!(c, NaiveDate, tests, dialect, other),
        Column::NullableDate(c) => tests_on!(c, NaiveDate, tests, dialect, other),
        Column::Time(c) => tests_on!(c, NaiveTime, tests, dialect, other),
        Column::NullableTime(c) => tests_on!(c, NaiveTime, tests, dialect, other),
        Column::Timestamp(c) => tests_on!(c, NaiveDateTime, tests, dialect, other),
        Column::NullableTimestamp(c) => tests_on!(c, NaiveDateTime, tests, dialect, other),
    }
}
