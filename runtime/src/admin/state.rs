//! What the admin's views stand on: the state they read at request time,
//! what every view is given, and what a view answers.

use std::pin::Pin;
use std::sync::Arc;

use rocket::futures::stream::Stream;
use rocket::http::{ContentType, Header};
use rocket::response::stream::ByteStream;
use rocket::response::{self, Redirect, Responder};
use rocket::serde::json::Json;
use rocket::Request;
use serde_json::Value;

use super::ops::AdminOps;
use super::panel::AdminPanel;
use crate::auth::Caller;
use crate::db::Database;
use crate::model::ModelMeta;
use crate::templates::HtmlPage;

/// What the admin's views read at request time: managed state.
pub(crate) struct AdminState {
    pub(crate) prefix: String,
    pub(crate) site_title: String,
    pub(crate) models: Vec<AdminOps>,
    pub(crate) panels: Vec<Arc<dyn AdminPanel>>,
}

impl AdminState {
    /// The registered admin of the model `meta` describes.
    pub(crate) fn admin_of(&self, meta: &'static ModelMeta) -> Option<&AdminOps> {
        self.models.iter().find(|ops| std::ptr::eq((ops.meta)(), meta))
    }

    /// `<prefix>/`: the dashboard.
    pub(crate) fn home_url(&self) -> String {
        format!("{}/", self.prefix)
    }

    /// `<prefix>/<slug>/`.
    pub(crate) fn model_url(&self, meta: &ModelMeta) -> String {
        format!("{}/{}/", self.prefix, meta.slug)
    }

    /// `<prefix>/<slug>/` of a panel.
    pub(crate) fn panel_url(&self, panel: &dyn AdminPanel) -> String {
        format!("{}/{}/", self.prefix, panel.slug())
    }
}

impl std::fmt::Debug for AdminState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let models: Vec<_> = self.models.iter().map(|m| (m.meta)().slug).collect();
        f.debug_struct("AdminState").field("prefix", &self.prefix).field("models", &models).finish_non_exhaustive()
    }
}

/// What every view gets: the request, its caller (let in already), the
/// admin's state and the database.
pub(crate) struct Ctx<'r, 'q> {
    pub(crate) request: &'r Request<'q>,
    pub(crate) caller: Caller,
    pub(crate) state: &'r AdminState,
    pub(crate) db: &'r Database,
}

/// What an admin view answers.
#[derive(Debug)]
pub(crate) enum AdminReply {
    Page(HtmlPage),
    Redirect(Redirect),
    Json(Value),
    Download(Download),
}

impl From<HtmlPage> for AdminReply {
    fn from(page: HtmlPage) -> Self {
        AdminReply::Page(page)
    }
}

impl From<Redirect> for AdminReply {
    fn from(redirect: Redirect) -> Self {
        AdminReply::Redirect(redirect)
    }
}

impl<'r> Responder<'r, 'r> for AdminReply {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'r> {
        match self {
            AdminReply::Page(page) => page.respond_to(request),
            AdminReply::Redirect(redirect) => redirect.respond_to(request),
            AdminReply::Json(json) => Json(json).respond_to(request),
            AdminReply::Download(download) => download.respond_to(request),
        }
    }
}

/// A file sent to the client as an attachment.
pub(crate) struct Download {
    pub(crate) content_type: ContentType,
    pub(crate) filename: String,
    pub(crate) body: DownloadBody,
}

/// A download's contents: streamed in chunks (an export), or whole, with
/// its length (a field's bytes).
pub(crate) enum DownloadBody {
    Stream(Pin<Box<dyn Stream<Item = Vec<u8>> + Send>>),
    Bytes(Vec<u8>),
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download").field("filename", &self.filename).finish_non_exhaustive()
    }
}

impl<'r> Responder<'r, 'r> for Download {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'r> {
        let mut response = match self.body {
            DownloadBody::Stream(body) => ByteStream(body).respond_to(request)?,
            DownloadBody::Bytes(bytes) => bytes.respond_to(request)?,
        };
        response.set_header(self.content_type);
        response.set_header(Header::new("Content-Disposition", format!("attachment; filename=\"{}\"", self.filename)));
        // Uploaded bytes: never sniffed into a page, Shield or no Shield
        // (Shield then logs that it left the header alone; downloads are rare).
        response.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        response.set_header(Header::new("Cache-Control", "no-store"));
        Ok(response)
    }
}
