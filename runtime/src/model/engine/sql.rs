//! The few SQL fragments Diesel has no portable builder for, and a
//! column's SQL written from its names.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};
use diesel::{QueryResult, RunQueryDsl};

use crate::db::{Dialect, MultiBackend};
use crate::model::ModelMeta;

/// Implements the expression traits for a boolean node wrapping `$inner`.
macro_rules! boolean_node {
    ($node:ident, $inner:ident) => {
        impl<$inner: Expression> Expression for $node<$inner> {
            type SqlType = Nullable<Bool>;
        }

        impl<$inner, QS> AppearsOnTable<QS> for $node<$inner> where $inner: AppearsOnTable<QS> {}

        impl<$inner, QS> SelectableExpression<QS> for $node<$inner> where $inner: SelectableExpression<QS> {}

        impl<$inner: ValidGrouping<()>> ValidGrouping<()> for $node<$inner> {
            type IsAggregate = $inner::IsAggregate;
        }

        impl<$inner> QueryId for $node<$inner> {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }
    };
}

pub(super) use boolean_node;

/// Implements the expression traits for `$node`, an expression of SQL type
/// `$sql_type` that may appear on any table: a node hangar writes from
/// names the derive checked, whose type only hangar's own nodes see.
macro_rules! free_expression {
    ($node:ident, $sql_type:ty) => {
        impl diesel::expression::Expression for $node {
            type SqlType = $sql_type;
        }

        impl<QS> diesel::expression::AppearsOnTable<QS> for $node {}

        impl<QS> diesel::expression::SelectableExpression<QS> for $node {}

        impl diesel::expression::ValidGrouping<()> for $node {
            type IsAggregate = diesel::expression::is_aggregate::No;
        }

        impl diesel::query_builder::QueryId for $node {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }
    };
}

pub(crate) use free_expression;

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

impl std::fmt::Display for ColumnSql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.table, self.column)
    }
}

/// `CAST(column AS TEXT)`: PostgreSQL's `uuid` matched against a pattern.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AsText(pub(crate) ColumnSql);

free_expression!(AsText, Nullable<Text>);

impl QueryFragment<MultiBackend> for AsText {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("CAST(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" AS TEXT)");
        Ok(())
    }
}

/// ` COLLATE hangar_decimal`: SQLite's decimals, kept as text, compared
/// by value (the collation is registered on every connection hangar opens).
pub(crate) const DECIMAL_COLLATE: &str = " COLLATE hangar_decimal";

/// A column as `ORDER BY` sorts it: SQLite keeps decimals as text, which
/// sorts `10` before `9`, so there they are sorted by value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SortKey {
    pub(crate) column: ColumnSql,
    pub(crate) numeric: bool,
}

free_expression!(SortKey, Nullable<Text>);

impl QueryFragment<MultiBackend> for SortKey {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        if self.numeric && Dialect::of(&out) == Dialect::Sqlite {
            out.push_sql(DECIMAL_COLLATE);
        }
        Ok(())
    }
}

/// `NOT COALESCE(p, FALSE)`: true exactly for the rows where `p` is not
/// true, including those where it is NULL. This makes `-field=v` the
/// complement of `field=v`, nullable columns included.
#[derive(Debug)]
pub(crate) struct NotTrue<P>(pub(crate) P);

boolean_node!(NotTrue, P);

impl<P: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for NotTrue<P> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("(NOT COALESCE(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(", FALSE))");
        Ok(())
    }
}

/// `(column IN (subquery))`. Diesel's own `IN` picks its SQL per backend,
/// which a query boxed for any backend cannot do.
#[derive(Debug)]
pub(crate) struct InSubquery<C, S> {
    pub(crate) column: C,
    pub(crate) subquery: S,
}

impl<C: Expression, S> Expression for InSubquery<C, S> {
    type SqlType = Nullable<Bool>;
}

impl<C, S, QS> AppearsOnTable<QS> for InSubquery<C, S> where C: AppearsOnTable<QS> {}

impl<C, S, QS> SelectableExpression<QS> for InSubquery<C, S> where C: SelectableExpression<QS> {}

impl<C: ValidGrouping<()>, S> ValidGrouping<()> for InSubquery<C, S> {
    type IsAggregate = C::IsAggregate;
}

impl<C, S> QueryId for InSubquery<C, S> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C, S> QueryFragment<MultiBackend> for InSubquery<C, S>
where
    C: QueryFragment<MultiBackend>,
    S: QueryFragment<MultiBackend>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("(");
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        self.subquery.walk_ast(out.reborrow())?;
        out.push_sql("))");
        Ok(())
    }
}

/// A `WHERE` condition on any table, its type erased: what hangar builds
/// from a model's names. It becomes a typed [`Predicate`](super::Predicate)
/// by boxing, and appears on any table, since its columns are written from
/// names the derive checked.
pub struct Where(Box<dyn QueryFragment<MultiBackend> + Send>);

impl Where {
    pub(crate) fn new(node: impl QueryFragment<MultiBackend> + Send + 'static) -> Self {
        Where(Box::new(node))
    }

    /// `(a AND b AND ...)`; `parts` must not be empty.
    pub(crate) fn all(mut parts: Vec<Where>) -> Self {
        if parts.len() == 1 {
            return parts.remove(0);
        }
        Where::new(Joined(parts, " AND "))
    }

    /// `(a OR b OR ...)`; `parts` must not be empty.
    pub(crate) fn any(mut parts: Vec<Where>) -> Self {
        if parts.len() == 1 {
            return parts.remove(0);
        }
        Where::new(Joined(parts, " OR "))
    }
}

impl std::fmt::Debug for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Where")
    }
}

free_expression!(Where, Nullable<Bool>);

impl QueryFragment<MultiBackend> for Where {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

/// `(a OR b OR ...)` or `(a AND b AND ...)`: the parts and the word
/// between them.
struct Joined(Vec<Where>, &'static str);

impl QueryFragment<MultiBackend> for Joined {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("(");
        for (i, part) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_sql(self.1);
            }
            part.walk_ast(out.reborrow())?;
        }
        out.push_sql(")");
        Ok(())
    }
}

/// `SELECT "t"."a", "t"."b" FROM "t" WHERE <condition>`: the named
/// columns of the rows of one table that match.
pub(crate) struct SelectWhere<C> {
    pub(crate) table: &'static str,
    pub(crate) columns: Vec<&'static str>,
    pub(crate) condition: C,
}

impl<C: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for SelectWhere<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        for (i, column) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            push_column(&mut out, self.table, column)?;
        }
        out.push_sql(" FROM ");
        out.push_identifier(self.table)?;
        out.push_sql(" WHERE ");
        self.condition.walk_ast(out)
    }
}

/// The select list `"t"."a", "t"."b", ...` of every field of the model
/// `meta` describes, in the order of its fields: what its `from_row` reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns(pub(crate) &'static ModelMeta);

free_expression!(Columns, Nullable<Text>);

impl QueryFragment<MultiBackend> for Columns {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        for (i, field) in self.0.fields.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            push_column(&mut out, self.0.table, field.column)?;
        }
        Ok(())
    }
}

/// A pattern match whose SQL depends on the backend and on case.
#[derive(Debug)]
pub(crate) struct PatternMatch<E> {
    expr: E,
    pattern: String,
    sql: [&'static str; 3],
}

boolean_node!(PatternMatch, E);

impl<E> PatternMatch<E> {
    /// `expr` matched against the LIKE `pattern` (escape character `\`).
    ///
    /// - PostgreSQL: `LIKE` is case-sensitive; `ILIKE` is not.
    /// - SQLite: `LIKE` ignores ASCII case, so the case-sensitive match is a
    ///   `GLOB` with the pattern translated.
    /// - MySQL: collations usually ignore case, so the case-sensitive match
    ///   compares bytes with `LIKE BINARY`, and the other lowercases both sides.
    pub(crate) fn new(expr: E, pattern: &str, case_sensitive: bool, dialect: Dialect) -> Self {
        let (sql, pattern) = match (dialect, case_sensitive) {
            (Dialect::Postgres, true) => (["(", " LIKE ", " ESCAPE '\\')"], pattern.to_owned()),
            (Dialect::Postgres, false) => (["(", " ILIKE ", " ESCAPE '\\')"], pattern.to_owned()),
            (Dialect::Sqlite, true) => (["(", " GLOB ", ")"], like_to_glob(pattern)),
            (Dialect::Sqlite, false) => (["(", " LIKE ", " ESCAPE '\\')"], pattern.to_owned()),
            // MySQL's default LIKE escape character is already `\`.
            (Dialect::Mysql, true) => (["(", " LIKE BINARY ", ")"], pattern.to_owned()),
            (Dialect::Mysql, false) => (["(LOWER(", ") LIKE LOWER(", "))"], pattern.to_owned()),
        };
        PatternMatch { expr, pattern, sql }
    }
}

impl<E: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for PatternMatch<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        let [open, operator, close] = self.sql;
        out.push_sql(open);
        self.expr.walk_ast(out.reborrow())?;
        out.push_sql(operator);
        out.push_bind_param::<Text, String>(&self.pattern)?;
        out.push_sql(close);
        Ok(())
    }
}

/// `(month of column = ?)`: a date's, timestamp's or instant's month, 1
/// to 12. Each backend names the month its own way, and reads it from the
/// form it keeps the column in:
///
/// - SQLite keeps dates and times as ISO 8601 text, which `strftime` reads;
///   an instant's text is in UTC already.
/// - PostgreSQL: `EXTRACT`, from an instant seen in UTC (`AT TIME ZONE`),
///   whatever the session's time zone.
/// - MariaDB: `MONTH`; an instant is a `DATETIME(6)` holding UTC.
///
/// A year is a range of dates, which any index on the column serves; a
/// month of any year is not, so it is the one that needs this.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MonthOf {
    pub(crate) column: ColumnSql,
    /// Whether the column holds instants.
    pub(crate) instant: bool,
    pub(crate) month: i32,
}

impl QueryFragment<MultiBackend> for MonthOf {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        let (open, close) = match (Dialect::of(&out), self.instant) {
            (Dialect::Sqlite, _) => ("(CAST(strftime('%m', ", ") AS INTEGER) = "),
            (Dialect::Postgres, false) => ("(CAST(EXTRACT(MONTH FROM ", ") AS INTEGER) = "),
            (Dialect::Postgres, true) => ("(CAST(EXTRACT(MONTH FROM ", " AT TIME ZONE 'UTC') AS INTEGER) = "),
            (Dialect::Mysql, _) => ("(MONTH(", ") = "),
        };
        out.push_sql(open);
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(close);
        out.push_bind_param::<Integer, i32>(&self.month)?;
        out.push_sql(")");
        Ok(())
    }
}

/// A LIKE pattern with `\` escapes as an SQLite GLOB pattern.
pub(crate) fn like_to_glob(pattern: &str) -> String {
    let mut glob = String::with_capacity(pattern.len());
    let literal = |glob: &mut String, c: char| {
        if matches!(c, '*' | '?' | '[') {
            glob.push('[');
            glob.push(c);
            glob.push(']');
        } else {
            glob.push(c);
        }
    };
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => literal(&mut glob, chars.next().unwrap_or('\\')),
            '%' => glob.push('*'),
            '_' => glob.push('?'),
            c => literal(&mut glob, c),
        }
    }
    glob
}

/// `SELECT COUNT(*) FROM (<query>) AS hangar_count`.
///
/// Counting through a subquery works whatever the query holds: PostgreSQL
/// rejects `COUNT(*)` beside an `ORDER BY`, which SQLite accepts.
#[derive(Debug)]
pub struct CountRows<Q>(pub Q);

impl<Q> Query for CountRows<Q> {
    type SqlType = BigInt;
}

impl<Q> QueryId for CountRows<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for CountRows<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("SELECT COUNT(*) FROM (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(") AS hangar_count");
        Ok(())
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for CountRows<Q> {}

#[cfg(test)]
mod tests {
    use super::like_to_glob;

    #[test]
    fn like_patterns_become_globs() {
        assert_eq!(like_to_glob("a%b_c"), "a*b?c");
        assert_eq!(like_to_glob(r"100\%"), "100%");
        assert_eq!(like_to_glob("why?*[x]"), "why[?][*][[]x]");
        assert_eq!(like_to_glob(r"end\"), r"end\");
    }
}
