//! What every backend can store in a column and compare with it.
//!
//! SQLite, PostgreSQL and MariaDB accept different text, numbers and dates;
//! hangar accepts what all three do, so that the same input gets the same
//! answer on each, and a value a backend would refuse is a sentence naming
//! the field instead of a database error.

use chrono::{Datelike, Timelike};

use bigdecimal::BigDecimal;

use super::suggest::shown;
use super::{ChoiceMeta, FieldMeta, Precision, Value};

/// The first year a date or timestamp may have on every backend.
pub const MIN_YEAR: i32 = 1;
/// The last year: MariaDB's `DATE` and `DATETIME` end with 9999.
pub const MAX_YEAR: i32 = 9999;

/// Why a value cannot be stored in, or compared with, its column.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unstorable {
    /// Text holding the NUL character: PostgreSQL refuses it in text, and
    /// SQLite's text functions stop at it.
    Nul,
    /// Text longer than the column's `max_length`, in characters.
    TooLong {
        /// The limit.
        max: u32,
    },
    /// Text that is empty or only whitespace, in a `not_blank` field.
    Blank,
    /// A number that is infinite or not a number.
    NotFinite,
    /// A date or timestamp outside the years 1 to 9999.
    OutOfYears,
    /// A leap second (`23:59:60`), which PostgreSQL and MariaDB refuse.
    LeapSecond,
    /// A decimal with more digits than its column's precision or scale
    /// holds; PostgreSQL would round it, and hangar never does.
    TooPrecise(Precision),
    /// Text that is not one of a `#[model(choices)]` field's values: stored,
    /// it could not be read back as the field's enum.
    NotAChoice(&'static [ChoiceMeta]),
}

impl Unstorable {
    /// The sentence for this problem with the value of `name`:
    /// "`username` is longer than 150 characters".
    pub fn sentence(&self, name: &str, value: &Value) -> String {
        match self {
            Unstorable::Nul => format!("`{name}` contains the NUL character, which cannot be stored"),
            Unstorable::TooLong { max } => format!("`{name}` is longer than {max} characters"),
            Unstorable::Blank => format!("`{name}` may not be blank"),
            Unstorable::NotFinite => format!("`{name}` value `{value}` is out of range for a number"),
            Unstorable::OutOfYears => {
                format!("`{name}` value `{value}` is outside the years {MIN_YEAR:04} to {MAX_YEAR}")
            }
            Unstorable::LeapSecond => format!("`{name}` value `{value}` is a leap second, which cannot be stored"),
            Unstorable::TooPrecise(Precision { max_digits, decimal_places }) => format!(
                "`{name}` value `{value}` does not fit {max_digits} digits with {decimal_places} after the point"
            ),
            Unstorable::NotAChoice(choices) => {
                let values: Vec<&str> = choices.iter().map(|c| c.value).collect();
                format!(
                    "`{name}` value `{}` is not one of its choices: {}",
                    shown(&value.to_string()),
                    values.join(", ")
                )
            }
        }
    }
}

fn years(year: i32) -> Result<(), Unstorable> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(Unstorable::OutOfYears)
    }
}

/// The widest decimal every backend holds: MariaDB's `DECIMAL(65, 30)`.
const WIDEST: Precision = Precision { max_digits: 65, decimal_places: 30 };

/// Whether `d` fits `precision` without rounding: no more places than its
/// scale, and no more digits before the point than its precision leaves.
fn fits(d: &BigDecimal, precision: Precision) -> Result<(), Unstorable> {
    let text = d.abs().to_plain_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole = whole.trim_start_matches('0').len();
    let fraction = fraction.trim_end_matches('0').len();
    let Precision { max_digits, decimal_places } = precision;
    let room = (max_digits.saturating_sub(decimal_places)) as usize;
    if fraction > decimal_places as usize || whole > room {
        return Err(Unstorable::TooPrecise(precision));
    }
    Ok(())
}

/// Whether a JSON document holds the NUL character, which PostgreSQL's
/// `jsonb` refuses.
fn has_nul(document: &serde_json::Value) -> bool {
    match document {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

fn no_leap_second(nanosecond: u32) -> Result<(), Unstorable> {
    if nanosecond >= 1_000_000_000 {
        Err(Unstorable::LeapSecond)
    } else {
        Ok(())
    }
}

impl FieldMeta {
    /// Whether every backend can compare this field's column with `value`:
    /// text and JSON without NUL, finite numbers, decimals within the
    /// field's precision, dates in the years 1 to 9999, no leap seconds.
    pub fn check_comparable(&self, value: &Value) -> Result<(), Unstorable> {
        match value {
            Value::Text(text) if text.contains('\0') => Err(Unstorable::Nul),
            Value::Float(x) if !x.is_finite() => Err(Unstorable::NotFinite),
            Value::Double(x) if !x.is_finite() => Err(Unstorable::NotFinite),
            Value::Date(d) => years(d.year()),
            Value::Time(t) => no_leap_second(t.nanosecond()),
            Value::Timestamp(t) => years(t.year()).and_then(|()| no_leap_second(t.nanosecond())),
            Value::Timestamptz(t) => years(t.year()).and_then(|()| no_leap_second(t.nanosecond())),
            Value::Jsonb(document) if has_nul(document) => Err(Unstorable::Nul),
            Value::Numeric(d) => fits(d, self.precision.unwrap_or(WIDEST)),
            _ => Ok(()),
        }
    }

    /// Whether every backend can store `value` in this field's column: it is
    /// comparable, within `max_length`, not blank where it must not be, and
    /// one of the field's choices when it has them.
    pub fn check_storable(&self, value: &Value) -> Result<(), Unstorable> {
        self.check_comparable(value)?;
        if let Value::Text(text) = value {
            if !self.choices.is_empty() && self.choice_label(text).is_none() {
                return Err(Unstorable::NotAChoice(self.choices));
            }
            if let Some(max) = self.max_length {
                // Counting stops once past the limit: a huge value costs no more.
                if text.chars().nth(max as usize).is_some() {
                    return Err(Unstorable::TooLong { max });
                }
            }
            if self.not_blank && text.trim().is_empty() {
                return Err(Unstorable::Blank);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;
    use crate::model::SqlKind;

    fn field(kind: SqlKind, max_length: Option<u32>, not_blank: bool) -> FieldMeta {
        FieldMeta { max_length, not_blank, ..FieldMeta::for_tests("f", kind, true) }
    }

    #[test]
    fn text_without_nul_within_its_length_and_not_blank() {
        let name = field(SqlKind::Text, Some(3), true);
        assert_eq!(name.check_storable(&Value::from("abc")), Ok(()));
        assert_eq!(name.check_storable(&Value::from("été")), Ok(()), "characters, not bytes");
        assert_eq!(name.check_storable(&Value::from("abcd")), Err(Unstorable::TooLong { max: 3 }));
        assert_eq!(name.check_storable(&Value::from(" \t")), Err(Unstorable::Blank));
        assert_eq!(name.check_storable(&Value::from("a\0")), Err(Unstorable::Nul));
        assert_eq!(name.check_comparable(&Value::from("abcdef")), Ok(()), "a comparison has no length");
        assert_eq!(name.check_storable(&Value::Null), Ok(()));
        let sentence = Unstorable::TooLong { max: 150 }.sentence("username", &Value::Null);
        assert_eq!(sentence, "`username` is longer than 150 characters");
    }

    #[test]
    fn dates_in_the_years_every_backend_holds() {
        let day = field(SqlKind::Date, None, false);
        let date = |y| NaiveDate::from_ymd_opt(y, 1, 1).map(Value::Date).unwrap_or(Value::Null);
        assert_eq!(day.check_storable(&date(1)), Ok(()));
        assert_eq!(day.check_storable(&date(9999)), Ok(()));
        assert_eq!(day.check_storable(&date(0)), Err(Unstorable::OutOfYears));
        assert_eq!(day.check_storable(&date(10_000)), Err(Unstorable::OutOfYears));
        let sentence = Unstorable::OutOfYears.sentence("day", &date(10_000));
        assert_eq!(sentence, "`day` value `+10000-01-01` is outside the years 0001 to 9999");
        let at = field(SqlKind::Time, None, false);
        let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_500).map(Value::Time).unwrap_or(Value::Null);
        assert_eq!(at.check_storable(&leap), Err(Unstorable::LeapSecond));
    }

    #[test]
    fn decimals_fit_their_precision_without_rounding() {
        let price = FieldMeta {
            precision: Some(Precision { max_digits: 5, decimal_places: 2 }),
            ..FieldMeta::for_tests("price", SqlKind::Numeric, false)
        };
        let d = |text: &str| Value::Numeric(text.parse().unwrap_or_default());
        for fitting in ["999.99", "-999.99", "0", "-0", "12.5", "12.500", "0.01", "1e2"] {
            assert_eq!(price.check_storable(&d(fitting)), Ok(()), "{fitting}");
        }
        let too = Err(Unstorable::TooPrecise(Precision { max_digits: 5, decimal_places: 2 }));
        for beyond in ["1000", "12.345", "0.001", "1e3", "-1000.00"] {
            assert_eq!(price.check_storable(&d(beyond)), too, "{beyond}");
        }
        let sentence =
            Unstorable::TooPrecise(Precision { max_digits: 5, decimal_places: 2 }).sentence("price", &d("12.345"));
        assert_eq!(sentence, "`price` value `12.345` does not fit 5 digits with 2 after the point");
    }

    #[test]
    fn json_without_nul() {
        let doc = FieldMeta::for_tests("doc", SqlKind::Jsonb, false);
        assert_eq!(doc.check_storable(&Value::Jsonb(serde_json::json!({"a": ["b\u{0}"]}))), Err(Unstorable::Nul));
        assert_eq!(doc.check_storable(&Value::Jsonb(serde_json::json!({"a": ["b"]}))), Ok(()));
    }

    #[test]
    fn a_choice_field_stores_only_its_choices() {
        static CHOICES: [ChoiceMeta; 2] =
            [ChoiceMeta { value: "draft", label: "Draft" }, ChoiceMeta { value: "live", label: "Live" }];
        let status = FieldMeta { choices: &CHOICES, ..FieldMeta::for_tests("status", SqlKind::Text, true) };
        assert_eq!(status.check_storable(&Value::from("live")), Ok(()));
        assert_eq!(status.check_storable(&Value::Null), Ok(()));
        assert_eq!(status.check_storable(&Value::from("Live")), Err(Unstorable::NotAChoice(&CHOICES)));
        assert_eq!(status.check_comparable(&Value::from("liv")), Ok(()), "a filter may match part of one");
        let sentence = Unstorable::NotAChoice(&CHOICES).sentence("status", &Value::from("gone"));
        assert_eq!(sentence, "`status` value `gone` is not one of its choices: draft, live");
    }

    #[test]
    fn numbers_are_finite() {
        let ratio = field(SqlKind::Float, None, false);
        assert_eq!(ratio.check_storable(&Value::Float(f32::INFINITY)), Err(Unstorable::NotFinite));
        assert_eq!(ratio.check_storable(&Value::Float(1.5)), Ok(()));
    }
}
