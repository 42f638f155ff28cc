//! The admin of hangar's own user model, `hangar::auth::User`: its columns
//! and search, and its password as a password, never its hash.

use super::config::{AdminColumn, AdminConfig, AdminEntry, AdminModel, AdminWidget, FieldOptions};
use super::model_admin::ModelAdmin;
use crate::auth::User;

static USER_ADMIN: AdminConfig = AdminConfig {
    columns: Some(&[
        AdminColumn::Field("username"),
        AdminColumn::Field("email"),
        AdminColumn::Field("active"),
        AdminColumn::Field("admin"),
        AdminColumn::Field("staff"),
        AdminColumn::Field("join_date"),
    ]),
    search_fields: &["username", "email"],
    fields: Some(&["username", "password", "email", "active", "admin", "staff", "join_date"]),
    ordering: &["username"],
    field_options: &[FieldOptions {
        field: "password",
        label: None,
        help_text: None,
        widget: Some(AdminWidget::Password),
    }],
    ..AdminConfig::DEFAULT
};

/// `hangar::auth::User` in the admin: `register::<User>()`. Its list shows
/// username, email, the active and admin flags and the join date; `q`
/// searches usernames and emails; the form's password is blank, keeps the
/// stored hash when left so, and is stored hashed when given.
impl AdminModel for User {
    fn admin() -> &'static AdminConfig {
        &USER_ADMIN
    }

    fn method_column(&self, _name: &str) -> Option<String> {
        None
    }
}

impl ModelAdmin for User {
    type Model = User;
}

inventory::submit! { AdminEntry::of::<User>() }
