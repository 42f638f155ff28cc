//! Creating an administrator from the command line: the logic behind every
//! app's `createsuperuser`.

use super::UserModel;
use crate::db::AnyConnection;
use crate::model::{insert, Data, Value};
use crate::utils::make_password;
use crate::Error;

/// What `createsuperuser` asks for.
#[derive(Debug, Clone)]
pub struct NewSuperuser {
    /// The username; it must not be taken.
    pub username: String,
    /// The email address, when the model has one.
    pub email: Option<String>,
    /// The password, in clear; it is stored hashed.
    pub password: String,
}

/// What a new user is made of, for an app's own sign-up: [`create_user`].
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The username; it must not be taken.
    pub username: String,
    /// The email address, when the model has one.
    pub email: Option<String>,
    /// The password, in clear; it is stored hashed.
    pub password: String,
    /// Whether the user is an admin.
    pub admin: bool,
}

/// Creates an active admin user of `U` and returns its primary key.
///
/// An empty username or password is refused, and so is a username that is
/// taken, each with a sentence that says so.
pub fn create_superuser<U: UserModel>(conn: &mut AnyConnection, new: &NewSuperuser) -> Result<Value, Error> {
    let new = NewUser {
        username: new.username.clone(),
        email: new.email.clone(),
        password: new.password.clone(),
        admin: true,
    };
    create_user::<U>(conn, &new)
}

/// Creates an active user of `U`, its password hashed, and returns its
/// primary key. An empty username or password is a 400 saying so; a taken
/// username is [`Error::Conflict`] (409) "a user called `x` already exists".
pub fn create_user<U: UserModel>(conn: &mut AnyConnection, new: &NewUser) -> Result<Value, Error> {
    let username = new.username.trim();
    if username.is_empty() {
        return Err(Error::BadRequest("the username may not be empty".into()));
    }
    if new.password.is_empty() {
        return Err(Error::BadRequest("the password may not be empty".into()));
    }
    let meta = U::meta();
    let mut data = Data::new(meta);
    let mut set = |field: &str, value: Value| data.set(field, value).map_err(Error::BadRequest);
    set(U::username_field(), Value::Text(username.to_owned()))?;
    set(U::password_field(), Value::Text(make_password(&new.password)))?;
    if let Some(field) = U::admin_field().filter(|f| meta.field(f).is_some()) {
        set(field, Value::Bool(new.admin))?;
    }
    if let Some(field) = U::email_field().filter(|f| meta.field(f).is_some()) {
        set(field, Value::Text(new.email.clone().unwrap_or_default()))?;
    }
    if let Some(field) = U::active_field().filter(|f| meta.field(f).is_some()) {
        set(field, Value::Bool(true))?;
    }
    super::check_user_data::<U>(&data)?;
    match insert::<U>(conn, data.values()) {
        Ok(pk) => Ok(pk),
        Err(e) => match Error::from(e) {
            Error::Conflict(_) | Error::Unique { .. } => {
                Err(Error::Conflict(format!("a user called `{username}` already exists")))
            }
            other => Err(other),
        },
    }
}
