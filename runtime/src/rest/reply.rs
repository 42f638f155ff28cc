//! What the API answers: a status, a JSON body and extra headers, sent as
//! JSON, or as the browsable page to a browser that asks for HTML. Both
//! carry `Vary: Accept`.

use std::io::Cursor;

use rocket::http::{ContentType, Status};
use rocket::response::{self, Responder, Response};
use rocket::Request;
use serde_json::Value;

use super::browsable::{page, wants_html};
use crate::Error;

/// One answer's JSON, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonText(pub(crate) String);

impl JsonText {
    /// The answer as a tree, for callers that read it rather than send it.
    pub(crate) fn into_json(self) -> Result<Value, Error> {
        serde_json::from_str(&self.0)
            .map_err(|e| Error::Template(format!("hangar wrote an answer that is not JSON ({e}); this is a bug")))
    }
}

/// One answer of the API.
pub(crate) struct ApiReply {
    pub(crate) status: Status,
    pub(crate) body: Body,
    pub(crate) headers: Vec<(&'static str, String)>,
}

/// An answer's JSON: a tree, or the text the resource wrote.
pub(crate) enum Body {
    Tree(Value),
    Text(JsonText),
}

impl ApiReply {
    pub(crate) fn new(status: Status, json: Value) -> Self {
        ApiReply { status, body: Body::Tree(json), headers: Vec::new() }
    }

    pub(crate) fn text(status: Status, text: JsonText) -> Self {
        ApiReply { status, body: Body::Text(text), headers: Vec::new() }
    }
}

impl<'r> Responder<'r, 'static> for ApiReply {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        if wants_html(request) {
            let json = match self.body {
                Body::Tree(json) => json,
                // Text the resource wrote is JSON; were it not, the page shows it as it is.
                Body::Text(JsonText(text)) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
            };
            let mut page = page(request, self.status, &json);
            for (name, value) in self.headers {
                page = page.header(name, value);
            }
            return page.respond_to(request);
        }
        let body = match self.body {
            Body::Text(JsonText(text)) => text.into_bytes(),
            // Straight into bytes: `Value`'s `Display` goes through a formatter
            // adapter, one dynamic call a token, which cost a list a fifth more.
            Body::Tree(json) => serde_json::to_vec(&json).map_err(|_| Status::InternalServerError)?,
        };
        let mut response = Response::build();
        response.status(self.status).header(ContentType::JSON).raw_header("Vary", "Accept");
        for (name, value) in self.headers {
            response.raw_header(name, value);
        }
        response.sized_body(body.len(), Cursor::new(body)).ok()
    }
}
