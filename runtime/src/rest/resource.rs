//! The behaviour of a resource that users override.

use super::config::RestModel;
use crate::auth::Caller;
use crate::db::AnyConnection;
use crate::model::{BoxedQuery, Data, Model, Value};
use crate::query::Count;
use crate::Error;

/// A resource of the REST API: a model plus the behaviour users override,
/// flask-peewee's `RestResource`.
///
/// `derive(RestResource)` implements this for the model itself, with every
/// default. To change a behaviour, implement it for a type of your own and
/// register that type:
///
/// ```
/// # use diesel::prelude::*;
/// # diesel::table! { users (id) { id -> Integer, username -> Text, active -> Bool } }
/// # #[derive(Queryable, Selectable, hangar::Model, hangar::RestResource)]
/// # #[diesel(table_name = users)]
/// # struct User { id: i32, username: String, active: bool }
/// use hangar::rest::{Caller, Resource};
/// use hangar::Model as _;
///
/// /// Active users only.
/// struct ActiveUsers;
///
/// impl Resource for ActiveUsers {
///     type Model = User;
///
///     fn get_query(_caller: &Caller) -> hangar::model::BoxedQuery<User> {
///         User::all().filter(users::active.eq(true))
///     }
/// }
/// ```
///
/// Every hook runs on a blocking thread with the request's database
/// connection, inside the request's transaction for writes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a REST resource",
    label = "not a resource",
    note = "derive `hangar::RestResource` on the model, or implement `hangar::rest::Resource` for a type of your own and name it: include(relation = ThatType)"
)]
pub trait Resource: Send + Sync + 'static {
    /// The model exposed.
    type Model: RestModel;

    /// The rows this resource exposes. It scopes lists, and detail, edit and
    /// delete too: a row it leaves out answers 404.
    fn get_query(caller: &Caller) -> BoxedQuery<Self::Model> {
        let _ = caller;
        Self::Model::all()
    }

    /// Adjusts a write's data before the checks and the save: fill in a
    /// field, hash a password, refuse a value with an error.
    fn prepare_data(caller: &Caller, data: &mut Data, existing: Option<&Self::Model>) -> Result<(), Error> {
        let _ = (caller, data, existing);
        Ok(())
    }

    /// Writes the data: inserts a row, or updates `existing`, and returns
    /// the row's primary key.
    fn save_object(
        conn: &mut AnyConnection,
        caller: &Caller,
        data: &Data,
        existing: Option<&Self::Model>,
    ) -> Result<Value, Error> {
        let _ = caller;
        Ok(crate::model::save::<Self::Model>(conn, data, existing)?)
    }

    /// May the caller read: the list (`obj` is `None`) or one row?
    fn check_get(caller: &Caller, obj: Option<&Self::Model>) -> bool {
        let _ = (caller, obj);
        true
    }

    /// May the caller create a row with `data`?
    fn check_post(caller: &Caller, data: &Data) -> bool {
        let _ = (caller, data);
        true
    }

    /// May the caller change `obj` with `data`?
    fn check_put(caller: &Caller, obj: &Self::Model, data: &Data) -> bool {
        let _ = (caller, obj, data);
        true
    }

    /// May the caller delete `obj`?
    fn check_delete(caller: &Caller, obj: &Self::Model) -> bool {
        let _ = (caller, obj);
        true
    }

    /// How this resource's lists count their rows; by default the model's
    /// `#[rest(count = ...)]`.
    fn count() -> Count {
        Self::Model::rest().count
    }
}
