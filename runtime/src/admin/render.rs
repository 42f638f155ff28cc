//! Rendering an admin page: the context every page has, a view's template
//! (or its model admin's override), the error page, and a panel's HTML.

use std::sync::Arc;

use rocket::http::Status;
use serde_json::{json, Map, Value as Json};

use super::model_admin::ModelAdmin;
use super::panel::AdminPanel;
use super::state::{AdminReply, AdminState, Ctx};
use crate::auth::{error_page, PageContext, Permission, Session, UserModel};
use crate::model::{Model, ModelMeta};
use crate::templates::{push_escaped, push_value, render_fragments, truthy, Fragment, HtmlPage, Templates};
use crate::Error;

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

/// The frame of every admin page, `hangar/admin/base`: the header, the
/// sidebar, the breadcrumbs and the flashes around the view's own
/// template, its `content`.
struct Frame {
    /// [`LAYOUT_KEYS`], as the view left them.
    values: Map<String, Json>,
    content: String,
}

impl Frame {
    fn get(&self, path: &[&str]) -> &Json {
        let Some((first, rest)) = path.split_first() else {
            return &Json::Null;
        };
        let first = self.values.get(*first).unwrap_or(&Json::Null);
        rest.iter().fold(first, |value, key| value.get(key).unwrap_or(&Json::Null))
    }

    fn list(&self, path: &[&str]) -> &[Json] {
        self.get(path).as_array().map_or(&[], Vec::as_slice)
    }
}

impl Fragment for Frame {
    const TEMPLATE: &'static str = "hangar/admin/base";

    fn to_json(&self) -> Json {
        let mut values = self.values.clone();
        values.insert("content".to_owned(), Json::String(self.content.clone()));
        Json::Object(values)
    }

    fn write_html(&self, out: &mut String) {
        out.reserve(self.content.len() + 2048);
        let text = |out: &mut String, path: &[&str]| push_value(out, self.get(path));
        out.push_str(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"color-scheme\" content=\"light dark\">\n<title>",
        );
        text(out, &["title"]);
        out.push_str(" · ");
        text(out, &["admin", "site_title"]);
        out.push_str("</title>\n<link rel=\"stylesheet\" href=\"");
        text(out, &["admin", "static_url"]);
        out.push_str("/admin.css\">\n<script src=\"");
        text(out, &["admin", "static_url"]);
        out.push_str(
            "/admin.js\" defer></script>\n</head>\n<body class=\"admin\">\n\
             <a class=\"skip-link\" href=\"#content\">Skip to content</a>\n\
             <header class=\"admin-header\">\n  <a class=\"site-title\" href=\"",
        );
        text(out, &["admin", "url"]);
        out.push_str("\">");
        text(out, &["admin", "site_title"]);
        out.push_str(
            "</a>\n  <button type=\"button\" class=\"nav-toggle\" aria-controls=\"admin-nav\" \
             aria-expanded=\"false\">Menu</button>\n  <div class=\"account\">\n    ",
        );
        if truthy(self.get(&["user"])) {
            out.push_str("<span class=\"account-name\">");
            text(out, &["user", "username"]);
            out.push_str("</span>");
        }
        out.push_str("\n    <form method=\"post\" action=\"");
        text(out, &["logout_url"]);
        out.push_str("\" class=\"logout\">\n      <input type=\"hidden\" name=\"csrf_token\" value=\"");
        text(out, &["csrf_token"]);
        out.push_str(
            "\">\n      <button type=\"submit\" class=\"link-button\">Log out</button>\n    </form>\n  </div>\n\
             </header>\n<div class=\"admin-layout\">\n  <nav id=\"admin-nav\" class=\"admin-nav\" \
             aria-label=\"Models\">\n    <h2 class=\"nav-heading\">Models</h2>\n    <ul data-nav=\"models\">\n      ",
        );
        // The sidebar's models, drawn already (by the app's `nav_link` if it has one).
        if let Json::String(html) = self.get(&["admin", "models_html"]) {
            out.push_str(html);
        }
        out.push_str("\n    </ul>\n");
        let panels = self.list(&["admin", "panels"]);
        if !panels.is_empty() {
            out.push_str("    <h2 class=\"nav-heading\">Panels</h2>\n    <ul data-nav=\"panels\">\n");
            for panel in panels {
                out.push_str("      <li><a href=\"");
                push_value(out, &panel["url"]);
                out.push_str("\">");
                push_value(out, &panel["title"]);
                out.push_str("</a></li>\n");
            }
            out.push_str("    </ul>\n");
        }
        out.push_str("  </nav>\n  <main id=\"content\" class=\"admin-main\" tabindex=\"-1\">\n");
        let crumbs = self.list(&["breadcrumbs"]);
        if !crumbs.is_empty() {
            out.push_str("    <nav class=\"breadcrumbs\" aria-label=\"Breadcrumbs\">\n      <ol>");
            for crumb in crumbs {
                out.push_str("<li>");
                if truthy(&crumb["url"]) {
                    out.push_str("<a href=\"");
                    push_value(out, &crumb["url"]);
                    out.push_str("\">");
                    push_value(out, &crumb["label"]);
                    out.push_str("</a>");
                } else {
                    out.push_str("<span aria-current=\"page\">");
                    push_value(out, &crumb["label"]);
                    out.push_str("</span>");
                }
                out.push_str("</li>");
            }
            out.push_str("</ol>\n    </nav>\n");
        }
        let flashes = self.list(&["flashes"]);
        if !flashes.is_empty() {
            out.push_str("    <div role=\"status\" aria-live=\"polite\">\n    <ul class=\"flashes\">\n");
            for flash in flashes {
                out.push_str("      <li class=\"flash flash-");
                push_value(out, &flash["category"]);
                out.push_str("\">");
                push_value(out, &flash["message"]);
                out.push_str("</li>\n");
            }
            out.push_str("    </ul>\n    </div>\n");
        }
        out.push_str("    ");
        out.push_str(&self.content);
        out.push_str("\n  </main>\n</div>\n</body>\n</html>\n");
    }
}

/// A model in the sidebar: a link to its list, or to its add page for a
/// caller who may only add, or its name alone.
struct NavLink {
    name: &'static str,
    url: Option<String>,
    current: bool,
}

impl Fragment for NavLink {
    const TEMPLATE: &'static str = "hangar/admin/nav_link";

    fn to_json(&self) -> Json {
        json!({"name": self.name, "url": self.url, "current": self.current})
    }

    fn write_html(&self, out: &mut String) {
        let Some(url) = &self.url else {
            out.push_str("<li><span>");
            push_escaped(out, self.name);
            out.push_str("</span></li>\n");
            return;
        };
        out.push_str("<li><a href=\"");
        push_escaped(out, url);
        out.push('"');
        if self.current {
            out.push_str(" aria-current=\"page\"");
        }
        out.push('>');
        push_escaped(out, self.name);
        out.push_str("</a></li>\n");
    }
}

/// `admin` as every admin page sees it: the site's title and URLs, the
/// models the caller may use (`models`, and `models_html` as the sidebar
/// shows them) and the panels they may see.
fn admin_json(ctx: &Ctx<'_, '_>, templates: &Templates, current: Option<&'static ModelMeta>) -> Result<Json, Error> {
    let state = ctx.state;
    let models: Vec<NavLink> = state
        .models
        .iter()
        .filter(|ops| ops.visible(&ctx.caller))
        .map(|ops| {
            let meta = (ops.meta)();
            let can = |p| (ops.allows)(&ctx.caller, p);
            let url = if can(Permission::View) {
                Some(state.model_url(meta))
            } else {
                can(Permission::Add).then(|| format!("{}add/", state.model_url(meta)))
            };
            NavLink { name: meta.verbose_name_plural, url, current: current.is_some_and(|c| std::ptr::eq(c, meta)) }
        })
        .collect();
    let panels: Vec<Json> = state
        .panels
        .iter()
        .filter(|p| p.check_user_permission(&ctx.caller))
        .map(|p| json!({"title": p.title(), "url": state.panel_url(p.as_ref())}))
        .collect();
    Ok(json!({
        "site_title": state.site_title,
        "url": state.home_url(),
        "static_url": format!("{}/static", state.prefix),
        "models_html": render_fragments(templates, &models)?,
        "models": models.iter().map(Fragment::to_json).collect::<Vec<_>>(),
        "panels": panels,
    }))
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
    let templates = match Templates::of(ctx.request) {
        Ok(templates) => templates,
        Err(e) => return error::<U>(ctx, e).await,
    };
    let admin = match admin_json(ctx, &templates, current) {
        Ok(admin) => admin,
        Err(e) => return error::<U>(ctx, e).await,
    };
    let context = fill(context.insert("title", title).insert_json("admin", admin));
    let rendered = templates
        .render_taking(template, context.into_json(), &LAYOUT_KEYS)
        .and_then(|(content, values)| render_fragments(&templates, std::slice::from_ref(&Frame { values, content })));
    HtmlPage::rendered(Status::Ok, rendered).into()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::assert_written_as_drawn;

    fn frame(values: Json) -> Frame {
        let Json::Object(values) = values else { unreachable!("a frame's values are an object") };
        Frame { values, content: "<h1>Notes</h1>\n<p>a &amp; b</p>\n".to_owned() }
    }

    #[test]
    fn the_frame_written_in_rust_is_what_the_layout_draws() -> Result<(), Error> {
        let full = json!({
            "title": "Notes & <things>",
            "admin": {
                "site_title": "Admin \"site\"",
                "url": "/admin/",
                "static_url": "/admin/static",
                "models_html": "<li><a href=\"/admin/note/\">Notes</a></li>\n",
                "models": [{"name": "Notes", "url": "/admin/note/", "current": true}],
                "panels": [{"title": "Stats", "url": "/admin/stats/"}, {"title": "Q&A", "url": "/admin/q&a/"}],
            },
            "user": {"username": "boss'", "is_admin": true},
            "csrf_token": "tok=en",
            "logout_url": "/accounts/logout/",
            "login_url": "/accounts/login/",
            "flashes": [{"category": "success", "message": "Saved <it>"}, {"category": "warning", "message": "Hm"}],
            "breadcrumbs": [{"label": "Home", "url": "/admin/"}, {"label": "Notes", "url": null}],
        });
        assert_written_as_drawn(&frame(full))?;
        let bare = json!({
            "title": "",
            "admin": {"site_title": "A", "url": "/a/", "static_url": "/a/static", "models_html": "", "panels": []},
            "user": null,
            "csrf_token": "t",
            "logout_url": "/out/",
            "flashes": [],
            "breadcrumbs": [],
        });
        assert_written_as_drawn(&frame(bare))?;
        assert_written_as_drawn(&frame(json!({})))?;
        Ok(())
    }

    #[test]
    fn sidebar_links_written_in_rust_are_what_the_partial_draws() -> Result<(), Error> {
        for current in [false, true] {
            let link = NavLink { name: "Q&A <posts>", url: Some("/admin/q&a/".into()), current };
            assert_written_as_drawn(&link)?;
            let unlinked = NavLink { name: "Q&A <posts>", url: None, current };
            assert_written_as_drawn(&unlinked)?;
        }
        Ok(())
    }
}
