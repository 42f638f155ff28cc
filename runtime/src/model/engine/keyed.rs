//! Rows by primary key: loading them, and saving one.

use diesel::{QueryDsl, QueryResult};

use super::expr::by_keys;
use super::write::{insert, update};
use crate::db::AnyConnection;
use crate::model::{Data, Model, Value};

/// The rows of `M` whose primary keys are `keys`, in no particular order.
pub fn load_by_keys<M: Model>(conn: &mut AnyConnection, keys: &[Value]) -> QueryResult<Vec<M>> {
    let predicate = by_keys::<M>(keys, conn.dialect())?;
    M::load(M::all().filter(predicate), conn)
}

/// Inserts `data` as a new row of `M`, or updates `existing` with it, and
/// returns the row's primary key.
pub fn save<M: Model>(conn: &mut AnyConnection, data: &Data, existing: Option<&M>) -> QueryResult<Value> {
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
