//! The site's error pages, in its layout with the visitor's navigation.
//!
//! hangar's `ErrorPage` renders as it responds, and a responder cannot wait
//! for the logged-in user to load, so its page has no navigation. A
//! [`SiteError`] instead leaves its sentence in the request and answers
//! with its status; Rocket then calls the site's catcher, which may
//! wait, and renders `hangar/error` with the page's whole context.

use std::sync::Mutex;

use hangar::auth::PageContext;
use hangar::db::DbError;
use hangar::templates::{ErrorPage, HtmlPage};
use rocket::http::{Method, Status};
use rocket::response::{self, Responder};
use rocket::{catch, catchers, Catcher, Request};
use serde_json::json;

use crate::models::User;

/// An error on one of the site's pages: a hangar error, shown by
/// the site's catcher ([`catchers()`]) with its status and its sentence.
#[derive(Debug)]
pub struct SiteError(pub hangar::Error);

impl From<hangar::Error> for SiteError {
    fn from(e: hangar::Error) -> Self {
        SiteError(e)
    }
}

impl From<DbError> for SiteError {
    fn from(e: DbError) -> Self {
        SiteError(e.into())
    }
}

impl From<diesel::result::Error> for SiteError {
    fn from(e: diesel::result::Error) -> Self {
        SiteError(e.into())
    }
}

/// What a [`SiteError`] said, kept in the request for the catcher: its
/// sentence and, for a 405, the methods allowed.
#[derive(Debug, Default)]
struct Said(Mutex<Option<(String, Vec<Method>)>>);

impl<'r> Responder<'r, 'static> for SiteError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let status = self.0.status();
        // 401 and 403 are hangar's catchers' (the login redirect, the
        // refusal page), which would not show this sentence.
        if matches!(status.code, 401 | 403) {
            return ErrorPage(self.0).respond_to(request);
        }
        if status.code >= 500 {
            log::error!("{} {}: {}", request.method(), request.uri(), self.0);
        }
        let allowed = match &self.0 {
            hangar::Error::MethodNotAllowed { allowed, .. } => allowed.clone(),
            _ => Vec::new(),
        };
        if let Ok(mut said) = request.local_cache(Said::default).0.lock() {
            *said = Some((self.0.public_message(), allowed));
        }
        Err(status)
    }
}

/// The site's catchers, for `/`: every status but 401 and 403 (hangar's)
/// below the API (which answers its own, in JSON).
pub fn catchers() -> Vec<Catcher> {
    catchers![site_error]
}

/// The error page: `hangar/error` in the site's layout, with the visitor's
/// navigation, the sentence a [`SiteError`] left or the status's own, and
/// `Allow` on a 405.
#[catch(default)]
async fn site_error(status: Status, request: &Request<'_>) -> HtmlPage {
    let said = request.local_cache(Said::default).0.lock().ok().and_then(|mut said| said.take());
    let (message, allowed) = said.unwrap_or_else(|| {
        let sentence = match status.code {
            404 => hangar::Error::NotFound.public_message(),
            code if code >= 500 => "internal server error".to_owned(),
            _ => status.reason_lossy().to_owned(),
        };
        (sentence, Vec::new())
    });
    let heading = format!("{} {}", status.code, status.reason_lossy());
    let context = match PageContext::<User>::of(request).await {
        Ok(page) => page.insert("title", &heading).insert("heading", &heading).insert("message", &message).into_json(),
        // The visitor could not be loaded (the database is down): the page
        // without them.
        Err(_) => json!({"title": heading, "heading": heading, "message": message}),
    };
    let page = HtmlPage::render_json(request, status, "hangar/error", context);
    if allowed.is_empty() {
        return page;
    }
    let allowed: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
    page.header("Allow", allowed.join(", "))
}
