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
//!   searched, sorted and paged, with a filter builder and bulk delete;
//! - the add and edit forms, typed per field, with errors beside their
//!   fields and nothing written until all is well;
//! - deletes that first show every row that goes with the object;
//! - CSV and JSON exports of a filtered list, streamed;
//! - a type-ahead picker for foreign keys with many rows;
//! - the audit log of every change, with its values before and after.
//!
//! Only admins get in. Every page carries the security headers of
//! [`HtmlPage`](crate::templates::HtmlPage), every form a CSRF token, and
//! the script is a file, with no inline script.

mod access;
mod assets;
mod columns;
mod config;
mod dashboard;
mod delete;
mod export;
mod filters;
mod form;
mod history;
mod list;
mod log;
mod lookup;
mod model_admin;
mod ops;
mod page;
mod panel;
mod registry;
mod users;
mod view;

pub use config::{config_of, AdminColumn, AdminConfig, AdminEntry, AdminModel, AdminWidget, FieldOptions, Fieldset};
pub use log::{hangar_admin_log, Action, LogEntry, LOG_MIGRATIONS, MIGRATIONS};
pub use model_admin::ModelAdmin;
pub use panel::AdminPanel;
pub use registry::Admin;
