//! Values written straight into JSON text, without a `serde_json::Value`
//! tree: the API's answers are written this way, which spares every field
//! of every row a key, a node and their drop. The text is the same as
//! `serde_json` writes for [`Value::to_json`].

use std::fmt::Write as _;

use super::Value;

impl Value {
    /// Appends the value as JSON to `out`: the text `serde_json` writes for
    /// [`Value::to_json`].
    pub fn write_json(&self, out: &mut String) {
        // Writing into a `String` cannot fail: the `fmt::Result`s are Ok.
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::SmallInt(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Integer(i) => {
                let _ = write!(out, "{i}");
            }
            Value::BigInt(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(x) => push_number(out, f64::from(*x)),
            Value::Double(x) => push_number(out, *x),
            Value::Text(text) => push_json_str(out, text),
            _ if self.is_json_string() => {
                // ISO 8601, hex, digits or base64: nothing to escape.
                let _ = write!(out, "\"{self}\"");
            }
            // A JSON document: its own compact text, keys in order.
            _ => {
                let _ = write!(out, "{self}");
            }
        }
    }
}

/// A finite number as `serde_json` writes it; `null` otherwise, as JSON
/// has no infinities.
fn push_number(out: &mut String, x: f64) {
    match serde_json::Number::from_f64(x) {
        Some(number) => {
            let _ = write!(out, "{number}");
        }
        None => out.push_str("null"),
    }
}

/// Appends `text` as a JSON string, escaped as `serde_json` escapes it: the
/// quote, the backslash and the control characters, with the short forms
/// where JSON has them.
pub(crate) fn push_json_str(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if short.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;

    fn written(value: &Value) -> String {
        let mut out = String::new();
        value.write_json(&mut out);
        out
    }

    #[test]
    fn every_kind_of_value_is_written_as_serde_json_writes_it() {
        let date = NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date");
        let time = NaiveTime::from_hms_micro_opt(23, 59, 1, 250).expect("a time");
        let values = [
            Value::Null,
            Value::Bool(true),
            Value::Bool(false),
            Value::SmallInt(i16::MIN),
            Value::Integer(-7),
            Value::BigInt(i64::MAX),
            Value::Float(0.1),
            Value::Double(1e300),
            Value::Double(-2.5e-10),
            Value::Double(3.0),
            Value::Double(f64::NAN),
            Value::Float(f32::INFINITY),
            Value::Text(String::new()),
            Value::Text("plain words, ünïcödé and 🛩".into()),
            Value::Text("\"quoted\" \\ back\nnew\rret\ttab\u{8}\u{c}\u{0}\u{1f}\u{7f} end".into()),
            Value::Date(date),
            Value::Time(time),
            Value::Timestamp(date.and_time(time)),
            Value::Timestamp(date.and_hms_opt(0, 0, 0).expect("midnight")),
            Value::Timestamptz(date.and_time(time).and_utc()),
            Value::Uuid(uuid::Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8)),
            Value::Numeric("-12.50".parse().expect("a decimal")),
            Value::Numeric("12345678901234567890123456789012345678".parse().expect("a decimal")),
            Value::Jsonb(serde_json::json!({"b": [1, {"d": null, "c": "\n"}], "a": {}})),
            Value::Binary(vec![0, 255, 7]),
            Value::Binary(Vec::new()),
        ];
        for value in &values {
            let expected = serde_json::to_string(&value.to_json()).expect("serde_json writes it");
            assert_eq!(written(value), expected, "{value:?}");
        }
    }
}
