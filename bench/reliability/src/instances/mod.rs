//! The instances suite: two tweepee instances on one PostgreSQL database
//! behind nginx, round-robin, no sticky sessions, as the guide's deployment
//! chapter describes them. Each check would fail if an instance trusted
//! its own memory instead of the database:
//!
//! - both instances started at once on an empty database migrate it once
//!   and both serve ([`migrations`]);
//! - a login made through one is valid on the other; a password changed
//!   or a user deactivated through one ends that user's sessions and
//!   remembered Basic credentials on the other ([`sessions`]);
//! - admin changes made through both land in one audit log ([`audit`]);
//! - a cursor from one instance pages on the other ([`cursors`]);
//! - the login throttle counts failures across both, for the login form
//!   and for HTTP Basic, in a table whose ended windows are deleted
//!   ([`throttle`]).
//!
//! Everything listens on 127.0.0.1; every wait has a limit.

mod audit;
mod cursors;
mod forms;
mod migrations;
mod nginx;
mod sessions;
mod throttle;

use std::path::Path;
use std::time::{Duration, Instant};

use crate::app::{Running, Tweepee};
use crate::backend::{fresh_database, postgres_server, Backend};
use crate::http::{Client, Reply};
use crate::sql;
use nginx::{Nginx, UPSTREAM_HEADER};

/// Settings of the instances suite.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// Wrong passwords sent at once for one user, spread over both
    /// instances by nginx.
    #[arg(long, default_value_t = 50)]
    attempts: usize,
    /// The login throttle's limit the app runs with (hangar's default).
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// How many times both instances start at once on an empty database.
    #[arg(long, default_value_t = 3)]
    starts: usize,
}

/// The database every run of the suite starts again.
const DATABASE: &str = "hangar_instances";

/// Users `user0` to `user<USERS-1>`, each with their name as password.
const USERS: usize = 12;

/// Messages, for the cursor's pages.
const MESSAGES: usize = 60;

/// The two instances, nginx in front of them, and what the checks share.
pub(crate) struct Site {
    pub(crate) first: Running,
    pub(crate) second: Running,
    pub(crate) proxy: Nginx,
    pub(crate) database_url: String,
    pub(crate) client: Client,
    /// `admin`'s session, made through the first instance.
    pub(crate) admin_cookie: String,
    /// What the admin changed, for the audit log's check.
    pub(crate) changes: Vec<audit::Change>,
}

impl Site {
    /// The primary key of user `username`.
    pub(crate) fn user_pk(&self, username: &str) -> Result<i64, String> {
        sql::number_at(
            &self.database_url,
            &format!("SELECT CAST(id AS BIGINT) AS n FROM users WHERE username = '{username}'"),
        )
    }

    /// Which instance an answer through nginx came from: `first`,
    /// `second`, or what nginx said.
    pub(crate) fn answered_by(&self, reply: &Reply) -> String {
        let upstream = reply.header(UPSTREAM_HEADER).unwrap_or("nobody");
        if upstream.ends_with(&format!(":{}", self.first.port)) {
            "first".into()
        } else if upstream.ends_with(&format!(":{}", self.second.port)) {
            "second".into()
        } else {
            upstream.to_owned()
        }
    }
}

/// What a check found: its evidence when the promise held, else why not.
type Verdict = Result<String, String>;

pub(crate) fn run(tweepee: &Path, options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let dir = tempfile::Builder::new().prefix("hangar-instances-").tempdir().map_err(|e| e.to_string())?;
    let server = postgres_server();
    let database_url = fresh_database(Backend::Postgres, DATABASE, dir.path(), &server)?;
    let app =
        Tweepee { binary: tweepee.to_owned(), database_url: database_url.clone(), dir: dir.path().into(), env: vec![] };

    let mut verdicts: Vec<(&str, Verdict)> = Vec::new();
    verdicts.push(("migrations' lock", migrations::start_together(&app, &server, options.starts)));

    fresh_database(Backend::Postgres, DATABASE, dir.path(), &server)?;
    app.seed(USERS, MESSAGES)?;
    throttle::plant_windows(&app.database_url)?;
    let (first, second) = migrations::serve_both(&app)?;
    let proxy = Nginx::start(dir.path(), first.port, second.port)?;
    let client = Client::new(Duration::from_secs(20));
    let admin_cookie = client.login(&first.base(), "admin", "admin")?;
    let mut site = Site { first, second, proxy, database_url, client, admin_cookie, changes: Vec::new() };
    println!(
        "instances: tweepee on 127.0.0.1:{} and 127.0.0.1:{}, nginx on 127.0.0.1:{}, database {DATABASE}",
        site.first.port, site.second.port, site.proxy.port
    );

    verdicts.push(("a login made on one instance", sessions::shared_login(&site)));
    verdicts.push(("a password changed on one instance", sessions::password_change(&mut site)));
    verdicts.push(("a user deactivated on one instance", sessions::deactivation(&mut site)));
    verdicts.push(("the audit log", audit::changes_through_both(&mut site)));
    verdicts.push(("cursors", cursors::pages_across(&site)));
    verdicts.push(("the throttle, login form", throttle::login_form(&site, options.attempts, options.limit)));
    verdicts.push(("the throttle, HTTP Basic", throttle::basic(&site, options.attempts, options.limit)));
    verdicts.push(("the throttle's ended windows", throttle::pruned(&site)));

    let mut failed = Vec::new();
    for (name, verdict) in &verdicts {
        match verdict {
            Ok(evidence) => println!("ok    {name}: {evidence}"),
            Err(why) => {
                println!("FAIL  {name}: {why}");
                failed.push(*name);
            }
        }
    }
    println!("instances: {} checks in {:.1?}", verdicts.len(), started.elapsed());
    drop(site);
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} of {} checks failed: {}", failed.len(), verdicts.len(), failed.join(", ")))
    }
}

/// `Err(why)` unless `condition`.
pub(crate) fn ensure(condition: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(why())
    }
}
