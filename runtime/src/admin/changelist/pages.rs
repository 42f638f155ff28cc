//! The list's page links and its count, in words; the links drawn by
//! `hangar/admin/list_pagination`.

use serde_json::{json, Value as Json};

use crate::query::{Counted, Page};
use crate::templates::{push_escaped, Fragment};

/// A link to a page of the list, or a gap between the links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PageLink {
    Page { number: u64, url: String, current: bool },
    Gap,
}

/// The list's page links, with the previous and next pages'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pagination {
    pub(crate) links: Vec<PageLink>,
    pub(crate) previous_url: Option<String>,
    pub(crate) next_url: Option<String>,
}

impl Pagination {
    /// The links of `page`: the first, the last, and two either side of
    /// this one; `url` gives a page's.
    pub(crate) fn of(page: &Page<impl Sized>, url: &dyn Fn(u64) -> String) -> Self {
        // Without an exact count, the last page is not known: link up to the next.
        let last = match page.counted {
            Counted::Exact => page.page_count,
            Counted::AtLeast | Counted::NotCounted => page.page + u64::from(page.has_more),
        };
        let current = page.page;
        let mut links = Vec::new();
        if last > 1 {
            let mut previous = 0;
            for n in 1..=last {
                let near = n == 1 || n == last || n.abs_diff(current) <= 2;
                if !near {
                    continue;
                }
                if n > previous + 1 {
                    links.push(PageLink::Gap);
                }
                links.push(PageLink::Page { number: n, url: url(n), current: n == current });
                previous = n;
            }
        }
        Pagination { links, previous_url: page.previous_page().map(url), next_url: page.next_page().map(url) }
    }

    /// The links as a list template of the app's own reads them.
    pub(crate) fn links_json(&self) -> Vec<Json> {
        self.links
            .iter()
            .map(|link| match link {
                PageLink::Gap => json!({"gap": true}),
                PageLink::Page { number, url, current } => json!({"number": number, "url": url, "current": current}),
            })
            .collect()
    }
}

impl Fragment for Pagination {
    const TEMPLATE: &'static str = "hangar/admin/list_pagination";

    fn to_json(&self) -> Json {
        json!({"page_links": self.links_json(), "previous_url": self.previous_url, "next_url": self.next_url})
    }

    fn write_html(&self, out: &mut String) {
        if !self.links.is_empty() {
            out.push_str("<nav class=\"pagination\" aria-label=\"Pages\">");
            if let Some(url) = &self.previous_url {
                out.push_str("<a rel=\"prev\" href=\"");
                push_escaped(out, url);
                out.push_str("\">Previous</a>");
            }
            out.push_str("<ol>");
            for link in &self.links {
                out.push_str("<li>");
                match link {
                    PageLink::Gap => out.push_str("<span class=\"gap\">…</span>"),
                    PageLink::Page { number, current: true, .. } => {
                        out.push_str("<span aria-current=\"page\">");
                        out.push_str(&number.to_string());
                        out.push_str("</span>");
                    }
                    PageLink::Page { number, url, .. } => {
                        out.push_str("<a href=\"");
                        push_escaped(out, url);
                        out.push_str("\">");
                        out.push_str(&number.to_string());
                        out.push_str("</a>");
                    }
                }
                out.push_str("</li>");
            }
            out.push_str("</ol>");
            if let Some(url) = &self.next_url {
                out.push_str("<a rel=\"next\" href=\"");
                push_escaped(out, url);
                out.push_str("\">Next</a>");
            }
            out.push_str("</nav>");
        }
        out.push('\n');
    }
}

/// How many rows there are, in words: "42 records · page 2 of 3".
pub(crate) fn count_text(page: &Page<impl Sized>) -> String {
    let records = if page.object_count == 1 { "record" } else { "records" };
    match page.counted {
        Counted::Exact => format!("{} {records} · page {} of {}", page.object_count, page.page, page.page_count.max(1)),
        Counted::AtLeast => format!("more than {} {records} · page {}", page.object_count, page.page),
        Counted::NotCounted => format!("page {}", page.page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::assert_written_as_drawn;

    use crate::Error;

    #[test]
    fn page_links_written_in_rust_are_what_the_pagination_partial_draws() -> Result<(), Error> {
        let url = |n: u64| format!("/admin/message/?q=x&y&page={n}");
        let links = vec![
            PageLink::Page { number: 1, url: url(1), current: false },
            PageLink::Gap,
            PageLink::Page { number: 4, url: url(4), current: true },
            PageLink::Page { number: 9, url: url(9), current: false },
        ];
        for (previous_url, next_url) in [(None, None), (Some(url(3)), Some(url(5)))] {
            assert_written_as_drawn(&Pagination { links: links.clone(), previous_url, next_url })?;
        }
        assert_written_as_drawn(&Pagination { links: Vec::new(), previous_url: None, next_url: None })?;
        Ok(())
    }
}
