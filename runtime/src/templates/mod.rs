//! Handlebars templates and the pages rendered from them: the library's
//! templates, embedded in the binary, and the app's, which override them by
//! name (flask-peewee's template overrides); [`HtmlPage`], which answers
//! with the security headers every page carries; [`ErrorPage`], an error as
//! a page; and [`object_list`], flask-peewee's paginated list.

mod fragment;
mod list;
mod page;
mod registry;

#[cfg(test)]
pub(crate) use fragment::assert_written_as_drawn;
pub(crate) use fragment::{push_escaped, push_escaped_display, push_value, render_fragments, truthy, Fragment};
pub use list::{object_list, pagination_context};
pub use page::{ErrorPage, HtmlPage, CONTENT_SECURITY_POLICY};
pub use registry::{Templates, TemplatesFairing};

/// `text` escaped for HTML text and attribute values, as `{{value}}` in a
/// template escapes it: for HTML built in Rust and then shown with
/// `{{{html}}}`.
///
/// ```
/// assert_eq!(hangar::templates::escape_html("<a href='x'>"), "&lt;a href&#x3D;&#x27;x&#x27;&gt;");
/// ```
pub fn escape_html(text: &str) -> String {
    handlebars::html_escape(text)
}
