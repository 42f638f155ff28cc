//! The handlers behind the admin's routes: each lets in only those the
//! admin admits, finds the state and the database, refuses (403) a caller
//! without the permission its view needs on the model, before any row is
//! read, and hands over to its view.

use std::marker::PhantomData;
use std::sync::Arc;

use rocket::data::Data;
use rocket::http::Method;
use rocket::route::{Handler, Outcome};
use rocket::Request;

use super::access::enter;
use super::model_admin::{allows, ModelAdmin};
use super::panel::AdminPanel;
use super::render;
use super::views::{action, dashboard, delete, download, export, form, history, list, panel, picker};
use crate::auth::{Permission, UserModel};
use crate::model::Model;
use crate::Error;

/// Which view of a model admin a route serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    List,
    Add,
    Edit,
    Delete,
    BulkDelete,
    Action,
    Export,
    Picker,
    History,
    Download,
}

impl View {
    /// The permission on the model the view needs, as Django asks it:
    /// seeing needs view (or change), the add page add, a posted edit
    /// change, a delete delete. The picker asks its related model's admin.
    fn needs(self, post: bool) -> Option<Permission> {
        match self {
            // An action works on the list's rows: it needs them seen, then
            // the permission the action itself asks for.
            View::List | View::Export | View::History | View::Download | View::Action => Some(Permission::View),
            View::Edit if post => Some(Permission::Change),
            View::Edit => Some(Permission::View),
            View::Add => Some(Permission::Add),
            View::Delete | View::BulkDelete => Some(Permission::Delete),
            View::Picker => None,
        }
    }
}

/// A model admin's view, for the admin `A` and the user model `U`.
pub(crate) struct ModelView<A, U> {
    view: View,
    types: PhantomData<fn() -> (A, U)>,
}

impl<A, U> ModelView<A, U> {
    pub(crate) fn new(view: View) -> Self {
        ModelView { view, types: PhantomData }
    }
}

impl<A, U> Clone for ModelView<A, U> {
    fn clone(&self) -> Self {
        ModelView::new(self.view)
    }
}

#[rocket::async_trait]
impl<A: ModelAdmin, U: UserModel> Handler for ModelView<A, U> {
    async fn handle<'r>(&self, request: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        let ctx = match enter::<U>(request, &A::check_user_permission).await {
            Ok(ctx) => ctx,
            Err(outcome) => return outcome,
        };
        let needs = self.view.needs(request.method() == Method::Post);
        if let Some(permission) = needs.filter(|p| !allows::<A>(&ctx.caller, *p)) {
            let refused = Error::Forbidden(format!(
                "You do not have permission to {} {}.",
                permission.name(),
                A::Model::meta().verbose_name_plural.to_lowercase()
            ));
            return Outcome::from(request, render::error::<U>(&ctx, refused).await);
        }
        let post = (request.method() == Method::Post).then_some(data);
        let param = |n: usize| request.param::<&str>(n).and_then(Result::ok).unwrap_or_default().to_owned();
        let reply = match self.view {
            View::List => list::list::<A, U>(&ctx).await,
            View::Add => form::form::<A, U>(&ctx, None, post).await,
            View::Edit => form::form::<A, U>(&ctx, Some(param(1)), post).await,
            View::Delete => delete::delete::<A, U>(&ctx, Some(param(1)), post).await,
            View::BulkDelete => delete::delete::<A, U>(&ctx, None, post).await,
            View::Action => action::action::<A, U>(&ctx, post).await,
            View::Export => export::export::<A, U>(&ctx).await,
            View::Picker => picker::picker::<A, U>(&ctx, &param(2)).await,
            View::History => history::history::<A, U>(&ctx, &param(1)).await,
            View::Download => download::download::<A, U>(&ctx, &param(1), &param(3)).await,
        };
        Outcome::from(request, reply)
    }
}

/// The dashboard, for the user model `U`.
pub(crate) struct Dashboard<U>(PhantomData<fn() -> U>);

impl<U> Dashboard<U> {
    pub(crate) fn new() -> Self {
        Dashboard(PhantomData)
    }
}

impl<U> Clone for Dashboard<U> {
    fn clone(&self) -> Self {
        Dashboard::new()
    }
}

#[rocket::async_trait]
impl<U: UserModel> Handler for Dashboard<U> {
    async fn handle<'r>(&self, request: &'r Request<'_>, _: Data<'r>) -> Outcome<'r> {
        match enter::<U>(request, &|_| true).await {
            Ok(ctx) => Outcome::from(request, dashboard::dashboard::<U>(&ctx).await),
            Err(outcome) => outcome,
        }
    }
}

/// A panel's page, for the user model `U`.
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
        let panel = self.panel.clone();
        match enter::<U>(request, &move |caller| panel.check_user_permission(caller)).await {
            Ok(ctx) => Outcome::from(request, panel::panel::<U>(&ctx, self.panel.clone()).await),
            Err(outcome) => outcome,
        }
    }
}
