//! `GET <prefix>/<model>/<pk>/history/`: the audit log of one object.

use serde_json::Value as Json;

use crate::admin::audit::{entries, entry_json};
use crate::admin::model_admin::{object_for, ModelAdmin};
use crate::admin::render::{self, model_crumbs};
use crate::admin::state::{AdminReply, Ctx};
use crate::auth::{Permission, UserModel};
use crate::forms::encode_component;
use crate::model::{display, Model};
use crate::Error;

pub(crate) async fn history<A: ModelAdmin, U: UserModel>(ctx: &Ctx<'_, '_>, pk: &str) -> AdminReply {
    let meta = A::Model::meta();
    let url = ctx.state.model_url(meta);
    let caller = ctx.caller.clone();
    let key = pk.to_owned();
    let loaded = ctx
        .db
        .run(move |conn| {
            // A row the admin hides has no history to show either, nor one
            // the caller may not view.
            let object = object_for::<A>(conn, &caller, &key, Permission::View)?;
            let log = entries(conn, Some((meta, &object.pk())), &[], 100)?;
            Ok::<_, Error>((display(&object), log))
        })
        .await;
    let (repr, log) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    let object_url = format!("{url}{}/", encode_component(pk));
    let title = format!("History of {repr}");
    let entries: Vec<Json> = log.iter().map(|e| entry_json(e, None, Some(meta))).collect();
    let crumbs = model_crumbs(ctx.state, meta, &url, &[(&repr, Some(&object_url)), ("History", None)]);
    render::view::<A, U>(ctx, "history", &title, |page| {
        page.insert("breadcrumbs", crumbs)
            .insert("object_repr", &repr)
            .insert("entries", entries)
            .insert("urls", serde_json::json!({"back": object_url}))
    })
    .await
}
