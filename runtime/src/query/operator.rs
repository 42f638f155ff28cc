use std::fmt;

use crate::model::SqlKind;

/// A filter operator, the suffix in `?field__op=value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `=`; the default when no operator is given.
    Eq,
    /// Not equal: the rows that `eq` leaves out.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Lte,
    /// `>`.
    Gt,
    /// `>=`.
    Gte,
    /// One of a comma-separated list.
    In,
    /// None of a comma-separated list.
    NotIn,
    /// `null` or `notnull`.
    Is,
    /// The opposite of `is`.
    IsNot,
    /// A case-sensitive SQL pattern: `%` matches any run, `_` one character,
    /// `\` escapes.
    Like,
    /// A case-insensitive SQL pattern.
    Ilike,
    /// Contains the text, ignoring case.
    Contains,
    /// Starts with the text, ignoring case.
    Startswith,
    /// Ends with the text, ignoring case.
    Endswith,
    /// Between two comma-separated bounds, inclusive.
    Between,
    /// A date or datetime in the last N days: on or after the moment N days
    /// before now (for a date, the day N days before today), as
    /// flask-peewee's `within_days`. There is no upper bound, so a row dated
    /// in the future is within any number of days: `within_days=N` and
    /// `older_days=N` split the rows with a date between them, and a row
    /// written a moment ago by a server whose clock runs slightly ahead is
    /// never left out.
    WithinDays,
    /// A date or datetime older than N days: before the moment N days before
    /// now (for a date, before the day N days before today), as
    /// flask-peewee's `older_days`.
    OlderDays,
    /// A date or datetime in the year: from its 1 January (at midnight)
    /// up to, not including, the next year's.
    Year,
    /// A date or datetime in the month, 1 to 12, of any year.
    Month,
}

impl Operator {
    /// Every operator, in the order the docs list them.
    pub const ALL: [Operator; 20] = [
        Operator::Eq,
        Operator::Ne,
        Operator::Lt,
        Operator::Lte,
        Operator::Gt,
        Operator::Gte,
        Operator::In,
        Operator::NotIn,
        Operator::Is,
        Operator::IsNot,
        Operator::Like,
        Operator::Ilike,
        Operator::Contains,
        Operator::Startswith,
        Operator::Endswith,
        Operator::Between,
        Operator::WithinDays,
        Operator::OlderDays,
        Operator::Year,
        Operator::Month,
    ];

    /// The operator's name in a query string.
    pub fn name(self) -> &'static str {
        match self {
            Operator::Eq => "eq",
            Operator::Ne => "ne",
            Operator::Lt => "lt",
            Operator::Lte => "lte",
            Operator::Gt => "gt",
            Operator::Gte => "gte",
            Operator::In => "in",
            Operator::NotIn => "not_in",
            Operator::Is => "is",
            Operator::IsNot => "is_not",
            Operator::Like => "like",
            Operator::Ilike => "ilike",
            Operator::Contains => "contains",
            Operator::Startswith => "startswith",
            Operator::Endswith => "endswith",
            Operator::Between => "between",
            Operator::WithinDays => "within_days",
            Operator::OlderDays => "older_days",
            Operator::Year => "year",
            Operator::Month => "month",
        }
    }

    /// The operator called `name`.
    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.name() == name)
    }

    /// `ne`, `not_in` and `is_not` select the rows their positive twin leaves out.
    pub fn is_negative(self) -> bool {
        matches!(self, Operator::Ne | Operator::NotIn | Operator::IsNot)
    }

    /// The positive twin of a negative operator; itself otherwise.
    pub fn positive(self) -> Operator {
        match self {
            Operator::Ne => Operator::Eq,
            Operator::NotIn => Operator::In,
            Operator::IsNot => Operator::Is,
            op => op,
        }
    }

    /// Whether it matches text against a pattern.
    pub fn is_pattern(self) -> bool {
        matches!(
            self.positive(),
            Operator::Like | Operator::Ilike | Operator::Contains | Operator::Startswith | Operator::Endswith
        )
    }

    /// Whether it places a date on the calendar or the clock (`within_days`,
    /// `older_days`, `year`, `month`): its value is a whole number, not a
    /// date.
    pub fn is_calendar(self) -> bool {
        matches!(self, Operator::WithinDays | Operator::OlderDays | Operator::Year | Operator::Month)
    }

    /// Whether each value is a comma-separated list.
    pub fn takes_list(self) -> bool {
        matches!(self, Operator::In | Operator::NotIn | Operator::Between)
    }

    /// Which fields the operator applies to, as the phrase that completes
    /// "`op` needs ...", or `None` when it applies to `kind`.
    pub fn unsupported_for(self, kind: SqlKind) -> Option<&'static str> {
        match self.positive() {
            op if op.is_calendar() => (!kind.has_date()).then_some("a date or datetime field"),
            Operator::Is => None,
            _ if !kind.is_comparable() => {
                Some("a field whose values compare (a JSON document or bytes takes only `is=null` or `is=notnull`)")
            }
            op if op.is_pattern() && !kind.is_text() => Some("a text field"),
            Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte | Operator::Between if !kind.is_ordered() => {
                Some("a field whose values have an order")
            }
            _ => None,
        }
    }

    /// Every operator's name, comma-separated.
    pub fn all_names() -> String {
        Operator::ALL.map(Operator::name).join(", ")
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
