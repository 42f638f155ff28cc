//! The admin site: flask-peewee's `Admin` and `ModelAdmin`, Django's admin.
//!
//! `#[derive(AdminModel)]` on a model emits its [`AdminConfig`] from
//! `#[admin(...)]` (every name checked while compiling) and a
//! [`ModelAdmin`] with every default; [`Admin`] registers model admins and
//! [`AdminPanel`]s and mounts their pages under `/admin/`:
//!
//! - the dashboard: every model with its count, the panels, the latest
//!   changes;
//! - each model's list, filtered with the REST API's filter language
//!   (`?user__username__ilike=bob&ordering=-pub_date&q=hello&page=2`),
//!   searched, sorted and paged, with a filter builder and actions on the
//!   rows ticked or on every row the filters match ([`AdminAction`]; bulk
//!   delete is one);
//! - the add and edit forms, typed per field, with errors beside their
//!   fields and nothing written until all is well;
//! - deletes that first show every row that goes with the object;
//! - CSV and JSON exports of a filtered list, streamed;
//! - a type-ahead picker for foreign keys with many rows;
//! - the audit log of every change, with its values before and after.
//!
//! Admins get in, and staff with a permission granted, who see and do what
//! their [`Permission`](crate::auth::Permission)s allow. Every page carries the security headers of
//! [`HtmlPage`](crate::templates::HtmlPage), every form a CSRF token, and
//! the script is a file, with no inline script.

// Bottom to top; each file uses only those on the floors below it
// (`runtime/floors.txt` holds the floors, and the layering check keeps
// them):
// - how values show to people;
// - what an admin is configured with, panels, the audit log, the assets,
//   the multi-select widget;
// - actions, and the context their functions write through;
// - the behaviour users override (`ModelAdmin`), the groups and grants a
//   form edits; hangar's own `User`'s and `Group`'s admins;
// - the registered admins with their types erased; the state, what a view
//   is given and what it answers;
// - who gets in, and rendering pages; the columns of a list;
// - the changelist, the filter builder, the widgets, a submitted form;
// - the views, one a file;
// - the handlers behind the routes, then the site that mounts them.
mod access;
mod actions;
mod assets;
mod audit;
mod bulk_edit;
mod changelist;
mod columns;
mod config;
mod field_changes;
mod filters;
mod formset;
mod grants;
mod groups;
mod inline;
mod model_admin;
mod multiselect;
mod ops;
mod panel;
mod present;
mod render;
mod routes;
mod site;
mod state;
mod submit;
mod users;
mod version;
mod views;
mod widgets;

pub use actions::{ActionContext, ActionFn, AdminAction, BATCH as ACTION_BATCH};
pub use audit::{hangar_admin_log, AuditEntry, ChangeKind, MIGRATIONS};
#[cfg(feature = "fuzzing")]
pub(crate) use changelist::{search, ChangeList};
pub use config::{config_of, AdminColumn, AdminConfig, AdminEntry, AdminModel, AdminWidget, FieldOptions, Fieldset};
#[cfg(feature = "fuzzing")]
pub(crate) use filters::{active_filters, builder_target, sidebar};
pub use inline::{Inline, InlineLayout, DEFAULT_MAX_NUM};
pub use model_admin::ModelAdmin;
pub use panel::AdminPanel;
pub use site::Admin;
#[cfg(feature = "fuzzing")]
pub(crate) use submit::{posted, Posted};
