//! The list's column headers: a column that sorts links to the list sorted
//! by it; each header drawn by `hangar/admin/list_header`.

use serde_json::{json, Value as Json};

use crate::admin::columns::Column;
use crate::forms::Params;
use crate::query::OrderBy;
use crate::templates::{push_escaped, Fragment};

/// A column's header: its label, and for a column that sorts, the link
/// that sorts by it and how it sorts now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) label: String,
    pub(crate) sort_url: Option<String>,
    /// `asc` or `desc`, when the list sorts by this column first.
    pub(crate) sorted: Option<&'static str>,
}

impl Header {
    fn aria_and_arrow(&self) -> (&'static str, &'static str) {
        if self.sorted == Some("asc") {
            ("ascending", "▲")
        } else {
            ("descending", "▼")
        }
    }
}

impl Fragment for Header {
    const TEMPLATE: &'static str = "hangar/admin/list_header";

    fn to_json(&self) -> Json {
        let (aria, arrow) = self.aria_and_arrow();
        json!({
            "label": self.label,
            "sort_url": self.sort_url,
            "sorted": self.sorted,
            "sorted_aria": aria,
            "sorted_arrow": arrow,
        })
    }

    fn write_html(&self, out: &mut String) {
        let (aria, arrow) = self.aria_and_arrow();
        out.push_str("<th scope=\"col\"");
        if self.sorted.is_some() {
            out.push_str(" aria-sort=\"");
            out.push_str(aria);
            out.push('"');
        }
        out.push('>');
        match &self.sort_url {
            Some(url) => {
                out.push_str("<a href=\"");
                push_escaped(out, url);
                out.push_str("\">");
                push_escaped(out, &self.label);
                if self.sorted.is_some() {
                    out.push_str(" <span aria-hidden=\"true\">");
                    out.push_str(arrow);
                    out.push_str("</span>");
                }
                out.push_str("</a>");
            }
            None => push_escaped(out, &self.label),
        }
        out.push_str("</th>\n");
    }
}

/// The list's column headers: a column that sorts links to the list
/// sorted by it (descending when it sorts ascending already).
pub(crate) fn result_headers(columns: &[Column], ordering: &[OrderBy], params: &Params, url: &str) -> Vec<Header> {
    let first = ordering.first().map(OrderBy::term);
    columns
        .iter()
        .map(|column| {
            let term = column.sort_term();
            let sorted = term.as_ref().zip(first.as_ref()).and_then(|(t, first)| {
                if first == t {
                    Some("asc")
                } else if first.strip_prefix('-') == Some(t.as_str()) {
                    Some("desc")
                } else {
                    None
                }
            });
            let sort_url = term.as_ref().map(|t| {
                let next = if sorted == Some("asc") { format!("-{t}") } else { t.clone() };
                params.url_without(url, &["page", "ordering"], &[("ordering", &next)])
            });
            Header { label: column.label.clone(), sort_url, sorted }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::assert_written_as_drawn;

    use crate::Error;

    #[test]
    fn headers_written_in_rust_are_what_the_header_partial_draws() -> Result<(), Error> {
        let url = Some("/admin/message/?ordering=-pub_date&q=a%3Db".to_owned());
        for sorted in [None, Some("asc"), Some("desc")] {
            for sort_url in [None, url.clone()] {
                assert_written_as_drawn(&Header { label: "Pub <date>".into(), sort_url, sorted })?;
            }
        }
        Ok(())
    }
}
