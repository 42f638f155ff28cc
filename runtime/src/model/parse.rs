//! Parsing a field's value from text: query strings, form fields, JSON strings.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

use base64ct::{Base64, Encoding};

use super::{SqlKind, Value};
use crate::db::parse_timestamp_text;
use crate::db::raw::decimal_text;

impl SqlKind {
    /// How a value of this kind is written, for error messages:
    /// `" (use 2024-01-01T00:00:00)"`, or `""` where it is obvious.
    pub fn format_hint(self) -> &'static str {
        match self {
            SqlKind::Bool => " (use true, false, 1, 0, t or f)",
            SqlKind::Date => " (use 2024-01-01)",
            SqlKind::Time => " (use 13:45:00)",
            SqlKind::Timestamp => " (use 2024-01-01T13:45:00)",
            SqlKind::Timestamptz => " (use 2024-01-01T13:45:00Z, or an offset like +05:45)",
            SqlKind::Uuid => " (use a UUID like 67e55044-10b1-426f-9247-bb680e5fe0c8)",
            SqlKind::Numeric => " (use a decimal like 12.50)",
            SqlKind::Jsonb => " (use a JSON document)",
            SqlKind::Binary => " (use base64)",
            _ => "",
        }
    }
}

impl Value {
    /// Parses `raw` as a value of `kind`; `None` when it is not one.
    ///
    /// - Integers must fit their column's width.
    /// - Floats must be finite.
    /// - Booleans are `true/false/1/0/t/f`, in any case.
    /// - Dates are `YYYY-MM-DD`; times `HH:MM[:SS[.fff]]`.
    /// - Timestamps are ISO 8601: `2024-01-01T00:00:00`, with a space allowed
    ///   for the `T`, optional fractional seconds, and an optional `Z` or
    ///   offset (converted to UTC, which is how naive timestamps are stored).
    ///   A bare date means midnight.
    /// - Instants are the same, in UTC when no offset is given.
    /// - UUIDs are hyphenated or not, in either case.
    /// - Decimals are digits with an optional sign, point and exponent.
    /// - JSON documents are JSON text; bytes are base64.
    pub fn parse(kind: SqlKind, raw: &str) -> Option<Value> {
        let text = raw.trim();
        Some(match kind {
            SqlKind::Text => Value::Text(raw.to_owned()),
            SqlKind::SmallInt => Value::SmallInt(text.parse().ok()?),
            SqlKind::Integer => Value::Integer(text.parse().ok()?),
            SqlKind::BigInt => Value::BigInt(text.parse().ok()?),
            SqlKind::Float => Value::Float(text.parse().ok().filter(|x: &f32| x.is_finite())?),
            SqlKind::Double => Value::Double(text.parse().ok().filter(|x: &f64| x.is_finite())?),
            SqlKind::Bool => Value::Bool(parse_bool(text)?),
            SqlKind::Date => Value::Date(NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?),
            SqlKind::Time => Value::Time(parse_time(text)?),
            SqlKind::Timestamp => Value::Timestamp(parse_timestamp(text)?),
            SqlKind::Timestamptz => Value::Timestamptz(parse_timestamp(text)?.and_utc()),
            SqlKind::Uuid => Value::Uuid(uuid::Uuid::try_parse(text).ok()?),
            SqlKind::Numeric => Value::Numeric(decimal_text(text)?),
            SqlKind::Jsonb => Value::Jsonb(serde_json::from_str(raw).ok()?),
            SqlKind::Binary => Value::Binary(Base64::decode_vec(text).ok()?),
        })
    }
}

/// `true/false/1/0/t/f`, case-insensitive.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" => Some(true),
        "false" | "f" | "0" => Some(false),
        _ => None,
    }
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M:%S%.f").or_else(|_| NaiveTime::parse_from_str(text, "%H:%M")).ok()
}

/// ISO 8601 timestamps, as described on [`Value::parse`].
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    // The common form first, without chrono's format strings.
    if let Some(t) = parse_timestamp_text(text) {
        return Some(t);
    }
    const NAIVE: [&str; 4] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"];
    if let Some(t) = NAIVE.iter().find_map(|f| NaiveDateTime::parse_from_str(text, f).ok()) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.naive_utc());
    }
    const ZONED: [&str; 4] =
        ["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z", "%Y-%m-%d %H:%M%#z"];
    let zoned = text.strip_suffix(['Z', 'z']).map_or_else(|| text.to_owned(), |t| format!("{t}+00:00"));
    if let Some(t) = ZONED.iter().find_map(|f| DateTime::parse_from_str(&zoned, f).ok()) {
        return Some(t.naive_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Option<String> {
        parse_timestamp(text).map(|t| Value::Timestamp(t).to_string())
    }

    #[test]
    fn timestamps_accept_iso_8601_variants() {
        assert_eq!(ts("2024-01-01T10:20:30").as_deref(), Some("2024-01-01T10:20:30"));
        assert_eq!(ts("2024-01-01 10:20:30").as_deref(), Some("2024-01-01T10:20:30"));
        assert_eq!(ts("2024-01-01T10:20:30.250").as_deref(), Some("2024-01-01T10:20:30.250"));
        assert_eq!(ts("2024-01-01T10:20:30Z").as_deref(), Some("2024-01-01T10:20:30"));
        assert_eq!(ts("2024-01-01T10:20:30+02:00").as_deref(), Some("2024-01-01T08:20:30"));
        assert_eq!(ts("2024-01-01 10:20:30.5-0130").as_deref(), Some("2024-01-01T11:50:30.500"));
        assert_eq!(ts("2024-01-01T10:20").as_deref(), Some("2024-01-01T10:20:00"));
        assert_eq!(ts("2024-01-01").as_deref(), Some("2024-01-01T00:00:00"));
        assert_eq!(ts("yesterday"), None);
        assert_eq!(ts("2024-13-01T00:00:00"), None);
    }

    #[test]
    fn booleans_take_six_spellings_in_any_case() {
        for yes in ["true", "TRUE", "t", "T", "1"] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["false", "False", "f", "F", "0"] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        for neither in ["", "yes", "2", "nope"] {
            assert_eq!(parse_bool(neither), None, "{neither}");
        }
    }

    #[test]
    fn integers_must_fit_their_width() {
        assert_eq!(Value::parse(SqlKind::SmallInt, "40000"), None);
        assert_eq!(Value::parse(SqlKind::Integer, "40000"), Some(Value::Integer(40000)));
        assert_eq!(Value::parse(SqlKind::Integer, "99999999999"), None);
        assert_eq!(Value::parse(SqlKind::BigInt, "99999999999"), Some(Value::BigInt(99_999_999_999)));
        assert_eq!(Value::parse(SqlKind::Integer, "1.5"), None);
    }

    #[test]
    fn floats_must_be_finite_and_text_is_kept_verbatim() {
        assert_eq!(Value::parse(SqlKind::Double, "NaN"), None);
        assert_eq!(Value::parse(SqlKind::Double, "inf"), None);
        assert_eq!(Value::parse(SqlKind::Double, "2.5"), Some(Value::Double(2.5)));
        assert_eq!(Value::parse(SqlKind::Text, " padded "), Some(Value::Text(" padded ".into())));
    }

    #[test]
    fn dates_and_times() {
        assert!(Value::parse(SqlKind::Date, "2024-02-29").is_some());
        assert!(Value::parse(SqlKind::Date, "2023-02-29").is_none());
        assert!(Value::parse(SqlKind::Time, "13:45").is_some());
        assert!(Value::parse(SqlKind::Time, "13:45:10.5").is_some());
        assert!(Value::parse(SqlKind::Time, "25:00").is_none());
    }
}
