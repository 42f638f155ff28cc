//! hangar's integration tests. Every database test runs on SQLite, and on
//! PostgreSQL and MariaDB when `HANGAR_TEST_POSTGRES_URL` /
//! `HANGAR_TEST_MYSQL_URL` are set and the matching features are on.

mod admin_actions;
mod admin_change_fields;
mod admin_conflicts;
mod admin_grants;
mod admin_inlines;
mod admin_permissions;
mod admin_support;
mod admin_templates;
mod admin_views;
mod auth_guards;
mod auth_login;
mod auth_support;
mod auth_throttle;
mod counting;
mod cursors;
mod date_filters;
mod db;
mod dependents;
mod filters;
mod hostile;
mod paging;
mod parse_errors;
mod properties;
mod relations;
mod rest_auth;
mod rest_browsable;
mod rest_methods;
mod rest_permissions;
mod rest_read;
mod rest_support;
mod rest_write;
mod support;
mod utils;
mod values;
