//! Loading and counting a model's rows.

use diesel::query_dsl::methods::SelectDsl;
use diesel::QueryResult;

use super::execute::{for_each_row, get_i64};
use super::sql::{Columns, CountRows};
use crate::db::AnyConnection;
use crate::model::{BoxedQuery, Model};

/// Runs `query`, selecting `M`'s fields by name and reading each row with
/// [`Model::from_row`].
pub(crate) fn load_rows<M: Model>(query: BoxedQuery<M>, conn: &mut AnyConnection) -> QueryResult<Vec<M>> {
    let query = SelectDsl::select(query, Columns(M::meta()));
    let mut rows = Vec::new();
    for_each_row(conn, &query, &mut |row| {
        rows.push(M::from_row(row)?);
        Ok(())
    })?;
    Ok(rows)
}

/// Counts the rows `query` selects.
pub(crate) fn count_rows<M: Model>(query: BoxedQuery<M>, conn: &mut AnyConnection) -> QueryResult<i64> {
    get_i64(conn, &CountRows(query))
}
