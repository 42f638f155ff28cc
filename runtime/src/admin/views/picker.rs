//! `GET <prefix>/<model>/lookup/<field>/?q=&page=`: the type-ahead picker's
//! choices for a foreign key, through the related model's admin. (The URL
//! and `foreign_key_lookups` keep flask-peewee's word for it.)

use serde_json::json;

use crate::admin::config::AdminModel;
use crate::admin::model_admin::ModelAdmin;
use crate::admin::render;
use crate::admin::state::{AdminReply, Ctx};
use crate::auth::{Permission, UserModel};
use crate::forms::Params;
use crate::model::Model;
use crate::query::parse_page;
use crate::Error;

/// Choices on a page.
const PER_PAGE: u64 = 15;

pub(crate) async fn picker<A: ModelAdmin, U: UserModel>(ctx: &Ctx<'_, '_>, field: &str) -> AdminReply {
    let meta = A::Model::meta();
    let config = A::Model::admin();
    // The foreign key, by its field's name or its relation's.
    let relation = meta.relation_of_field(field).or_else(|| meta.relation(field));
    let Some(relation) = relation.filter(|r| config.shows(r.field)) else {
        return render::error::<U>(ctx, Error::NotFound).await;
    };
    let Some(ops) = ctx.state.admin_of(relation.target).copied() else {
        return render::error::<U>(ctx, Error::NotFound).await;
    };
    if !(ops.allows)(&ctx.caller, Permission::View) {
        return render::error::<U>(ctx, Error::Forbidden("You may not view that model's rows.".into())).await;
    }
    let params = Params::of_query(ctx.request.uri());
    let q = params.get("q").unwrap_or_default().chars().take(200).collect::<String>();
    let page = parse_page(params.get_all("page").last());
    let search = config.lookup_field(relation.name).or(relation.target.display);
    let caller = ctx.caller.clone();
    let offset = (page - 1).saturating_mul(PER_PAGE);
    let found = ctx.db.run(move |conn| (ops.choose)(conn, &caller, search, &q, offset, PER_PAGE + 1)).await;
    match found {
        Ok(mut rows) => {
            let has_next = rows.len() > usize::try_from(PER_PAGE).unwrap_or(usize::MAX);
            rows.truncate(usize::try_from(PER_PAGE).unwrap_or(usize::MAX));
            let objects: Vec<_> = rows.iter().map(|(pk, repr)| json!({"id": pk.to_json(), "repr": repr})).collect();
            AdminReply::Json(json!({"objects": objects, "page": page, "has_next": has_next}))
        }
        Err(e) => render::error::<U>(ctx, e).await,
    }
}
