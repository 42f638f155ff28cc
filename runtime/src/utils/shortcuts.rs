//! Fetching one object or answering 404.

use diesel::QueryDsl;

use crate::db::AnyConnection;
use crate::model::{by_keys, rows_where, BoxedQuery, Model, Value};
use crate::Error;

/// The first row `query` selects, or [`Error::NotFound`] (a 404):
/// flask-peewee's `get_object_or_404`.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # diesel::table! { blog (id) { id -> Integer, title -> Text, active -> Bool } }
/// # #[derive(Queryable, Selectable, hangar::Model)]
/// # #[diesel(table_name = blog)]
/// # struct Blog { id: i32, title: String, active: bool }
/// use hangar::Model as _;
/// use hangar::utils::get_object_or_404;
///
/// # fn demo(conn: &mut hangar::db::AnyConnection, title: &str) -> Result<Blog, hangar::Error> {
/// let query = Blog::all().filter(blog::active.eq(true)).filter(blog::title.eq(title.to_owned()));
/// get_object_or_404::<Blog>(conn, query)
/// # }
/// ```
pub fn get_object_or_404<M: Model>(conn: &mut AnyConnection, query: BoxedQuery<M>) -> Result<M, Error> {
    M::load(query.limit(1), conn)?.pop().ok_or(Error::NotFound)
}

/// The row of `query` whose primary key is `pk`, given as text from a URL,
/// or [`Error::NotFound`]. A key that is not of the primary key's type is
/// not found either.
pub fn get_by_pk_or_404<M: Model>(conn: &mut AnyConnection, query: BoxedQuery<M>, pk: &str) -> Result<M, Error> {
    let key = M::meta().primary_key;
    let value = Value::parse(key.kind, pk).ok_or(Error::NotFound)?;
    // A key no backend could hold is on no row.
    key.check_comparable(&value).map_err(|_| Error::NotFound)?;
    let condition = by_keys::<M>(&[value], conn.dialect())?;
    get_object_or_404(conn, query.filter(condition))
}

/// Looks up the one row of `M` whose `field` equals `value`. A value no
/// backend can store in the field's column (a username with a NUL, say) is
/// on no row: `None`, without asking the database.
pub(crate) fn find_by<M: Model>(conn: &mut AnyConnection, field: &str, value: Value) -> Result<Option<M>, Error> {
    if M::meta().field(field).is_some_and(|meta| meta.check_storable(&value).is_err()) {
        return Ok(None);
    }
    let predicate = rows_where::<M>(field, &[value], conn.dialect())?;
    Ok(M::load(M::all().filter(predicate).limit(1), conn)?.pop())
}
