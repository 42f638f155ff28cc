//! `GET <prefix>/`: every model with its count, the panels, and the latest
//! changes made through the admin.

use serde_json::{json, Value as Json};

use crate::admin::audit::{entries, entry_json};
use crate::admin::render;
use crate::admin::state::{AdminReply, Ctx};
use crate::auth::UserModel;
use crate::forms::encode_component;
use crate::Error;

pub(crate) async fn dashboard<U: UserModel>(ctx: &Ctx<'_, '_>) -> AdminReply {
    let state = ctx.state;
    let permitted: Vec<_> = state.models.iter().copied().filter(|ops| (ops.permitted)(&ctx.caller)).collect();
    let who = ctx.caller.clone();
    let counted = ctx
        .db
        .run(move |conn| {
            let mut counts = Vec::with_capacity(permitted.len());
            for ops in &permitted {
                counts.push(((ops.meta)(), (ops.count)(conn, &who)?));
            }
            let slugs: Vec<&str> = permitted.iter().map(|ops| (ops.meta)().slug).collect();
            let log = entries(conn, None, &slugs, 10)?;
            Ok::<_, Error>((counts, log))
        })
        .await;
    let (counts, log) = match counted {
        Ok(counted) => counted,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    let mut panels: Vec<Json> = Vec::with_capacity(state.panels.len());
    for panel in &state.panels {
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
        .map(|(meta, count)| {
            let url = state.model_url(meta);
            json!({"name": meta.verbose_name_plural, "url": url, "add_url": format!("{url}add/"), "count": count})
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
