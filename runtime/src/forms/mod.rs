//! What a request sends, read into typed values: query strings and form
//! bodies into [`Params`], JSON and form bodies into a model's [`Data`],
//! HTML forms (with their uploaded files) into [`Data`] with an error per
//! field, and bodies read under a size limit.
//!
//! This is the floor the REST API, the login views and the admin stand on,
//! so that each reads a request the same way and rejects it with the same
//! sentences.
//!
//! [`Data`]: crate::model::Data

mod body;
mod html;
mod multipart;
mod object;
mod params;

pub use body::{read_body, BodyError};
pub use html::{clear_name, parse_html_form, read_html_form, FieldError, FormErrors, HtmlForm, REQUIRED};
pub use multipart::{parse_multipart, Multipart, MultipartError, Upload};
pub use object::{parse_object, to_value, unknown_field, Object};
pub use params::{encode_component, query_string, url_with_query, with_page, with_param, without_page, Params};
