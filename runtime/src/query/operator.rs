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
}

impl Operator {
    /// Every operator, in the order the docs list them.
    pub const ALL: [Operator; 16] = [
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

    /// Whether each value is a comma-separated list.
    pub fn takes_list(self) -> bool {
        matches!(self, Operator::In | Operator::NotIn | Operator::Between)
    }

    /// Which fields the operator applies to, as the phrase that completes
    /// "`op` needs ...", or `None` when it applies to `kind`.
    pub fn unsupported_for(self, kind: SqlKind) -> Option<&'static str> {
        match self.positive() {
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
