//! One handler type for every view of a model admin: it lets in only
//! admins, finds the database, and hands over to the view.

use std::marker::PhantomData;

use rocket::data::Data;
use rocket::http::Method;
use rocket::route::{Handler, Outcome};
use rocket::Request;

use super::access::enter;
use super::page::Answer;
use super::registry::AdminState;
use super::{delete, export, form, history, list, lookup, ModelAdmin};
use crate::auth::{Caller, UserModel};
use crate::db::Database;

/// Which view a route serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    List,
    Add,
    Edit,
    Delete,
    BulkDelete,
    Export,
    Lookup,
    History,
}

/// A model admin's view, for the admin `A` and the user model `U`.
pub(crate) struct AdminView<A, U> {
    view: View,
    types: PhantomData<fn() -> (A, U)>,
}

impl<A, U> AdminView<A, U> {
    pub(crate) fn new(view: View) -> Self {
        AdminView { view, types: PhantomData }
    }
}

impl<A, U> Clone for AdminView<A, U> {
    fn clone(&self) -> Self {
        AdminView::new(self.view)
    }
}

/// What every view gets: the request's caller, the admin's state and the
/// database.
pub(crate) struct Ctx<'r, 'q> {
    pub(crate) request: &'r Request<'q>,
    pub(crate) caller: Caller,
    pub(crate) state: &'r AdminState,
    pub(crate) db: &'r Database,
}

#[rocket::async_trait]
impl<A: ModelAdmin, U: UserModel> Handler for AdminView<A, U> {
    async fn handle<'r>(&self, request: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        let (caller, state, db) = match enter::<U>(request, A::check_user_permission).await {
            Ok(entered) => entered,
            Err(outcome) => return outcome,
        };
        let ctx = Ctx { request, caller, state, db };
        let post = request.method() == Method::Post;
        let pk = || request.param::<&str>(1).and_then(Result::ok).unwrap_or_default().to_owned();
        let answer: Answer = match self.view {
            View::List => list::list::<A, U>(&ctx).await,
            View::Add => form::form::<A, U>(&ctx, None, post.then_some(data)).await,
            View::Edit => form::form::<A, U>(&ctx, Some(pk()), post.then_some(data)).await,
            View::Delete => delete::delete::<A, U>(&ctx, Some(pk()), post.then_some(data)).await,
            View::BulkDelete => delete::delete::<A, U>(&ctx, None, post.then_some(data)).await,
            View::Export => export::export::<A, U>(&ctx).await,
            View::Lookup => {
                let field = request.param::<&str>(2).and_then(Result::ok).unwrap_or_default().to_owned();
                lookup::lookup::<A, U>(&ctx, &field).await
            }
            View::History => history::history::<A, U>(&ctx, &pk()).await,
        };
        Outcome::from(request, answer)
    }
}
