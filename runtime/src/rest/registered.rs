//! One resource as the API registered it: its operations, authentication
//! and methods, which the routes serve and the OpenAPI document describes.

use std::sync::Arc;

use rocket::http::Method;

use super::authn::Authenticator;
use super::ops::ResourceOps;

/// A registered resource.
#[derive(Clone)]
pub(crate) struct Registered {
    pub(crate) ops: ResourceOps,
    pub(crate) auth: Arc<dyn Authenticator>,
    pub(crate) methods: Arc<[Method]>,
}
