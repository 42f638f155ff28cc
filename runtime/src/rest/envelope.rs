//! The list envelope of the REST contract.

use serde_json::{Map, Value as Json};

use crate::forms::with_page;
use crate::model::ModelMeta;
use crate::query::Page;

/// `{"meta": {"model", "page", "page_count", "object_count", "next", "previous"}, "objects": [...]}`
/// for one page of `model`'s rows. `next` and `previous` are `path` with
/// the request's raw `query` string and `page` replaced, or `""`.
pub fn list_envelope<T>(
    model: &ModelMeta,
    page: &Page<T>,
    path: &str,
    query: Option<&str>,
    objects: Vec<Json>,
) -> Json {
    let link = |n: Option<u64>| n.map(|n| with_page(path, query, n)).unwrap_or_default();
    let meta = serde_json::json!({
        "model": model.slug,
        "page": page.page,
        "page_count": page.page_count,
        "object_count": page.object_count,
        "next": link(page.next_page()),
        "previous": link(page.previous_page()),
    });
    let mut envelope = Map::with_capacity(2);
    envelope.insert("meta".into(), meta);
    envelope.insert("objects".into(), Json::Array(objects));
    Json::Object(envelope)
}
