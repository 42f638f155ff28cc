//! Reading an OpenAPI document the way a code generator does: every
//! operation, and the function name it gets from its `operationId`.

use std::collections::BTreeMap;

use serde_json::Value;

/// The keys of a path item that name an operation, in OpenAPI 3.1.
pub const OPERATION_KEYS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Every operation of `doc` as `"METHOD path"`, with its `operationId` if it
/// has one as a string.
pub fn operations(doc: &Value) -> Vec<(String, Option<String>)> {
    let Some(paths) = doc["paths"].as_object() else {
        panic!("the document has no `paths`: {doc}");
    };
    let mut found = Vec::new();
    for (path, item) in paths {
        for key in OPERATION_KEYS {
            if let Some(op) = item.get(key) {
                let id = op.get("operationId").and_then(Value::as_str).map(str::to_owned);
                found.push((format!("{} {path}", key.to_uppercase()), id));
            }
        }
    }
    found
}

/// Panics, naming the operations, unless every operation of `doc` has an
/// `operationId` and no two share one; answers the ids by operation.
pub fn assert_unique_operation_ids(doc: &Value) -> BTreeMap<String, String> {
    let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut ids = BTreeMap::new();
    for (operation, id) in operations(doc) {
        match id {
            Some(id) => {
                by_id.entry(id.clone()).or_default().push(operation.clone());
                ids.insert(operation, id);
            }
            None => missing.push(operation),
        }
    }
    assert!(missing.is_empty(), "operations without an operationId: {missing:?}");
    let shared: Vec<_> = by_id.iter().filter(|(_, ops)| ops.len() > 1).collect();
    assert!(shared.is_empty(), "operationIds shared by more than one operation: {shared:?}");
    assert!(!ids.is_empty(), "the document has no operations");
    ids
}

/// The query parameter `name` of the operation `method` on `path`.
pub fn parameter<'a>(doc: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    let params = doc["paths"][path][method]["parameters"].as_array();
    let found = params.and_then(|params| params.iter().find(|p| p["name"] == name));
    found.unwrap_or_else(|| panic!("{method} {path} has no parameter `{name}`: {params:?}"))
}
