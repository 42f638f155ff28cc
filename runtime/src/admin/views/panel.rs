//! `GET <prefix>/<panel>/`: a panel on a page of its own.

use std::sync::Arc;

use crate::admin::panel::AdminPanel;
use crate::admin::render::{self, crumb};
use crate::admin::state::{AdminReply, Ctx};
use crate::auth::UserModel;

pub(crate) async fn panel<U: UserModel>(ctx: &Ctx<'_, '_>, panel: Arc<dyn AdminPanel>) -> AdminReply {
    let title = panel.title().to_owned();
    let slug = panel.slug().to_owned();
    let html = match render::panel_html(ctx, panel).await {
        Ok(html) => html,
        Err(e) => {
            log::error!("the panel {slug} failed: {e}");
            return render::error::<U>(ctx, e).await;
        }
    };
    let crumbs = [crumb("Home", Some(&ctx.state.home_url())), crumb(&title, None)];
    render::page::<U>(ctx, "hangar/admin/page", &title, None, |page| {
        page.insert("breadcrumbs", crumbs).insert("html", html)
    })
    .await
}
