//! `GET <prefix>/<model>/export/`: the page to choose fields and a format,
//! and with `format=csv` or `format=json` the file itself, streamed in
//! batches so that memory stays flat however many rows there are.

use std::pin::Pin;
use std::sync::Arc;

use diesel::QueryDsl;
use rocket::futures::stream::{self, Stream};
use rocket::http::ContentType;
use serde_json::{json, Map, Value as Json};

use crate::admin::changelist::{base_query, ChangeList};
use crate::admin::columns::{cells, resolve, Column};
use crate::admin::config::{shown_through_relation, AdminModel};
use crate::admin::model_admin::ModelAdmin;
use crate::admin::render::{self, model_crumbs};
use crate::admin::state::{AdminReply, Ctx, Download, DownloadBody};
use crate::auth::{Caller, UserModel};
use crate::db::Database;
use crate::forms::Params;
use crate::model::{predicate, Comparison, Condition, Lookup, Model, Value};
use crate::query::{ListQuery, OrderBy};
use crate::Error;

/// Rows read per query while exporting.
const BATCH: i64 = 500;

/// The fields an export may hold: the model's own that the admin shows and
/// does not `export_exclude`, and those one relation away that the related
/// admin shows; never a password.
fn exportable<M: AdminModel>() -> Vec<(String, Column)> {
    let (meta, config) = (M::meta(), M::admin());
    let mut out = Vec::new();
    for field in meta.fields.iter().filter(|f| config.shows(f.name) && !config.export_exclude.contains(&f.name)) {
        let column = Column {
            key: field.name.to_owned(),
            label: config.label(field).to_owned(),
            hops: Vec::new(),
            field: Some(field),
            method: None,
        };
        out.push((field.name.to_owned(), column));
    }
    for relation in meta.relations.iter().filter(|r| config.shows(r.field) && !config.export_exclude.contains(&r.field))
    {
        let target = relation.target;
        for field in target.fields.iter().filter(|f| !f.primary_key && shown_through_relation(target, f)) {
            let path = format!("{}__{}", relation.name, field.name);
            if let Some((hops, Some(field), label)) = resolve(meta, config, &path) {
                let column = Column { key: path.clone(), label, hops, field: Some(field), method: None };
                out.push((path, column));
            }
        }
    }
    out
}

/// One batch of rows after `after` (by primary key), as the file's bytes.
fn batch<A: ModelAdmin>(
    conn: &mut crate::db::AnyConnection,
    caller: &Caller,
    list: &ListQuery<A::Model>,
    q: &str,
    columns: &[Column],
    after: Option<&Value>,
) -> Result<(Vec<Vec<Value>>, Option<Value>), Error> {
    let meta = A::Model::meta();
    let dialect = conn.dialect();
    let mut query = list.filter(base_query::<A>(caller, q, dialect)?, dialect)?;
    if let Some(after) = after {
        let lookup = Lookup::new(meta.primary_key.name, vec![Condition::Cmp(Comparison::Gt, after.clone())]);
        query = query.filter(predicate::<A::Model>(&[], &lookup, dialect)?);
    }
    let query = OrderBy::field(meta.primary_key.name, false).apply::<A::Model>(query)?.limit(BATCH);
    let rows = A::Model::load(query, conn)?;
    let last = rows.last().map(Model::pk);
    Ok((cells::<A::Model>(conn, columns, &rows)?, last))
}

fn csv_bytes(header: Option<&[String]>, rows: &[Vec<Value>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if let Some(header) = header {
        let _ = writer.write_record(header);
    }
    for row in rows {
        let record: Vec<String> = row.iter().map(|v| if v.is_null() { String::new() } else { v.to_string() }).collect();
        let _ = writer.write_record(&record);
    }
    writer.into_inner().unwrap_or_default()
}

fn json_bytes(keys: &[String], rows: &[Vec<Value>], first: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if !(first && i == 0) {
            out.push(b',');
        }
        let object: Map<String, Json> = keys.iter().cloned().zip(row.iter().map(Value::to_json)).collect();
        out.extend(serde_json::to_vec(&Json::Object(object)).unwrap_or_default());
        out.push(b'\n');
    }
    out
}

/// Where the stream of batches is.
struct Cursor<M> {
    db: Database,
    caller: Caller,
    list: Arc<ListQuery<M>>,
    q: String,
    columns: Arc<Vec<Column>>,
    after: Option<Value>,
    started: bool,
    done: bool,
}

fn stream_file<A: ModelAdmin>(cursor: Cursor<A::Model>, csv: bool) -> Pin<Box<dyn Stream<Item = Vec<u8>> + Send>> {
    let keys: Vec<String> = cursor.columns.iter().map(|c| c.key.clone()).collect();
    let chunks = stream::unfold(cursor, move |mut cursor| {
        let keys = keys.clone();
        async move {
            if cursor.done {
                return None;
            }
            let (db, caller, list, q, columns, after) = (
                cursor.db.clone(),
                cursor.caller.clone(),
                cursor.list.clone(),
                cursor.q.clone(),
                cursor.columns.clone(),
                cursor.after.clone(),
            );
            let loaded = db.run(move |conn| batch::<A>(conn, &caller, &list, &q, &columns, after.as_ref())).await;
            let first = !cursor.started;
            cursor.started = true;
            let (rows, last) = match loaded {
                Ok(loaded) => loaded,
                Err(e) => {
                    // The headers are sent; the file ends where it failed.
                    log::error!("an export failed half way: {e}");
                    cursor.done = true;
                    return Some((if csv { Vec::new() } else { b"]\n".to_vec() }, cursor));
                }
            };
            cursor.done = last.is_none() || rows.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
            cursor.after = last;
            let mut bytes = Vec::new();
            if csv {
                bytes.extend(csv_bytes(first.then_some(keys.as_slice()), &rows));
            } else {
                if first {
                    bytes.extend(b"[\n");
                }
                bytes.extend(json_bytes(&keys, &rows, first));
                if cursor.done {
                    bytes.extend(b"]\n");
                }
            }
            Some((bytes, cursor))
        }
    });
    Box::pin(chunks)
}

pub(crate) async fn export<A: ModelAdmin, U: UserModel>(ctx: &Ctx<'_, '_>) -> AdminReply {
    let meta = A::Model::meta();
    let url = ctx.state.model_url(meta);
    let params = Params::of_query(ctx.request.uri());
    let exportable = exportable::<A::Model>();
    let ChangeList { list, q, notices } = ChangeList::<A::Model>::parse(&params);
    let asked: Vec<&str> = params.get_all("fields").collect();

    if let Some(format) = params.get("format") {
        let csv = match format {
            "csv" => true,
            "json" => false,
            other => {
                let error = Error::BadRequest(format!("`format` is `csv` or `json`, not `{other}`"));
                return render::error::<U>(ctx, error).await;
            }
        };
        // Asked-for fields the export may not hold are left out.
        let columns: Vec<Column> = if asked.is_empty() {
            exportable.iter().map(|(_, c)| c.clone()).collect()
        } else {
            asked.iter().filter_map(|a| exportable.iter().find(|(k, _)| k == a).map(|(_, c)| c.clone())).collect()
        };
        if columns.is_empty() {
            let error = Error::BadRequest("`fields` names no field that can be exported".into());
            return render::error::<U>(ctx, error).await;
        }
        let cursor = Cursor {
            db: ctx.db.clone(),
            caller: ctx.caller.clone(),
            list: Arc::new(list),
            q,
            columns: Arc::new(columns),
            after: None,
            started: false,
            done: false,
        };
        let (content_type, extension) = if csv {
            (ContentType::new("text", "csv").with_params(("charset", "utf-8")), "csv")
        } else {
            (ContentType::JSON, "json")
        };
        return AdminReply::Download(Download {
            content_type,
            filename: format!("{}.{extension}", meta.slug),
            body: DownloadBody::Stream(stream_file::<A>(cursor, csv)),
        });
    }

    let caller = ctx.caller.clone();
    let counted = ctx
        .db
        .run(move |conn| {
            let dialect = conn.dialect();
            let query = list.filter(base_query::<A>(&caller, &q, dialect)?, dialect)?;
            Ok::<_, Error>(A::Model::count(query, conn)?)
        })
        .await;
    let count = match counted {
        Ok(count) => count,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    let fields: Vec<Json> = exportable
        .iter()
        .map(|(key, column)| json!({"path": key, "label": column.label, "checked": asked.is_empty() || asked.contains(&key.as_str())}))
        .collect();
    let keep: Vec<Json> = params
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "fields" | "format" | "page"))
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    let records = if count == 1 { "record" } else { "records" };
    let title = format!("Export {}", meta.verbose_name_plural);
    let list_url = params.url_without(&url, &["fields", "format"], &[]);
    let crumbs = model_crumbs(ctx.state, meta, &list_url, &[("Export", None)]);
    render::view::<A, U>(ctx, "export", &title, |page| {
        page.insert("breadcrumbs", crumbs)
            .insert(
                "model",
                json!({"slug": meta.slug, "name": meta.verbose_name, "name_plural": meta.verbose_name_plural}),
            )
            .insert("count_text", format!("{count} {records}"))
            .insert("notices", notices)
            .insert("fields", fields)
            .insert("keep", keep)
            .insert("urls", json!({"export": format!("{url}export/")}))
    })
    .await
}
