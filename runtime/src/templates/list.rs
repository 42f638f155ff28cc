//! flask-peewee's `object_list`: a page of objects rendered into a template,
//! with links to the other pages that keep the list's filters and order.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::{HtmlPage, Templates};
use crate::forms::{with_page, without_page};
use crate::query::Page;
use crate::Error;

/// What templates see as `pagination`: the numbers of
/// [`Pagination`](crate::query::Pagination); `previous_url` / `next_url`,
/// relative links to the neighbouring pages that keep every other
/// parameter of `query` (the raw query string) with `page` replaced; and
/// `query_prefix`, those other parameters followed by `&` (or nothing), for
/// links written as `?{{pagination.query_prefix}}page=N`.
pub fn pagination_context<T>(page: &Page<T>, query: Option<&str>) -> Json {
    let mut context = match serde_json::to_value(page.pagination()) {
        Ok(Json::Object(map)) => map,
        _ => Map::new(),
    };
    let link = |n: Option<u64>| n.map_or(Json::Null, |n| Json::String(with_page("", query, n)));
    context.insert("previous_url".into(), link(page.previous_page()));
    context.insert("next_url".into(), link(page.next_page()));
    let others = without_page(query);
    let prefix = if others.is_empty() { others } else { format!("{others}&") };
    context.insert("query_prefix".into(), Json::String(prefix));
    Json::Object(context)
}

/// Renders `template` with one page of objects: flask-peewee's `object_list`.
///
/// The template sees `context`'s keys, the page's objects under `var_name`,
/// `page` (the number) and `pagination` (see [`pagination_context`]; `query`
/// is the request's raw query string). The embedded partial
/// `{{> hangar/pagination}}` draws the previous/next links.
pub fn object_list<T: Serialize>(
    templates: &Templates,
    template: &str,
    page: &Page<T>,
    var_name: &str,
    query: Option<&str>,
    context: Json,
) -> Result<HtmlPage, Error> {
    let mut map = match context {
        Json::Object(map) => map,
        Json::Null => Map::new(),
        _ => return Err(Error::Template("the context of `object_list` must be a JSON object".into())),
    };
    let objects = serde_json::to_value(&page.objects)
        .map_err(|e| Error::Template(format!("the objects of `{template}` cannot be serialised: {e}")))?;
    map.insert(var_name.to_owned(), objects);
    map.insert("pagination".into(), pagination_context(page, query));
    map.insert("page".into(), page.page.into());
    templates.render(template, &map).map(HtmlPage::ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_list_renders_objects_and_pagination() -> Result<(), Error> {
        let mut templates = Templates::embedded()?;
        templates.add("list", "{{#each notes}}<li>{{this}}</li>{{/each}}{{title}}|{{> hangar/pagination}}")?;
        let page = Page::new(vec!["a<b", "c"], 2, Some(2), 5);
        let html = object_list(&templates, "list", &page, "notes", None, serde_json::json!({"title": "Notes"}))?;
        let html = html.body();
        assert!(html.starts_with("<li>a&lt;b</li><li>c</li>Notes|"), "{html}");
        assert!(html.contains("page 2 of 3"), "{html}");
        assert!(html.contains(r#"href="?page=1""#) && html.contains(r#"href="?page=3""#), "{html}");
        Ok(())
    }

    #[test]
    fn paging_links_keep_the_filters_and_ordering() -> Result<(), Error> {
        let templates = Templates::embedded()?;
        let page = Page::new(vec![1, 2], 2, Some(2), 6);
        let query = Some("user__username=a%26b&page=2&ordering=-pub_date");
        let html = object_list(&templates, "hangar/pagination", &page, "objects", query, Json::Null)?;
        let html = html.body();
        // `=` and `&` are escaped in the attribute; browsers read them back.
        let previous = r#"href="?user__username&#x3D;a%26b&amp;ordering&#x3D;-pub_date&amp;page=1""#;
        let next = r#"href="?user__username&#x3D;a%26b&amp;ordering&#x3D;-pub_date&amp;page=3""#;
        assert!(html.contains(previous), "{html}");
        assert!(html.contains(next), "{html}");
        Ok(())
    }
}
