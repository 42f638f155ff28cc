//! `GET <prefix>/`: every model with its count, the panels, and the latest
//! changes made through the admin.

use std::marker::PhantomData;

use rocket::data::Data;
use rocket::http::Status;
use rocket::route::{Handler, Outcome};
use rocket::Request;
use serde_json::{json, Value as Json};

use super::access::enter;
use super::log::{entries, entry_json};
use super::page::{context, render};
use super::panel::render_panel;
use crate::auth::{error_page, Session, UserModel};
use crate::forms::encode_component;
use crate::Error;

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
        let (caller, state, db) = match enter::<U>(request, |c| c.is_admin()).await {
            Ok(entered) => entered,
            Err(outcome) => return outcome,
        };
        let permitted: Vec<_> = state.models.iter().copied().filter(|ops| (ops.permitted)(&caller)).collect();
        let who = caller.clone();
        let counted = db
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
            Err(e) => {
                let page = error_page::<U>(request, e.status(), &e.public_message()).await;
                return Outcome::from(request, page);
            }
        };
        let token = Session::of(request).csrf_token();
        let mut panels: Vec<Json> = Vec::with_capacity(state.panels.len());
        for panel in &state.panels {
            let html = match render_panel(request, state, db, panel.clone(), &caller, &token).await {
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
                let mut json = entry_json(entry, url.as_deref());
                json["model_name"] = json!(meta.map_or(entry.model.as_str(), |m| m.verbose_name));
                json
            })
            .collect();
        let page = match context::<U>(request, state, &caller, &state.site_title, None).await {
            Ok(page) => page,
            Err(page) => return Outcome::from(request, page),
        };
        let page = page.insert("models", models).insert("panels", panels).insert("log", log);
        Outcome::from(request, render(request, Status::Ok, "hangar/admin/index", page))
    }
}
