//! A column compared with values: `=`/`IN`, `<`, `BETWEEN` and `IS NULL`,
//! each value bound by [`bind`](super::bind::bind), so that every
//! comparison binds values the way writes do, on every backend.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Nullable};
use diesel::QueryResult;

use super::bind::{bind, bound};
use super::sql::boolean_node;
use super::sql::DECIMAL_COLLATE;
use crate::db::{Dialect, MultiBackend};
use crate::model::{FieldMeta, SqlKind, Value};

/// `(expr IN (?, ?, ...))`, `(expr < ?)` and the like, or `(expr IS NULL)`.
///
/// An `IN` list is one node, not `a = ? OR a = ? ...`: SQLite parses a chain
/// of ORs as a tree as deep as the chain, and refuses trees deeper than 1000.
#[derive(Debug)]
pub(crate) struct Compare<E> {
    expr: E,
    field: &'static FieldMeta,
    test: Test,
}

/// What a [`Compare`] tests.
#[derive(Debug)]
pub(crate) enum Test {
    /// `IN (values)`.
    In(Vec<Value>),
    /// `<`, `<=`, `>` or `>=` the value.
    Cmp(&'static str, Value),
    /// `BETWEEN low AND high`.
    Between(Value, Value),
    /// `IS NULL` (`true`) or `IS NOT NULL`.
    IsNull(bool),
}

impl Test {
    /// The values it binds.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Value> {
        let (first, second): (Option<&Value>, Option<&Value>) = match self {
            Test::Cmp(_, value) => (Some(value), None),
            Test::Between(low, high) => (Some(low), Some(high)),
            Test::In(_) | Test::IsNull(_) => (None, None),
        };
        let list: &[Value] = match self {
            Test::In(values) => values,
            _ => &[],
        };
        list.iter().chain(first).chain(second)
    }
}

impl Test {
    /// The test with its values in the form [`bound`] gives them for `field`.
    fn bound(self, field: &FieldMeta) -> Test {
        match self {
            Test::In(values) => Test::In(values.into_iter().map(|v| bound(field, v)).collect()),
            Test::Cmp(operator, value) => Test::Cmp(operator, bound(field, value)),
            Test::Between(low, high) => Test::Between(bound(field, low), bound(field, high)),
            Test::IsNull(is_null) => Test::IsNull(is_null),
        }
    }
}

impl<E> Compare<E> {
    /// `expr`, the column of `field`, tested by `test`.
    pub(crate) fn new(expr: E, field: &'static FieldMeta, test: Test) -> Self {
        Compare { expr, field, test: test.bound(field) }
    }
}

boolean_node!(Compare, E);

impl<E: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for Compare<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        if matches!(&self.test, Test::In(values) if values.is_empty()) {
            // `IN ()` is a syntax error on PostgreSQL and MariaDB; no row is
            // in an empty list.
            out.push_sql("(1 = 0)");
            return Ok(());
        }
        // SQLite keeps decimals as text, which orders `10` before `9` and
        // tells `19.99` from `19.990`: there they compare by value.
        let by_value = self.field.kind == SqlKind::Numeric && Dialect::of(&out) == Dialect::Sqlite;
        out.push_sql("(");
        self.expr.walk_ast(out.reborrow())?;
        if by_value {
            out.push_sql(DECIMAL_COLLATE);
        }
        let field = self.field;
        match &self.test {
            Test::In(values) => {
                out.push_sql(" IN (");
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        out.push_sql(", ");
                    }
                    bind(&mut out, field, value)?;
                }
                out.push_sql(")");
            }
            Test::Cmp(operator, value) => {
                out.push_sql(operator);
                bind(&mut out, field, value)?;
            }
            Test::Between(low, high) => {
                out.push_sql(" BETWEEN ");
                bind(&mut out, field, low)?;
                out.push_sql(" AND ");
                bind(&mut out, field, high)?;
            }
            Test::IsNull(true) => out.push_sql(" IS NULL"),
            Test::IsNull(false) => out.push_sql(" IS NOT NULL"),
        }
        out.push_sql(")");
        Ok(())
    }
}
