//! A rendered page as a response, with the headers every page carries.

use std::io::Cursor;

use rocket::http::{ContentType, Header, Status};
use rocket::response::{self, Responder};
use rocket::{Request, Response};
use serde::Serialize;

use super::Templates;
use crate::Error;

/// The Content-Security-Policy of every page hangar renders: scripts only
/// from the site's own files (never inline), styles from the site and the
/// page's own `<style>`, images also from HTTPS hosts (avatars), and no
/// framing by any site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: https:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The headers of every page: the referrer only within the site, the CSP
/// above (whose `frame-ancestors 'none'` forbids framing), a browsing
/// context of its own (a page another site opened cannot reach it through
/// `window.opener`, as Django's `SECURE_CROSS_ORIGIN_OPENER_POLICY`), and no
/// caching, since a page may show who is logged in and carries a CSRF token.
///
/// `X-Content-Type-Options: nosniff` and `X-Frame-Options` come from
/// Rocket's Shield, which every Rocket app attaches by default: a response
/// that already has them makes Shield log two warnings, on every page.
const PAGE_HEADERS: [(&str, &str); 4] = [
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
];

/// An HTML page with its status; it answers with the security headers.
///
/// ```
/// use hangar::templates::{ErrorPage, HtmlPage, Templates};
/// use rocket::State;
///
/// #[rocket::get("/hello")]
/// fn hello(templates: &State<Templates>) -> Result<HtmlPage, ErrorPage> {
///     Ok(HtmlPage::ok(templates.render("hello", &serde_json::json!({"name": "world"}))?))
/// }
/// ```
#[derive(Debug, Clone)]
pub struct HtmlPage {
    status: Status,
    body: String,
    headers: Vec<(&'static str, String)>,
}

impl HtmlPage {
    /// A page answering `status`.
    pub fn new(status: Status, body: String) -> Self {
        HtmlPage { status, body, headers: Vec::new() }
    }

    /// A page answering 200.
    pub fn ok(body: String) -> Self {
        Self::new(Status::Ok, body)
    }

    /// Renders `template` with `context` from the request's templates (see
    /// [`Templates::of`]), or, if that fails, a plain 500 page; the failure
    /// is logged.
    pub fn render(request: &Request<'_>, status: Status, template: &str, context: &impl Serialize) -> Self {
        Self::rendered(status, Templates::of(request).and_then(|t| t.render(template, context)))
    }

    /// [`render`](Self::render) with a context that is JSON already, taken
    /// as it is rather than copied.
    pub fn render_json(request: &Request<'_>, status: Status, template: &str, context: serde_json::Value) -> Self {
        Self::rendered(status, Templates::of(request).and_then(|t| t.render_json(template, context)))
    }

    /// The rendered page answering `status`, or the plain 500 page.
    pub(crate) fn rendered(status: Status, rendered: Result<String, crate::Error>) -> Self {
        match rendered {
            Ok(body) => Self::new(status, body),
            Err(e) => {
                log::error!("{e}");
                Self::new(
                    Status::InternalServerError,
                    "<!doctype html><title>Server error</title><h1>Server error</h1>\
                     <p>The page could not be rendered; the server log says why.</p>"
                        .to_owned(),
                )
            }
        }
    }

    /// Adds a header, such as `Retry-After`.
    #[must_use]
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The status it answers with.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The HTML.
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl<'r> Responder<'r, 'static> for HtmlPage {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let mut response = Response::build();
        response.status(self.status).header(ContentType::HTML);
        for (name, value) in PAGE_HEADERS {
            response.header(Header::new(name, value));
        }
        for (name, value) in self.headers {
            response.header(Header::new(name, value));
        }
        response.sized_body(self.body.len(), Cursor::new(self.body)).ok()
    }
}

/// An [`Error`] answered as the page `hangar/error`: its status, a heading,
/// and its sentence (a generic one for a 5xx, whose details are logged).
/// Return it from a page's route, and `?` turns any hangar error into it.
#[derive(Debug)]
pub struct ErrorPage(pub Error);

impl From<Error> for ErrorPage {
    fn from(e: Error) -> Self {
        ErrorPage(e)
    }
}

impl From<crate::db::DbError> for ErrorPage {
    fn from(e: crate::db::DbError) -> Self {
        ErrorPage(e.into())
    }
}

impl<'r> Responder<'r, 'static> for ErrorPage {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let status = self.0.status();
        if status.code >= 500 {
            log::error!("{} {}: {}", request.method(), request.uri(), self.0);
        }
        let heading = format!("{} {}", status.code, status.reason_lossy());
        let context = serde_json::json!({"title": heading, "heading": heading, "message": self.0.public_message()});
        let mut page = HtmlPage::render(request, status, "hangar/error", &context);
        if let Error::MethodNotAllowed { allowed, .. } = &self.0 {
            let allowed: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
            page = page.header("Allow", allowed.join(", "));
        }
        page.respond_to(request)
    }
}

#[cfg(test)]
mod tests {
    use rocket::local::blocking::Client;

    use super::*;

    #[rocket::get("/page")]
    fn page() -> HtmlPage {
        HtmlPage::ok("<p>hello</p>".into()).header("Retry-After", "5")
    }

    #[rocket::get("/broken")]
    fn broken() -> Result<HtmlPage, ErrorPage> {
        Err(ErrorPage(Error::BadRequest("`title` may not be empty".into())))
    }

    fn client() -> Client {
        let rocket = rocket::build().mount("/", rocket::routes![page, broken]);
        Client::tracked(rocket).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_page_carries_the_security_headers() {
        let client = client();
        for uri in ["/page", "/broken"] {
            let response = client.get(uri).dispatch();
            let headers = response.headers();
            // Shield's, once: hangar's pages leave them to it.
            assert_eq!(headers.get("X-Frame-Options").collect::<Vec<_>>(), ["SAMEORIGIN"], "{uri}");
            assert_eq!(headers.get("X-Content-Type-Options").collect::<Vec<_>>(), ["nosniff"], "{uri}");
            assert_eq!(headers.get_one("Referrer-Policy"), Some("same-origin"), "{uri}");
            assert_eq!(headers.get_one("Cross-Origin-Opener-Policy"), Some("same-origin"), "{uri}");
            assert_eq!(headers.get_one("Cache-Control"), Some("no-store"), "{uri}");
            let csp = headers.get_one("Content-Security-Policy").unwrap_or_default();
            assert!(csp.contains("script-src 'self';") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        }
        assert_eq!(client.get("/page").dispatch().headers().get_one("Retry-After"), Some("5"));
    }

    #[test]
    fn an_error_page_says_the_sentence_with_its_status() {
        let client = client();
        let response = client.get("/broken").dispatch();
        assert_eq!(response.status(), Status::BadRequest);
        assert_eq!(response.content_type(), Some(ContentType::HTML));
        let body = response.into_string().unwrap_or_default();
        assert!(body.contains("400 Bad Request") && body.contains("&#x60;title&#x60; may not be empty"), "{body}");
    }
}
