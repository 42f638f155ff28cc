//! The first run's demo. Served on its built-in SQLite file (no
//! `DATABASE_URL`, no `database_url`) with no user in it, tweepee creates a
//! few users who follow each other, post messages and leave notes, and an
//! admin whose random password it prints once with the addresses to visit.
//!
//! It runs at liftoff, when the server is listening: the address it prints
//! is the one served, and a demo is never created without its password
//! being shown. It never touches a database that was configured, even an
//! empty SQLite file, nor one that has any user, and it writes in one
//! transaction, so a failure leaves nothing behind.
//!
//! Only the admin can log in: the other demo users have no password (their
//! hash is `!`, which no password matches), so there is nothing else to
//! print and nothing to guess; the admin can give them one in the admin.
//! `carol` is a moderator: staff in the "moderator" group, who may view and
//! change messages and view users in the admin, once she has a password.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use hangar::db::{AnyConnection, Database, DatabaseConfig, PoolOptions, UrlSource};
use hangar::utils::make_password;
use rand_core::{OsRng, RngCore};
use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Config, Orbit, Rocket};

use crate::models::{DELETED, LIVE};
use crate::schema::users;
use crate::social;

/// The demo's admin.
pub const ADMIN: &str = "admin";

/// The demo's other users, who cannot log in.
pub const USERS: [&str; 3] = ["alice", "bob", "carol"];

/// What a password can be made of: letters and digits, without the ones
/// that read alike (l, 1, o, 0); 32 of them, five random bits each.
const PASSWORD_ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// The admin's password's length: 100 random bits.
const PASSWORD_LENGTH: usize = 20;

/// The hash of the users who cannot log in: not a hash, so no password
/// matches it.
const NO_PASSWORD: &str = "!";

/// The demo's admin and their password, in clear, to show once.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoAdmin {
    /// The username.
    pub username: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for DemoAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoAdmin").field("username", &self.username).finish_non_exhaustive()
    }
}

/// A password of 20 letters and digits (100 random bits) from the
/// operating system's random source.
pub fn random_password() -> String {
    let mut bytes = [0u8; PASSWORD_LENGTH];
    OsRng.fill_bytes(&mut bytes);
    // 256 is a multiple of 32, so every character is equally likely.
    bytes.iter().map(|b| char::from(PASSWORD_ALPHABET[usize::from(b % 32)])).collect()
}

/// Creates the demo, at `now`, if the database has no user, and returns
/// its admin; `None`, writing nothing, when it has one. One transaction:
/// the check and every row.
pub fn create_demo(conn: &mut AnyConnection, now: NaiveDateTime) -> Result<Option<DemoAdmin>, hangar::Error> {
    conn.transaction::<_, hangar::Error, _>(|conn| {
        let anyone: i64 = users::table.count().get_result(conn)?;
        if anyone > 0 {
            return Ok(None);
        }
        let password = random_password();
        let days = |n: i64| now - Duration::days(n);
        let admin = add_user(conn, ADMIN, &make_password(&password), days(6), true)?;
        let [alice, bob, carol] = USERS;
        let alice = add_user(conn, alice, NO_PASSWORD, days(5), false)?;
        let bob = add_user(conn, bob, NO_PASSWORD, days(4), false)?;
        let carol = add_user(conn, carol, NO_PASSWORD, days(3), false)?;

        for (from, to) in [(admin, alice), (admin, bob), (alice, bob), (alice, carol), (bob, alice), (carol, alice)] {
            social::follow(conn, from, to)?;
        }
        let messages = [
            (alice, 5, "Hello, tweepee! This is peewee's Twitter clone, on Rust."),
            (bob, 4, "Following alice. Her messages show on my private timeline, mine on hers."),
            (carol, 3, "Links become links: https://github.com/coleifer/peewee"),
            (alice, 2, "Click a name to see someone's messages, and follow them from there."),
            (bob, 1, "The API is at /api/ and the admin at /admin/."),
            (admin, 0, "Welcome! You are the admin: post, follow, or edit anything at /admin/."),
        ];
        for (author, age, content) in messages {
            social::post_message(conn, author, content, days(age))?;
        }
        social::post_note(conn, admin, "Read the notes here, and post one below.", LIVE, days(1))?;
        social::post_note(conn, alice, "Notes are live or deleted; the API shows the live ones.", LIVE, days(2))?;
        social::post_note(conn, bob, "A deleted note, which the API hides.", DELETED, days(3))?;
        crate::admin::make_moderator(conn, carol)?;
        Ok(Some(DemoAdmin { username: ADMIN.to_owned(), password }))
    })
}

/// Adds an active user who joined at `joined`, as joining the site does
/// (an admin when `admin`), and returns their id.
fn add_user(
    conn: &mut AnyConnection,
    name: &str,
    password_hash: &str,
    joined: NaiveDateTime,
    admin: bool,
) -> Result<i32, hangar::Error> {
    let joining = social::Joining {
        username: name.to_owned(),
        password_hash: password_hash.to_owned(),
        email: format!("{name}@example.com"),
        join_date: joined,
    };
    let user = social::join(conn, &joining)?
        .ok_or_else(|| hangar::Error::Conflict(format!("the demo's username `{name}` is taken")))?;
    if admin {
        diesel::update(users::table.filter(users::id.eq(user.id))).set(users::admin.eq(true)).execute(conn)?;
    }
    Ok(user.id)
}

/// What the console says about a new demo in `file`, served as `config`
/// says: where to log in, as whom, with which password, and the site's,
/// the admin's and the API's addresses.
pub fn announcement(config: &Config, file: &str, admin: &DemoAdmin) -> String {
    let scheme = if config.tls_enabled() { "https" } else { "http" };
    // A server listening everywhere is reached here through the loopback.
    let ip = match config.address {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let base = format!("{scheme}://{}", SocketAddr::new(ip, config.port));
    format!(
        "tweepee: a demo was created in {file}\n  \
         log in at {base}/accounts/login/ as `{user}` with password: {password}\n  \
         the site: {base}/   the admin: {base}/admin/   the API: {base}/api/\n  \
         (this password is shown once; to start empty instead, delete {file} and run `tweepee serve --no-demo`)",
        user = admin.username,
        password = admin.password,
    )
}

/// The demo as a fairing, for `tweepee serve`: attach it after the app's
/// database. If creating the demo fails, it stops the server, and
/// [`Demo::failure`] says why.
#[derive(Debug, Default)]
pub struct Demo {
    failure: Mutex<Option<String>>,
}

impl Demo {
    /// Why the demo could not be created, if it could not.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|failure| failure.clone())
    }
}

#[rocket::async_trait]
impl Fairing for Demo {
    fn info(&self) -> Info {
        Info { name: "tweepee demo", kind: Kind::Liftoff }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let env_url = std::env::var("DATABASE_URL").ok();
        let default = Some(crate::DEFAULT_DATABASE_URL);
        let config = DatabaseConfig::resolve(rocket.figment(), env_url, default, &PoolOptions::default());
        // A configured database is never the demo's; a bad configuration
        // stopped the launch before this.
        let (Ok(config), Some(db)) = (config, rocket.state::<Database>()) else { return };
        if config.source != UrlSource::AppDefault {
            return;
        }
        let now = Utc::now().naive_utc();
        match db.run_write(move |conn| create_demo(conn, now)).await {
            Ok(Some(admin)) => {
                let file = config.url.strip_prefix("sqlite://").unwrap_or(&config.url);
                println!("{}", announcement(rocket.config(), file, &admin));
            }
            Ok(None) => {}
            Err(e) => {
                if let Ok(mut failure) = self.failure.lock() {
                    *failure = Some(format!("the demo could not be created, so nothing was written: {e}"));
                }
                rocket.shutdown().notify();
            }
        }
    }
}
