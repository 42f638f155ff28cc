//! Reading a column's raw value where hangar does it itself:
//!
//! - faster than Diesel: SQLite keeps timestamps as text, which Diesel
//!   parses by trying chrono's format strings in turn, each parsed anew;
//!   that was a seventh of reading a page of rows;
//! - where Diesel's multi-backend connection cannot: UUIDs, instants,
//!   decimals and JSON, which each backend stores its own way (PostgreSQL
//!   in its binary formats, which Diesel's own PostgreSQL types read;
//!   MariaDB and SQLite as text, or as MariaDB's `DATETIME`).

use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::deserialize;

use super::connection::MultiRawValue;

/// Why a raw value could not be read as `what`.
fn unreadable(what: &str, shown: &[u8]) -> Box<dyn std::error::Error + Send + Sync> {
    let text = String::from_utf8_lossy(&shown[..shown.len().min(64)]).into_owned();
    format!("the column's value `{text}` is not {what}").into()
}

/// The text of a value MariaDB or SQLite keeps as text.
fn text<'a>(bytes: &'a [u8], what: &str) -> deserialize::Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|_| unreadable(what, bytes))
}

/// A UUID: PostgreSQL's `uuid`, or text in the hyphenated or simple form
/// (`CHAR(36)`, `TEXT`), or 16 bytes (`BINARY(16)`, a BLOB).
pub(crate) fn uuid(value: MultiRawValue<'_>) -> deserialize::Result<uuid::Uuid> {
    let from_bytes = |bytes: &[u8]| match bytes.len() {
        16 => uuid::Uuid::from_slice(bytes).map_err(|_| unreadable("a UUID", bytes)),
        _ => uuid::Uuid::try_parse_ascii(bytes.trim_ascii()).map_err(|_| unreadable("a UUID", bytes)),
    };
    match value {
        #[cfg(feature = "sqlite")]
        MultiRawValue::Sqlite(mut value) => match value.value_type() {
            Some(diesel::sqlite::SqliteType::Binary) => from_bytes(value.read_blob()),
            _ => from_bytes(value.read_text().as_bytes()),
        },
        #[cfg(feature = "postgres")]
        MultiRawValue::Postgres(value) => from_bytes(value.as_bytes()),
        #[cfg(feature = "mysql")]
        MultiRawValue::Mysql(value) => from_bytes(value.as_bytes()),
    }
}

/// An instant: PostgreSQL's `timestamptz`, MariaDB's `DATETIME` holding
/// UTC, or SQLite's text in UTC with or without an offset.
pub(crate) fn instant(value: MultiRawValue<'_>) -> deserialize::Result<DateTime<Utc>> {
    match value {
        #[cfg(feature = "sqlite")]
        MultiRawValue::Sqlite(mut value) => {
            let text = value.read_text();
            instant_text(text).ok_or_else(|| unreadable("an instant", text.as_bytes()))
        }
        #[cfg(feature = "postgres")]
        MultiRawValue::Postgres(value) => {
            <DateTime<Utc> as deserialize::FromSql<diesel::sql_types::Timestamptz, diesel::pg::Pg>>::from_sql(value)
        }
        #[cfg(feature = "mysql")]
        MultiRawValue::Mysql(value) => {
            <NaiveDateTime as deserialize::FromSql<diesel::sql_types::Timestamp, diesel::mysql::Mysql>>::from_sql(value)
                .map(|t| t.and_utc())
        }
    }
}

/// An instant written as text: hangar's `YYYY-MM-DD HH:MM:SS.ffffff` in
/// UTC, or any RFC 3339 text with its offset.
pub(crate) fn instant_text(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Some(naive) = parse_timestamp_text(text) {
        return Some(naive.and_utc());
    }
    let utc =
        text.strip_suffix(['Z', 'z']).or_else(|| text.strip_suffix("+00:00")).or_else(|| text.strip_suffix("+00"));
    if let Some(naive) = utc.and_then(parse_timestamp_text) {
        return Some(naive.and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%#z"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A decimal: PostgreSQL's `numeric`, MariaDB's `DECIMAL`, or text.
pub(crate) fn decimal(value: MultiRawValue<'_>) -> deserialize::Result<BigDecimal> {
    let from_text = |bytes: &[u8]| {
        let text = text(bytes, "a decimal")?;
        decimal_text(text).ok_or_else(|| unreadable("a decimal", bytes))
    };
    match value {
        #[cfg(feature = "sqlite")]
        MultiRawValue::Sqlite(mut value) => from_text(value.read_text().as_bytes()),
        #[cfg(feature = "postgres")]
        MultiRawValue::Postgres(value) => {
            <BigDecimal as deserialize::FromSql<diesel::sql_types::Numeric, diesel::pg::Pg>>::from_sql(value)
        }
        #[cfg(feature = "mysql")]
        MultiRawValue::Mysql(value) => from_text(value.as_bytes()),
    }
}

/// The most digits a decimal may have once written without an exponent.
/// Every backend holds at most 65 (MariaDB's `DECIMAL(65, 30)`), so a longer
/// one is refused by its column anyway; but a few characters of exponent
/// (`1e999999999999`) written out, as checking and showing a decimal do,
/// would fill the memory.
const MAX_PLAIN_DIGITS: u64 = 1000;

/// A decimal written as text: digits with an optional sign, point and
/// exponent, of at most [`MAX_PLAIN_DIGITS`] digits written out. `NaN` and
/// the infinities are not decimals.
pub(crate) fn decimal_text(text: &str) -> Option<BigDecimal> {
    let text = text.trim();
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    if text.is_empty() || !plain(text) || !has_digit {
        return None;
    }
    let decimal = BigDecimal::from_str(text).ok()?;
    // `scale` is the count of digits after the point; negative, of zeros
    // before it.
    let (digits, scale) = (decimal.digits(), decimal.fractional_digit_count());
    let written =
        if scale < 0 { digits.saturating_add(scale.unsigned_abs()) } else { digits.max(scale.unsigned_abs()) };
    (written <= MAX_PLAIN_DIGITS).then_some(decimal)
}

/// The SQLite collation that orders decimals kept as text by their value,
/// exactly, as `NUMERIC` orders them on the other backends: text orders
/// `10` before `9`, and a double loses digits past the fifteenth.
pub(crate) const DECIMAL_COLLATION: &str = "hangar_decimal";

/// [`DECIMAL_COLLATION`]: two decimals by value, any text that is not one
/// after every decimal, by its bytes.
pub(crate) fn compare_decimal_text(a: &str, b: &str) -> std::cmp::Ordering {
    match (decimal_text(a), decimal_text(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// A JSON document: PostgreSQL's `jsonb`, MariaDB's `JSON`, or text.
pub(crate) fn json(value: MultiRawValue<'_>) -> deserialize::Result<serde_json::Value> {
    let from_bytes = |bytes: &[u8]| serde_json::from_slice(bytes).map_err(|_| unreadable("a JSON document", bytes));
    match value {
        #[cfg(feature = "sqlite")]
        MultiRawValue::Sqlite(mut value) => from_bytes(value.read_text().as_bytes()),
        #[cfg(feature = "postgres")]
        MultiRawValue::Postgres(value) => {
            <serde_json::Value as deserialize::FromSql<diesel::sql_types::Jsonb, diesel::pg::Pg>>::from_sql(value)
        }
        #[cfg(feature = "mysql")]
        MultiRawValue::Mysql(value) => from_bytes(value.as_bytes()),
    }
}

/// The timestamp in a SQLite column, when its text is written as hangar
/// and Diesel write timestamps (see [`parse_timestamp_text`]); `None` for
/// any other value, which Diesel's own parser then reads.
pub(crate) fn sqlite_timestamp(value: &mut MultiRawValue<'_>) -> Option<NaiveDateTime> {
    match value {
        #[cfg(feature = "sqlite")]
        MultiRawValue::Sqlite(value) => parse_timestamp_text(value.read_text()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// `YYYY-MM-DD HH:MM:SS`, with `T` or a space between the date and the
/// time and one to nine digits of a second after a `.`: the text of
/// chrono's `%F %T%.f`. Anything else, out-of-range fields included, is
/// `None`.
pub(crate) fn parse_timestamp_text(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if bytes.len() < 19 || separators.iter().any(|&(at, sep)| bytes[at] != sep) || !matches!(bytes[10], b' ' | b'T') {
        return None;
    }
    let number =
        |digits: &[u8]| digits.iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(number(&bytes[0..4])?).ok()?,
        number(&bytes[5..7])?,
        number(&bytes[8..10])?,
    )?;
    let nanos = match &bytes[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            number(digits)? * 10u32.pow(9 - u32::try_from(digits.len()).ok()?)
        }
        _ => return None,
    };
    date.and_hms_nano_opt(number(&bytes[11..13])?, number(&bytes[14..16])?, number(&bytes[17..19])?, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_chrono_reads_them() {
        for text in [
            "2024-01-02 10:00:00",
            "2024-01-02T10:00:00",
            "2024-02-29 23:59:59.5",
            "1999-12-31 00:00:00.123456",
            "0001-01-01 00:00:00.000000001",
            "9999-12-31 23:59:59.999999999",
        ] {
            let format = if text.as_bytes()[10] == b'T' { "%FT%T%.f" } else { "%F %T%.f" };
            let expected = NaiveDateTime::parse_from_str(text, format).ok();
            assert!(expected.is_some(), "{text}");
            assert_eq!(parse_timestamp_text(text), expected, "{text}");
        }
    }

    #[test]
    fn decimals_collate_by_value() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        assert_eq!(compare_decimal_text("9", "10"), Less);
        assert_eq!(compare_decimal_text("19.990", "19.99"), Equal);
        assert_eq!(compare_decimal_text("-0", "0.00"), Equal);
        assert_eq!(
            compare_decimal_text("12345678901234567890123456789012345678", "12345678901234567890123456789012345677"),
            Greater
        );
        assert_eq!(compare_decimal_text("-5", "x"), Less);
    }

    #[test]
    fn anything_else_is_left_to_diesel() {
        for text in [
            "",
            "2024-01-02",
            "2024-01-02 10:00",
            "2024-01-02 10:00:00Z",
            "2024-01-02 10:00:00+01:00",
            "2024-01-02 10:00:00.",
            "2024-01-02 10:00:00.1234567890",
            "2024-13-02 10:00:00",
            "2024-02-30 10:00:00",
            "2024-01-02 24:00:00",
            "2024-01-02 10:00:60",
            "2024/01/02 10:00:00",
            "-024-01-02 10:00:00",
            "+2024-01-02 10:00:00",
            "20240-01-02 10:00:00",
            "2024-01-02 1a:00:00",
            "2460676.5",
        ] {
            assert_eq!(parse_timestamp_text(text), None, "{text:?}");
        }
    }
}
