//! A column compared with values: `=`/`IN`, `<`, `BETWEEN` and `IS NULL`,
//! each value bound by [`bind`](super::bind::bind), so that every
//! comparison binds values the way writes do, on every backend.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Nullable};
use diesel::QueryResult;

use super::bind::{bind, bound, dialect};
use super::sql::boolean_node;
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
        // SQLite keeps decimals as text, which orders `10` before `9`: its
        // ranges compare them as numbers.
        let as_number = self.field.kind == SqlKind::Numeric
            && dialect(&out) == Dialect::Sqlite
            && matches!(self.test, Test::Cmp(..) | Test::Between(..));
        let (open, close) = if as_number { ("CAST(", " AS REAL)") } else { ("", "") };
        out.push_sql("(");
        out.push_sql(open);
        self.expr.walk_ast(out.reborrow())?;
        out.push_sql(close);
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
                out.push_sql(open);
                bind(&mut out, field, value)?;
                out.push_sql(close);
            }
            Test::Between(low, high) => {
                out.push_sql(" BETWEEN ");
                out.push_sql(open);
                bind(&mut out, field, low)?;
                out.push_sql(close);
                out.push_sql(" AND ");
                out.push_sql(open);
                bind(&mut out, field, high)?;
                out.push_sql(close);
            }
            Test::IsNull(true) => out.push_sql(" IS NULL"),
            Test::IsNull(false) => out.push_sql(" IS NOT NULL"),
        }
        out.push_sql(")");
        Ok(())
    }
}
