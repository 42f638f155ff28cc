//! The admin's forms as a browser fills them: read the page, keep every
//! field's value, change a few, post it back with the session's cookie.

use crate::http::{Client, Reply};

/// The fields of the admin's model form in `page`, as a browser would
/// send them: text and hidden inputs with their values, checkboxes only
/// when checked, and text areas (an inline's rows) with their text.
pub(crate) fn model_form_fields(page: &str) -> Vec<(String, String)> {
    let Some(form) = page.split("class=\"model-form\"").nth(1) else {
        return Vec::new();
    };
    let form = form.split("</form>").next().unwrap_or_default();
    let mut fields = Vec::new();
    for tag in form.split("<input").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let (Some(name), value) = (attribute(tag, "name"), attribute(tag, "value").unwrap_or_default()) else {
            continue;
        };
        let checkbox = attribute(tag, "type").as_deref() == Some("checkbox");
        if checkbox && !tag.split_whitespace().any(|word| word == "checked") {
            continue;
        }
        fields.push((name, value));
    }
    for tag in form.split("<textarea").skip(1) {
        let (open, rest) = tag.split_once('>').unwrap_or_default();
        let Some(name) = attribute(open, "name") else {
            continue;
        };
        let text = rest.split("</textarea>").next().unwrap_or_default();
        fields.push((name, unescape(text)));
    }
    fields
}

/// The value of `name="..."` in an HTML tag, unescaped enough for the
/// admin's values.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let value = tag.split(&format!(" {name}=\"")).nth(1)?.split('"').next()?;
    Some(unescape(value))
}

/// Text as the admin escapes it, read back.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Opens the admin form at `base` + `path` with `cookie`, sets each of
/// `changes` (an empty value removes the field, as an unchecked checkbox
/// is sent), and posts it to the same URL. The answer to the post.
pub(crate) fn submit(
    client: &Client,
    base: &str,
    path: &str,
    cookie: &str,
    changes: &[(&str, &str)],
) -> Result<Reply, String> {
    let url = format!("{base}{path}");
    let page = client.get(&url, &[("Cookie", cookie)])?;
    if page.status != 200 {
        return Err(format!("GET {url} answered {}", page.status));
    }
    let mut fields = model_form_fields(&page.body);
    if fields.is_empty() {
        return Err(format!("GET {url} has no model form"));
    }
    for (name, value) in changes {
        fields.retain(|(field, _)| field != name);
        if !value.is_empty() {
            fields.push(((*name).to_owned(), (*value).to_owned()));
        }
    }
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", hangar::forms::encode_component(k), hangar::forms::encode_component(v)))
        .collect::<Vec<_>>()
        .join("&");
    client.send("POST", &url, &[("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")], Some(&body))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_form_is_read_as_a_browser_sends_it() {
        let page = r#"<form action="/accounts/logout/"><input type="hidden" name="csrf_token" value="x"></form>
<form method="post" action="/admin/user/3/" class="model-form" novalidate>
  <input type="hidden" name="csrf_token" value="tok">
  <input type="text" id="id_username" name="username" value="a&amp;b" maxlength="150" required>
  <input type="password" id="id_password" name="password" value="" maxlength="255">
  <input type="checkbox" id="id_active" name="active" value="on" checked>
  <input type="checkbox" id="id_admin" name="admin" value="on">
</form>"#;
        let fields = super::model_form_fields(page);
        let expected = [("csrf_token", "tok"), ("username", "a&b"), ("password", ""), ("active", "on")];
        assert_eq!(fields, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
    }
}
