//! Pieces of a page that repeat (a list's rows, its column headers, its
//! page links) drawn by small partial templates that an app may replace,
//! and written straight from Rust, exactly as the library's partials draw
//! them, while it has not: rendering them through Handlebars cost a list
//! page most of its time.

use serde_json::Value;

use super::Templates;
use crate::Error;

/// A piece of a page with a partial of the library's own that draws it,
/// which Rust can also write.
pub(crate) trait Fragment {
    /// The partial that draws one piece.
    const TEMPLATE: &'static str;

    /// The piece as the partial reads it.
    fn to_json(&self) -> Value;

    /// Writes the piece byte for byte as the library's partial draws it.
    fn write_html(&self, out: &mut String);
}

/// `pieces` as HTML, one after another: each through the app's partial when
/// it replaces the library's, else written in Rust.
pub(crate) fn render_fragments<F: Fragment>(templates: &Templates, pieces: &[F]) -> Result<String, Error> {
    if templates.is_replaced(F::TEMPLATE) {
        let rendered: Vec<String> =
            pieces.iter().map(|piece| templates.render_json(F::TEMPLATE, piece.to_json())).collect::<Result<_, _>>()?;
        return Ok(rendered.concat());
    }
    let mut out = String::with_capacity(pieces.len() * 128);
    for piece in pieces {
        piece.write_html(&mut out);
    }
    Ok(out)
}

/// Appends `text` escaped as `{{text}}` in a template escapes it, without
/// a string of its own when there is nothing to escape.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['<', '>', '"', '&', '\'', '`', '=']) {
        out.push_str(&rest[..at]);
        let (escaped, len) = match rest.as_bytes()[at] {
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'&' => ("&amp;", 1),
            b'\'' => ("&#x27;", 1),
            b'`' => ("&#x60;", 1),
            _ => ("&#x3D;", 1),
        };
        out.push_str(escaped);
        rest = &rest[at + len..];
    }
    out.push_str(rest);
}

/// Appends `value` as `{{value}}` shows its text, without a string of its
/// own.
pub(crate) fn push_escaped_display(out: &mut String, value: &impl std::fmt::Display) {
    struct Escaping<'a>(&'a mut String);

    impl std::fmt::Write for Escaping<'_> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            push_escaped(self.0, text);
            Ok(())
        }
    }

    let _ = std::fmt::write(&mut Escaping(out), format_args!("{value}"));
}

/// Appends `value` as `{{value}}` shows it: text escaped, numbers and
/// booleans as written, nothing for null, `[a, b]` for an array and
/// `[object]` for an object.
pub(crate) fn push_value(out: &mut String, value: &Value) {
    match value {
        Value::String(text) => push_escaped(out, text),
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => push_escaped_display(out, n),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match item {
                    // Inside an array, text is not escaped twice: the
                    // whole rendering is escaped once, as Handlebars does.
                    Value::String(text) => push_escaped(out, text),
                    other => push_value(out, other),
                }
            }
            out.push(']');
        }
        Value::Object(_) => out.push_str("[object]"),
    }
}

/// Whether `{{#if value}}` takes `value` as true: not false, null, zero,
/// nor an empty text, list or object.
pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(f64::is_normal),
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// Checks that `piece` is written as the library's partial draws it: for
/// the tests of each fragment.
#[cfg(test)]
pub(crate) fn assert_written_as_drawn<F: Fragment>(piece: &F) -> Result<(), Error> {
    let mut written = String::new();
    piece.write_html(&mut written);
    let drawn = Templates::embedded()?.render_json(F::TEMPLATE, piece.to_json())?;
    assert_eq!(written, drawn, "{} written in Rust differs from its partial", F::TEMPLATE);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_templates_escape_it() {
        let mut samples: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        samples.extend(
            ["", "plain", "a<b>&c\"d'e`f=g", "<<==>>", "é ü — 漢字 🦀 &amp;", "=start", "end&"].map(str::to_owned),
        );
        samples.push((0u8..128).map(char::from).collect());
        for sample in &samples {
            let mut out = String::from("x");
            push_escaped(&mut out, sample);
            assert_eq!(out, format!("x{}", handlebars::html_escape(sample)), "{sample:?}");
            let mut out = String::from("x");
            push_escaped_display(&mut out, sample);
            assert_eq!(out, format!("x{}", handlebars::html_escape(sample)), "{sample:?}");
        }
    }

    #[test]
    fn values_show_and_test_as_templates_show_and_test_them() -> Result<(), Error> {
        let mut templates = Templates::embedded()?;
        templates.add("value", "{{value}}|{{#if value}}yes{{else}}no{{/if}}")?;
        let values = serde_json::json!([
            "a<b", "", null, true, false, 0, 1, -2.5, 0.0, [], [1, "x&y", null], {}, {"k": 1}, 1e300
        ]);
        for value in values.as_array().into_iter().flatten() {
            let mut out = String::new();
            push_value(&mut out, value);
            out.push('|');
            out.push_str(if truthy(value) { "yes" } else { "no" });
            assert_eq!(out, templates.render_json("value", serde_json::json!({"value": value}))?, "{value}");
        }
        Ok(())
    }

    struct Cell(&'static str);

    impl Fragment for Cell {
        // One of the library's partials, so that an app can replace it.
        const TEMPLATE: &'static str = "hangar/admin/list_row";

        fn to_json(&self) -> Value {
            serde_json::json!({"text": self.0})
        }

        fn write_html(&self, out: &mut String) {
            out.push_str("<td>");
            push_escaped(out, self.0);
            out.push_str("</td>");
        }
    }

    #[test]
    fn a_replaced_partial_draws_every_piece() -> Result<(), Error> {
        let pieces = [Cell("a"), Cell("<b>")];
        let templates = Templates::embedded()?;
        assert_eq!(render_fragments(&templates, &pieces)?, "<td>a</td><td>&lt;b&gt;</td>");
        let mut replaced = Templates::embedded()?;
        replaced.add(Cell::TEMPLATE, "[{{text}}]")?;
        assert_eq!(render_fragments(&replaced, &pieces)?, "[a][&lt;b&gt;]");
        Ok(())
    }
}
