//! Who is making a request, whichever face (the REST API, the admin) and
//! whichever authentication established it.

use super::UserModel;
use crate::model::Value;

/// Who is calling, as the authentication established it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Caller {
    /// Whether valid credentials were given.
    pub authenticated: bool,
    /// The user they belong to, for the authentications that know one.
    pub user: Option<CallerUser>,
}

/// The user behind a request.
#[derive(Debug, Clone, PartialEq)]
pub struct CallerUser {
    /// The user's primary key.
    pub pk: Value,
    /// The username.
    pub username: String,
    /// Whether the user is an administrator.
    pub admin: bool,
}

impl Caller {
    /// A caller with no credentials.
    pub fn anonymous() -> Self {
        Caller::default()
    }

    /// Whether the caller is a user with the admin flag.
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.admin)
    }

    /// The caller's user's primary key.
    pub fn user_pk(&self) -> Option<&Value> {
        self.user.as_ref().map(|u| &u.pk)
    }

    /// A caller authenticated as `user`.
    pub fn user<U: UserModel>(user: &U) -> Self {
        let user = CallerUser { pk: user.pk(), username: user.username().to_owned(), admin: user.is_admin() };
        Caller { authenticated: true, user: Some(user) }
    }
}
