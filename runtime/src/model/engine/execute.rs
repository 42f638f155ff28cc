//! Running statements whose types are erased, and reading rows by field.
//!
//! Every statement hangar runs goes through here as a
//! `&dyn QueryFragment`, so Diesel's connection code is compiled once in
//! hangar instead of once per statement type of every model; and a model's
//! rows are read field by field by the `from_row` that `derive(Model)`
//! writes, in the order of its fields.

use std::any::Any;
use std::marker::PhantomData;

use chrono::NaiveDateTime;

use diesel::connection::{DefaultLoadingMode, LoadConnection};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::{Error as DieselError, UnexpectedEndOfRow};
use diesel::row::{Field, Row};
use diesel::sql_types::{BigInt, Untyped};
use diesel::{QueryResult, RunQueryDsl};

use super::sql::{SelectWhere, Where};
use crate::db::{sqlite_timestamp, AnyConnection, MultiBackend, MultiRawValue};
use crate::model::{FieldMeta, FieldType, ModelMeta, SqlKind, Value};

/// A statement with its type erased and its result's SQL type `ST`.
struct Erased<'a, ST>(&'a (dyn QueryFragment<MultiBackend> + 'a), PhantomData<ST>);

impl<'a, ST> Erased<'a, ST> {
    fn new(statement: &'a (dyn QueryFragment<MultiBackend> + 'a)) -> Self {
        Erased(statement, PhantomData)
    }
}

impl<ST> Query for Erased<'_, ST> {
    type SqlType = ST;
}

impl<ST> QueryId for Erased<'_, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST> QueryFragment<MultiBackend> for Erased<'_, ST> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

impl<ST, Conn> RunQueryDsl<Conn> for Erased<'_, ST> {}

/// Runs `statement`; returns how many rows it changed.
pub(crate) fn execute(conn: &mut AnyConnection, statement: &dyn QueryFragment<MultiBackend>) -> QueryResult<usize> {
    Erased::<Untyped>::new(statement).execute(conn)
}

/// Runs `query`, which selects one `BIGINT`, and returns it.
pub(crate) fn get_i64(conn: &mut AnyConnection, query: &dyn QueryFragment<MultiBackend>) -> QueryResult<i64> {
    Erased::<BigInt>::new(query).get_result(conn)
}

/// One row of a result, as the connection gives it.
type AnyRow<'c, 'q> = <AnyConnection as LoadConnection<DefaultLoadingMode>>::Row<'c, 'q>;

/// Runs `query` and hands each row to `each`, in order.
pub(crate) fn for_each_row(
    conn: &mut AnyConnection,
    query: &dyn QueryFragment<MultiBackend>,
    each: &mut dyn FnMut(&mut RowReader<'_, '_, '_>) -> QueryResult<()>,
) -> QueryResult<()> {
    let cursor = LoadConnection::<DefaultLoadingMode>::load(conn, Erased::<Untyped>::new(query))?;
    for row in cursor {
        let row = row?;
        each(&mut RowReader { row: &row, next: 0 })?;
    }
    Ok(())
}

/// Reads one row's columns in order, each as the type of the field it fills.
pub struct RowReader<'r, 'c: 'r, 'q: 'r> {
    row: &'r AnyRow<'c, 'q>,
    next: usize,
}

impl RowReader<'_, '_, '_> {
    /// The next column, as field type `F`.
    pub fn read<F: FieldType>(&mut self) -> QueryResult<F> {
        let index = self.next;
        self.next += 1;
        let field = self.row.get(index).ok_or(DieselError::DeserializationError(Box::new(UnexpectedEndOfRow)))?;
        let mut value = field.value();
        if F::KIND == SqlKind::Timestamp {
            if let Some(read) = value.as_mut().and_then(fast_timestamp::<F>) {
                return Ok(read);
            }
        }
        F::from_raw(value).map_err(DieselError::DeserializationError)
    }
}

/// A timestamp field (`NaiveDateTime`, or an `Option` of one) read by
/// hangar's own parser, where it takes the column's text; `None` leaves it
/// to Diesel.
fn fast_timestamp<F: FieldType>(value: &mut MultiRawValue<'_>) -> Option<F> {
    let parsed = sqlite_timestamp(value)?;
    let mut read: Option<F> = None;
    let slot: &mut dyn Any = &mut read;
    if let Some(slot) = slot.downcast_mut::<Option<NaiveDateTime>>() {
        *slot = Some(parsed);
    } else if let Some(slot) = slot.downcast_mut::<Option<Option<NaiveDateTime>>>() {
        *slot = Some(Some(parsed));
    }
    read
}

impl std::fmt::Debug for RowReader<'_, '_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowReader").field("next", &self.next).finish_non_exhaustive()
    }
}

macro_rules! read_value {
    ([$supported:literal, $note:literal] $($rust:ty => $kind:ident),* $(,)?) => {
        impl RowReader<'_, '_, '_> {
            /// The next column, holding values of `kind`, as a [`Value`].
            pub(crate) fn read_value(&mut self, kind: SqlKind) -> QueryResult<Value> {
                match kind {
                    $(SqlKind::$kind => self.read::<Option<$rust>>().map(Value::from),)*
                }
            }
        }
    };
}

with_field_types!(read_value);

/// The values of `fields` in each row of the model `meta` describes that
/// `condition` selects.
pub(crate) fn load_values(
    conn: &mut AnyConnection,
    meta: &ModelMeta,
    fields: &[&'static FieldMeta],
    condition: &Where,
) -> QueryResult<Vec<Vec<Value>>> {
    let columns = fields.iter().map(|f| f.column).collect();
    let query = SelectWhere { table: meta.table, columns, condition };
    let mut rows = Vec::new();
    for_each_row(conn, &query, &mut |row| {
        rows.push(fields.iter().map(|f| row.read_value(f.kind)).collect::<QueryResult<Vec<_>>>()?);
        Ok(())
    })?;
    Ok(rows)
}
