//! Rows by primary key: loading them, and saving one.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DieselError};
use diesel::{QueryDsl, QueryResult};

use super::execute::load_values;
use super::expr::{by_keys, one_of};
use super::write::{insert, update};
use crate::db::{violation, AnyConnection, Dialect, Violation};
use crate::model::{Data, Model, Value};

/// The rows of `M` whose primary keys are `keys`, in no particular order.
pub fn load_by_keys<M: Model>(conn: &mut AnyConnection, keys: &[Value]) -> QueryResult<Vec<M>> {
    let predicate = by_keys::<M>(keys, conn.dialect())?;
    M::load(M::all().filter(predicate), conn)
}

/// Inserts `data` as a new row of `M`, or updates `existing` with it, and
/// returns the row's primary key.
///
/// Every backend's refusal names the column, as PostgreSQL's does: SQLite
/// says only that some foreign key failed, which is explained by looking
/// for the related row each foreign key of `data` points at; MariaDB names
/// a duplicate primary key by its index, `PRIMARY`.
pub fn save<M: Model>(conn: &mut AnyConnection, data: &Data, existing: Option<&M>) -> QueryResult<Value> {
    let saved = write_row(conn, data, existing);
    let Err(error) = &saved else {
        return saved;
    };
    let (kind, column) = match violation(error) {
        Some(Violation::ForeignKey { column: None, still_referenced: false, .. })
            if conn.dialect() == Dialect::Sqlite =>
        {
            match dangling(conn, data)? {
                Some(column) => (DatabaseErrorKind::ForeignKeyViolation, column),
                None => return saved,
            }
        }
        Some(Violation::Unique { columns, .. }) if columns == ["PRIMARY"] => {
            (DatabaseErrorKind::UniqueViolation, M::META.primary_key.column)
        }
        _ => return saved,
    };
    Err(DieselError::DatabaseError(kind, Box::new(Named { column, details: format!("Key ({column})=() refused.") })))
}

fn write_row<M: Model>(conn: &mut AnyConnection, data: &Data, existing: Option<&M>) -> QueryResult<Value> {
    match existing {
        None => insert::<M>(conn, data.values()),
        Some(obj) => {
            let pk = obj.pk();
            let predicate = by_keys::<M>(std::slice::from_ref(&pk), conn.dialect())?;
            update::<M>(conn, &predicate, data.values())?;
            Ok(pk)
        }
    }
}

/// The column of the first foreign key in `data` whose related row does
/// not exist.
fn dangling(conn: &mut AnyConnection, data: &Data) -> QueryResult<Option<&'static str>> {
    let meta = data.model();
    for relation in meta.relations {
        let Some(value) = data.get(relation.field).filter(|v| !v.is_null()) else {
            continue;
        };
        let target = relation.target;
        let condition = one_of(target, target.primary_key.name, std::slice::from_ref(value), conn.dialect())?;
        let found = load_values(conn, target, &[target.primary_key], &condition)?;
        if found.is_empty() {
            return Ok(meta.field(relation.field).map(|f| f.column));
        }
    }
    Ok(None)
}

/// A refusal, with the column it concerns named as PostgreSQL names it.
#[derive(Debug)]
struct Named {
    column: &'static str,
    details: String,
}

impl DatabaseErrorInformation for Named {
    fn message(&self) -> &str {
        "constraint failed"
    }
    fn details(&self) -> Option<&str> {
        Some(&self.details)
    }
    fn hint(&self) -> Option<&str> {
        None
    }
    fn table_name(&self) -> Option<&str> {
        None
    }
    fn column_name(&self) -> Option<&str> {
        Some(self.column)
    }
    fn constraint_name(&self) -> Option<&str> {
        None
    }
    fn statement_position(&self) -> Option<i32> {
        None
    }
}
