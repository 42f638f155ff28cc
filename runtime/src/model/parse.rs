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
    use proptest::prelude::*;

    use super::*;
    use crate::model::strategy::{any_field_value, KINDS};
    use crate::model::FieldMeta;

    /// Any text, and text shaped like numbers, dates and instants.
    fn text_like_values() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[0-9eE.:TZ +-]{0,30}",
            "-?[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,10})?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?",
        ]
    }

    proptest! {
        #[test]
        fn every_value_printed_parses_back_to_itself((field, value) in any_field_value()) {
            prop_assert_eq!(Value::parse(field.kind, &value.to_string()), Some(value));
        }

        #[test]
        fn any_text_read_as_any_kind_prints_back_to_itself(raw in text_like_values()) {
            for (kind, name) in KINDS {
                let Some(value) = Value::parse(kind, &raw) else { continue };
                if FieldMeta::for_tests(name, kind, false).check_comparable(&value).is_ok() {
                    prop_assert_eq!(Value::parse(kind, &value.to_string()), Some(value), "{} {:?}", name, raw);
                }
            }
        }
    }

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
    fn a_huge_decimal_exponent_is_refused_without_writing_it_out() {
        // `1e390000000000000` was read, then written out in full to check
        // it against its column: a request's few bytes took all the memory.
        let huge = ["1e390000000000000", "-1.5E+333333330", "066666666666e333333330", "1e-390000000000000"];
        let extreme = ["1e9223372036854775807", "1e-9223372036854775808", "1e99999999999999999999", "1e+"];
        for text in huge.iter().chain(&extreme) {
            assert_eq!(Value::parse(SqlKind::Numeric, text), None, "{text}");
        }
        assert!(Value::parse(SqlKind::Numeric, "1e999").is_some_and(|v| v.to_string().len() == 1000));
        assert!(Value::parse(SqlKind::Numeric, "1e1000").is_none());
        assert!(Value::parse(SqlKind::Numeric, "-0.5e-998")
            .is_some_and(|v| v.to_string() == format!("-0.{}5", "0".repeat(998))));
    }

    #[test]
    fn json_numbers_survive_a_round_trip_through_text() {
        // serde_json without `float_roundtrip` read this one bit off: the
        // number changed each time the document went through text.
        for text in ["1115555555555555055555555551111", "[0.30000000000000004, 1.1155555555555508e30]"] {
            let value = Value::parse(SqlKind::Jsonb, text);
            let again = value.as_ref().and_then(|v| Value::parse(SqlKind::Jsonb, &v.to_string()));
            assert_eq!(again, value, "{text}");
        }
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
