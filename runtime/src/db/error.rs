use std::fmt;

/// Why the database layer failed.
///
/// Every message says what went wrong and what to do about it; none prints a
/// password.
#[derive(Debug)]
#[non_exhaustive]
pub enum DbError {
    /// The configuration is wrong: an unknown URL scheme, a backend that was
    /// not compiled in, a bad pool size.
    Config(String),
    /// The server could not be reached, or refused the connection.
    Connect(String),
    /// No pooled connection became free in time.
    Pool(String),
    /// Running the migrations failed.
    Migration(String),
    /// A query failed.
    Query(diesel::result::Error),
    /// The blocking task running the query panicked or was cancelled.
    Task(String),
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Config(m) | DbError::Connect(m) | DbError::Pool(m) | DbError::Migration(m) | DbError::Task(m) => {
                f.write_str(m)
            }
            DbError::Query(e) => {
                write!(f, "database error: {e}")?;
                // What the backend says besides its message, for the log.
                if let diesel::result::Error::DatabaseError(_, info) = e {
                    let context = [
                        ("details", info.details()),
                        ("hint", info.hint()),
                        ("table", info.table_name()),
                        ("column", info.column_name()),
                        ("constraint", info.constraint_name()),
                    ];
                    for (what, text) in context {
                        if let Some(text) = text {
                            write!(f, "; {what}: {text}")?;
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

/// What backends say when the connection under a statement is gone, or the
/// server is on its way down or up: the database is unavailable for now,
/// not the statement wrong. Diesel names only some of these cases.
const UNAVAILABLE: &[&str] = &[
    // PostgreSQL and libpq
    "terminating connection due to administrator command",
    "server closed the connection unexpectedly",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
    "no connection to the server",
    "could not receive data from server",
    "could not send data to server",
    "connection to server",
    // MySQL and MariaDB
    "server has gone away",
    "lost connection to",
    "server shutdown in progress",
    "can't connect to",
    // SQLite, when the write lock outlasted the busy timeout
    "database is locked",
];

impl DbError {
    /// Whether the database is unavailable for now (unreachable, restarting,
    /// its connection lost, its write lock held too long), rather than the
    /// statement or the configuration wrong: a 503 that a retry may cure.
    pub fn is_unavailable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error as Diesel};
        match self {
            DbError::Connect(_) | DbError::Pool(_) => true,
            DbError::Query(Diesel::BrokenTransactionManager) => true,
            DbError::Query(Diesel::DatabaseError(kind, info)) => {
                matches!(kind, DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand) || {
                    let message = info.message().to_lowercase();
                    UNAVAILABLE.iter().any(|phrase| message.contains(phrase))
                }
            }
            _ => false,
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Query(e) => Some(e),
            _ => None,
        }
    }
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        DbError::Query(e)
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error as Diesel};

    use super::*;

    fn query(kind: DatabaseErrorKind, message: &str) -> DbError {
        DbError::Query(Diesel::DatabaseError(kind, Box::new(message.to_owned())))
    }

    #[test]
    fn a_lost_connection_is_unavailable_and_a_wrong_statement_is_not() {
        assert!(DbError::Pool("no connection became free".into()).is_unavailable());
        assert!(DbError::Connect("connection refused".into()).is_unavailable());
        assert!(query(DatabaseErrorKind::ClosedConnection, "closed").is_unavailable());
        assert!(query(DatabaseErrorKind::UnableToSendCommand, "no connection to the server").is_unavailable());
        assert!(
            query(DatabaseErrorKind::Unknown, "terminating connection due to administrator command").is_unavailable()
        );
        assert!(query(DatabaseErrorKind::Unknown, "MySQL server has gone away").is_unavailable());
        assert!(query(DatabaseErrorKind::Unknown, "database is locked").is_unavailable());
        assert!(DbError::Query(Diesel::BrokenTransactionManager).is_unavailable());

        assert!(!query(DatabaseErrorKind::Unknown, "syntax error at or near \"SELEC\"").is_unavailable());
        assert!(!query(DatabaseErrorKind::UniqueViolation, "duplicate key").is_unavailable());
        assert!(!DbError::Query(Diesel::NotFound).is_unavailable());
        assert!(!DbError::Migration("failed".into()).is_unavailable());
        assert!(!DbError::Config("bad url".into()).is_unavailable());
    }
}
