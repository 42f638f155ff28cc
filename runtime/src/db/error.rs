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
