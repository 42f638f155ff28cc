//! `GET <prefix>/`: every model the caller may use, with its count where
//! they may view it, the panels they may see, and the latest changes made
//! through the admin to models they may view.

use serde_json::{json, Value as Json};

use crate::admin::audit::{entries, entry_json};
use crate::admin::render;
use crate::admin::state::{AdminReply, Ctx};
use crate::auth::{Permission, UserModel};
use crate::forms::encode_component;
use crate::Error;

pub(crate) async fn dashboard<U: UserModel>(ctx: &Ctx<'_, '_>) -> AdminReply {
    let state = ctx.state;
    let visible: Vec<_> = state.models.iter().copied().filter(|ops| ops.visible(&ctx.caller)).collect();
    let who = ctx.caller.clone();
    let counted = ctx
        .db
        .run(move |conn| {
            let mut counts = Vec::with_capacity(visible.len());
            let mut slugs: Vec<&str> = Vec::with_capacity(visible.len());
            for ops in &visible {
                let (meta, can) = ((ops.meta)(), |p| (ops.allows)(&who, p));
                let count = if can(Permission::View) {
                    slugs.push(meta.slug);
                    Some((ops.count)(conn, &who)?)
                } else {
                    None
                };
                counts.push((meta, count, can(Permission::Add)));
            }
            let log = entries(conn, None, &slugs, 10)?;
            Ok::<_, Error>((counts, log))
        })
        .await;
    let (counts, log) = match counted {
        Ok(counted) => counted,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    let mut panels: Vec<Json> = Vec::with_capacity(state.panels.len());
    for panel in state.panels.iter().filter(|p| p.check_user_permission(&ctx.caller)) {
        let html = match render::panel_html(ctx, panel.clone()).await {
            Ok(html) => html,
            Err(e) => {
                log::error!("the panel {} failed: {e}", panel.slug());
                "<p class=\"error\">This panel could not be shown; the server log says why.</p>".to_owned()
            }
        };
        panels.push(json!({"slug": panel.slug(), "title": panel.title(), "html": html}));
    }
    let models: Vec<Json> = counts
        .iter()
        .map(|(meta, count, add)| {
            let url = state.model_url(meta);
            let add_url = add.then(|| format!("{url}add/"));
            let list_url = count.is_some().then_some(url);
            json!({"name": meta.verbose_name_plural, "url": list_url, "add_url": add_url, "count": count})
        })
        .collect();
    let log: Vec<Json> = log
        .iter()
        .map(|entry| {
            let meta = state.models.iter().map(|ops| (ops.meta)()).find(|m| m.slug == entry.model);
            let url = meta
                .filter(|_| entry.action != "delete")
                .map(|m| format!("{}{}/", state.model_url(m), encode_component(&entry.object_pk)));
            let mut json = entry_json(entry, url.as_deref(), meta);
            json["model_name"] = json!(meta.map_or(entry.model.as_str(), |m| m.verbose_name));
            json
        })
        .collect();
    render::page::<U>(ctx, "hangar/admin/index", &state.site_title, None, |page| {
        page.insert("models", models).insert("panels", panels).insert("log", log)
    })
    .await
}
