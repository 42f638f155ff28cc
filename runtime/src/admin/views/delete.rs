//! `GET/POST <prefix>/<model>/<pk>/delete/` and the bulk
//! `<prefix>/<model>/delete/?id=1&id=3`: what goes, then the delete, in one
//! transaction with its audit log.

use diesel::{Connection, QueryDsl};
use rocket::data::Data;
use rocket::response::Redirect;
use serde_json::{json, Value as Json};

use crate::admin::actions::{ActionContext, AdminAction, Selection};
use crate::admin::config::AdminModel;
use crate::admin::grants;
use crate::admin::model_admin::{allows, objects_for, ModelAdmin};
use crate::admin::present::dependent_groups;
use crate::admin::render::{self, model_crumbs};
use crate::admin::state::{AdminReply, Ctx};
use crate::auth::{read_checked_form, Caller, Permission, Session, UserModel};
use crate::db::AnyConnection;
use crate::forms::{encode_component, Params};
use crate::model::{by_keys, display, Dependents, Model, Value};
use crate::Error;

/// How many rows of each dependent group the page lists.
const SHOWN_PER_GROUP: usize = 10;
/// The most objects one bulk delete takes.
const MAX_BULK: usize = 500;

/// The objects `keys` names, each through the admin's `get_object` (a row
/// it hides is a 404) and only if the caller may delete it (a 403), with
/// what deleting them touches.
///
/// Without `delete_collect_objects`, nothing is collected: the delete takes
/// the objects alone, and the database refuses it if rows still refer to
/// them.
fn collect<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    keys: &[String],
    shown: usize,
) -> Result<(Vec<A::Model>, Option<Dependents>), Error> {
    let objects = objects_for::<A>(conn, caller, keys, Permission::Delete)?;
    let pks: Vec<Value> = objects.iter().map(Model::pk).collect();
    let dependents = if A::Model::admin().delete_collect_objects {
        Some(Dependents::collect::<A::Model>(conn, &pks, shown)?)
    } else {
        None
    };
    Ok((objects, dependents))
}

pub(crate) async fn delete<A: ModelAdmin, U: UserModel>(
    ctx: &Ctx<'_, '_>,
    pk: Option<String>,
    data: Option<Data<'_>>,
) -> AdminReply {
    let meta = A::Model::meta();
    let url = ctx.state.model_url(meta);
    let posted = match data {
        Some(data) => match read_checked_form::<U>(ctx.request, data, 64 * 1024).await {
            Ok(params) => Some(params),
            Err(page) => return page.into(),
        },
        None => None,
    };
    let keys: Vec<String> = match (&pk, &posted) {
        (Some(pk), _) => vec![pk.clone()],
        (None, Some(params)) => params.get_all("id").map(str::to_owned).collect(),
        (None, None) => Params::of_query(ctx.request.uri()).get_all("id").map(str::to_owned).collect(),
    };
    if keys.is_empty() || keys.len() > MAX_BULK {
        let session = Session::of(ctx.request);
        let why = if keys.is_empty() {
            "Select the objects to delete first.".to_owned()
        } else {
            format!("Delete at most {MAX_BULK} objects at once.")
        };
        session.flash("warning", why);
        return Redirect::to(url).into();
    }

    if posted.is_some() {
        // The built-in action `delete_selected`, on these objects: the
        // same delete, and the same audit entries, as from the list.
        let caller = ctx.caller.clone();
        let deleted = ctx
            .db
            .run_write(move |conn| {
                conn.transaction(|conn| {
                    let objects = objects_for::<A>(conn, &caller, &keys, Permission::Delete)?;
                    let pks: Vec<Value> = objects.iter().map(Model::pk).collect();
                    let scope = caller.clone();
                    let selection = Selection::new(
                        Box::new(move |dialect| Ok(A::get_query(&scope).filter(by_keys::<A::Model>(&pks, dialect)?))),
                        A::has_delete_permission,
                        Permission::Delete,
                    );
                    let mut context = ActionContext::new(conn, &caller, selection, (U::meta(), grants::forget));
                    let message = (AdminAction::<A::Model>::delete_selected().run)(&mut context)?;
                    context.finish()?;
                    Ok::<_, Error>(message)
                })
            })
            .await;
        return match deleted {
            Ok(message) => {
                Session::of(ctx.request).flash("success", message);
                let back = if allows::<A>(&ctx.caller, Permission::View) { url } else { ctx.state.home_url() };
                Redirect::to(back).into()
            }
            Err(e) => render::error::<U>(ctx, e).await,
        };
    }

    let caller = ctx.caller.clone();
    let page_keys = keys.clone();
    let collected = ctx
        .db
        .run(move |conn| {
            let (objects, dependents) = collect::<A>(conn, &caller, &page_keys, SHOWN_PER_GROUP)?;
            let objects: Vec<(String, String)> = objects.iter().map(|o| (o.pk().to_string(), display(o))).collect();
            let groups = dependent_groups(&dependents.map(|d| d.groups()).unwrap_or_default());
            Ok::<_, Error>((objects, groups))
        })
        .await;
    let (objects, groups) = match collected {
        Ok(collected) => collected,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    let subject = match objects.as_slice() {
        [(_, one)] => format!("the {} “{one}”", meta.verbose_name),
        many => format!("these {} {}", many.len(), meta.verbose_name_plural),
    };
    let back = match &pk {
        Some(pk) => format!("{url}{}/", encode_component(pk)),
        None => url.clone(),
    };
    let action = match &pk {
        Some(pk) => format!("{url}{}/delete/", encode_component(pk)),
        None => format!("{url}delete/"),
    };
    let heading = format!("Delete {}", if objects.len() == 1 { meta.verbose_name } else { meta.verbose_name_plural });
    let object_json: Vec<Json> =
        objects.iter().map(|(_, display)| json!({"model_name": meta.verbose_name, "display": display})).collect();
    let crumbs = model_crumbs(ctx.state, meta, &url, &[("Delete", None)]);
    render::view::<A, U>(ctx, "delete", &heading, |page| {
        page.insert("breadcrumbs", crumbs)
            .insert("heading", &heading)
            .insert("subject", subject)
            .insert("objects", object_json)
            .insert("groups", groups)
            .insert("keys", objects.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
            .insert("urls", json!({"action": action, "back": back}))
    })
    .await
}
