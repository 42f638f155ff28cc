//! A field's value, whatever its type.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
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
        })
    }

    /// Whether this is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as JSON: numbers, booleans and strings, with dates in ISO 8601.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::SmallInt(i) => (*i).into(),
            Value::Integer(i) => (*i).into(),
            Value::BigInt(i) => (*i).into(),
            Value::Float(x) => serde_json::Number::from_f64(f64::from(*x)).map_or(serde_json::Value::Null, Into::into),
            Value::Double(x) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
            Value::Text(_) | Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => self.to_string().into(),
        }
    }
}

impl fmt::Display for Value {
    /// The value as a user would type it: `2024-01-01T00:00:00`, `true`, `42`.
    /// `Null` displays as the empty string.
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
            Value::Date(d) => d.format(DATE_FORMAT).fmt(f),
            Value::Time(t) => t.format(TIME_FORMAT).fmt(f),
            Value::Timestamp(t) => t.format(TIMESTAMP_FORMAT).fmt(f),
        }
    }
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
