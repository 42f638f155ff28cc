//! Where the database settings come from.

use std::time::Duration;

use rocket::figment::{error::Kind, Figment};

use super::{DbError, PoolOptions};

/// Where the database URL was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlSource {
    /// The `DATABASE_URL` environment variable, as the diesel CLI reads it.
    Environment,
    /// `database_url` in Rocket's configuration (`Rocket.toml`, `ROCKET_DATABASE_URL`).
    RocketConfig,
    /// The app's built-in default.
    AppDefault,
}

/// The resolved database settings of an app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseConfig {
    /// The URL to connect to.
    pub url: String,
    /// Where `url` came from.
    pub source: UrlSource,
    /// The pool settings.
    pub pool: PoolOptions,
}

impl DatabaseConfig {
    /// Resolves the settings: the URL from `env_url` (`DATABASE_URL`), else
    /// `database_url` in `figment`, else `default_url`; the pool size from
    /// `database_pool_size` and the checkout timeout in seconds from
    /// `database_timeout`, else `defaults`.
    pub fn resolve(
        figment: &Figment,
        env_url: Option<String>,
        default_url: Option<&str>,
        defaults: &PoolOptions,
    ) -> Result<Self, DbError> {
        let configured: Option<String> = optional(figment, "database_url", "a URL string")?;
        let (url, source) = match (env_url.filter(|u| !u.trim().is_empty()), configured, default_url) {
            (Some(url), _, _) => (url, UrlSource::Environment),
            (None, Some(url), _) => (url, UrlSource::RocketConfig),
            (None, None, Some(url)) => (url.to_owned(), UrlSource::AppDefault),
            (None, None, None) => {
                return Err(DbError::Config(
                    "no database URL is configured; set DATABASE_URL, or `database_url` in Rocket.toml".into(),
                ))
            }
        };
        let max_size = optional::<u32>(figment, "database_pool_size", "a whole number of connections")?
            .unwrap_or(defaults.max_size);
        if max_size == 0 {
            return Err(DbError::Config("`database_pool_size` must be at least 1".into()));
        }
        let timeout = optional::<u64>(figment, "database_timeout", "a whole number of seconds")?
            .map_or(defaults.timeout, Duration::from_secs);
        Ok(DatabaseConfig { url, source, pool: PoolOptions { max_size, timeout, on_connect: None } })
    }
}

/// Reads `key`, treating a missing key as `None` and a wrong one as an error
/// that names the key and what it should be.
fn optional<T: serde::de::DeserializeOwned>(
    figment: &Figment,
    key: &str,
    expected: &str,
) -> Result<Option<T>, DbError> {
    match figment.extract_inner::<T>(key) {
        Ok(value) => Ok(Some(value)),
        Err(e) if matches!(e.kind, Kind::MissingField(_)) => Ok(None),
        Err(e) => Err(DbError::Config(format!("`{key}` in the Rocket configuration must be {expected}: {}", e.kind))),
    }
}

#[cfg(test)]
mod tests {
    use rocket::figment::providers::Serialized;

    use super::*;

    fn figment(pairs: &[(&str, serde_json::Value)]) -> Figment {
        pairs.iter().fold(Figment::new(), |f, (k, v)| f.merge(Serialized::default(k, v)))
    }

    #[test]
    fn the_environment_wins_then_rocket_config_then_the_default() {
        let config = figment(&[("database_url", "sqlite://from-config.db".into())]);
        let defaults = PoolOptions::default();
        let resolved =
            DatabaseConfig::resolve(&config, Some("sqlite://env.db".into()), Some("sqlite://d.db"), &defaults);
        assert_eq!(resolved.ok().map(|c| (c.url, c.source)), Some(("sqlite://env.db".into(), UrlSource::Environment)));
        let resolved = DatabaseConfig::resolve(&config, None, Some("sqlite://d.db"), &defaults);
        assert_eq!(
            resolved.ok().map(|c| (c.url, c.source)),
            Some(("sqlite://from-config.db".into(), UrlSource::RocketConfig))
        );
        let resolved = DatabaseConfig::resolve(&figment(&[]), None, Some("sqlite://d.db"), &defaults);
        assert_eq!(resolved.ok().map(|c| (c.url, c.source)), Some(("sqlite://d.db".into(), UrlSource::AppDefault)));
    }

    #[test]
    fn pool_settings_are_read_and_checked() {
        let defaults = PoolOptions::default();
        let config = figment(&[("database_pool_size", 3.into()), ("database_timeout", 9.into())]);
        let resolved = DatabaseConfig::resolve(&config, None, Some("sqlite::memory:"), &defaults);
        assert_eq!(
            resolved.ok().map(|c| c.pool),
            Some(PoolOptions { max_size: 3, timeout: Duration::from_secs(9), on_connect: None })
        );

        let config = figment(&[("database_pool_size", "lots".into())]);
        let error = DatabaseConfig::resolve(&config, None, Some("sqlite::memory:"), &defaults).err();
        let error = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("`database_pool_size` in the Rocket configuration must be a whole number"), "{error}");

        let config = figment(&[("database_pool_size", 0.into())]);
        let error = DatabaseConfig::resolve(&config, None, Some("sqlite::memory:"), &defaults).err();
        assert!(error.is_some_and(|e| e.to_string().contains("at least 1")));
    }

    #[test]
    fn no_url_anywhere_says_where_to_put_one() {
        let error = DatabaseConfig::resolve(&figment(&[]), None, None, &PoolOptions::default()).err();
        assert!(error.is_some_and(|e| e.to_string().contains("set DATABASE_URL")));
    }
}
