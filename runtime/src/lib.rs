#![doc = include_str!("../../README.md")]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![warn(missing_docs)]

#[allow(unused_extern_crates)]
extern crate self as hangar;

pub mod admin;
pub mod auth;
pub mod db;
mod error;
pub mod forms;
pub mod model;
pub mod query;
pub mod rest;
pub mod templates;
pub mod utils;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod __fuzz;

/// The guide: flask-peewee's documentation, chapter by chapter, for hangar.
///
/// Every example in it is compiled and run by `cargo test --doc -p hangar`.
/// The same chapters are Markdown files in `docs/guide/`.
pub mod guide {
    #![doc = include_str!("../../docs/guide/README.md")]

    #[doc = include_str!("../../docs/guide/database.md")]
    pub mod database {}
    #[doc = include_str!("../../docs/guide/models.md")]
    pub mod models {}
    #[doc = include_str!("../../docs/guide/admin.md")]
    pub mod admin {}
    #[doc = include_str!("../../docs/guide/auth.md")]
    pub mod auth {}
    #[doc = include_str!("../../docs/guide/rest.md")]
    pub mod rest {}
    #[doc = include_str!("../../docs/guide/utilities.md")]
    pub mod utilities {}
    #[doc = include_str!("../../docs/guide/deployment.md")]
    pub mod deployment {}
    #[doc = include_str!("../../docs/guide/names.md")]
    pub mod names {}
}

pub use error::Error;
pub use hangar_macros::{embed_templates, AdminModel, Choice, Model, RestResource, UserModel};
pub use model::{Choice, Model};
