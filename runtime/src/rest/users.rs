//! Exposing a user model: active users only, passwords hashed on the way
//! in, and only admins may write.

use std::marker::PhantomData;

use diesel::QueryDsl;

use super::{Resource, RestModel};
use crate::auth::{check_user_data, Caller, UserModel};
use crate::db::Dialect;
use crate::model::{rows_where, BoxedQuery, Data, Value};
use crate::utils::make_password;
use crate::Error;

/// The resource for a user model `U`:
///
/// - reads show active users only (an inactive one answers 404);
/// - a password given in a body is stored hashed;
/// - creating, changing and deleting users needs an admin caller, also when
///   a user is written nested in another resource's body.
///
/// Register it (usually with `AdminAuthentication`), and name it in other
/// resources' includes: `include(user = UserResource<User>)`.
pub struct UserResource<U>(PhantomData<fn() -> U>);

impl<U: UserModel + RestModel> Resource for UserResource<U> {
    type Model = U;

    fn get_query(_caller: &Caller) -> BoxedQuery<U> {
        // An equality test builds the same SQL for every dialect.
        let active = U::active_field().map(|field| rows_where::<U>(field, &[Value::Bool(true)], Dialect::Sqlite));
        match active {
            Some(Ok(predicate)) => U::all().filter(predicate),
            _ => U::all(),
        }
    }

    fn prepare_data(_caller: &Caller, data: &mut Data, _existing: Option<&U>) -> Result<(), Error> {
        check_user_data::<U>(data)?;
        if let Some(Value::Text(raw)) = data.get(U::password_field()).cloned() {
            data.set(U::password_field(), make_password(&raw)).map_err(Error::BadRequest)?;
        }
        Ok(())
    }

    fn check_post(caller: &Caller, _data: &Data) -> bool {
        caller.is_admin()
    }

    fn check_put(caller: &Caller, _obj: &U, _data: &Data) -> bool {
        caller.is_admin()
    }

    fn check_delete(caller: &Caller, _obj: &U) -> bool {
        caller.is_admin()
    }
}

impl<U> std::fmt::Debug for UserResource<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UserResource")
    }
}
