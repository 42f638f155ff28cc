//! A field's value, whatever its type.

use std::fmt;

use base64ct::{Base64, Encoding};
use bigdecimal::BigDecimal;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::{Serialize, Serializer};

use super::SqlKind;

/// The value of one field, read from a model or parsed from a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL `NULL` (a `None` field).
    Null,
    /// A boolean.
    Bool(bool),
    /// A `SMALLINT`.
    SmallInt(i16),
    /// An `INTEGER`.
    Integer(i32),
    /// A `BIGINT`.
    BigInt(i64),
    /// A `REAL`.
    Float(f32),
    /// A `DOUBLE PRECISION`.
    Double(f64),
    /// Text.
    Text(String),
    /// A date.
    Date(NaiveDate),
    /// A time of day.
    Time(NaiveTime),
    /// A date and time, without a time zone.
    Timestamp(NaiveDateTime),
    /// An instant, in UTC.
    Timestamptz(DateTime<Utc>),
    /// A UUID.
    Uuid(uuid::Uuid),
    /// An exact decimal.
    Numeric(BigDecimal),
    /// A JSON document.
    Jsonb(serde_json::Value),
    /// Bytes.
    Binary(Vec<u8>),
}

/// ISO 8601, with fractional seconds only when they are not zero.
const TIMESTAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";
const DATE_FORMAT: &str = "%Y-%m-%d";
const TIME_FORMAT: &str = "%H:%M:%S%.f";

impl Value {
    /// The kind of this value, or `None` for `Null`.
    pub fn kind(&self) -> Option<SqlKind> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(_) => SqlKind::Bool,
            Value::SmallInt(_) => SqlKind::SmallInt,
            Value::Integer(_) => SqlKind::Integer,
            Value::BigInt(_) => SqlKind::BigInt,
            Value::Float(_) => SqlKind::Float,
            Value::Double(_) => SqlKind::Double,
            Value::Text(_) => SqlKind::Text,
            Value::Date(_) => SqlKind::Date,
            Value::Time(_) => SqlKind::Time,
            Value::Timestamp(_) => SqlKind::Timestamp,
            Value::Timestamptz(_) => SqlKind::Timestamptz,
            Value::Uuid(_) => SqlKind::Uuid,
            Value::Numeric(_) => SqlKind::Numeric,
            Value::Jsonb(_) => SqlKind::Jsonb,
            Value::Binary(_) => SqlKind::Binary,
        })
    }

    /// Whether this is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as JSON: numbers, booleans and strings, with dates in ISO
    /// 8601, instants in RFC 3339 with `Z`, decimals as strings (so that no
    /// digit is lost), JSON documents with their keys in order, and bytes
    /// in base64.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::SmallInt(i) => (*i).into(),
            Value::Integer(i) => (*i).into(),
            Value::BigInt(i) => (*i).into(),
            Value::Float(x) => serde_json::Number::from_f64(f64::from(*x)).map_or(serde_json::Value::Null, Into::into),
            Value::Double(x) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
            Value::Text(text) => text.clone().into(),
            Value::Jsonb(document) => canonical_json(document),
            _ => self.to_string().into(),
        }
    }

    /// Whether JSON writes the value as the string of its text: dates,
    /// times, instants, UUIDs, decimals and bytes.
    pub(crate) fn is_json_string(&self) -> bool {
        matches!(
            self,
            Value::Date(_)
                | Value::Time(_)
                | Value::Timestamp(_)
                | Value::Timestamptz(_)
                | Value::Uuid(_)
                | Value::Numeric(_)
                | Value::Binary(_)
        )
    }
}

/// `document` with the keys of every object in byte order: one text for
/// one document on every backend, though PostgreSQL's `jsonb` keeps its
/// keys in an order of its own and MariaDB in the order written.
pub fn canonical_json(document: &serde_json::Value) -> serde_json::Value {
    match document {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(&String, &serde_json::Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), canonical_json(v))).collect())
        }
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(canonical_json).collect()),
        other => other.clone(),
    }
}

impl fmt::Display for Value {
    /// The value as a user would type it: `2024-01-01T00:00:00`, `true`,
    /// `42`, `2024-01-01T00:00:00Z`, `12.50`, a JSON document's compact
    /// text, bytes in base64. `Null` displays as the empty string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => Ok(()),
            Value::Bool(b) => b.fmt(f),
            Value::SmallInt(i) => i.fmt(f),
            Value::Integer(i) => i.fmt(f),
            Value::BigInt(i) => i.fmt(f),
            Value::Float(x) => x.fmt(f),
            Value::Double(x) => x.fmt(f),
            Value::Text(s) => f.write_str(s),
            Value::Date(d) => match (0..=9999).contains(&d.year()) {
                true => write_date(f, *d),
                false => d.format(DATE_FORMAT).fmt(f),
            },
            Value::Time(t) => match t.nanosecond() < 1_000_000_000 {
                true => write_time(f, *t),
                false => t.format(TIME_FORMAT).fmt(f),
            },
            Value::Timestamp(t) => match (0..=9999).contains(&t.year()) && t.nanosecond() < 1_000_000_000 {
                true => write_timestamp(f, *t),
                false => t.format(TIMESTAMP_FORMAT).fmt(f),
            },
            Value::Timestamptz(t) => {
                Value::Timestamp(t.naive_utc()).fmt(f)?;
                f.write_str("Z")
            }
            Value::Uuid(u) => u.hyphenated().fmt(f),
            Value::Numeric(d) => f.write_str(&d.to_plain_string()),
            Value::Jsonb(document) => canonical_json(document).fmt(f),
            Value::Binary(bytes) => f.write_str(&Base64::encode_string(bytes)),
        }
    }
}

// Dates and times are written by hand: every list writes one per row and
// field, and chrono's `format` parses its pattern each time, which was an
// eighth of a list's instructions. The output is the patterns' exactly (a
// test compares them); years outside 0..=9999 and leap seconds go through
// chrono.

/// The decimal digits of `n`, `width` of them, into `out`.
fn digits(out: &mut Vec<u8>, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(b'0' + u8::try_from(digit).unwrap_or(0));
    }
}

/// `%Y-%m-%d` for a year in 0..=9999.
fn date_bytes(out: &mut Vec<u8>, d: NaiveDate) {
    digits(out, d.year().unsigned_abs(), 4);
    out.push(b'-');
    digits(out, d.month(), 2);
    out.push(b'-');
    digits(out, d.day(), 2);
}

/// `%H:%M:%S%.f`: the fraction in 3, 6 or 9 digits, the fewest that hold
/// it, and none when it is zero.
fn time_bytes(out: &mut Vec<u8>, t: NaiveTime) {
    digits(out, t.hour(), 2);
    out.push(b':');
    digits(out, t.minute(), 2);
    out.push(b':');
    digits(out, t.second(), 2);
    match t.nanosecond() {
        0 => {}
        n if n % 1_000_000 == 0 => {
            out.push(b'.');
            digits(out, n / 1_000_000, 3);
        }
        n if n % 1_000 == 0 => {
            out.push(b'.');
            digits(out, n / 1_000, 6);
        }
        n => {
            out.push(b'.');
            digits(out, n, 9);
        }
    }
}

fn write_bytes(f: &mut fmt::Formatter<'_>, fill: impl FnOnce(&mut Vec<u8>)) -> fmt::Result {
    let mut out = Vec::with_capacity(32);
    fill(&mut out);
    // Only ASCII digits and separators were written.
    f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
}

fn write_date(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
    write_bytes(f, |out| date_bytes(out, d))
}

fn write_time(f: &mut fmt::Formatter<'_>, t: NaiveTime) -> fmt::Result {
    write_bytes(f, |out| time_bytes(out, t))
}

fn write_timestamp(f: &mut fmt::Formatter<'_>, t: NaiveDateTime) -> fmt::Result {
    write_bytes(f, |out| {
        date_bytes(out, t.date());
        out.push(b'T');
        time_bytes(out, t.time());
    })
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

macro_rules! value_conversions {
    ([$supported:literal, $note:literal] $($ty:ty => $variant:ident),* $(,)?) => {$(
        impl From<$ty> for Value {
            fn from(v: $ty) -> Self {
                Value::$variant(v)
            }
        }

        impl From<&$ty> for Value {
            fn from(v: &$ty) -> Self {
                Value::$variant(v.clone())
            }
        }

        impl From<Option<$ty>> for Value {
            fn from(v: Option<$ty>) -> Self {
                v.map_or(Value::Null, Value::$variant)
            }
        }

        impl From<&Option<$ty>> for Value {
            fn from(v: &Option<$ty>) -> Self {
                v.as_ref().map_or(Value::Null, Value::from)
            }
        }

        impl TryFrom<&Value> for $ty {
            type Error = ();

            fn try_from(v: &Value) -> Result<Self, ()> {
                match v {
                    Value::$variant(x) => Ok(x.clone()),
                    _ => Err(()),
                }
            }
        }
    )*};
}

with_field_types!(value_conversions);

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_print_as_their_chrono_patterns() {
        let days = [(1, 1, 1), (999, 12, 31), (2024, 2, 29), (9999, 12, 31), (0, 1, 1), (-1, 6, 1), (10000, 1, 1)];
        let nanos = [0, 1, 999, 1_000, 120_000, 1_000_000, 5_000_000, 123_456_789, 999_999_999, 1_500_000_000];
        for (y, m, d) in days {
            let day = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            assert_eq!(Value::Date(day).to_string(), day.format(DATE_FORMAT).to_string());
            for n in nanos {
                let time = NaiveTime::from_hms_nano_opt(23, 59, 59, n).expect("a time");
                let stamp = day.and_time(time);
                assert_eq!(Value::Time(time).to_string(), time.format(TIME_FORMAT).to_string(), "{n}");
                assert_eq!(
                    Value::Timestamp(stamp).to_string(),
                    stamp.format(TIMESTAMP_FORMAT).to_string(),
                    "{stamp:?}"
                );
            }
        }
    }

    #[test]
    fn timestamps_print_fractions_only_when_present() {
        let whole = NaiveDate::from_ymd_opt(2024, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
        assert_eq!(Value::from(whole).to_string(), "2024-01-01T00:00:00");
        let fraction = NaiveDate::from_ymd_opt(2024, 1, 1).and_then(|d| d.and_hms_micro_opt(3, 4, 5, 120));
        assert_eq!(Value::from(fraction).to_string(), "2024-01-01T03:04:05.000120");
    }

    #[test]
    fn json_keeps_numbers_as_numbers_and_dates_as_strings() {
        assert_eq!(Value::Integer(2).to_json(), serde_json::json!(2));
        assert_eq!(Value::Null.to_json(), serde_json::Value::Null);
        let day = NaiveDate::from_ymd_opt(2024, 2, 29).map(Value::Date);
        assert_eq!(day.map(|d| d.to_json()), Some(serde_json::json!("2024-02-29")));
    }
}

/// Values of every kind for property tests, and a model with a field of
/// each kind.
#[cfg(test)]
pub(crate) mod strategy {
    use chrono::{NaiveDate, NaiveTime};
    use proptest::prelude::*;

    use super::{BigDecimal, Value};
    use crate::model::{FieldMeta, ModelMeta, RelationMeta, SqlKind};

    /// Every kind, with the name of its field on [`META`].
    pub(crate) const KINDS: [(SqlKind, &str); 15] = [
        (SqlKind::SmallInt, "small_int"),
        (SqlKind::Integer, "integer"),
        (SqlKind::BigInt, "big_int"),
        (SqlKind::Float, "float"),
        (SqlKind::Double, "double"),
        (SqlKind::Text, "text"),
        (SqlKind::Bool, "bool"),
        (SqlKind::Date, "date"),
        (SqlKind::Time, "time"),
        (SqlKind::Timestamp, "timestamp"),
        (SqlKind::Timestamptz, "timestamptz"),
        (SqlKind::Uuid, "uuid"),
        (SqlKind::Numeric, "numeric"),
        (SqlKind::Jsonb, "jsonb"),
        (SqlKind::Binary, "binary"),
    ];

    const fn field(index: usize) -> FieldMeta {
        FieldMeta::for_tests(KINDS[index].1, KINDS[index].0, false)
    }

    static FIELDS: [FieldMeta; 17] = [
        FieldMeta { primary_key: true, ..FieldMeta::for_tests("id", SqlKind::Integer, false) },
        FieldMeta::for_tests("parent_id", SqlKind::Integer, true),
        field(0),
        field(1),
        field(2),
        field(3),
        field(4),
        field(5),
        field(6),
        field(7),
        field(8),
        field(9),
        field(10),
        field(11),
        field(12),
        field(13),
        field(14),
    ];

    /// A model with a field of every kind, named after it, and `parent`, a
    /// relation to itself.
    pub(crate) static META: ModelMeta = ModelMeta {
        name: "Every",
        slug: "every",
        table: "every",
        primary_key: &FIELDS[0],
        fields: &FIELDS,
        relations: &[RelationMeta { name: "parent", field: "parent_id", target: &META, nullable: true }],
        verbose_name: "Every",
        verbose_name_plural: "Everys",
        display: None,
    };

    fn text() -> impl Strategy<Value = String> {
        any::<String>().prop_map(|s| s.replace('\0', ""))
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (1..=9999i32, 1..=366u32).prop_filter_map("a day of the year", |(y, d)| NaiveDate::from_yo_opt(y, d))
    }

    fn time() -> impl Strategy<Value = NaiveTime> {
        (0..86_400u32, prop_oneof![Just(0u32), 0..1_000_000_000u32])
            .prop_filter_map("a time", |(s, n)| NaiveTime::from_num_seconds_from_midnight_opt(s, n))
    }

    fn json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_filter_map("finite", |x| serde_json::Number::from_f64(x).map(serde_json::Value::from)),
            text().prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::vec((text(), inner), 0..4)
                    .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    /// Any value of `kind` that every backend stores: finite numbers, text
    /// without NUL, years 1 to 9999, no leap second, decimals of at most
    /// 19 digits and 30 places, documents that are not `null`.
    pub(crate) fn any_value(kind: SqlKind) -> BoxedStrategy<Value> {
        match kind {
            SqlKind::SmallInt => any::<i16>().prop_map(Value::SmallInt).boxed(),
            SqlKind::Integer => any::<i32>().prop_map(Value::Integer).boxed(),
            SqlKind::BigInt => any::<i64>().prop_map(Value::BigInt).boxed(),
            SqlKind::Float => any::<f32>().prop_filter("finite", |x| x.is_finite()).prop_map(Value::Float).boxed(),
            SqlKind::Double => any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(Value::Double).boxed(),
            SqlKind::Text => text().prop_map(Value::Text).boxed(),
            SqlKind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            SqlKind::Date => date().prop_map(Value::Date).boxed(),
            SqlKind::Time => time().prop_map(Value::Time).boxed(),
            SqlKind::Timestamp => (date(), time()).prop_map(|(d, t)| Value::Timestamp(d.and_time(t))).boxed(),
            SqlKind::Timestamptz => {
                (date(), time()).prop_map(|(d, t)| Value::Timestamptz(d.and_time(t).and_utc())).boxed()
            }
            SqlKind::Uuid => any::<u128>().prop_map(|n| Value::Uuid(uuid::Uuid::from_u128(n))).boxed(),
            SqlKind::Numeric => (any::<i64>(), 0..=30i64)
                .prop_map(|(n, scale)| Value::Numeric(BigDecimal::new(n.into(), scale)))
                .boxed(),
            // A document's own `null` is SQL's NULL.
            SqlKind::Jsonb => json().prop_filter("a document", |d| !d.is_null()).prop_map(Value::Jsonb).boxed(),
            SqlKind::Binary => prop::collection::vec(any::<u8>(), 0..48).prop_map(Value::Binary).boxed(),
        }
    }

    /// A field of [`META`] and any value of its kind.
    pub(crate) fn any_field_value() -> impl Strategy<Value = (&'static FieldMeta, Value)> {
        (0..KINDS.len()).prop_flat_map(|i| {
            let field = META.field(KINDS[i].1).unwrap_or(&FIELDS[0]);
            any_value(field.kind).prop_map(move |v| (field, v))
        })
    }
}
