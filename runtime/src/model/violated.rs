//! A database's refusal of a statement as hangar's [`Error`]: the rule the
//! input broke, in the words of the models' fields rather than the
//! database's constraints and columns.

use crate::db::{violation, DbError, Violation};
use crate::Error;

use super::registry::field_of_column;

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        if matches!(e, diesel::result::Error::NotFound) {
            return Error::NotFound;
        }
        match violation(&e) {
            Some(violation) => violated(&violation),
            None => Error::Database(DbError::Query(e)),
        }
    }
}

/// The field `column` of `table` stands for, in hangar's words: the field's
/// name when a model maps that column, else the column's.
fn field(table: Option<&str>, column: &str) -> String {
    field_of_column(table, column).unwrap_or(column).to_owned()
}

/// A sentence for a rule the input broke, never naming a constraint.
fn violated(violation: &Violation) -> Error {
    let named = |column: &Option<String>, known: &str, unknown: &str| match column {
        Some(column) => format!("`{}` {known}", field(None, column)),
        None => unknown.to_owned(),
    };
    match violation {
        Violation::Unique { table, columns } => {
            Error::Unique { fields: columns.iter().map(|c| field(table.as_deref(), c)).collect() }
        }
        Violation::ForeignKey { still_referenced: true, table, .. } => Error::BadRequest(match table {
            Some(table) => format!("other objects still refer to this one, in `{table}`"),
            None => "other objects still refer to this one".to_owned(),
        }),
        Violation::ForeignKey { column: Some(column), .. } => {
            Error::BadRequest(format!("`{}` refers to an object that does not exist", field(None, column)))
        }
        Violation::ForeignKey { .. } => {
            Error::BadRequest("a related object does not exist, or other objects still refer to this one".to_owned())
        }
        Violation::NotNull { column: Some(column) } => {
            Error::BadRequest(format!("`{}` is required", field(None, column)))
        }
        Violation::NotNull { column: None } => Error::BadRequest("a required field is missing".to_owned()),
        Violation::Check { column } => {
            Error::BadRequest(named(column, "breaks a rule of the database", "a value breaks a rule of the database"))
        }
        Violation::TooLong { column } => Error::BadRequest(named(
            column,
            "is longer than its column allows",
            "a value is longer than its column allows",
        )),
        Violation::BadText { column } => Error::BadRequest(named(
            column,
            "holds characters its column cannot store",
            "a text value holds characters its column cannot store",
        )),
        Violation::OutOfRange { column } => {
            Error::BadRequest(named(column, "is out of range for its column", "a value is out of range for its column"))
        }
        Violation::PatternEscape => Error::BadRequest(
            "a pattern ends with the escape character `\\`; write `\\\\` to match a backslash".to_owned(),
        ),
        Violation::PatternTooComplex => Error::BadRequest("a pattern is too long or too complex".to_owned()),
        Violation::TooComplex => Error::BadRequest("the request compares too many values at once".to_owned()),
    }
}
