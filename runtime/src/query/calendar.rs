//! The calendar operators, flask-peewee's date filters: `within_days`,
//! `older_days`, `year` and `month`, each turned into a condition on the
//! field's own values.
//!
//! The bounds are worked out here rather than in SQL, so that every backend
//! compares the column with a bound value, as `gte` and `lt` do, and any
//! index on the column serves them. "Now" is the server's clock in UTC, the
//! convention hangar keeps datetimes in: a timestamp is naive UTC, an
//! instant is UTC, and a date is compared with today's date in UTC.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::{Operator, QueryError};
use crate::model::{Comparison, Condition, FieldMeta, SqlKind, Value, MAX_YEAR, MIN_YEAR};

/// The condition that one value of `param`, a calendar operator on `field`,
/// stands for, with `now` as the present.
///
/// - `within_days=N`: on or after the moment N days before `now`; for a date,
///   on or after the day N days before today.
/// - `older_days=N`: before that moment or day, so that the two split the
///   rows with a date between them.
/// - `year=Y`: from 1 January of Y, at midnight, up to, not including, 1
///   January of Y + 1 (or from 1 January 9999 on: no later year is stored).
/// - `month=M`: in month M of any year.
///
/// A number of days that reaches back past the year 1 counts from the first
/// day of the year 1: every row is within it and none older.
pub(crate) fn calendar_condition(
    param: &str,
    operator: Operator,
    field: &FieldMeta,
    raw: &str,
    now: DateTime<Utc>,
) -> Result<Condition, QueryError> {
    let bad = |expects: &'static str| QueryError::BadCalendarValue {
        param: param.to_owned(),
        value: raw.to_owned(),
        expects,
    };
    let digits = raw.trim();
    let whole = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    match operator.positive() {
        Operator::WithinDays | Operator::OlderDays => {
            if !whole {
                return Err(bad("a whole number of days, 0 or more"));
            }
            // A number past `u64` reaches back past the year 1 as surely.
            let days = digits.parse::<u64>().unwrap_or(u64::MAX);
            let bound = days_before(field.kind, now, days);
            let comparison = if operator == Operator::WithinDays { Comparison::Gte } else { Comparison::Lt };
            Ok(Condition::Cmp(comparison, bound))
        }
        Operator::Year => {
            let year = digits.parse::<i32>().ok().filter(|y| whole && (MIN_YEAR..=MAX_YEAR).contains(y));
            let Some(year) = year else {
                return Err(bad("a year from 1 to 9999"));
            };
            let from = start_of_year(field.kind, year);
            Ok(match year.checked_add(1).filter(|next| *next <= MAX_YEAR) {
                Some(next) => Condition::Range(from, start_of_year(field.kind, next)),
                None => Condition::Cmp(Comparison::Gte, from),
            })
        }
        Operator::Month => {
            let month = digits.parse::<u32>().ok().filter(|m| whole && (1..=12).contains(m));
            month.map(Condition::Month).ok_or_else(|| bad("a month from 1 to 12"))
        }
        _ => Err(QueryError::Internal(format!("`{operator}` is not a calendar operator"))),
    }
}

/// The first day hangar stores: 1 January of the year 1.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// `days` days before `now`, as a value of `kind`: the day for a date, the
/// moment for a timestamp or an instant; never before the year 1.
fn days_before(kind: SqlKind, now: DateTime<Utc>, days: u64) -> Value {
    let earliest = first_day().and_time(NaiveTime::MIN);
    let moment: NaiveDateTime =
        now.naive_utc().checked_sub_days(Days::new(days)).filter(|m| *m >= earliest).unwrap_or(earliest);
    match kind {
        SqlKind::Date => {
            let day = now.date_naive().checked_sub_days(Days::new(days)).filter(|d| *d >= first_day());
            Value::Date(day.unwrap_or(first_day()))
        }
        SqlKind::Timestamptz => Value::Timestamptz(moment.and_utc()),
        _ => Value::Timestamp(moment),
    }
}

/// Midnight of 1 January of `year`, as a value of `kind`.
fn start_of_year(kind: SqlKind, year: i32) -> Value {
    let day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(first_day());
    match kind {
        SqlKind::Date => Value::Date(day),
        SqlKind::Timestamptz => Value::Timestamptz(day.and_time(NaiveTime::MIN).and_utc()),
        _ => Value::Timestamp(day.and_time(NaiveTime::MIN)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::strategy::META;

    fn field(kind: SqlKind) -> &'static FieldMeta {
        META.fields.iter().find(|f| f.kind == kind && f.choices.is_empty()).expect("a field of every kind")
    }

    fn now() -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2024, 3, 10).and_then(|d| d.and_hms_opt(15, 30, 0)).map(|t| t.and_utc()).unwrap()
    }

    fn condition(op: Operator, kind: SqlKind, raw: &str) -> Result<Condition, QueryError> {
        calendar_condition("when__op", op, field(kind), raw, now())
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_count_back_from_now_or_from_today() {
        let at = |d: NaiveDate| d.and_hms_opt(15, 30, 0).unwrap();
        assert_eq!(
            condition(Operator::WithinDays, SqlKind::Timestamp, "7"),
            Ok(Condition::Cmp(Comparison::Gte, Value::Timestamp(at(day(2024, 3, 3)))))
        );
        assert_eq!(
            condition(Operator::OlderDays, SqlKind::Timestamptz, " 0 "),
            Ok(Condition::Cmp(Comparison::Lt, Value::Timestamptz(now())))
        );
        assert_eq!(
            condition(Operator::WithinDays, SqlKind::Date, "10"),
            Ok(Condition::Cmp(Comparison::Gte, Value::Date(day(2024, 2, 29))))
        );
    }

    #[test]
    fn days_past_the_year_one_count_from_it() {
        for days in ["800000", "99999999999999999999999"] {
            assert_eq!(
                condition(Operator::OlderDays, SqlKind::Date, days),
                Ok(Condition::Cmp(Comparison::Lt, Value::Date(day(1, 1, 1))))
            );
            assert_eq!(
                condition(Operator::WithinDays, SqlKind::Timestamp, days),
                Ok(Condition::Cmp(Comparison::Gte, Value::Timestamp(day(1, 1, 1).and_time(NaiveTime::MIN))))
            );
        }
    }

    #[test]
    fn a_year_is_a_range_up_to_the_next() {
        let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
        assert_eq!(
            condition(Operator::Year, SqlKind::Timestamp, "2024"),
            Ok(Condition::Range(
                Value::Timestamp(midnight(day(2024, 1, 1))),
                Value::Timestamp(midnight(day(2025, 1, 1)))
            ))
        );
        assert_eq!(
            condition(Operator::Year, SqlKind::Date, "9999"),
            Ok(Condition::Cmp(Comparison::Gte, Value::Date(day(9999, 1, 1))))
        );
    }

    #[test]
    fn bad_values_name_the_parameter_and_what_it_takes() {
        let cases = [
            (Operator::WithinDays, "-1"),
            (Operator::WithinDays, "1.5"),
            (Operator::OlderDays, ""),
            (Operator::OlderDays, "seven"),
            (Operator::Year, "0"),
            (Operator::Year, "10000"),
            (Operator::Year, "-2024"),
            (Operator::Year, "+2024"),
            (Operator::Month, "13"),
            (Operator::Month, "0"),
            (Operator::Month, "march"),
        ];
        for (op, raw) in cases {
            let error = condition(op, SqlKind::Date, raw).expect_err(raw).to_string();
            assert!(error.starts_with("`when__op` takes "), "{error}");
            assert!(error.ends_with(&format!("not `{raw}`")), "{error}");
        }
        assert_eq!(condition(Operator::Month, SqlKind::Date, "12"), Ok(Condition::Month(12)));
    }
}
