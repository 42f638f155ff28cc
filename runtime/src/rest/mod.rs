//! The REST API: flask-peewee's `RestAPI` and `RestResource`.
//!
//! `#[derive(RestResource)]` on a model emits its [`RestConfig`] from
//! `#[rest(...)]` and a [`Resource`] with every default; [`RestApi`]
//! registers resources and mounts their routes. The JSON follows the
//! contract in the README: the list envelope, foreign keys under their field
//! name, included relations under the relation's name, and
//! `{"error": "..."}` on failure.
//!
//! The API's front door, [`RestApi::root`], answers at the prefix; a
//! browser that asks for HTML gets every answer as a readable page, the
//! JSON pretty-printed with its URLs as links.

mod api;
pub mod authn;
mod body;
mod browsable;
mod config;
mod envelope;
mod error;
mod handler;
mod openapi;
mod ops;
mod registered;
mod reply;
mod resource;
mod serialize;
mod users;

pub use api::{Registration, RestApi, DEFAULT_BODY_LIMIT};
#[cfg(feature = "fuzzing")]
pub(crate) use body::Payload;
pub use config::{config_of, shown_through_relation, Include, RestConfig, RestEntry, RestModel};
pub use envelope::list_envelope;
pub use error::ApiError;
pub use ops::{detail_json, detail_text, list_json, list_text, ResourceOps};
pub use resource::Resource;
pub use users::UserResource;

/// Who is calling: the REST API's hooks take it. It lives in
/// [`hangar::auth`](crate::auth), which the admin shares.
pub use crate::auth::{Caller, CallerUser};
