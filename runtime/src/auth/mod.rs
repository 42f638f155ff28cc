//! Users and login: flask-peewee's `Auth`, hardened the way Django's is.
//!
//! - [`UserModel`], derived on any model that holds users, and the default
//!   [`User`] with its [`MIGRATIONS`];
//! - the login throttle's counts, in the database by default
//!   ([`THROTTLE_MIGRATIONS`], [`ThrottleConfig`]);
//! - [`Auth`], which mounts `/accounts/login/` and `/accounts/logout/`;
//! - the [`Session`] in a private cookie, with flash messages and a CSRF
//!   token for every form;
//! - the guards [`CurrentUser`], [`LoginRequired`] and [`AdminRequired`];
//! - [`PageContext`], what every hangar page gives its template;
//! - [`Caller`], who is making a request, for the REST API and the admin;
//! - [`Permission`]s per model, granted to [`Group`]s and users, in the
//!   tables of [`PERMISSION_MIGRATIONS`];
//! - [`authenticate`], [`create_user`], [`create_superuser`] and
//!   [`Session::login_user`] for apps' own flows.

mod builder;
mod caller;
mod catchers;
pub(crate) mod form;
pub(crate) mod guards;
mod pages;
mod permissions;
pub(crate) mod session;
pub(crate) mod settings;
mod superuser;
pub(crate) mod throttle;
mod user;
pub(crate) mod verify;
mod views;

pub use builder::Auth;
pub use caller::{Caller, CallerUser};
pub(crate) use catchers::login_redirect;
pub(crate) use form::read_checked_form;
pub use form::{CsrfForm, CSRF_FORM_LIMIT};
pub(crate) use guards::current_user;
pub use guards::{AdminRequired, CurrentUser, LoginRequired};
pub(crate) use pages::error_page;
pub use pages::{user_json, PageContext};
pub use permissions::{
    forget_user, hangar_group, hangar_group_permission, hangar_permission, hangar_user_group, hangar_user_permission,
    sync_permissions, Granted, Group, GroupPermission, ModelPermission, Permission, UserGroup, UserPermission,
    PERMISSION_MIGRATIONS,
};
pub use session::{Flash, Session, MAX_FLASHES, SESSION_COOKIE};
pub use superuser::{create_superuser, create_user, NewSuperuser, NewUser};
pub use throttle::{ThrottleConfig, ThrottleStore, THROTTLE_MIGRATIONS};
pub use user::{users, User, MIGRATIONS};
pub use verify::authenticate;

use crate::model::{Data, Model, Value};
use crate::{utils, Error};

/// Refuses a write to a user model `U` that would leave a user with a blank
/// username (empty or only whitespace), whatever the model's attributes say:
/// such a user could never log in. Every place that writes users through
/// hangar (the REST API's [`UserResource`](crate::rest::UserResource), the
/// admin, [`create_superuser`]) calls it.
pub fn check_user_data<U: UserModel>(data: &Data) -> Result<(), Error> {
    match data.get(U::username_field()) {
        Some(Value::Text(name)) if name.trim().is_empty() => {
            Err(Error::BadRequest(format!("`{}` may not be blank", U::username_field())))
        }
        _ => Ok(()),
    }
}

/// A model that holds users: a username, a password hash, and the active
/// and admin flags, as flask-peewee's `BaseUser` expects. Derive it:
///
/// ```
/// # use diesel::prelude::*;
/// # diesel::table! { accounts (id) { id -> Integer, login -> Text, pw_hash -> Text, enabled -> Bool, karma -> Integer } }
/// use hangar::auth::UserModel as _;
///
/// #[derive(Queryable, Selectable, hangar::Model, hangar::UserModel)]
/// #[diesel(table_name = accounts)]
/// #[user(username = login, password = pw_hash, active = enabled)]
/// struct Account { id: i32, login: String, pw_hash: String, enabled: bool, karma: i32 }
///
/// # hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
/// let mut account = Account { id: 1, login: "ada".into(), pw_hash: String::new(), enabled: true, karma: 0 };
/// account.set_password("lovelace");
/// assert!(account.check_password("lovelace"));
/// assert!(!account.is_admin(), "no admin field: never an admin");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a user model",
    label = "not a user model",
    note = "derive `hangar::UserModel` on it, beside `hangar::Model`"
)]
pub trait UserModel: Model + Sync {
    /// The field holding the username, which must be unique.
    fn username_field() -> &'static str {
        "username"
    }

    /// The field holding the password hash.
    fn password_field() -> &'static str {
        "password"
    }

    /// The field holding the email address, if the model has one.
    fn email_field() -> Option<&'static str> {
        Some("email")
    }

    /// The field holding the active flag, if the model has one.
    fn active_field() -> Option<&'static str> {
        Some("active")
    }

    /// The field holding the admin flag, if the model has one.
    fn admin_field() -> Option<&'static str> {
        Some("admin")
    }

    /// The field holding the staff flag, if the model has one: staff may
    /// use the admin as far as their permissions go.
    fn staff_field() -> Option<&'static str> {
        None
    }

    /// The username.
    fn username(&self) -> &str;

    /// The stored password hash.
    fn password_hash(&self) -> &str;

    /// Replaces the stored password hash.
    fn set_password_hash(&mut self, hash: String);

    /// Whether the user may sign in.
    fn is_active(&self) -> bool;

    /// Whether the user is an administrator.
    fn is_admin(&self) -> bool;

    /// Whether the user is staff: they may enter the admin, and see there
    /// what their permissions grant. A model without a staff field has no
    /// staff: only administrators enter its admin.
    fn is_staff(&self) -> bool {
        false
    }

    /// Whether `raw` is the user's password.
    fn check_password(&self, raw: &str) -> bool {
        utils::check_password(raw, self.password_hash())
    }

    /// Sets the password, stored as a PBKDF2-SHA256 hash.
    fn set_password(&mut self, raw: &str) {
        self.set_password_hash(utils::make_password(raw));
    }
}
