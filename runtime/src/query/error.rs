use std::fmt;

use super::Operator;
use crate::db::DbError;
use crate::model::{did_you_mean, shown, SqlKind};
use crate::Error;

/// Why a query-string parameter was rejected.
///
/// Each renders as one sentence that names the parameter, such as
/// "`id__in` value `x` is not an integer".
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum QueryError {
    /// A path segment names neither a field nor a relation.
    UnknownField {
        /// The parameter as given.
        param: String,
        /// The model the segment was looked up on.
        model: &'static str,
        /// The unknown name.
        name: String,
        /// The model's fields.
        fields: Vec<&'static str>,
        /// The model's relations.
        relations: Vec<&'static str>,
    },
    /// The last segment after a field is not an operator.
    UnknownOperator {
        /// The parameter as given.
        param: String,
        /// The unknown operator.
        operator: String,
    },
    /// A path goes through a field that is not a relation.
    NotARelation {
        /// The parameter as given.
        param: String,
        /// The model the field belongs to.
        model: &'static str,
        /// The field.
        name: String,
    },
    /// A path goes through more relations than allowed.
    TooManyHops {
        /// The parameter as given.
        param: String,
    },
    /// The operator does not apply to the field's type.
    OperatorType {
        /// The operator.
        operator: Operator,
        /// What it needs ("a text field").
        needs: &'static str,
        /// The field.
        field: &'static str,
        /// The field's type.
        kind: SqlKind,
    },
    /// A value is not of the field's type.
    BadValue {
        /// The parameter as given.
        param: String,
        /// The field path it filters on.
        path: String,
        /// The value.
        value: String,
        /// The type it should be.
        kind: SqlKind,
    },
    /// `is` / `is_not` got something other than `null` or `notnull`.
    BadNullTest {
        /// The parameter as given.
        param: String,
        /// The value.
        value: String,
    },
    /// `between` did not get exactly two values.
    BetweenArity {
        /// The parameter as given.
        param: String,
        /// The value.
        value: String,
    },
    /// `within_days`, `older_days`, `year` or `month` got something other
    /// than the whole number it takes.
    BadCalendarValue {
        /// The parameter as given.
        param: String,
        /// The value.
        value: String,
        /// What it takes ("a month from 1 to 12").
        expects: &'static str,
    },
    /// The field may not be filtered on.
    NotFilterable {
        /// The parameter as given.
        param: String,
        /// The field path.
        field: String,
    },
    /// An `ordering` field is not a field of the model.
    UnknownOrdering {
        /// The model.
        model: &'static str,
        /// The unknown name.
        name: String,
        /// The model's fields.
        fields: Vec<&'static str>,
    },
    /// A value that no backend can compare the field with.
    Unstorable {
        /// The parameter as given.
        param: String,
        /// The sentence, naming the parameter.
        message: String,
    },
    /// A `like` or `ilike` pattern that ends with the escape character.
    TrailingEscape {
        /// The parameter as given.
        param: String,
    },
    /// A pattern longer than [`MAX_PATTERN`](super::MAX_PATTERN) characters.
    PatternTooLong {
        /// The parameter as given.
        param: String,
    },
    /// The filters compare more values, or hold more conditions, than a
    /// list request may.
    TooMany {
        /// The parameter that went past the limit.
        param: String,
        /// "values" or "conditions".
        what: &'static str,
        /// How many there would be with it.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// `ordering` has more terms than a list request may.
    TooManyOrderings {
        /// How many.
        count: usize,
    },
    /// `limit` is not a positive whole number.
    BadLimit {
        /// The value.
        value: String,
    },
    /// `cursor` is malformed, altered, made for another ordering, or used
    /// where it cannot work; the sentence names it.
    BadCursor(String),
    /// The query could not be built; a bug in hangar or in generated code.
    Internal(String),
}

fn in_param(param: &str, name: &str) -> String {
    let bare = param.trim_start_matches('-');
    if bare == name {
        String::new()
    } else {
        format!(" in `{}`", shown(param))
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::UnknownField { param, model, name, fields, relations } => {
                write!(
                    f,
                    "unknown filter field `{}` on `{model}`{}; fields are: {}",
                    shown(name),
                    in_param(param, name),
                    fields.join(", ")
                )?;
                if !relations.is_empty() {
                    write!(f, "; relations are: {}", relations.join(", "))?;
                }
                let candidates = fields.iter().chain(relations).copied();
                f.write_str(&did_you_mean(name, candidates))
            }
            QueryError::UnknownOperator { param, operator } => write!(
                f,
                "unknown operator `{operator}` in `{param}`; operators are: {}{}",
                Operator::all_names(),
                did_you_mean(operator, Operator::ALL.map(Operator::name))
            ),
            QueryError::NotARelation { param, model, name } => {
                write!(f, "`{name}` is a field of `{model}`, not a relation, so `{param}` cannot go through it")
            }
            QueryError::TooManyHops { param } => {
                write!(f, "`{param}` goes through more than 3 relations; a filter may go through at most 3")
            }
            QueryError::OperatorType { operator, needs, field, kind } => {
                write!(f, "`{operator}` needs {needs}; `{field}` is {kind}")
            }
            QueryError::BadValue { param, path, value, kind } => {
                write!(f, "`{param}` value `{}` is not {kind}{}", shown(value), kind.format_hint())?;
                if value.eq_ignore_ascii_case("null") || value.eq_ignore_ascii_case("none") {
                    write!(f, "; to match empty values use `{path}__is=null`")?;
                }
                Ok(())
            }
            QueryError::BadNullTest { param, value } => {
                write!(f, "`{param}` takes `null` or `notnull`, not `{}`", shown(value))
            }
            QueryError::BetweenArity { param, value } => {
                write!(f, "`{param}` needs two values separated by a comma, like `1,5`, not `{}`", shown(value))
            }
            QueryError::BadCalendarValue { param, value, expects } => {
                write!(f, "`{param}` takes {expects}, not `{}`", shown(value))
            }
            QueryError::NotFilterable { param, field } => {
                write!(f, "`{param}` filters on `{field}`, which may not be filtered on")
            }
            QueryError::UnknownOrdering { model, name, fields } => write!(
                f,
                "`ordering` names an unknown field `{}` of `{model}`; fields are: {}{}",
                shown(name),
                fields.join(", "),
                did_you_mean(name, fields.iter().copied())
            ),
            QueryError::Unstorable { message, .. } => f.write_str(message),
            QueryError::TrailingEscape { param } => {
                write!(f, "`{param}` pattern ends with the escape character `\\`; write `\\\\` to match a backslash")
            }
            QueryError::PatternTooLong { param } => {
                write!(f, "`{param}` pattern is longer than {} characters", super::MAX_PATTERN)
            }
            QueryError::TooMany { param, what, count, max } => {
                write!(f, "`{param}` brings the filters to {count} {what}; a list request may have at most {max}")
            }
            QueryError::TooManyOrderings { count } => {
                write!(f, "`ordering` has {count} terms; a list may be ordered by at most {}", super::MAX_ORDERING)
            }
            QueryError::BadLimit { value } => {
                write!(f, "`limit` must be a whole number from 1 up, not `{}`", shown(value))
            }
            QueryError::BadCursor(message) => f.write_str(message),
            QueryError::Internal(m) => write!(f, "the query could not be built: {m}"),
        }
    }
}

impl std::error::Error for QueryError {}

/// A rejected parameter is a 400 naming it; a failure to build its
/// statement is hangar's, a 500.
impl From<QueryError> for Error {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Internal(_) => Error::Database(DbError::Task(e.to_string())),
            e => Error::Query(Box::new(e)),
        }
    }
}
