//! Writing rows: `INSERT`, `UPDATE` and `DELETE` over whichever fields a
//! request gives, on any backend.
//!
//! Diesel's insert and update builders are typed by the exact set of
//! columns, which a request decides only at run time; these statements take
//! the columns as data and bind each value with its column's SQL type.

use diesel::dsl::sql;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::Error as DieselError;
use diesel::sql_types::BigInt;
use diesel::{QueryResult, RunQueryDsl};

use super::bind::bind;
use super::{FieldMeta, Model, Predicate, SqlKind, Value};
use crate::db::{AnyConnection, Dialect, MultiBackend};

/// `INSERT INTO t (a, b) VALUES (?, ?)`, or the default row when there are
/// no columns, optionally `RETURNING` the integer key.
struct InsertRow<'a, T> {
    table: T,
    columns: &'a [(&'static FieldMeta, Value)],
    dialect: Dialect,
    returning: Option<&'static str>,
}

impl<T: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for InsertRow<'_, T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ");
        self.table.walk_ast(out.reborrow())?;
        if self.columns.is_empty() {
            out.push_sql(if self.dialect == Dialect::Mysql { " () VALUES ()" } else { " DEFAULT VALUES" });
        } else {
            out.push_sql(" (");
            for (i, (field, _)) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push_sql(", ");
                }
                out.push_identifier(field.column)?;
            }
            out.push_sql(") VALUES (");
            for (i, (field, value)) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push_sql(", ");
                }
                bind(&mut out, field.kind, value)?;
            }
            out.push_sql(")");
        }
        if let Some(key) = self.returning {
            // Read back as BIGINT whatever the key's width.
            out.push_sql(" RETURNING CAST(");
            out.push_identifier(key)?;
            out.push_sql(" AS BIGINT)");
        }
        Ok(())
    }
}

impl<T> QueryId for InsertRow<'_, T> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<T> Query for InsertRow<'_, T> {
    type SqlType = BigInt;
}

impl<T, Conn> RunQueryDsl<Conn> for InsertRow<'_, T> {}

/// `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), ...`.
struct InsertRows<'a, T> {
    table: T,
    fields: &'a [&'static FieldMeta],
    rows: &'a [Vec<Value>],
}

impl<T: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for InsertRows<'_, T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ");
        self.table.walk_ast(out.reborrow())?;
        out.push_sql(" (");
        for (i, field) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(field.column)?;
        }
        out.push_sql(") VALUES ");
        for (r, row) in self.rows.iter().enumerate() {
            out.push_sql(if r == 0 { "(" } else { ", (" });
            for (i, (field, value)) in self.fields.iter().zip(row).enumerate() {
                if i > 0 {
                    out.push_sql(", ");
                }
                bind(&mut out, field.kind, value)?;
            }
            out.push_sql(")");
        }
        Ok(())
    }
}

impl<T> QueryId for InsertRows<'_, T> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<T, Conn> RunQueryDsl<Conn> for InsertRows<'_, T> {}

/// The most values bound in one statement: under SQLite's, PostgreSQL's and
/// MySQL's limits (32,766 and 65,535).
const MAX_BINDS: usize = 30_000;

/// Inserts many rows of `M` at once: each row gives a value for each of
/// `fields`, in order. The rows go in as few multi-row `INSERT`s as the
/// backends' limits on parameters allow. Returns how many were inserted.
pub fn insert_many<M: Model>(conn: &mut AnyConnection, fields: &[&str], rows: &[Vec<Value>]) -> QueryResult<usize> {
    let meta = M::meta();
    let fields = fields
        .iter()
        .map(|name| {
            meta.field(name)
                .ok_or_else(|| DieselError::QueryBuilderError(format!("`{}` has no field `{name}`", meta.slug).into()))
        })
        .collect::<QueryResult<Vec<_>>>()?;
    if let Some(row) = rows.iter().find(|r| r.len() != fields.len()) {
        return Err(DieselError::QueryBuilderError(
            format!("a row has {} values for {} fields", row.len(), fields.len()).into(),
        ));
    }
    if fields.is_empty() {
        return Ok(0);
    }
    let per_statement = (MAX_BINDS / fields.len()).max(1);
    let mut inserted = 0;
    for chunk in rows.chunks(per_statement) {
        inserted += InsertRows { table: M::Table::default(), fields: &fields, rows: chunk }.execute(conn)?;
    }
    Ok(inserted)
}

/// `UPDATE t SET a = ?, b = ? WHERE <predicate>`.
struct UpdateRows<'a, T, P> {
    table: T,
    columns: &'a [(&'static FieldMeta, Value)],
    predicate: P,
}

impl<T, P> QueryFragment<MultiBackend> for UpdateRows<'_, T, P>
where
    T: QueryFragment<MultiBackend>,
    P: QueryFragment<MultiBackend>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("UPDATE ");
        self.table.walk_ast(out.reborrow())?;
        out.push_sql(" SET ");
        for (i, (field, value)) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(field.column)?;
            out.push_sql(" = ");
            bind(&mut out, field.kind, value)?;
        }
        out.push_sql(" WHERE ");
        self.predicate.walk_ast(out.reborrow())
    }
}

/// `DELETE FROM t WHERE <predicate>`.
struct DeleteRows<T, P> {
    table: T,
    predicate: P,
}

impl<T, P> QueryFragment<MultiBackend> for DeleteRows<T, P>
where
    T: QueryFragment<MultiBackend>,
    P: QueryFragment<MultiBackend>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("DELETE FROM ");
        self.table.walk_ast(out.reborrow())?;
        out.push_sql(" WHERE ");
        self.predicate.walk_ast(out.reborrow())
    }
}

impl<T, P> QueryId for UpdateRows<'_, T, P> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<T, P, Conn> RunQueryDsl<Conn> for UpdateRows<'_, T, P> {}

impl<T, P> QueryId for DeleteRows<T, P> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<T, P, Conn> RunQueryDsl<Conn> for DeleteRows<T, P> {}

/// Inserts one row of `M` with `columns`; other columns take their
/// defaults. Returns the new row's primary key, which must be an integer the
/// database assigns (or one of `columns`).
pub fn insert<M: Model>(conn: &mut AnyConnection, columns: &[(&'static FieldMeta, Value)]) -> QueryResult<Value> {
    let pk = M::meta().primary_key;
    if let Some((_, given)) = columns.iter().find(|(f, _)| f.name == pk.name) {
        let given = given.clone();
        let statement = InsertRow { table: M::Table::default(), columns, dialect: conn.dialect(), returning: None };
        statement.execute(conn)?;
        return Ok(given);
    }
    let dialect = conn.dialect();
    let id = match dialect {
        Dialect::Sqlite | Dialect::Postgres => {
            let statement = InsertRow { table: M::Table::default(), columns, dialect, returning: Some(pk.column) };
            statement.get_result::<i64>(conn)?
        }
        Dialect::Mysql => {
            InsertRow { table: M::Table::default(), columns, dialect, returning: None }.execute(conn)?;
            diesel::select(sql::<BigInt>("CAST(LAST_INSERT_ID() AS SIGNED)")).get_result::<i64>(conn)?
        }
    };
    let key = match pk.kind {
        SqlKind::SmallInt => i16::try_from(id).ok().map(Value::SmallInt),
        SqlKind::Integer => i32::try_from(id).ok().map(Value::Integer),
        SqlKind::BigInt => Some(Value::BigInt(id)),
        _ => None,
    };
    key.ok_or_else(|| {
        DieselError::QueryBuilderError(
            format!("`{}` needs a primary key the database assigns, an integer", M::meta().slug).into(),
        )
    })
}

/// Updates the rows of `M` that `predicate` selects; returns how many.
pub fn update<M: Model>(
    conn: &mut AnyConnection,
    predicate: Predicate<M::Table>,
    columns: &[(&'static FieldMeta, Value)],
) -> QueryResult<usize> {
    if columns.is_empty() {
        return Ok(0);
    }
    UpdateRows { table: M::Table::default(), columns, predicate }.execute(conn)
}

/// Deletes the rows of `M` that `predicate` selects; returns how many.
/// Rows that refer to them are left alone: see
/// [`delete_with_dependents`](super::delete_with_dependents).
pub fn delete<M: Model>(conn: &mut AnyConnection, predicate: Predicate<M::Table>) -> QueryResult<usize> {
    DeleteRows { table: M::Table::default(), predicate }.execute(conn)
}
