//! Shorthands for the query tests.

use hangar::db::AnyConnection;
use hangar::forms::Params;
use hangar::model::Value;
use hangar::query::{ListOptions, ListQuery};
use hangar::rest::list_envelope;
use hangar::Model;
use hangar_tests::models::Message;
use serde_json::json;

/// Everything on one page, so results are never cut short.
pub(crate) fn all_rows() -> ListOptions {
    ListOptions { paginate_by: None, ..ListOptions::default() }
}

/// The primary keys `qs` selects from `M`, in order.
pub(crate) fn ids<M: Model>(conn: &mut AnyConnection, qs: &str) -> Vec<i64> {
    let list = ListQuery::<M>::parse_strict(&Params::parse(qs), &all_rows())
        .unwrap_or_else(|e| panic!("`{qs}` should parse: {e}"));
    let page = list.fetch(conn).unwrap_or_else(|e| panic!("`{qs}` should run: {e}"));
    page.objects.iter().map(|o| as_i64(&o.pk())).collect()
}

/// The sentence `qs` is rejected with.
pub(crate) fn error<M: Model>(qs: &str) -> String {
    match ListQuery::<M>::parse_strict(&Params::parse(qs), &ListOptions::default()) {
        Ok(list) => panic!("`{qs}` should be rejected, but parsed as {list:?}"),
        Err(e) => e.to_string(),
    }
}

pub(crate) fn as_i64(value: &Value) -> i64 {
    match value {
        Value::SmallInt(i) => i64::from(*i),
        Value::Integer(i) => i64::from(*i),
        Value::BigInt(i) => *i,
        other => panic!("not an integer key: {other:?}"),
    }
}

/// The list envelope of `/api/message/?<qs>` read with `options`, each
/// object shown as its id.
pub(crate) fn message_envelope(conn: &mut AnyConnection, options: &ListOptions, qs: &str) -> serde_json::Value {
    let list = ListQuery::<Message>::parse_strict(&Params::parse(qs), options).expect("parses");
    let page = list.fetch(conn).expect("runs");
    let objects = page.objects.iter().map(|m| json!(m.id)).collect();
    list_envelope(Message::meta(), &page, "/api/message/", Some(qs), objects)
}
