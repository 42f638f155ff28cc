//! The request pipeline of one resource: read the body, authenticate,
//! check the method, then hand over to the resource's operations on a
//! blocking thread.

use rocket::data::Data;
use rocket::http::{Method, Status};
use rocket::route::{Handler, Outcome};
use rocket::Request;

use super::authn::Credentials;
use super::ops::ListRequest;
use super::registered::Registered;
use super::reply::ApiReply;
use super::ApiError;
use crate::auth::Caller;
use crate::db::Database;
use crate::forms::{parse_object, read_body};
use crate::Error;

/// One registered resource, behind its list or its detail route.
#[derive(Clone)]
pub(crate) struct Endpoint {
    pub(crate) resource: Registered,
    pub(crate) body_limit: u64,
    pub(crate) detail: bool,
}

impl Endpoint {
    /// The methods this route answers.
    fn allowed(&self) -> Vec<Method> {
        let route: &[Method] = if self.detail {
            &[Method::Get, Method::Put, Method::Post, Method::Delete]
        } else {
            &[Method::Get, Method::Post]
        };
        route.iter().copied().filter(|m| self.resource.methods.contains(m)).collect()
    }

    async fn respond(&self, request: &Request<'_>, data: Data<'_>) -> Result<ApiReply, Error> {
        let method = request.method();
        let body = if matches!(method, Method::Get | Method::Head) {
            Vec::new()
        } else {
            read_body(data, self.body_limit).await?
        };
        let db = request.rocket().state::<Database>().ok_or(Error::NoDatabase)?;

        // 401, then 405, then (in the operations) 404 and 403.
        let credentials = Credentials::gather(request, &body, self.resource.auth.params());
        let identified = self.resource.auth.identify(&credentials, db).await;
        let caller = if self.resource.auth.protects(method) {
            match identified {
                Ok(Some(caller)) => caller,
                // A session without its CSRF token is a 403, not a request for
                // credentials; a throttled login is a 429 and an unavailable
                // database a 503, which new credentials would not cure.
                Err(e @ (Error::Forbidden(_) | Error::TooManyRequests { .. })) => return Err(e),
                Err(e) if e.status().code >= 500 => return Err(e),
                Ok(None) | Err(_) => return Err(Error::Unauthorized),
            }
        } else {
            match identified {
                Ok(caller) => caller.unwrap_or_else(Caller::anonymous),
                Err(Error::Unauthorized) => Caller::anonymous(),
                Err(other) => return Err(other),
            }
        };
        let allowed = self.allowed();
        if !allowed.contains(&method) {
            return Err(Error::MethodNotAllowed { method, allowed });
        }

        let ops = self.resource.ops;
        // Segments after the mount point: `<model>`, then `<pk>`.
        let pk = match request.param::<&str>(1) {
            Some(Ok(pk)) if self.detail => Some(pk.to_owned()),
            _ => None,
        };
        match (method, pk) {
            (Method::Get, None) => {
                let list = ListRequest {
                    query: request.uri().query().map(|q| q.as_str().to_owned()),
                    path: request.uri().path().as_str().to_owned(),
                    ignored: self.resource.auth.params().iter().map(|p| (*p).to_owned()).collect(),
                };
                let text = db.run(move |conn| (ops.list)(conn, &caller, &list)).await?;
                Ok(ApiReply::text(Status::Ok, text))
            }
            (Method::Post, None) => {
                let object = parse_object(&body, request.content_type(), self.resource.auth.params())?;
                let text = db.run_write(move |conn| (ops.create)(conn, &caller, object)).await?;
                Ok(ApiReply::text(Status::Created, text))
            }
            (Method::Get, Some(pk)) => {
                let text = db.run(move |conn| (ops.detail)(conn, &caller, &pk)).await?;
                Ok(ApiReply::text(Status::Ok, text))
            }
            (Method::Put | Method::Post, Some(pk)) => {
                let object = parse_object(&body, request.content_type(), self.resource.auth.params())?;
                let text = db.run_write(move |conn| (ops.edit)(conn, &caller, &pk, object)).await?;
                Ok(ApiReply::text(Status::Ok, text))
            }
            (Method::Delete, Some(pk)) => {
                let deleted = db.run_write(move |conn| (ops.delete)(conn, &caller, &pk)).await?;
                Ok(ApiReply::new(Status::Ok, serde_json::json!({ "deleted": deleted })))
            }
            (method, _) => Err(Error::MethodNotAllowed { method, allowed }),
        }
    }
}

#[rocket::async_trait]
impl Handler for Endpoint {
    async fn handle<'r>(&self, request: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        match self.respond(request, data).await {
            Ok(reply) => Outcome::from(request, reply),
            Err(error) => Outcome::from(request, ApiError(error)),
        }
    }
}
