//! `GET <prefix>/<model>/<pk>/history/`: the audit log of one object.

use rocket::http::Status;
use serde_json::Value as Json;

use super::list::render_error;
use super::log::{entries, entry_json};
use super::page::{context, model_crumbs, render, template_name, Answer};
use super::view::Ctx;
use super::ModelAdmin;
use crate::auth::UserModel;
use crate::forms::encode_component;
use crate::model::{display, Model};
use crate::Error;

pub(crate) async fn history<A: ModelAdmin, U: UserModel>(ctx: &Ctx<'_, '_>, pk: &str) -> Answer {
    let meta = A::Model::meta();
    let url = ctx.state.model_url(meta);
    let caller = ctx.caller.clone();
    let key = pk.to_owned();
    let loaded = ctx
        .db
        .run(move |conn| {
            // A row the admin hides has no history to show either.
            let object = A::get_object(conn, &caller, &key)?;
            let log = entries(conn, Some((meta, &object.pk())), &[], 100)?;
            Ok::<_, Error>((display(&object), log))
        })
        .await;
    let (repr, log) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return render_error::<U>(ctx, e).await,
    };
    let object_url = format!("{url}{}/", encode_component(pk));
    let title = format!("History of {repr}");
    let page = match context::<U>(ctx.request, ctx.state, &ctx.caller, &title, Some(meta)).await {
        Ok(page) => page,
        Err(page) => return Answer::Page(page),
    };
    let entries: Vec<Json> = log.iter().map(|e| entry_json(e, None)).collect();
    let page = page
        .insert("breadcrumbs", model_crumbs(ctx.state, meta, &url, &[(&repr, Some(&object_url)), ("History", None)]))
        .insert("object_repr", &repr)
        .insert("entries", entries)
        .insert("urls", serde_json::json!({"back": object_url}));
    render(ctx.request, Status::Ok, &template_name(A::get_template_overrides(), "history"), page)
}
