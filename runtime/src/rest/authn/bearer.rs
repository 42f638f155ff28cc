//! `Authorization: Bearer <token>`.

use std::marker::PhantomData;

use rocket::http::Method;

use super::{Authenticator, Credentials, Protected};
use crate::auth::Caller;
use crate::auth::UserModel;
use crate::db::Database;
use crate::model::{Model, Value};
use crate::utils::find_by;
use crate::Error;

/// A model of bearer tokens.
pub trait TokenModel: Model {
    /// The field holding the token.
    fn token_field() -> &'static str {
        "token"
    }
}

/// A model of tokens that each belong to a user.
pub trait UserTokenModel: TokenModel {
    /// The user model.
    type User: UserModel;

    /// The primary key of the token's user.
    fn user_key(&self) -> Value;
}

/// A bearer token that must exist in `T`: flask-peewee's
/// `BearerAuthentication`.
pub struct BearerAuthentication<T> {
    protected: Protected,
    model: PhantomData<fn() -> T>,
}

/// A bearer token whose user, if active, becomes the caller:
/// flask-peewee's `UserBearerAuthentication`.
pub struct UserBearerAuthentication<T> {
    protected: Protected,
    model: PhantomData<fn() -> T>,
}

macro_rules! protected_constructors {
    ($name:ident, $bound:ident) => {
        impl<T: $bound> $name<T> {
            /// Protects POST, PUT and DELETE.
            pub fn new() -> Self {
                $name { protected: Protected::default(), model: PhantomData }
            }

            /// Protects `methods` instead.
            #[must_use]
            pub fn protect(mut self, methods: Protected) -> Self {
                self.protected = methods;
                self
            }
        }

        impl<T: $bound> Default for $name<T> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl<T> std::fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("protected", &self.protected).finish()
            }
        }
    };
}

protected_constructors!(BearerAuthentication, TokenModel);
protected_constructors!(UserBearerAuthentication, UserTokenModel);

async fn find_token<T: TokenModel>(credentials: &Credentials, db: &Database) -> Result<Option<T>, Error> {
    let Some(token) = credentials.bearer() else {
        return Ok(None);
    };
    let token = token.to_owned();
    match db.run(move |conn| find_by::<T>(conn, T::token_field(), Value::Text(token))).await? {
        Some(row) => Ok(Some(row)),
        None => Err(Error::Unauthorized),
    }
}

#[rocket::async_trait]
impl<T: TokenModel> Authenticator for BearerAuthentication<T> {
    fn protects(&self, method: Method) -> bool {
        self.protected.contains(method)
    }

    fn security_scheme(&self) -> Option<&'static str> {
        Some("bearerAuth")
    }

    async fn identify(&self, credentials: &Credentials, db: &Database) -> Result<Option<Caller>, Error> {
        Ok(find_token::<T>(credentials, db).await?.map(|_| Caller { authenticated: true, user: None }))
    }
}

#[rocket::async_trait]
impl<T: UserTokenModel> Authenticator for UserBearerAuthentication<T> {
    fn protects(&self, method: Method) -> bool {
        self.protected.contains(method)
    }

    fn security_scheme(&self) -> Option<&'static str> {
        Some("bearerAuth")
    }

    async fn identify(&self, credentials: &Credentials, db: &Database) -> Result<Option<Caller>, Error> {
        let Some(token) = find_token::<T>(credentials, db).await? else {
            return Ok(None);
        };
        let key = token.user_key();
        let pk = <T::User as Model>::meta().primary_key.name;
        let user = db.run(move |conn| find_by::<T::User>(conn, pk, key)).await?;
        match user.filter(UserModel::is_active) {
            Some(user) => Ok(Some(Caller::user(&user))),
            None => Err(Error::Unauthorized),
        }
    }
}
