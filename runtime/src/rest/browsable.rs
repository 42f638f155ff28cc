//! The API's answers as a browser sees them: a readable page with the JSON
//! pretty-printed and its URLs as links, as Django REST Framework's
//! browsable API does.

use std::fmt::Write as _;

use rocket::http::Status;
use rocket::Request;
use serde_json::Value;

use crate::templates::{escape_html as escape, HtmlPage};

/// Whether the request's most preferred media type is HTML, as a browser's
/// `Accept: text/html,…` is; `*/*` (curl, `fetch`) is not.
pub(crate) fn wants_html(request: &Request<'_>) -> bool {
    request.accept().is_some_and(|accept| accept.preferred().media_type().is_html())
}

/// The page showing `json`, answered with `status`, for `request`.
pub(crate) fn page(request: &Request<'_>, status: Status, json: &Value) -> HtmlPage {
    let uri = request.uri();
    // The API's own URLs, from the mount point of the route that answered.
    let base = request.route().map(|r| r.uri.base().trim_end_matches('/').to_owned());
    let context = serde_json::json!({
        "root_url": base.as_ref().map(|b| format!("{b}/")),
        "openapi_url": base.as_ref().map(|b| format!("{b}/openapi.json")),
        "title": format!("{} {}", request.method(), uri.path()),
        "request": format!("{} {uri}", request.method()),
        "status": format!("{} {}", status.code, status.reason_lossy()),
        "json": json_html(json),
    });
    HtmlPage::render(request, status, "hangar/api", &context).header("Vary", "Accept")
}

/// `value` pretty-printed as escaped HTML, each string that is a URL of
/// this site (`/…`) or an `http(s)://` URL made a link.
pub(crate) fn json_html(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    let indent = |out: &mut String, depth: usize| out.extend(std::iter::repeat_n("  ", depth));
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_value(out, item, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(fields) if !fields.is_empty() => {
            out.push_str("{\n");
            for (i, (key, item)) in fields.iter().enumerate() {
                indent(out, depth + 1);
                let _ = write!(out, "<span class=\"key\">{}</span>: ", escape(&Value::from(key.as_str()).to_string()));
                write_value(out, item, depth + 1);
                out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
        Value::String(text) if is_link(text) => {
            let quoted = value.to_string();
            let inner = &quoted[1..quoted.len() - 1];
            let _ = write!(out, "&quot;<a href=\"{}\">{}</a>&quot;", escape(text), escape(inner));
        }
        other => out.push_str(&escape(&other.to_string())),
    }
}

/// A path on this site (not `//host`), or an absolute HTTP(S) URL.
fn is_link(text: &str) -> bool {
    let local = text.starts_with('/') && !text.starts_with("//");
    let web = text.starts_with("http://") || text.starts_with("https://");
    (local || web) && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_links_and_everything_is_escaped() {
        let value = serde_json::json!({
            "next": "/api/message/?page=2&limit=20",
            "content": "<script>alert(1)</script>",
            "elsewhere": "//evil.example/",
            "js": "javascript:alert(1)",
            "n": [1, null, true],
            "empty": {}
        });
        let html = json_html(&value);
        assert!(
            html.contains(
                "&quot;<a href=\"/api/message/?page&#x3D;2&amp;limit&#x3D;20\">/api/message/?page&#x3D;2&amp;limit&#x3D;20</a>&quot;"
            ),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"//evil"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(
            html.contains("<span class=\"key\">&quot;n&quot;</span>: [\n    1,\n    null,\n    true\n  ]"),
            "{html}"
        );
        assert!(html.contains("&quot;empty&quot;</span>: {}"), "{html}");
    }
}
