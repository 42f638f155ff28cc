//! What every admin page gives its template, and answering with a page.

use rocket::http::Status;
use rocket::response::{self, Redirect, Responder};
use rocket::serde::json::Json;
use rocket::Request;
use serde_json::{json, Value as Json_};

use super::registry::AdminState;
use crate::auth::{Caller, PageContext, UserModel};
use crate::model::ModelMeta;
use crate::templates::HtmlPage;

/// What an admin view answers.
#[derive(Debug)]
pub(crate) enum Answer {
    Page(HtmlPage),
    Redirect(Redirect),
    Json(Json_),
    Download(super::export::Download),
}

impl From<HtmlPage> for Answer {
    fn from(page: HtmlPage) -> Self {
        Answer::Page(page)
    }
}

impl<'r> Responder<'r, 'r> for Answer {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'r> {
        match self {
            Answer::Page(page) => page.respond_to(request),
            Answer::Redirect(redirect) => redirect.respond_to(request),
            Answer::Json(json) => Json(json).respond_to(request),
            Answer::Download(download) => download.respond_to(request),
        }
    }
}

/// A page's link back in the breadcrumbs.
pub(crate) fn crumb(label: &str, url: Option<&str>) -> Json_ {
    json!({"label": label, "url": url})
}

/// The breadcrumbs of a model's page: home, the model's list at
/// `list_url`, then `tail` (a label, with a link for all but the last).
pub(crate) fn model_crumbs(
    state: &AdminState,
    meta: &ModelMeta,
    list_url: &str,
    tail: &[(&str, Option<&str>)],
) -> Vec<Json_> {
    let mut crumbs =
        vec![crumb("Home", Some(&format!("{}/", state.prefix))), crumb(meta.verbose_name_plural, Some(list_url))];
    crumbs.extend(tail.iter().map(|(label, url)| crumb(label, *url)));
    crumbs
}

/// The context of every admin page: the page context of `hangar::auth`
/// (`user`, `flashes`, `csrf_token`, ...), the `title`, and `admin`: the
/// site's title and URLs, the models `caller` may use and the panels.
pub(crate) async fn context<U: UserModel>(
    request: &Request<'_>,
    state: &AdminState,
    caller: &Caller,
    title: &str,
    current: Option<&'static ModelMeta>,
) -> Result<PageContext<U>, HtmlPage> {
    let page = match PageContext::<U>::of(request).await {
        Ok(page) => page,
        Err(status) => {
            return Err(crate::auth::error_page::<U>(request, status, "The page could not be shown.").await);
        }
    };
    let models: Vec<Json_> = state
        .models
        .iter()
        .filter(|ops| (ops.permitted)(caller))
        .map(|ops| {
            let meta = (ops.meta)();
            json!({
                "name": meta.verbose_name_plural,
                "url": state.model_url(meta),
                "current": current.is_some_and(|c| std::ptr::eq(c, meta)),
            })
        })
        .collect();
    let panels: Vec<Json_> = state
        .panels
        .iter()
        .map(|p| json!({"title": p.title(), "url": format!("{}/{}/", state.prefix, p.slug())}))
        .collect();
    Ok(page.insert("title", title).insert(
        "admin",
        json!({
            "site_title": state.site_title,
            "url": format!("{}/", state.prefix),
            "static_url": format!("{}/static", state.prefix),
            "models": models,
            "panels": panels,
        }),
    ))
}

/// Renders `template` with `context`, answering `status`.
pub(crate) fn render<U: UserModel>(
    request: &Request<'_>,
    status: Status,
    template: &str,
    context: PageContext<U>,
) -> Answer {
    Answer::Page(HtmlPage::render_json(request, status, template, context.into_json()))
}

/// The template for `view` of the model admin `A`: its override, else the
/// admin's own `hangar/admin/<view>`.
pub(crate) fn template_name(overrides: &'static [(&'static str, &'static str)], view: &str) -> String {
    overrides.iter().find(|(v, _)| *v == view).map_or_else(|| format!("hangar/admin/{view}"), |(_, t)| (*t).to_owned())
}
