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

pub use error::Error;
pub use hangar_macros::{AdminModel, Model, RestResource, UserModel};
pub use model::Model;
