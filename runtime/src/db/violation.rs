//! The rule of the database a statement violated, read the same way on
//! SQLite, PostgreSQL and MariaDB: which rule the input broke and, where
//! the backend names it, which column. hangar checks values before they
//! reach the database; this reads the violations that slip past, so they can
//! be answered as bad input rather than as a crash.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DieselError};

/// A rule of the database that a statement broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// A unique constraint: the table when named, and its columns when the
    /// backend names them.
    Unique {
        /// The table.
        table: Option<String>,
        /// The columns.
        columns: Vec<String>,
    },
    /// A foreign key points at no row (`still_referenced == false`), or a
    /// row is still pointed at.
    ForeignKey {
        /// The foreign key column.
        column: Option<String>,
        /// The other table.
        table: Option<String>,
        /// Whether the row is still referenced from `table`.
        still_referenced: bool,
    },
    /// A NOT NULL column was given no value.
    NotNull {
        /// The column.
        column: Option<String>,
    },
    /// A CHECK constraint.
    Check {
        /// The column.
        column: Option<String>,
    },
    /// Text longer than its column.
    TooLong {
        /// The column.
        column: Option<String>,
    },
    /// Text the column's encoding cannot hold.
    BadText {
        /// The column.
        column: Option<String>,
    },
    /// A number, date or time outside the column's range.
    OutOfRange {
        /// The column.
        column: Option<String>,
    },
    /// A LIKE pattern ending with its escape character.
    PatternEscape,
    /// A pattern too long or complex for the backend.
    PatternTooComplex,
    /// More bound parameters, or deeper expressions, than the backend takes.
    TooComplex,
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// `users.username` → `(Some("users"), "username")`; backticks and quotes go.
fn split_qualified(name: &str) -> (Option<String>, String) {
    let clean = |s: &str| s.trim().trim_matches(['`', '"', '\'']).to_owned();
    match name.rsplit_once('.') {
        Some((table, column)) => (Some(clean(table.rsplit('.').next().unwrap_or(table))), clean(column)),
        None => (None, clean(name)),
    }
}

/// The column a MariaDB message names: `for column 'x'` or
/// ``for column `db`.`t`.`x` ``.
fn mysql_column(message: &str) -> Option<String> {
    let rest = message.split("for column ").nth(1)?;
    let name = rest.split(" at row").next().unwrap_or(rest);
    Some(split_qualified(name).1)
}

/// The rule `error` says the input broke, if it is a violation rather than
/// a failure of the server.
pub fn violation(error: &DieselError) -> Option<Violation> {
    let DieselError::DatabaseError(kind, info) = error else {
        return None;
    };
    let message = info.message();
    let lower = message.to_ascii_lowercase();
    let column = || info.column_name().map(str::to_owned).or_else(|| mysql_column(message));
    Some(match kind {
        DatabaseErrorKind::UniqueViolation => unique(info.as_ref(), message),
        DatabaseErrorKind::ForeignKeyViolation => foreign_key(info.as_ref(), message),
        DatabaseErrorKind::NotNullViolation => {
            let sqlite = message.strip_prefix("NOT NULL constraint failed: ").map(|c| split_qualified(c).1);
            let quoted = || between(message, "'", "'").map(str::to_owned);
            Violation::NotNull { column: info.column_name().map(str::to_owned).or(sqlite).or_else(quoted) }
        }
        DatabaseErrorKind::CheckViolation => Violation::Check { column: info.column_name().map(str::to_owned) },
        // MariaDB reports a missing value without a kind.
        _ if message.contains("doesn't have a default value") || message.contains("cannot be null") => {
            Violation::NotNull { column: between(message, "'", "'").map(str::to_owned) }
        }
        _ if lower.contains("value too long for type") || lower.contains("data too long for column") => {
            Violation::TooLong { column: column() }
        }
        _ if lower.contains("invalid byte sequence")
            || lower.contains("incorrect string value")
            || lower.contains("unsupported unicode escape")
            || lower.contains("illegal mix of collations") =>
        {
            Violation::BadText { column: column() }
        }
        _ if lower.contains("out of range")
            || lower.contains("incorrect datetime value")
            || lower.contains("incorrect date value")
            || lower.contains("incorrect time value") =>
        {
            Violation::OutOfRange { column: column() }
        }
        _ if lower.contains("must not end with escape character") => Violation::PatternEscape,
        _ if lower.contains("pattern too complex") => Violation::PatternTooComplex,
        _ if lower.contains("too many sql variables")
            || lower.contains("number of parameters must be between")
            || lower.contains("too many placeholders")
            || lower.contains("expression tree is too large")
            || lower.contains("stack depth limit exceeded") =>
        {
            Violation::TooComplex
        }
        _ => return None,
    })
}

fn unique(info: &(dyn DatabaseErrorInformation + Send + Sync), message: &str) -> Violation {
    // PostgreSQL: details "Key (a, b)=(1, 2) already exists."
    if let Some(columns) = info.details().and_then(|d| between(d, "Key (", ")=(")) {
        let columns = columns.split(',').map(|c| c.trim().trim_matches('"').to_owned()).collect();
        return Violation::Unique { table: info.table_name().map(str::to_owned), columns };
    }
    // SQLite: "UNIQUE constraint failed: users.username, users.email"
    if let Some(list) = message.strip_prefix("UNIQUE constraint failed: ") {
        let parts: Vec<(Option<String>, String)> = list.split(", ").map(split_qualified).collect();
        let table = parts.first().and_then(|(t, _)| t.clone());
        return Violation::Unique { table, columns: parts.into_iter().map(|(_, c)| c).collect() };
    }
    // MariaDB: "Duplicate entry 'x' for key 'username'" names the index,
    // which is its first column's name unless the schema named it.
    if let Some(key) = message.rsplit("for key ").next().filter(|_| message.contains("for key ")) {
        let (table, column) = split_qualified(key);
        return Violation::Unique { table, columns: vec![column] };
    }
    Violation::Unique { table: info.table_name().map(str::to_owned), columns: Vec::new() }
}

fn foreign_key(info: &(dyn DatabaseErrorInformation + Send + Sync), message: &str) -> Violation {
    // A failure that names its column: hangar's own, for SQLite, which
    // names none.
    if let Some(column) = info.column_name() {
        let table = info.table_name().map(str::to_owned);
        return Violation::ForeignKey { column: Some(column.to_owned()), table, still_referenced: false };
    }
    let details = info.details().unwrap_or_default();
    // PostgreSQL: `Key (user_id)=(9) is not present in table "users".` or
    // `Key (id)=(1) is still referenced from table "message".`
    if let Some(column) = between(details, "Key (", ")=(") {
        let table = between(details, "table \"", "\"").map(str::to_owned);
        let still_referenced = details.contains("still referenced");
        let column = (!still_referenced).then(|| column.trim_matches('"').to_owned());
        return Violation::ForeignKey { column, table, still_referenced };
    }
    // MariaDB: "... a foreign key constraint fails (`db`.`message`, CONSTRAINT `x`
    // FOREIGN KEY (`user_id`) REFERENCES `users` (`id`))"
    if let Some(column) = between(message, "FOREIGN KEY (`", "`)") {
        let still_referenced = message.contains("Cannot delete or update a parent row");
        let table = if still_referenced {
            between(message, "fails (", ",").map(|t| split_qualified(t).1)
        } else {
            between(message, "REFERENCES `", "`").map(str::to_owned)
        };
        let column = (!still_referenced).then(|| column.to_owned());
        return Violation::ForeignKey { column, table, still_referenced };
    }
    Violation::ForeignKey { column: None, table: None, still_referenced: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A backend's error as Diesel reports it.
    struct Info {
        message: &'static str,
        details: Option<&'static str>,
        table: Option<&'static str>,
        column: Option<&'static str>,
    }

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.message
        }
        fn details(&self) -> Option<&str> {
            self.details
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            self.table
        }
        fn column_name(&self) -> Option<&str> {
            self.column
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn read(kind: DatabaseErrorKind, message: &'static str, details: Option<&'static str>) -> Option<Violation> {
        let info = Info { message, details, table: details.map(|_| "users"), column: None };
        violation(&DieselError::DatabaseError(kind, Box::new(info)))
    }

    fn unique(table: Option<&str>, columns: &[&str]) -> Option<Violation> {
        let columns = columns.iter().map(|c| (*c).to_owned()).collect();
        Some(Violation::Unique { table: table.map(str::to_owned), columns })
    }

    #[test]
    fn unique_violations_name_their_columns_on_every_backend() {
        use DatabaseErrorKind::UniqueViolation as U;
        let pg = read(
            U,
            "duplicate key value violates unique constraint \"users_username_key\"",
            Some("Key (username)=(admin) already exists."),
        );
        assert_eq!(pg, unique(Some("users"), &["username"]));
        assert_eq!(read(U, "UNIQUE constraint failed: users.username", None), unique(Some("users"), &["username"]));
        let pair = read(U, "UNIQUE constraint failed: relationship.from_user_id, relationship.to_user_id", None);
        assert_eq!(pair, unique(Some("relationship"), &["from_user_id", "to_user_id"]));
        assert_eq!(read(U, "Duplicate entry 'admin' for key 'username'", None), unique(None, &["username"]));
        assert_eq!(
            read(U, "Duplicate entry 'admin' for key 'users.username'", None),
            unique(Some("users"), &["username"])
        );
    }

    #[test]
    fn foreign_keys_say_which_way_they_failed() {
        use DatabaseErrorKind::ForeignKeyViolation as F;
        let missing = read(
            F,
            "insert or update on table \"message\" violates foreign key constraint \"message_user_id_fkey\"",
            Some("Key (user_id)=(99) is not present in table \"users\"."),
        );
        assert_eq!(
            missing,
            Some(Violation::ForeignKey {
                column: Some("user_id".into()),
                table: Some("users".into()),
                still_referenced: false
            })
        );
        let maria = read(F, "Cannot add or update a child row: a foreign key constraint fails (`t`.`message`, CONSTRAINT `message_ibfk_1` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`))", None);
        assert_eq!(
            maria,
            Some(Violation::ForeignKey {
                column: Some("user_id".into()),
                table: Some("users".into()),
                still_referenced: false
            })
        );
        let parent = read(F, "Cannot delete or update a parent row: a foreign key constraint fails (`t`.`message`, CONSTRAINT `message_ibfk_1` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`))", None);
        assert_eq!(
            parent,
            Some(Violation::ForeignKey { column: None, table: Some("message".into()), still_referenced: true })
        );
        assert_eq!(
            read(F, "FOREIGN KEY constraint failed", None),
            Some(Violation::ForeignKey { column: None, table: None, still_referenced: false })
        );
    }

    #[test]
    fn value_violations_are_classified_with_their_column() {
        use DatabaseErrorKind::Unknown as K;
        let col = |c: &str| Some(c.to_owned());
        assert_eq!(
            read(K, "value too long for type character varying(150)", None),
            Some(Violation::TooLong { column: None })
        );
        assert_eq!(
            read(K, "Data too long for column 'username' at row 1", None),
            Some(Violation::TooLong { column: col("username") })
        );
        assert_eq!(
            read(K, "invalid byte sequence for encoding \"UTF8\": 0x00", None),
            Some(Violation::BadText { column: None })
        );
        assert_eq!(
            read(K, "Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column `test`.`t`.`content` at row 1", None),
            Some(Violation::BadText { column: col("content") })
        );
        assert_eq!(read(K, "integer out of range", None), Some(Violation::OutOfRange { column: None }));
        assert_eq!(
            read(K, "Out of range value for column 'small' at row 1", None),
            Some(Violation::OutOfRange { column: col("small") })
        );
        assert_eq!(
            read(K, "Incorrect datetime value: '10000-01-01' for column `t`.`k`.`stamp` at row 1", None),
            Some(Violation::OutOfRange { column: col("stamp") })
        );
        assert_eq!(read(K, "timestamp out of range", None), Some(Violation::OutOfRange { column: None }));
        assert_eq!(read(K, "LIKE pattern must not end with escape character", None), Some(Violation::PatternEscape));
        assert_eq!(read(K, "LIKE or GLOB pattern too complex", None), Some(Violation::PatternTooComplex));
        assert_eq!(read(K, "too many SQL variables", None), Some(Violation::TooComplex));
        assert_eq!(
            read(K, "Field 'a_id' doesn't have a default value", None),
            Some(Violation::NotNull { column: col("a_id") })
        );
        assert_eq!(
            read(DatabaseErrorKind::NotNullViolation, "NOT NULL constraint failed: bmodel.a_id", None),
            Some(Violation::NotNull { column: col("a_id") })
        );
        assert_eq!(read(K, "deadlock detected", None), None, "a failure of the server, not of the input");
    }
}
