//! Rendering an admin page: the context every page has, a view's template
//! (or its model admin's override), the error page, and a panel's HTML.

use std::sync::Arc;

use rocket::http::Status;
use serde_json::{json, Map, Value as Json};

use super::model_admin::ModelAdmin;
use super::panel::AdminPanel;
use super::state::{AdminReply, AdminState, Ctx};
use crate::auth::{error_page, PageContext, Session, UserModel};
use crate::model::{Model, ModelMeta};
use crate::templates::{HtmlPage, Templates};
use crate::Error;

/// The frame of every admin page: the header, the sidebar, the
/// breadcrumbs and the flashes around the view's own template, shown as
/// `{{{content}}}`.
const LAYOUT: &str = "hangar/admin/base";

/// What the frame sees besides `content`.
const LAYOUT_KEYS: [&str; 8] =
    ["title", "admin", "user", "csrf_token", "login_url", "logout_url", "flashes", "breadcrumbs"];

/// A page's link back in the breadcrumbs.
pub(crate) fn crumb(label: &str, url: Option<&str>) -> Json {
    json!({"label": label, "url": url})
}

/// The breadcrumbs of a model's page: home, the model's list at
/// `list_url`, then `tail` (a label, with a link for all but the last).
pub(crate) fn model_crumbs(
    state: &AdminState,
    meta: &ModelMeta,
    list_url: &str,
    tail: &[(&str, Option<&str>)],
) -> Vec<Json> {
    let mut crumbs = vec![crumb("Home", Some(&state.home_url())), crumb(meta.verbose_name_plural, Some(list_url))];
    crumbs.extend(tail.iter().map(|(label, url)| crumb(label, *url)));
    crumbs
}

/// The context of every admin page: the page context of `hangar::auth`
/// (`user`, `flashes`, `csrf_token`, ...), the `title`, and `admin`: the
/// site's title and URLs, the models the caller may use and the panels.
fn admin_json(ctx: &Ctx<'_, '_>, current: Option<&'static ModelMeta>) -> Json {
    let state = ctx.state;
    let models: Vec<Json> = state
        .models
        .iter()
        .filter(|ops| (ops.permitted)(&ctx.caller))
        .map(|ops| {
            let meta = (ops.meta)();
            json!({
                "name": meta.verbose_name_plural,
                "url": state.model_url(meta),
                "current": current.is_some_and(|c| std::ptr::eq(c, meta)),
            })
        })
        .collect();
    let panels: Vec<Json> =
        state.panels.iter().map(|p| json!({"title": p.title(), "url": state.panel_url(p.as_ref())})).collect();
    json!({
        "site_title": state.site_title,
        "url": state.home_url(),
        "static_url": format!("{}/static", state.prefix),
        "models": models,
        "panels": panels,
    })
}

/// A page of the admin, rendered with `template` inside the frame: what
/// every admin page has, then the keys `fill` adds.
pub(crate) async fn page<U: UserModel>(
    ctx: &Ctx<'_, '_>,
    template: &str,
    title: &str,
    current: Option<&'static ModelMeta>,
    fill: impl FnOnce(PageContext<U>) -> PageContext<U>,
) -> AdminReply {
    let context = match PageContext::<U>::of(ctx.request).await {
        Ok(context) => context,
        Err(status) => return error_page::<U>(ctx.request, status, "The page could not be shown.").await.into(),
    };
    let context = fill(context.insert("title", title).insert_json("admin", admin_json(ctx, current)));
    HtmlPage::render_in_layout(ctx.request, Status::Ok, template, LAYOUT, context.into_json(), &LAYOUT_KEYS).into()
}

/// The template the model admin `A` renders its view `view` (`list`,
/// `form`, `delete`, `export` or `history`) with instead of the admin's
/// own, if it overrides it.
pub(crate) fn overridden<A: ModelAdmin>(view: &str) -> Option<&'static str> {
    A::get_template_overrides().iter().find(|(v, _)| *v == view).map(|(_, template)| *template)
}

/// The view `view` of the model admin `A`: its own template when it
/// overrides the view, else `hangar/admin/<view>`.
pub(crate) async fn view<A: ModelAdmin, U: UserModel>(
    ctx: &Ctx<'_, '_>,
    view: &str,
    title: &str,
    fill: impl FnOnce(PageContext<U>) -> PageContext<U>,
) -> AdminReply {
    let template = overridden::<A>(view).map_or_else(|| format!("hangar/admin/{view}"), str::to_owned);
    page::<U>(ctx, &template, title, Some(A::Model::meta()), fill).await
}

/// `error` as the admin's error page.
pub(crate) async fn error<U: UserModel>(ctx: &Ctx<'_, '_>, error: Error) -> AdminReply {
    let message = error.public_message();
    error_page::<U>(ctx.request, error.status(), &message).await.into()
}

/// The HTML of `panel` for the caller: its context, read on a blocking
/// thread, then its template, which also sees `csrf_token` and `panel_url`.
pub(crate) async fn panel_html(ctx: &Ctx<'_, '_>, panel: Arc<dyn AdminPanel>) -> Result<String, Error> {
    let template = panel.template().to_owned();
    let panel_url = ctx.state.panel_url(panel.as_ref());
    let who = ctx.caller.clone();
    let values = ctx.db.run(move |conn| panel.context(&who, conn)).await?;
    let mut values = match values {
        Json::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("value".to_owned(), other);
            map
        }
    };
    values.insert("csrf_token".to_owned(), Json::String(Session::of(ctx.request).csrf_token()));
    values.insert("panel_url".to_owned(), Json::String(panel_url));
    Templates::of(ctx.request)?.render(&template, &values)
}
