//! Panels: boxes on the dashboard with a template and a context of their
//! own, and their own routes under `<prefix>/<panel>/`.

use rocket::route::Route;
use serde_json::Value as Json;

use crate::auth::Caller;
use crate::db::AnyConnection;
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
/// Its template (the app's, or added to its
/// [`Templates`](crate::templates::Templates)) sees the
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

    /// May the caller see the panel: its box on the dashboard, its link in
    /// the sidebar, its page and its routes? By default, administrators
    /// only: staff see a panel only where it says so.
    fn check_user_permission(&self, caller: &Caller) -> bool {
        caller.is_admin()
    }

    /// Its own views, mounted under `<prefix>/<slug>/` behind the admin's
    /// door and [`check_user_permission`](AdminPanel::check_user_permission). A form they take should read it as
    /// [`CsrfForm`](crate::auth::CsrfForm), which checks its token.
    fn routes(&self) -> Vec<Route> {
        Vec::new()
    }
}

impl std::fmt::Debug for dyn AdminPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminPanel").field("slug", &self.slug()).finish()
    }
}
