//! `GET <prefix>/<model>/`: the list, filtered with the REST API's filter
//! language, searched, sorted and paged.

use rocket::response::Redirect;
use serde_json::{json, Value as Json};

use crate::admin::changelist::{
    base_query, count_text, offered, result_headers, result_rows, search, ChangeList, Pagination,
};
use crate::admin::columns::{cells, columns, resolve};
use crate::admin::config::AdminModel;
use crate::admin::filters::{active_filters, builder, builder_target, sidebar};
use crate::admin::model_admin::{allows, ModelAdmin};
use crate::admin::render::{self, crumb};
use crate::admin::state::{AdminReply, Ctx};
use crate::auth::{Permission, UserModel};
use crate::forms::{query_string, url_with_query, Params};
use crate::model::Model;
use crate::templates::{render_fragments, Fragment, Templates};
use crate::Error;

pub(crate) async fn list<A: ModelAdmin, U: UserModel>(ctx: &Ctx<'_, '_>) -> AdminReply {
    let meta = A::Model::meta();
    let config = A::Model::admin();
    let url = ctx.state.model_url(meta);
    let params = Params::of_query(ctx.request.uri());

    if let Some(target) = builder_target(&params, &url) {
        return Redirect::to(target).into();
    }

    let ChangeList { list, q, mut notices } = ChangeList::<A::Model>::parse(&params);
    let columns = columns::<A::Model>();
    let caller = ctx.caller.clone();
    let search_q = q.clone();
    let loaded_columns = columns.clone();
    let loaded = ctx
        .db
        .run(move |conn| {
            let dialect = conn.dialect();
            let (search_notice, q) = match search::<A::Model>(&search_q, dialect) {
                Ok(_) => (None, search_q.as_str()),
                Err(e) => (Some(e.to_string()), ""),
            };
            let page = list.fetch_from(conn, || base_query::<A>(&caller, q, dialect))?;
            let table = cells::<A::Model>(conn, &loaded_columns, &page.objects)?;
            Ok::<_, Error>((list, page, table, search_notice))
        })
        .await;
    let (list, page, table, search_notice) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            log::error!("the {} list failed: {e}", meta.slug);
            return render::error::<U>(ctx, e).await;
        }
    };
    notices.extend(search_notice);

    let page_url = |n: u64| params.url_without(&url, &["page"], &[("page", &n.to_string())]);
    let (count_text, pagination) = (count_text(&page), Pagination::of(&page, &page_url));
    let can_add = allows::<A>(&ctx.caller, Permission::Add);
    // The rows are ticked for an action: no action the caller may use, no boxes.
    let offered_actions = offered::<A>(&ctx.caller);
    let can_tick = !offered_actions.is_empty();
    let rows = result_rows(&page.objects, &columns, table, &url, can_tick);
    let select_across = select_across_label(&page, meta);
    drop(page);
    let headers = result_headers(&columns, list.ordering(), &params, &url);
    let active_filters = active_filters(meta, config, list.filters(), &params, &url);
    let sidebar_filters = sidebar(meta, config, &params, &url, chrono::Utc::now());
    let templates = match Templates::of(ctx.request) {
        Ok(templates) => templates,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    let written = (|| {
        let pagination_html = render_fragments(&templates, std::slice::from_ref(&pagination))?;
        Ok::<_, Error>((render_fragments(&templates, &headers)?, render_fragments(&templates, &rows)?, pagination_html))
    })();
    let (headers_html, rows_html, pagination_html) = match written {
        Ok(written) => written,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    // A list template of the app's own may read the headers, rows, page
    // links, fields and operators themselves; the admin's own shows them
    // written already.
    let custom = render::overridden::<A>("list").is_some() || templates.is_replaced("hangar/admin/list");
    let data: Vec<(&str, Json)> = if custom {
        vec![
            ("columns", headers.iter().map(Fragment::to_json).collect()),
            ("rows", rows.iter().map(Fragment::to_json).collect()),
            ("page_links", Json::Array(pagination.links_json())),
            ("previous_url", json!(pagination.previous_url)),
            ("next_url", json!(pagination.next_url)),
        ]
    } else {
        Vec::new()
    };
    let keep = |drop: &[&str]| -> Vec<Json> {
        params
            .iter()
            .filter(|(k, _)| !drop.contains(&k.as_str()))
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect()
    };
    let search_labels: Vec<String> = config
        .search_fields
        .iter()
        .filter_map(|path| resolve(meta, config, path).map(|(_, _, label)| label.to_lowercase()))
        .collect();
    let filter_query = params.query_without(&["page"], &[]);
    let actions: Vec<Json> = offered_actions.iter().map(|a| json!({"name": a.name(), "label": a.label()})).collect();
    let add_query = query_string([("_list", filter_query.as_str())].into_iter().filter(|(_, v)| !v.is_empty()));
    render::view::<A, U>(ctx, "list", meta.verbose_name_plural, |page_context| {
        let page_context = page_context
            .insert("breadcrumbs", [crumb("Home", Some(&ctx.state.home_url())), crumb(meta.verbose_name_plural, None)])
            .insert_json("model", json!({"slug": meta.slug, "name": meta.verbose_name, "name_plural": meta.verbose_name_plural}))
            .insert_json(
                "urls",
                json!({
                    "list": url,
                    "add": can_add.then(|| url_with_query(&format!("{url}add/"), &add_query)),
                    "export": url_with_query(&format!("{url}export/"), &filter_query),
                    "delete_bulk": allows::<A>(&ctx.caller, Permission::Delete).then(|| format!("{url}delete/")),
                    "action": can_tick.then(|| format!("{url}action/")),
                }),
            )
            .insert_json("actions", Json::Array(actions))
            .insert("list_query", &filter_query)
            .insert("select_across_label", select_across)
            .insert("notices", notices)
            .insert_json(
                "search",
                json!({"enabled": !config.search_fields.is_empty(), "q": q, "label": search_labels.join(", "), "keep": keep(&["q", "page"])}),
            )
            .insert_json("filter_builder", builder::<A::Model>(&keep(&["page", "_filter_field", "_filter_op", "_filter_value"]), custom))
            .insert_json("active_filters", Json::Array(active_filters))
            .insert_json("sidebar_filters", Json::Array(sidebar_filters))
            .insert("count_text", count_text)
            .insert("column_span", columns.len() + usize::from(can_tick))
            .insert("headers_html", headers_html)
            .insert("rows_html", rows_html)
            .insert("pagination_html", pagination_html);
        data.into_iter().fold(page_context, |page, (key, value)| page.insert_json(key, value))
    })
    .await
}

/// The label of the box that applies an action to every row the list
/// matches: "Select all 42 messages matching", or without an exact count
/// "Select every message matching".
fn select_across_label<T>(page: &crate::query::Page<T>, meta: &crate::model::ModelMeta) -> String {
    match page.counted {
        crate::query::Counted::Exact => {
            let name = if page.object_count == 1 { meta.verbose_name } else { meta.verbose_name_plural };
            format!("Select all {} {} matching", page.object_count, name.to_lowercase())
        }
        _ => format!("Select every {} matching", meta.verbose_name.to_lowercase()),
    }
}
