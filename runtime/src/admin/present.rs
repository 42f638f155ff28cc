//! How the admin shows a value to people, wherever it appears (a list's
//! cell, a form's input, a readonly field, the audit log): choices by
//! their label, instants in UTC, JSON documents pretty or cut short,
//! bytes by their size, never as their contents.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use serde_json::{json, Value as Json};

use crate::model::{canonical_json, DependentAction, DependentGroup, FieldMeta, Value};

/// The most characters of a JSON document a list's cell shows.
const JSON_CELL_CHARS: usize = 60;

/// A size for people, as Django's `filesizeformat`: "0 bytes", "1 byte",
/// "999 bytes", "1.2 KB", "3.0 MB".
pub(crate) fn file_size(len: usize) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    match len {
        1 => "1 byte".to_owned(),
        n if n < 1024 => format!("{n} bytes"),
        n => {
            // Lossless below 2^53 bytes, and a size for people after that.
            #[allow(clippy::cast_precision_loss)]
            let mut size = n as f64 / 1024.0;
            let mut unit = 0;
            while size >= 1024.0 && unit + 1 < UNITS.len() {
                size /= 1024.0;
                unit += 1;
            }
            format!("{size:.1} {}", UNITS[unit])
        }
    }
}

/// Bytes as the audit log keeps them: their size and the start of their
/// SHA-256, so that a change shows without the contents.
pub(crate) fn bytes_summary(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{}, SHA-256 {hex}…", file_size(bytes.len()))
}

/// An instant as a `datetime-local` input shows it: in UTC, to the second,
/// without the zone (`2024-01-01T13:45:00`).
pub(crate) fn instant_input(t: &DateTime<Utc>) -> String {
    t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A JSON document as its textarea shows it: its keys in order, indented.
pub(crate) fn json_pretty(document: &serde_json::Value) -> String {
    serde_json::to_string_pretty(&canonical_json(document)).unwrap_or_default()
}

/// `text`, cut to `max` characters with an ellipsis.
fn cut(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// What a list's cell shows of `value`, a value of `field` (`None` for a
/// method's column or a relation's display line): a choice's label, an
/// instant to the second with `Z`, a JSON document compact and cut short,
/// bytes by their size; other values as they are.
pub(crate) fn cell_value(field: Option<&FieldMeta>, value: Value) -> Value {
    match (field, value) {
        (_, Value::Null) => Value::Null,
        (Some(field), Value::Text(text)) if !field.choices.is_empty() => {
            Value::Text(field.choice_label(&text).map_or(text, str::to_owned))
        }
        (_, Value::Timestamptz(t)) => Value::Text(format!("{}Z", instant_input(&t))),
        (_, Value::Jsonb(document)) => Value::Text(cut(canonical_json(&document).to_string(), JSON_CELL_CHARS)),
        (_, Value::Binary(bytes)) => Value::Text(file_size(bytes.len())),
        (_, other) => other,
    }
}

/// What a form's input holds for `value`: `datetime-local` wants a `T` and
/// seconds (in UTC for an instant), a JSON document shows indented, and
/// bytes are never written into the page (their input is a file input).
pub(crate) fn input_text(value: &Value) -> String {
    match value {
        Value::Null | Value::Binary(_) => String::new(),
        Value::Timestamp(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        Value::Timestamptz(t) => instant_input(t),
        Value::Time(t) => t.format("%H:%M:%S").to_string(),
        Value::Jsonb(document) => json_pretty(document),
        other => other.to_string(),
    }
}

/// What a readonly field shows of `value`: a choice's label, an instant
/// with `Z`, bytes by their size, else as its input would.
pub(crate) fn readonly_text(field: &FieldMeta, value: &Value) -> String {
    match value {
        Value::Text(text) if !field.choices.is_empty() => field.choice_label(text).unwrap_or(text).to_owned(),
        Value::Timestamptz(_) => value.to_string(),
        Value::Binary(bytes) => file_size(bytes.len()),
        other => input_text(other),
    }
}

/// What a delete takes with it, group by group, as the delete and action
/// pages show it: a summary, the rows named, and how many more.
pub(crate) fn dependent_groups(groups: &[DependentGroup]) -> Vec<Json> {
    groups
        .iter()
        .map(|group| {
            let name = if group.total == 1 { group.model.verbose_name } else { group.model.verbose_name_plural };
            let summary = match group.action {
                DependentAction::Delete => format!("{} {name} deleted too", group.total),
                DependentAction::SetNull { field } => {
                    format!("{} {name} kept, with their `{field}` cleared", group.total)
                }
            };
            let shown: Vec<&str> = group.objects.iter().map(|o| o.display.as_str()).collect();
            json!({"summary": summary, "objects": shown, "more": group.total.saturating_sub(shown.len())})
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChoiceMeta, SqlKind};

    #[test]
    fn sizes_read_as_people_write_them() {
        let sizes = [(0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1.0 KB"), (1229, "1.2 KB")];
        for (len, text) in sizes {
            assert_eq!(file_size(len), text);
        }
        assert_eq!(file_size(3 * 1024 * 1024 + 1), "3.0 MB");
        assert!(bytes_summary(b"abc").starts_with("3 bytes, SHA-256 ba7816bf8f01cfea…"), "{}", bytes_summary(b"abc"));
    }

    #[test]
    fn cells_show_labels_instants_short_json_and_sizes() {
        static CHOICES: [ChoiceMeta; 1] = [ChoiceMeta { value: "active", label: "On sale" }];
        let status = FieldMeta { choices: &CHOICES, ..FieldMeta::for_tests("status", SqlKind::Text, false) };
        assert_eq!(cell_value(Some(&status), Value::from("active")), Value::from("On sale"));
        assert_eq!(cell_value(Some(&status), Value::from("gone")), Value::from("gone"), "no label: the value");
        let at = Value::parse(SqlKind::Timestamptz, "2024-02-29T12:00:00.123456+05:45").unwrap_or(Value::Null);
        assert_eq!(cell_value(None, at.clone()), Value::from("2024-02-29T06:15:00Z"));
        assert_eq!(input_text(&at), "2024-02-29T06:15:00");
        let long = serde_json::json!({"z": "x".repeat(100), "a": 1});
        let Value::Text(text) = cell_value(None, Value::Jsonb(long.clone())) else { unreachable!() };
        assert!(text.starts_with("{\"a\":1,\"z\":\"xxx") && text.ends_with('…') && text.chars().count() == 61);
        assert_eq!(input_text(&Value::Jsonb(long)).lines().count(), 4, "indented, a key a line");
        assert_eq!(cell_value(None, Value::Binary(vec![0; 2048])), Value::from("2.0 KB"));
        assert_eq!(input_text(&Value::Binary(vec![1, 2])), "", "bytes are never written into a page");
        assert_eq!(readonly_text(&status, &Value::from("active")), "On sale");
    }
}
