//! Panels: boxes on the dashboard with a template and a context of their
//! own, and their own routes under `<prefix>/<panel>/`.

use std::marker::PhantomData;
use std::sync::Arc;

use rocket::data::Data;
use rocket::http::Status;
use rocket::route::{Handler, Outcome, Route};
use rocket::Request;
use serde_json::{Map, Value as Json};

use super::access::enter;
use super::page::{context, crumb, render};
use super::registry::AdminState;
use crate::auth::{error_page, Caller, UserModel};
use crate::db::{AnyConnection, Database};
use crate::templates::Templates;
use crate::Error;

/// A panel of the dashboard: flask-peewee's `AdminPanel`.
///
/// ```
/// use hangar::admin::AdminPanel;
/// use hangar::auth::Caller;
/// use hangar::db::AnyConnection;
///
/// /// How many notes there are.
/// struct NoteCount;
///
/// impl AdminPanel for NoteCount {
///     fn slug(&self) -> &str { "note-count" }
///     fn title(&self) -> &str { "Notes" }
///     fn template(&self) -> &str { "panels/note_count" }
///     fn context(&self, _caller: &Caller, _conn: &mut AnyConnection) -> Result<serde_json::Value, hangar::Error> {
///         Ok(serde_json::json!({"count": 3}))
///     }
/// }
/// ```
///
/// Its template (the app's, or added to its [`Templates`]) sees the
/// context's keys, `csrf_token` for its forms, and `panel_url`.
pub trait AdminPanel: Send + Sync + 'static {
    /// Its name in URLs: `<prefix>/<slug>/`.
    fn slug(&self) -> &str;

    /// Its heading.
    fn title(&self) -> &str;

    /// The template it renders with.
    fn template(&self) -> &str;

    /// What the template sees, read on a blocking thread.
    fn context(&self, caller: &Caller, conn: &mut AnyConnection) -> Result<Json, Error>;

    /// Its own views, mounted under `<prefix>/<slug>/` behind the admin's
    /// door. A form they take should read it as
    /// [`CsrfForm`](crate::auth::CsrfForm), which checks its token.
    fn routes(&self) -> Vec<Route> {
        Vec::new()
    }
}

/// Renders `panel` for `caller`: its context, then its template.
pub(crate) async fn render_panel(
    request: &Request<'_>,
    state: &AdminState,
    db: &Database,
    panel: Arc<dyn AdminPanel>,
    caller: &Caller,
    csrf_token: &str,
) -> Result<String, Error> {
    let slug = panel.slug().to_owned();
    let template = panel.template().to_owned();
    let who = caller.clone();
    let values = db.run(move |conn| panel.context(&who, conn)).await?;
    let mut values = match values {
        Json::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("value".to_owned(), other);
            map
        }
    };
    values.insert("csrf_token".to_owned(), Json::String(csrf_token.to_owned()));
    values.insert("panel_url".to_owned(), Json::String(format!("{}/{slug}/", state.prefix)));
    Templates::of(request)?.render(&template, &values)
}

/// `GET <prefix>/<panel>/`: the panel on a page of its own.
pub(crate) struct PanelView<U> {
    panel: Arc<dyn AdminPanel>,
    user: PhantomData<fn() -> U>,
}

impl<U> PanelView<U> {
    pub(crate) fn new(panel: Arc<dyn AdminPanel>) -> Self {
        PanelView { panel, user: PhantomData }
    }
}

impl<U> Clone for PanelView<U> {
    fn clone(&self) -> Self {
        PanelView::new(self.panel.clone())
    }
}

#[rocket::async_trait]
impl<U: UserModel> Handler for PanelView<U> {
    async fn handle<'r>(&self, request: &'r Request<'_>, _: Data<'r>) -> Outcome<'r> {
        let (caller, state, db) = match enter::<U>(request, |c| c.is_admin()).await {
            Ok(entered) => entered,
            Err(outcome) => return outcome,
        };
        let page = match context::<U>(request, state, &caller, self.panel.title(), None).await {
            Ok(page) => page,
            Err(page) => return Outcome::from(request, page),
        };
        let token = crate::auth::Session::of(request).csrf_token();
        let html = match render_panel(request, state, db, self.panel.clone(), &caller, &token).await {
            Ok(html) => html,
            Err(e) => {
                log::error!("the panel {} failed: {e}", self.panel.slug());
                let page = error_page::<U>(request, e.status(), &e.public_message()).await;
                return Outcome::from(request, page);
            }
        };
        let page = page
            .insert(
                "breadcrumbs",
                [crumb("Home", Some(&format!("{}/", state.prefix))), crumb(self.panel.title(), None)],
            )
            .insert("html", html);
        Outcome::from(request, render(request, Status::Ok, "hangar/admin/page", page))
    }
}

impl std::fmt::Debug for dyn AdminPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminPanel").field("slug", &self.slug()).finish()
    }
}
