//! The admin of hangar's groups, `hangar::auth::Group`: Django's group
//! admin, a name and the group's permissions (the permissions are
//! `grants`', edited beside the name).

use super::config::{AdminColumn, AdminConfig, AdminEntry, AdminModel};
use super::model_admin::ModelAdmin;
use crate::auth::Group;

static GROUP_ADMIN: AdminConfig = AdminConfig {
    columns: Some(&[AdminColumn::Field("name")]),
    search_fields: &["name"],
    fields: Some(&["name"]),
    ordering: &["name"],
    ..AdminConfig::DEFAULT
};

/// `hangar::auth::Group` in the admin: `register::<Group>()`. Its list
/// shows and searches the names; its form has the name and a multi-select
/// of every permission, by model, which only administrators may change.
/// Deleting a group takes its grants and memberships with it.
impl AdminModel for Group {
    fn admin() -> &'static AdminConfig {
        &GROUP_ADMIN
    }

    fn method_column(&self, _name: &str) -> Option<String> {
        None
    }
}

impl ModelAdmin for Group {
    type Model = Group;
}

inventory::submit! { AdminEntry::of::<Group>() }
