//! Reading a column's raw value where hangar does it faster than Diesel:
//! SQLite keeps timestamps as text, which Diesel parses by trying chrono's
//! format strings in turn, each parsed anew; that was a seventh of reading
//! a page of rows.

use chrono::{NaiveDate, NaiveDateTime};

use super::connection::MultiRawValue;

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
