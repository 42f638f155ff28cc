//! Typed `WHERE` conditions on a model's columns: what a parsed filter, a
//! lookup by key and a relation hop turn into.
//!
//! The conditions are data ([`Condition`], [`Lookup`]); [`predicate`] turns
//! them into a boxed Diesel expression written from the names in the
//! model's [`ModelMeta`]. A failure here is a bug in hangar or
//! in generated code, never bad input, so it is a Diesel query-builder error.

use diesel::expression::BoxableExpression;
use diesel::result::Error as DieselError;
use diesel::sql_types::{Bool, Nullable};
use diesel::{BoolExpressionMethods, QueryResult};

use super::compare::{Compare, Test};
use super::sql::{AsText, ColumnSql, InSubquery, MonthOf, NotTrue, PatternMatch, SelectWhere, Where};
use crate::db::{Dialect, MultiBackend};
use crate::model::{FieldMeta, Model, ModelMeta, SqlKind, Value};

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
    /// At least the first value and less than the second: a year's dates,
    /// whose end is the next year's first moment.
    Range(Value, Value),
    /// A date, timestamp or instant in the month, 1 to 12, of any year (an
    /// instant's month in UTC).
    Month(u32),
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
    Ok(Box::new(condition(M::meta(), hops, lookup, dialect)?))
}

/// The rows of `M` whose `field` is one of `values`: the one way hangar
/// writes "column IN values", for keys, owners, flags and cascades.
pub fn rows_where<M: Model>(field: &str, values: &[Value], dialect: Dialect) -> QueryResult<Predicate<M::Table>> {
    Ok(Box::new(one_of(M::meta(), field, values, dialect)?))
}

/// `field` of the rows `meta` describes is one of `values`.
pub(crate) fn one_of(meta: &'static ModelMeta, field: &str, values: &[Value], dialect: Dialect) -> QueryResult<Where> {
    field_condition(meta, field, &[Condition::In(values.to_vec())], dialect)
}

/// The rows of `M` whose primary key is one of `keys`.
pub fn by_keys<M: Model>(keys: &[Value], dialect: Dialect) -> QueryResult<Predicate<M::Table>> {
    rows_where::<M>(M::meta().primary_key.name, keys, dialect)
}

/// The condition on the rows `meta` describes for `lookup`, through the
/// relations `hops`. It is built from names alone, so one copy of this code
/// serves every model.
pub(crate) fn condition(
    meta: &'static ModelMeta,
    hops: &[&'static str],
    lookup: &Lookup,
    dialect: Dialect,
) -> QueryResult<Where> {
    let Some((relation, rest)) = hops.split_first() else {
        return field_condition(meta, lookup.field, &lookup.conditions, dialect);
    };
    let hop =
        meta.relation(relation).ok_or_else(|| build_error(format!("`{}` has no relation `{relation}`", meta.name)))?;
    let foreign_key = column_of(meta, hop.field)?;
    let related = condition(hop.target, rest, lookup, dialect)?;
    let target = hop.target;
    let keys = SelectWhere { table: target.table, columns: vec![target.primary_key.column], condition: related };
    Ok(Where::new(InSubquery { column: foreign_key, subquery: keys }))
}

/// Any of `conditions` on `field` of the rows `meta` describes.
fn field_condition(
    meta: &'static ModelMeta,
    field: &str,
    conditions: &[Condition],
    dialect: Dialect,
) -> QueryResult<Where> {
    let field = meta.field(field).ok_or_else(|| no_field(meta, field))?;
    let column = column_of(meta, field.name)?;
    let parts =
        conditions.iter().map(|c| condition_node(column, field, c, dialect)).collect::<QueryResult<Vec<_>>>()?;
    if parts.is_empty() {
        return Err(build_error("a lookup with no conditions".into()));
    }
    Ok(Where::any(parts))
}

/// The column behind `field` of the rows `meta` describes.
pub(crate) fn column_of(meta: &'static ModelMeta, field: &str) -> QueryResult<ColumnSql> {
    let field = meta.field(field).ok_or_else(|| no_field(meta, field))?;
    Ok(ColumnSql::new(meta.table, field.column))
}

fn no_field(meta: &ModelMeta, field: &str) -> DieselError {
    build_error(format!("`{}` has no field `{field}`", meta.slug))
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

/// The node for one condition on `column`, the column of `field`.
fn condition_node(
    column: ColumnSql,
    field: &'static FieldMeta,
    condition: &Condition,
    dialect: Dialect,
) -> QueryResult<Where> {
    let kind = field.kind;
    let test = match condition {
        Condition::In(values) => Test::In(values.clone()),
        Condition::Cmp(cmp, value) => {
            let operator = match cmp {
                Comparison::Lt => " < ",
                Comparison::Lte => " <= ",
                Comparison::Gt => " > ",
                Comparison::Gte => " >= ",
            };
            Test::Cmp(operator, value.clone())
        }
        Condition::Between(low, high) => Test::Between(low.clone(), high.clone()),
        Condition::Range(low, high) => {
            let from = Condition::Cmp(Comparison::Gte, low.clone());
            let until = Condition::Cmp(Comparison::Lt, high.clone());
            let parts =
                vec![condition_node(column, field, &from, dialect)?, condition_node(column, field, &until, dialect)?];
            return Ok(Where::all(parts));
        }
        Condition::Month(month) if kind.has_date() => {
            let month = i32::try_from(*month).map_err(|_| build_error(format!("month {month}")))?;
            return Ok(Where::new(MonthOf { column, instant: kind == SqlKind::Timestamptz, month }));
        }
        Condition::Month(_) => return Err(build_error("a month of a column that is not a date".into())),
        Condition::IsNull(is_null) => Test::IsNull(*is_null),
        Condition::Like { pattern, case_sensitive } if kind == SqlKind::Uuid && dialect == Dialect::Postgres => {
            let text = AsText(column);
            return Ok(Where::new(PatternMatch::new(text, pattern, *case_sensitive, dialect)));
        }
        Condition::Like { pattern, case_sensitive } if kind.is_text() => {
            return Ok(Where::new(PatternMatch::new(column, pattern, *case_sensitive, dialect)));
        }
        Condition::Like { .. } => return Err(build_error("a pattern match on a column that is not text".into())),
    };
    if let Some(value) = test.values().find(|v| v.kind().is_some_and(|k| k != kind)) {
        return Err(build_error(format!("value `{value}` has the wrong type for its column")));
    }
    Ok(Where::new(Compare::new(column, field, test)))
}
