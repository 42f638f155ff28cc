//! `Admin`: the site, Django's `AdminSite`: the registry of model admins
//! and panels, and the table of routes it mounts.

use std::marker::PhantomData;
use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::http::Method;
use rocket::route::Route;
use rocket::{Build, Rocket};

use super::access::{Door, Guarded};
use super::assets::Asset;
use super::model_admin::{may_use, ModelAdmin};
use super::ops::AdminOps;
use super::panel::AdminPanel;
use super::routes::{Dashboard, ModelView, PanelView, View};
use super::state::AdminState;
use crate::auth::{sync_permissions, User, UserModel};
use crate::db::Database;
use crate::model::ModelMeta;

/// A model admin's own routes: its slug, the routes, and who may use them.
type OwnRoutes = (String, Vec<Route>, Door);

/// The admin site: flask-peewee's `Admin`, for the user model `U`.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # diesel::table! { note (id) { id -> Integer, message -> Text } }
/// # #[derive(Queryable, Selectable, hangar::Model, hangar::AdminModel)]
/// # #[diesel(table_name = note)]
/// # struct Note { id: i32, message: String }
/// use hangar::admin::Admin;
/// use hangar::auth::{Auth, User};
/// use hangar::db::Database;
///
/// let app = rocket::build().attach(Database::fairing());
/// let app = Auth::<User>::new().mount(app);
/// let app = Admin::<User>::new().register::<User>().register::<Note>().mount(app);
/// # drop(app);
/// ```
///
/// It answers at `/admin/` (the dashboard), `/admin/<model>/` (the list),
/// `/admin/<model>/add/`, `/admin/<model>/<pk>/`,
/// `/admin/<model>/<pk>/delete/`, `/admin/<model>/delete/?id=..`,
/// `/admin/<model>/action/` (an [`AdminAction`](super::AdminAction) on the
/// rows ticked in the list, or on all it matches),
/// `/admin/<model>/<pk>/history/`, `/admin/<model>/<pk>/download/<field>/`
/// (the bytes a field holds, as a file), `/admin/<model>/lookup/<field>/`
/// and `/admin/<model>/export/`, and under `/admin/<panel>/` for each panel.
/// Admins get in, and staff with a permission granted, who see what their
/// [`Permission`](crate::auth::Permission)s allow: anonymous visitors go
/// to the login page (mount [`Auth`](crate::auth::Auth) too), other users
/// get a 403 page. At launch, it makes sure every registered model's four
/// permissions have their rows, in the tables of
/// [`PERMISSION_MIGRATIONS`](crate::auth::PERMISSION_MIGRATIONS), and
/// refuses to launch without them.
pub struct Admin<U: UserModel = User> {
    prefix: String,
    site_title: String,
    models: Vec<AdminOps>,
    routes: Vec<OwnRoutes>,
    views: Vec<Route>,
    panels: Vec<Arc<dyn AdminPanel>>,
    user: PhantomData<fn() -> U>,
}

impl<U: UserModel> Admin<U> {
    /// An admin at `/admin`, titled "Administration".
    pub fn new() -> Self {
        Admin {
            prefix: "/admin".to_owned(),
            site_title: "Administration".to_owned(),
            models: Vec::new(),
            routes: Vec::new(),
            views: Vec::new(),
            panels: Vec::new(),
            user: PhantomData,
        }
    }

    /// Mounts the admin under `prefix` instead.
    #[must_use]
    pub fn prefix(mut self, prefix: &str) -> Self {
        self.prefix = format!("/{}", prefix.trim_matches('/'));
        self
    }

    /// The title in the header and on the dashboard.
    #[must_use]
    pub fn site_title(mut self, title: &str) -> Self {
        self.site_title = title.to_owned();
        self
    }

    /// Registers the model admin `A`: a model deriving `AdminModel`, or a
    /// type of your own implementing [`ModelAdmin`] for one.
    #[must_use]
    pub fn register<A: ModelAdmin>(mut self) -> Self {
        let ops = AdminOps::of::<A>();
        let slug = (ops.meta)().slug;
        let get = [Method::Get];
        let get_post = [Method::Get, Method::Post];
        let views: [(&[Method], String, View); 10] = [
            (&get, format!("/{slug}"), View::List),
            (&get_post, format!("/{slug}/add"), View::Add),
            (&get_post, format!("/{slug}/delete"), View::BulkDelete),
            (&get_post, format!("/{slug}/action"), View::Action),
            (&get, format!("/{slug}/export"), View::Export),
            (&get, format!("/{slug}/lookup/<field>"), View::Picker),
            (&get_post, format!("/{slug}/<pk>"), View::Edit),
            (&get_post, format!("/{slug}/<pk>/delete"), View::Delete),
            (&get, format!("/{slug}/<pk>/history"), View::History),
            (&get, format!("/{slug}/<pk>/download/<field>"), View::Download),
        ];
        for (methods, path, view) in views {
            for method in methods {
                let handler = ModelView::<A, U>::new(view);
                // `/<slug>/lookup/<field>` also matches `/<slug>/<pk>/history`;
                // the picker wins (a key named `lookup` has no history page).
                let route = match view {
                    View::Picker => Route::ranked(-13, *method, &path, handler),
                    _ => Route::new(*method, &path, handler),
                };
                self.views.push(route);
            }
        }
        self.routes.push((slug.to_owned(), A::routes(), Arc::new(may_use::<A>)));
        self.models.push(ops);
        self
    }

    /// Adds a panel to the dashboard, with its routes under `<prefix>/<slug>/`.
    #[must_use]
    pub fn panel(mut self, panel: impl AdminPanel) -> Self {
        self.panels.push(Arc::new(panel));
        self
    }

    /// Mounts the views, the panels' and admins' own routes (guarded), and
    /// the CSS and JS.
    pub fn mount(self, rocket: Rocket<Build>) -> Rocket<Build> {
        let Admin { prefix, site_title, models, routes, mut views, panels, .. } = self;
        views.push(Route::new(Method::Get, "/", Dashboard::<U>::new()));
        views.push(Route::new(Method::Get, "/static/admin.css", Asset::Css));
        views.push(Route::new(Method::Get, "/static/admin.js", Asset::Js));
        let mut rocket = rocket;
        for panel in &panels {
            let slug = panel.slug();
            views.push(Route::new(Method::Get, &format!("/{slug}"), PanelView::<U>::new(panel.clone())));
            let own = panel.routes();
            if !own.is_empty() {
                let shown = panel.clone();
                let door: Door = Arc::new(move |caller| shown.check_user_permission(caller));
                rocket = rocket.mount(format!("{prefix}/{slug}"), Guarded::<U>::wrap(own, &door));
            }
        }
        for (slug, own, permitted) in routes {
            if !own.is_empty() {
                rocket = rocket.mount(format!("{prefix}/{slug}"), Guarded::<U>::wrap(own, &permitted));
            }
        }
        let metas: Vec<&'static ModelMeta> = models.iter().map(|ops| (ops.meta)()).collect();
        let state = AdminState { prefix: prefix.clone(), site_title, models, panels };
        // After the database's fairing, which migrates: the tables must be
        // there by then.
        let sync = AdHoc::try_on_ignite("hangar admin permissions", |rocket| async move {
            let Some(db) = rocket.state::<Database>().cloned() else {
                // The admin's pages say what is missing.
                return Ok(rocket);
            };
            match db.run_write(move |conn| sync_permissions(conn, &metas)).await {
                Ok(()) => Ok(rocket),
                Err(e) => {
                    let message = format!(
                        "the admin keeps its models' permissions in the table `hangar_permission`, which could not \
                         be read or written ({e}): run `hangar::auth::PERMISSION_MIGRATIONS` \
                         (`hangar::auth::MIGRATIONS` includes them)"
                    );
                    log::error!("{message}");
                    eprintln!("hangar: {message}");
                    Err(rocket)
                }
            }
        });
        rocket.manage(state).attach(sync).mount(prefix, views)
    }
}

impl<U: UserModel> Default for Admin<U> {
    fn default() -> Self {
        Self::new()
    }
}

impl<U: UserModel> std::fmt::Debug for Admin<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let models: Vec<_> = self.models.iter().map(|m| (m.meta)().slug).collect();
        f.debug_struct("Admin").field("prefix", &self.prefix).field("models", &models).finish_non_exhaustive()
    }
}
