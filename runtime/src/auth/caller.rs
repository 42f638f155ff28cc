//! Who is making a request, whichever face (the REST API, the admin) and
//! whichever authentication established it.

use super::permissions::{Granted, Permission};
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
    /// Whether the user is an administrator, who has every permission.
    pub admin: bool,
    /// Whether the user is staff, who may use the admin as far as their
    /// permissions go.
    pub staff: bool,
    /// The permissions granted to the user, directly and through their
    /// groups, once loaded with [`Caller::with_granted`]; none before.
    pub granted: Granted,
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

    /// Whether the caller is a user with the staff flag.
    pub fn is_staff(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.staff)
    }

    /// Whether the caller may do `permission` with the rows of the model
    /// `slug`: an administrator may do anything, any other user what they
    /// were granted (change implies view), an anonymous caller nothing.
    pub fn has_permission(&self, slug: &str, permission: Permission) -> bool {
        self.user.as_ref().is_some_and(|u| u.admin || u.granted.allows(slug, permission))
    }

    /// The caller, with their user's granted permissions.
    #[must_use]
    pub fn with_granted(mut self, granted: Granted) -> Self {
        if let Some(user) = &mut self.user {
            user.granted = granted;
        }
        self
    }

    /// The caller's user's primary key.
    pub fn user_pk(&self) -> Option<&Value> {
        self.user.as_ref().map(|u| &u.pk)
    }

    /// A caller authenticated as `user`.
    pub fn user<U: UserModel>(user: &U) -> Self {
        let user = CallerUser {
            pk: user.pk(),
            username: user.username().to_owned(),
            admin: user.is_admin(),
            staff: user.is_staff(),
            granted: Granted::none(),
        };
        Caller { authenticated: true, user: Some(user) }
    }
}
