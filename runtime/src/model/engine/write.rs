//! Writing rows: `INSERT`, `UPDATE` and `DELETE` over whichever fields a
//! request gives, on any backend.
//!
//! Diesel's insert and update builders are typed by the exact set of
//! columns, which a request decides only at run time; these statements take
//! the columns as data and bind each value with its column's SQL type.

use diesel::dsl::sql;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::result::Error as DieselError;
use diesel::sql_types::{BigInt, Text};
use diesel::{QueryResult, RunQueryDsl};

use std::borrow::Cow;

use super::bind::{bind, bound as bound_value, bound_ref};
use super::execute::{execute, for_each_row, get_i64};
use super::expr::Predicate;
use crate::db::{AnyConnection, Dialect, MultiBackend};
use crate::model::{FieldMeta, Model, ModelMeta, SqlKind, Value};

/// `INSERT INTO t (a, b) VALUES (?, ?)`, or the default row when there are
/// no columns, optionally `RETURNING` the key.
struct InsertRow<'a> {
    table: &'static str,
    columns: Vec<(&'static FieldMeta, Cow<'a, Value>)>,
    dialect: Dialect,
    returning: Option<Returning>,
}

/// What an insert returns: the key the database chose.
#[derive(Debug, Clone, Copy)]
enum Returning {
    /// An integer key, read back as `BIGINT` whatever its width.
    Integer(&'static str),
    /// Any other key (a UUID from `gen_random_uuid()`, say), as it is.
    Column(&'static str),
}

/// `columns` with each value in the form [`bound`] gives it.
fn bound_columns<'a>(columns: &'a [(&'static FieldMeta, Value)]) -> Vec<(&'static FieldMeta, Cow<'a, Value>)> {
    columns.iter().map(|(field, value)| (*field, bound_ref(field, value))).collect()
}

impl QueryFragment<MultiBackend> for InsertRow<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ");
        out.push_identifier(self.table)?;
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
                bind(&mut out, field, value)?;
            }
            out.push_sql(")");
        }
        match self.returning {
            Some(Returning::Integer(key)) => {
                out.push_sql(" RETURNING CAST(");
                out.push_identifier(key)?;
                out.push_sql(" AS BIGINT)");
            }
            Some(Returning::Column(key)) => {
                out.push_sql(" RETURNING ");
                out.push_identifier(key)?;
            }
            None => {}
        }
        Ok(())
    }
}

/// `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), ...`.
struct InsertRows<'a> {
    table: &'static str,
    fields: &'a [&'static FieldMeta],
    rows: Vec<Vec<Cow<'a, Value>>>,
}

impl QueryFragment<MultiBackend> for InsertRows<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ");
        out.push_identifier(self.table)?;
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
                bind(&mut out, field, value)?;
            }
            out.push_sql(")");
        }
        Ok(())
    }
}

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
        let rows = chunk
            .iter()
            .map(|row| fields.iter().zip(row).map(|(field, value)| bound_ref(field, value)).collect())
            .collect();
        inserted += execute(conn, &InsertRows { table: meta.table, fields: &fields, rows })?;
    }
    Ok(inserted)
}

/// `UPDATE t SET a = ?, b = ? WHERE <predicate>`.
struct UpdateRows<'a> {
    table: &'static str,
    columns: Vec<(&'static FieldMeta, Cow<'a, Value>)>,
    predicate: &'a dyn QueryFragment<MultiBackend>,
}

impl QueryFragment<MultiBackend> for UpdateRows<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("UPDATE ");
        out.push_identifier(self.table)?;
        out.push_sql(" SET ");
        for (i, (field, value)) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(field.column)?;
            out.push_sql(" = ");
            bind(&mut out, field, value)?;
        }
        out.push_sql(" WHERE ");
        self.predicate.walk_ast(out.reborrow())
    }
}

/// `DELETE FROM t WHERE <predicate>`.
struct DeleteRows<'a> {
    table: &'static str,
    predicate: &'a dyn QueryFragment<MultiBackend>,
}

impl QueryFragment<MultiBackend> for DeleteRows<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("DELETE FROM ");
        out.push_identifier(self.table)?;
        out.push_sql(" WHERE ");
        self.predicate.walk_ast(out.reborrow())
    }
}

/// Inserts one row of `M` with `columns`; other columns take their
/// defaults. Returns the new row's primary key: one of `columns`, or the
/// key the database chose: an integer it counts, or any key its column's
/// default makes (`#[model(db_default)]`), read back with
/// `INSERT … RETURNING`, which SQLite, PostgreSQL and MariaDB 10.5 have.
pub fn insert<M: Model>(conn: &mut AnyConnection, columns: &[(&'static FieldMeta, Value)]) -> QueryResult<Value> {
    let meta = M::meta();
    let (pk, table, dialect) = (meta.primary_key, meta.table, conn.dialect());
    let bound = bound_columns(columns);
    if let Some((_, given)) = columns.iter().find(|(f, _)| f.name == pk.name) {
        execute(conn, &InsertRow { table, columns: bound, dialect, returning: None })?;
        return Ok(given.clone());
    }
    let integer = pk.kind.is_integer();
    if !integer {
        if !pk.db_default {
            return Err(DieselError::QueryBuilderError(
                format!(
                    "`{}` needs a value for its primary key `{}`, or #[model(db_default)] on it when its column \
                     has a default",
                    meta.slug, pk.name
                )
                .into(),
            ));
        }
        if dialect == Dialect::Mysql {
            // MariaDB's prepared statements describe no result for
            // `INSERT … RETURNING`, so the key is made first, by the
            // column's own default expression, and inserted.
            let key = default_key(conn, meta)?;
            let mut with_key = bound;
            with_key.push((pk, Cow::Owned(bound_value(pk, key.clone()))));
            execute(conn, &InsertRow { table, columns: with_key, dialect, returning: None })?;
            return Ok(key);
        }
        let statement = InsertRow { table, columns: bound, dialect, returning: Some(Returning::Column(pk.column)) };
        let mut key = None;
        for_each_row(conn, &statement, &mut |row| {
            key = Some(row.read_value(pk.kind)?);
            Ok(())
        })?;
        return key.ok_or(DieselError::NotFound);
    }
    let id = match dialect {
        Dialect::Sqlite | Dialect::Postgres => get_i64(
            conn,
            &InsertRow { table, columns: bound, dialect, returning: Some(Returning::Integer(pk.column)) },
        )?,
        Dialect::Mysql => {
            execute(conn, &InsertRow { table, columns: bound, dialect, returning: None })?;
            get_i64(conn, &sql::<BigInt>("SELECT CAST(LAST_INSERT_ID() AS SIGNED)"))?
        }
    };
    let key = match pk.kind {
        SqlKind::SmallInt => i16::try_from(id).ok().map(Value::SmallInt),
        SqlKind::Integer => i32::try_from(id).ok().map(Value::Integer),
        _ => Some(Value::BigInt(id)),
    };
    key.ok_or_else(|| {
        DieselError::QueryBuilderError(format!("`{}`'s new key {id} does not fit its field", M::meta().slug).into())
    })
}

/// A new key for the model `meta` describes, made on MySQL or MariaDB by
/// its key column's default expression (`UUID()`, say), as the insert
/// would have made it.
fn default_key(conn: &mut AnyConnection, meta: &ModelMeta) -> QueryResult<Value> {
    let pk = meta.primary_key;
    let lookup = diesel::sql_query(
        "SELECT CAST(COLUMN_DEFAULT AS CHAR) AS text FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?",
    )
    .bind::<Text, _>(meta.table)
    .bind::<Text, _>(pk.column);
    let expression = lookup.get_results::<DefaultText>(conn)?.pop().and_then(|d| d.text).ok_or_else(|| {
        DieselError::QueryBuilderError(
            format!("`{}`'s key column `{}` has no default for the database to make it", meta.slug, pk.column).into(),
        )
    })?;
    // The column's own default, as the server keeps it: an expression or a
    // quoted literal, evaluated as the insert would.
    let made =
        diesel::sql_query(format!("SELECT CAST({expression} AS CHAR) AS text")).get_result::<DefaultText>(conn)?;
    made.text.and_then(|text| Value::parse(pk.kind, &text)).ok_or_else(|| {
        DieselError::QueryBuilderError(
            format!("`{}`'s key default `{expression}` does not make {}", meta.slug, pk.kind.describe()).into(),
        )
    })
}

/// One text column read by name.
#[derive(diesel::QueryableByName)]
struct DefaultText {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    text: Option<String>,
}

/// Updates the rows of `M` that `predicate` selects; returns how many.
pub fn update<M: Model>(
    conn: &mut AnyConnection,
    predicate: &Predicate<M::Table>,
    columns: &[(&'static FieldMeta, Value)],
) -> QueryResult<usize> {
    update_where(conn, M::meta(), predicate, columns)
}

/// Locks the row of `M` with primary key `key` until the transaction ends,
/// on every backend, by setting its key to itself: PostgreSQL and MariaDB
/// lock the row for the rest of the transaction (as `SELECT … FOR UPDATE`
/// would), and SQLite takes the database's write lock. A read after it, in
/// the same transaction, sees the row as last committed, and no other
/// transaction can change the row until this one ends. Returns how many
/// rows it found (0 or 1). An `ON UPDATE` trigger of the table sees an
/// update that changes nothing.
pub fn lock_row<M: Model>(conn: &mut AnyConnection, key: &Value) -> QueryResult<usize> {
    let meta = M::meta();
    let predicate = super::expr::by_keys::<M>(std::slice::from_ref(key), conn.dialect())?;
    update_where(conn, meta, &predicate, &[(meta.primary_key, key.clone())])
}

/// Deletes the rows of `M` that `predicate` selects; returns how many.
/// Rows that refer to them are left alone: see
/// [`delete_with_dependents`](super::delete_with_dependents).
pub fn delete<M: Model>(conn: &mut AnyConnection, predicate: &Predicate<M::Table>) -> QueryResult<usize> {
    delete_where(conn, M::meta(), predicate)
}

/// Updates the rows of the model `meta` describes that `predicate` selects.
pub(crate) fn update_where(
    conn: &mut AnyConnection,
    meta: &ModelMeta,
    predicate: &dyn QueryFragment<MultiBackend>,
    columns: &[(&'static FieldMeta, Value)],
) -> QueryResult<usize> {
    if columns.is_empty() {
        return Ok(0);
    }
    execute(conn, &UpdateRows { table: meta.table, columns: bound_columns(columns), predicate })
}

/// Deletes the rows of the model `meta` describes that `predicate` selects.
pub(crate) fn delete_where(
    conn: &mut AnyConnection,
    meta: &ModelMeta,
    predicate: &dyn QueryFragment<MultiBackend>,
) -> QueryResult<usize> {
    execute(conn, &DeleteRows { table: meta.table, predicate })
}
