//! Database URLs: which backend, where, and how to print them safely.

use std::fmt;

use super::{DbError, Dialect};

/// A parsed database URL.
///
/// The schemes are `sqlite://path` (relative, or absolute as
/// `sqlite:///abs/path`), `sqlite::memory:`, `postgres://` (or
/// `postgresql://`) and `mysql://` (or `mariadb://`).
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    dialect: Dialect,
    /// What the backend's driver is given: a file path for SQLite, the URL
    /// itself for the servers.
    target: String,
}

const SCHEMES: &str = "sqlite://path, sqlite::memory:, postgres://user@host/db or mysql://user@host/db";

impl DatabaseUrl {
    /// Parses `url`, checking that its backend is compiled in.
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(DbError::Config(format!("the database URL is empty; use {SCHEMES}")));
        }
        let (dialect, target) = if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            (Dialect::Sqlite, ":memory:".to_owned())
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(DbError::Config(
                    "the database URL `sqlite://` names no file; use sqlite://path/to/file.db or sqlite::memory:"
                        .into(),
                ));
            }
            (Dialect::Sqlite, path.to_owned())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Dialect::Postgres, url.to_owned())
        } else if url.starts_with("mysql://") {
            (Dialect::Mysql, url.to_owned())
        } else if let Some(rest) = url.strip_prefix("mariadb://") {
            (Dialect::Mysql, format!("mysql://{rest}"))
        } else {
            let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
            return Err(DbError::Config(format!("the database URL scheme `{scheme}` is not supported; use {SCHEMES}")));
        };
        let parsed = DatabaseUrl { dialect, target };
        if !dialect.is_compiled_in() {
            return Err(DbError::Config(format!(
                "the database URL `{parsed}` needs {dialect}, which this build of hangar leaves out; \
                 enable hangar's `{feature}` feature (hangar = {{ version = \"...\", features = [\"{feature}\"] }})",
                feature = dialect.feature()
            )));
        }
        Ok(parsed)
    }

    /// The backend the URL names.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Whether this is an in-memory SQLite database, which lives only as long
    /// as its one connection.
    pub fn is_memory(&self) -> bool {
        self.dialect == Dialect::Sqlite && (self.target == ":memory:" || self.target.contains("mode=memory"))
    }

    /// What the driver is given to connect.
    pub(crate) fn target(&self) -> &str {
        &self.target
    }

    /// `host:port` for a server URL, or the file for SQLite, for error messages.
    pub fn location(&self) -> String {
        if self.dialect == Dialect::Sqlite {
            return self.target.clone();
        }
        let rest = self.target.split_once("://").map_or(self.target.as_str(), |(_, rest)| rest);
        let authority = rest.split(['/', '?']).next().unwrap_or(rest);
        let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
        if host.is_empty() {
            "localhost".to_owned()
        } else {
            host.to_owned()
        }
    }
}

impl fmt::Display for DatabaseUrl {
    /// The URL with any password replaced by `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dialect == Dialect::Sqlite {
            return if self.target == ":memory:" {
                f.write_str("sqlite::memory:")
            } else {
                write!(f, "sqlite://{}", self.target)
            };
        }
        let Some((scheme, rest)) = self.target.split_once("://") else {
            return f.write_str(&self.target);
        };
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        match authority.rsplit_once('@') {
            Some((credentials, host)) => {
                let user = credentials.split_once(':').map_or(credentials, |(user, _)| user);
                let hidden = if credentials.contains(':') { ":***" } else { "" };
                write!(f, "{scheme}://{user}{hidden}@{host}{tail}")
            }
            None => write!(f, "{scheme}://{rest}"),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(url: &str) -> String {
        DatabaseUrl::parse(url).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn sqlite_urls_name_a_file_or_memory() {
        let url = DatabaseUrl::parse("sqlite://notes.db");
        assert_eq!(url.as_ref().map(DatabaseUrl::target).ok(), Some("notes.db"));
        let url = DatabaseUrl::parse("sqlite:///var/lib/app.db");
        assert_eq!(url.as_ref().map(DatabaseUrl::target).ok(), Some("/var/lib/app.db"));
        let url = DatabaseUrl::parse("sqlite::memory:");
        assert!(url.as_ref().is_ok_and(DatabaseUrl::is_memory));
    }

    #[test]
    fn an_unknown_scheme_is_named_in_the_error() {
        let error = message("oracle://scott@db/orcl");
        assert!(error.contains("scheme `oracle` is not supported"), "{error}");
        assert!(error.contains("sqlite://path"), "{error}");
    }

    #[test]
    fn an_empty_url_or_sqlite_without_a_path_is_refused() {
        assert!(message("").contains("empty"));
        assert!(message("sqlite://").contains("names no file"));
    }

    #[test]
    fn a_backend_left_out_of_the_build_names_its_feature() {
        for (url, dialect) in [("postgres://u@h/db", Dialect::Postgres), ("mysql://u@h/db", Dialect::Mysql)] {
            if !dialect.is_compiled_in() {
                let error = message(url);
                assert!(error.contains(&format!("`{}` feature", dialect.feature())), "{error}");
            }
        }
    }

    #[test]
    fn passwords_never_print() {
        let url =
            DatabaseUrl { dialect: Dialect::Postgres, target: "postgres://app:s3cret@db.example:5432/app".into() };
        assert_eq!(url.to_string(), "postgres://app:***@db.example:5432/app");
        assert_eq!(url.location(), "db.example:5432");
        let url = DatabaseUrl { dialect: Dialect::Mysql, target: "mysql://root@127.0.0.1:3306/test".into() };
        assert_eq!(url.to_string(), "mysql://root@127.0.0.1:3306/test");
    }
}
