//! The admin's stylesheet and script, embedded in the binary.

use std::io::Cursor;

use rocket::data::Data;
use rocket::http::{ContentType, Header};
use rocket::route::{Handler, Outcome};
use rocket::{Request, Response};

const CSS: &str = include_str!("../../static/admin/admin.css");
const JS: &str = include_str!("../../static/admin/admin.js");

/// One embedded file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Asset {
    Css,
    Js,
}

#[rocket::async_trait]
impl Handler for Asset {
    async fn handle<'r>(&self, _: &'r Request<'_>, _: Data<'r>) -> Outcome<'r> {
        let (content_type, body) = match self {
            Asset::Css => (ContentType::CSS, CSS),
            Asset::Js => (ContentType::JavaScript, JS),
        };
        let response = Response::build()
            .header(content_type)
            .header(Header::new("Cache-Control", "public, max-age=3600"))
            .sized_body(body.len(), Cursor::new(body))
            .finalize();
        Outcome::Success(response)
    }
}
