//! `GET/POST <prefix>/<model>/action/`: an admin action on the rows ticked
//! in the list (`id=1&id=3`), or on every row the list's filters and search
//! match (`select_across=1`, with the list's query string in `_list`).
//!
//! A `GET`, and a post of an action that asks first, show the confirmation
//! page: what the action will touch, and a form that posts it again with
//! `confirm=yes`. A post runs the action in one transaction with its audit
//! entries, then goes back to the list with the action's message.

use diesel::Connection;
use rocket::data::Data;
use rocket::response::Redirect;
use serde_json::{json, Value as Json};

use crate::admin::actions::{valid_name, ActionContext, AdminAction, Selection};
use crate::admin::bulk_edit::{carried, form_fields, preview as preview_changes, Preview as ChangesPreview};
use crate::admin::changelist::{object_hook, permitted, row_hooks, Chosen};
use crate::admin::config::AdminModel;
use crate::admin::field_changes;
use crate::admin::grants;
use crate::admin::model_admin::ModelAdmin;
use crate::admin::present::dependent_groups;
use crate::admin::render::{self, model_crumbs};
use crate::admin::state::{AdminReply, Ctx};
use crate::admin::version::SEEN;
use crate::auth::{read_checked_form, Caller, Permission, Session, UserModel};
use crate::db::AnyConnection;
use crate::forms::{url_with_query, FormErrors, Params};
use crate::model::{display, DependentGroup, Dependents, Model, Value};
use crate::Error;

/// The most rows a form may tick; more are selected with `select_across`.
const MAX_TICKED: usize = 1000;
/// How many of the selected rows the confirmation page names.
const SHOWN: usize = 20;
/// How many rows of each dependent group the confirmation page names.
const SHOWN_PER_GROUP: usize = 10;

pub(crate) async fn action<A: ModelAdmin, U: UserModel>(ctx: &Ctx<'_, '_>, data: Option<Data<'_>>) -> AdminReply {
    let meta = A::Model::meta();
    let url = ctx.state.model_url(meta);
    let posted = data.is_some();
    let params = match data {
        Some(data) => match read_checked_form::<U>(ctx.request, data, 256 * 1024).await {
            Ok(params) => params,
            Err(page) => return page.into(),
        },
        None => Params::of_query(ctx.request.uri()),
    };
    // The list's own query string, decoded and written again: the way
    // back, and the rows `select_across` takes.
    let list_params = Params::parse(params.get("_list").unwrap_or_default());
    let list_query = list_params.query_without(&[], &[]);
    let back = url_with_query(&url, &list_query);
    let warn = |message: String| -> AdminReply {
        Session::of(ctx.request).flash("warning", message);
        Redirect::to(back.clone()).into()
    };

    let name = params.get("action").unwrap_or_default();
    if name.is_empty() {
        return warn("Choose an action first.".to_owned());
    }
    let found = if valid_name(name) { A::actions().into_iter().find(|a| a.name == name) } else { None };
    let Some(action) = found else {
        let error = Error::BadRequest(format!("`action`: {} have no action `{name}`", meta.verbose_name_plural));
        return render::error::<U>(ctx, error).await;
    };
    if !permitted::<A>(&ctx.caller, action.permission) {
        let error = Error::Forbidden(format!("You may not {} {}.", action.permission.name(), meta.verbose_name_plural));
        return render::error::<U>(ctx, error).await;
    }
    let across = matches!(params.get("select_across"), Some("1" | "on" | "true"));
    let chosen = if across {
        Chosen::Across(list_params.clone())
    } else {
        let key = meta.primary_key;
        let mut keys: Vec<Value> = Vec::new();
        for text in params.get_all("id") {
            let value = Value::parse(key.kind, text).filter(|v| key.check_comparable(v).is_ok());
            let Some(value) = value else {
                let error = Error::BadRequest(format!("`id`: `{text}` is not a key of a {}", meta.verbose_name));
                return render::error::<U>(ctx, error).await;
            };
            if !keys.contains(&value) {
                keys.push(value);
            }
        }
        if keys.is_empty() {
            return warn(format!("Select the {} to act on first.", meta.verbose_name_plural.to_lowercase()));
        }
        if keys.len() > MAX_TICKED {
            return warn(format!("Tick at most {MAX_TICKED} rows, or select all that match."));
        }
        Chosen::Ticked(keys)
    };
    let allowed = object_hook::<A>(action.permission);
    let confirmed = posted && params.get("confirm") == Some("yes");
    if action.changes_fields && !confirmed {
        return change_fields::<A, U>(ctx, action, chosen, &params, (&list_query, &back)).await;
    }
    if !confirmed && (action.confirmation.is_some() || !posted) {
        let ticked: Vec<String> = match &chosen {
            Chosen::Ticked(keys) => keys.iter().map(Value::to_string).collect(),
            Chosen::Across(_) => Vec::new(),
        };
        return confirmation::<A, U>(ctx, action, chosen, ticked, &list_query, &back).await;
    }

    let caller = ctx.caller.clone();
    let permission = action.permission;
    let run = action.run.clone();
    let form = params.clone();
    let done = ctx
        .db
        .run_write(move |conn| {
            conn.transaction(|conn| {
                let selection = chosen.selection::<A>(caller.clone(), allowed, permission);
                let mut context = ActionContext::new(conn, &caller, selection, (U::meta(), grants::forget))
                    .with_form(form, row_hooks::<A>());
                let message = run(&mut context)?;
                context.finish()?;
                Ok::<_, Error>(message)
            })
        })
        .await;
    let session = Session::of(ctx.request);
    match done {
        Ok(message) => session.flash("success", message),
        Err(e) => {
            if e.status().code >= 500 {
                log::error!("the action `{}` on {} failed: {e}", action.name, meta.slug);
            }
            session
                .flash("danger", format!("{} failed, and nothing was changed: {}", action.label, e.public_message()));
        }
    }
    Redirect::to(back).into()
}

/// What an action will touch, read batch by batch: how many rows, the
/// first few, and for a delete what goes with them.
struct Preview {
    count: usize,
    shown: Vec<String>,
    groups: Vec<DependentGroup>,
    /// The version of the rows, for the confirmation to carry.
    seen: Option<String>,
}

fn preview<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    mut selection: Selection<A::Model>,
    dependents: bool,
) -> Result<Preview, Error> {
    let mut preview = Preview { count: 0, shown: Vec::new(), groups: Vec::new(), seen: None };
    while let Some(rows) = selection.next_batch(conn, caller)? {
        preview.count += rows.len();
        let room = SHOWN.saturating_sub(preview.shown.len());
        preview.shown.extend(rows.iter().take(room).map(display));
        if dependents && A::Model::admin().delete_collect_objects {
            let keys: Vec<Value> = rows.iter().map(Model::pk).collect();
            for group in Dependents::collect::<A::Model>(conn, &keys, SHOWN_PER_GROUP)?.groups() {
                match preview.groups.iter_mut().find(|g| std::ptr::eq(g.model, group.model) && g.action == group.action)
                {
                    Some(known) => {
                        known.total += group.total;
                        let room = SHOWN_PER_GROUP.saturating_sub(known.objects.len());
                        known.objects.extend(group.objects.into_iter().take(room));
                    }
                    None => preview.groups.push(group),
                }
            }
        }
    }
    preview.seen = selection.seen();
    Ok(preview)
}

/// The confirmation page of `action`.
async fn confirmation<A: ModelAdmin, U: UserModel>(
    ctx: &Ctx<'_, '_>,
    action: AdminAction<A::Model>,
    chosen: Chosen,
    ticked: Vec<String>,
    list_query: &str,
    back: &str,
) -> AdminReply {
    let meta = A::Model::meta();
    let url = ctx.state.model_url(meta);
    let across = matches!(chosen, Chosen::Across(_));
    let caller = ctx.caller.clone();
    let (allowed, permission, dependents) =
        (object_hook::<A>(action.permission), action.permission, action.lists_dependents);
    let read = ctx
        .db
        .run(move |conn| {
            preview::<A>(conn, &caller, chosen.selection::<A>(caller.clone(), allowed, permission), dependents)
        })
        .await;
    let preview = match read {
        Ok(preview) => preview,
        Err(e) if e.status().code < 500 => {
            Session::of(ctx.request).flash("danger", e.public_message());
            return Redirect::to(back.to_owned()).into();
        }
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    if preview.count == 0 {
        Session::of(ctx.request)
            .flash("warning", format!("No {} match, so nothing was done.", meta.verbose_name_plural));
        return Redirect::to(back.to_owned()).into();
    }
    let name = |n: usize| if n == 1 { meta.verbose_name } else { meta.verbose_name_plural };
    let subject = match (across, preview.shown.as_slice()) {
        (true, _) => format!("all {} {} that the list's filters match", preview.count, name(preview.count)),
        (false, [one]) => format!("the {} “{one}”", meta.verbose_name),
        (false, _) => format!("these {} {}", preview.count, name(preview.count)),
    };
    let groups = dependent_groups(&preview.groups);
    let objects: Vec<Json> =
        preview.shown.iter().map(|display| json!({"model_name": meta.verbose_name, "display": display})).collect();
    let more = preview.count.saturating_sub(preview.shown.len());
    let crumbs = model_crumbs(ctx.state, meta, back, &[(action.label.as_str(), None)]);
    let heading = action.label.clone();
    render::view::<A, U>(ctx, "action", &heading, |page| {
        page.insert("breadcrumbs", crumbs)
            .insert("heading", &heading)
            .insert_json(
                "action",
                json!({"name": action.name, "label": action.label, "confirmation": action.confirmation, "danger": action.permission == Permission::Delete}),
            )
            .insert("subject", subject)
            .insert("count", preview.count)
            .insert("objects", objects)
            .insert("more", more)
            .insert("groups", groups)
            .insert("keys", ticked)
            .insert("select_across", across)
            .insert("list_query", list_query)
            .insert_json("seen", json!({"name": SEEN, "value": preview.seen}))
            .insert_json("urls", json!({"action": format!("{url}action/"), "back": back}))
    })
    .await
}

/// What the page of "Change fields" shows: the form, or the preview.
enum ChangeFieldsPage {
    Form(Vec<Json>, FormErrors),
    Preview(ChangesPreview),
}

/// The page of "Change fields": the form that ticks fields and gives them
/// values; once it asks (`step=preview`), each selected row before and
/// after, with a form that applies the values (`confirm=yes`).
async fn change_fields<A: ModelAdmin, U: UserModel>(
    ctx: &Ctx<'_, '_>,
    action: AdminAction<A::Model>,
    chosen: Chosen,
    params: &Params,
    (list_query, back): (&str, &str),
) -> AdminReply {
    let meta = A::Model::meta();
    let url = ctx.state.model_url(meta);
    let across = matches!(chosen, Chosen::Across(_));
    let ticked: Vec<String> = match &chosen {
        Chosen::Ticked(keys) => keys.iter().map(Value::to_string).collect(),
        Chosen::Across(_) => Vec::new(),
    };
    let values = match params.get("step") {
        Some("preview") => match field_changes::read(meta, params) {
            Ok(values) => Some(values),
            Err(e) => return render::error::<U>(ctx, e).await,
        },
        _ => None,
    };
    let carried = match carried(meta, params) {
        Ok(carried) => carried,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    let caller = ctx.caller.clone();
    let registered = ctx.state.models.clone();
    let (allowed, permission) = (object_hook::<A>(action.permission), action.permission);
    let (form, model_url) = (params.clone(), url.clone());
    let read = ctx
        .db
        .run(move |conn| match values {
            Some(Ok(data)) => {
                let selection = chosen.selection::<A>(caller.clone(), allowed, permission);
                preview_changes(conn, &caller, selection, row_hooks::<A>(), &data).map(ChangeFieldsPage::Preview)
            }
            other => {
                let errors = match other {
                    Some(Err(errors)) => errors,
                    _ => FormErrors::default(),
                };
                let fields = form_fields(conn, &caller, &registered, (meta, &model_url), &form, &errors)?;
                Ok(ChangeFieldsPage::Form(fields, errors))
            }
        })
        .await;
    let page = match read {
        Ok(page) => page,
        Err(e) if e.status().code < 500 => {
            Session::of(ctx.request).flash("danger", e.public_message());
            return Redirect::to(back.to_owned()).into();
        }
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    let name = |n: usize| if n == 1 { meta.verbose_name } else { meta.verbose_name_plural }.to_lowercase();
    let (fields, form_errors, preview) = match page {
        ChangeFieldsPage::Form(fields, errors) => {
            let shown: Vec<&str> = fields.iter().filter_map(|f| f["name"].as_str()).collect();
            let above: Vec<String> = errors
                .0
                .iter()
                .filter(|e| !shown.contains(&e.field))
                .map(|e| if e.field == "__all__" { e.message.clone() } else { format!("`{}`: {}", e.field, e.message) })
                .collect();
            (fields, above, None)
        }
        ChangeFieldsPage::Preview(preview) if preview.count == 0 => {
            Session::of(ctx.request)
                .flash("warning", format!("No {} match, so nothing was done.", meta.verbose_name_plural));
            return Redirect::to(back.to_owned()).into();
        }
        ChangeFieldsPage::Preview(preview) => {
            let unchanged = preview.count - preview.changing - preview.refused;
            let summary = json!({
                "count": preview.count,
                "rows": name(preview.count),
                "changing": preview.changing,
                "unchanged": unchanged,
                "refused": preview.refused,
                "more": preview.count.saturating_sub(preview.rows.len()),
                "columns": preview.columns,
                "rows_shown": preview.rows,
                "can_apply": preview.refused == 0 && preview.changing > 0,
                "seen": {"name": SEEN, "value": preview.seen},
            });
            (Vec::new(), Vec::new(), Some(summary))
        }
    };
    let subject = match (across, ticked.len()) {
        (true, _) => format!("every {} the list's filters match", name(1)),
        (false, n) => format!("the {n} {} ticked", name(n)),
    };
    let carried: Vec<Json> = carried.into_iter().map(|(name, value)| json!({"name": name, "value": value})).collect();
    let crumbs = model_crumbs(ctx.state, meta, back, &[(action.label.as_str(), None)]);
    let heading = action.label.clone();
    render::view::<A, U>(ctx, "change_fields", &heading, |page| {
        page.insert("breadcrumbs", crumbs)
            .insert("heading", &heading)
            .insert_json("action", json!({"name": action.name, "label": action.label}))
            .insert("subject", subject)
            .insert(
                "errors",
                !form_errors.is_empty() || fields.iter().any(|f| f["errors"].as_array().is_some_and(|e| !e.is_empty())),
            )
            .insert("form_errors", form_errors)
            .insert("fields", fields)
            .insert_json("preview", preview.unwrap_or(Json::Null))
            .insert("carried", carried)
            .insert("keys", ticked)
            .insert("select_across", across)
            .insert("list_query", list_query)
            .insert_json("urls", json!({"action": format!("{url}action/"), "back": back}))
    })
    .await
}
