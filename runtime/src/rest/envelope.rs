//! The list envelope of the REST contract.

use serde_json::{Map, Value as Json};

use crate::forms::{with_page, with_param};
use crate::model::ModelMeta;
use crate::query::{Counted, Page};

/// `{"meta": {"model", "page", "page_count", "object_count", "next", "previous"}, "objects": [...]}`
/// for one page of `model`'s rows. `next` and `previous` are `path` with
/// the request's raw `query` string and `page` replaced, or `""`.
///
/// A list that does not count (`count = none`) has `object_count` and
/// `page_count` null; a capped count past its cap gives the cap as
/// `object_count` with `"count_capped": true`. A list paged by `cursor` has
/// no page numbers (`page`, `page_count` and `object_count` are null), and
/// its `next` and `previous` carry `cursor=<token>`.
pub fn list_envelope<T>(
    model: &ModelMeta,
    page: &Page<T>,
    path: &str,
    query: Option<&str>,
    objects: Vec<Json>,
) -> Json {
    let mut envelope = Map::with_capacity(2);
    envelope.insert("meta".into(), list_meta(model, page, path, query));
    envelope.insert("objects".into(), Json::Array(objects));
    Json::Object(envelope)
}

/// The envelope's `meta` object.
pub(crate) fn list_meta<T>(model: &ModelMeta, page: &Page<T>, path: &str, query: Option<&str>) -> Json {
    let mut meta = Map::with_capacity(7);
    meta.insert("model".into(), model.slug.into());
    if let Some(cursors) = &page.cursors {
        let link = |token: &Option<String>| {
            token.as_deref().map(|t| with_param(path, query, "cursor", t, &["page"])).unwrap_or_default()
        };
        meta.insert("page".into(), Json::Null);
        meta.insert("page_count".into(), Json::Null);
        meta.insert("object_count".into(), Json::Null);
        meta.insert("next".into(), link(&cursors.next).into());
        meta.insert("previous".into(), link(&cursors.previous).into());
    } else {
        let counted = page.counted != Counted::NotCounted;
        let number = |n: u64| if counted { Json::from(n) } else { Json::Null };
        let link = |n: Option<u64>| n.map(|n| with_page(path, query, n)).unwrap_or_default();
        meta.insert("page".into(), page.page.into());
        meta.insert("page_count".into(), number(page.page_count));
        meta.insert("object_count".into(), number(page.object_count));
        if page.counted == Counted::AtLeast {
            meta.insert("count_capped".into(), true.into());
        }
        meta.insert("next".into(), link(page.next_page()).into());
        meta.insert("previous".into(), link(page.previous_page()).into());
    }
    Json::Object(meta)
}
