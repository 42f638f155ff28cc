//! hangar-bench: tweepee's generated API and admin, hand-written Rocket+Diesel
//! handlers, and flask-peewee under gunicorn, loaded by wrk with the same
//! requests on the same rows in one run; then memory, the list's SQL,
//! Basic-auth and login costs, and page 1 and a deep page at 10,000 and
//! 1,000,000 messages with exact and capped counts and with cursors.
//!
//! Run it with `cargo run --release -p hangar-bench` (wrk and python3-venv
//! must be installed; `--no-peer` leaves flask-peewee out).

mod handwritten;
mod http;
mod large;
mod load;
mod login;
mod peer;
mod procfs;
mod scenarios;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64ct::{Base64, Encoding};
use clap::Parser;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use hangar::db::{Database, Dialect};
use hangar::query::Count;
use hangar::rest::authn::{CredentialCache, UserAuthentication};
use hangar::rest::{list_json, list_text, Caller, Resource, RestApi};
use indicatif::ProgressBar;
use load::{ratio, wrk, wrk_measured, Run};
use rand_core::{OsRng, RngCore};
use scenarios::Server;
use tweepee::models::{Message, User};
use tweepee::schema::users;
use tweepee::seed::{seed, SeedOptions};

/// Benchmark tweepee's generated API against hand-written code and flask-peewee.
#[derive(Debug, Parser)]
#[command(name = "hangar-bench")]
struct Args {
    /// Seconds per load run.
    #[arg(long, default_value_t = 6)]
    duration: u32,
    /// Rounds of each comparison, alternating the servers; each server's
    /// median round is reported.
    #[arg(long, default_value_t = 3)]
    rounds: u32,
    /// Concurrent connections.
    #[arg(long, default_value_t = 16)]
    connections: u32,
    /// Connections for the memory-under-load run.
    #[arg(long, default_value_t = 64)]
    memory_connections: u32,
    /// Users to seed.
    #[arg(long, default_value_t = 100)]
    users: usize,
    /// Messages to seed for the comparison.
    #[arg(long, default_value_t = 10_000)]
    messages: usize,
    /// Messages for the large-table run.
    #[arg(long, default_value_t = 1_000_000)]
    large: usize,
    /// Skip the large-table run.
    #[arg(long)]
    skip_large: bool,
    /// The database; a temporary SQLite file by default.
    #[arg(long)]
    database_url: Option<String>,
    /// Leave flask-peewee out.
    #[arg(long)]
    no_peer: bool,
    /// Where flask-peewee's virtualenv is made (and kept between runs).
    #[arg(long, default_value = "target/flask-peewee-venv")]
    peer_venv: PathBuf,
    /// Seed this many messages into `--database-url` and exit: the large
    /// run seeds in a child process, to measure the seed's memory alone.
    #[arg(long, hide = true)]
    seed_only: Option<usize>,
    /// Seed `--messages` messages, read `/api/message/?limit=20` this many
    /// times in process (no HTTP) and exit: the run to profile, with
    /// `valgrind --tool=callgrind --toggle-collect='*rest::ops::list_text*'`.
    #[arg(long)]
    profile_list: Option<usize>,
    /// Serve, send `GET` for each of `--profile-paths` this many times over
    /// HTTP, one at a time, and exit: the run to profile whole requests,
    /// with `valgrind --tool=callgrind`. Two runs with different counts give
    /// the cost of one request by difference, without the seed.
    #[arg(long)]
    profile_http: Option<usize>,
    /// The paths `--profile-http` requests, in turn; those under `/admin/`
    /// as the logged-in admin.
    #[arg(long, value_delimiter = ',', default_value = "/api/message/?limit=20,/hand/message?limit=20")]
    profile_paths: Vec<String>,
}

/// Counts the statements a connection runs.
struct Counter(Arc<AtomicUsize>);

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Messages as `/capped/message/` lists them: counting at most 1,000 rows.
struct CappedMessages;

impl Resource for CappedMessages {
    type Model = Message;

    fn count() -> Count {
        Count::Capped(1_000)
    }
}

/// The generated and hand-written answers, with the hand-written links
/// pointed at `/api/`, must be the same JSON.
fn same_answers(port: u16) -> Result<(), String> {
    for scenario in scenarios::SCENARIOS.iter().filter(|s| s.hand) {
        let path = scenario.path;
        let (generated_status, generated) = http::get(port, &format!("/api/{path}"))?;
        let (hand_status, hand) = http::get(port, &format!("/hand/{path}"))?;
        let generated: serde_json::Value = serde_json::from_str(&generated).map_err(|e| e.to_string())?;
        let hand: serde_json::Value =
            serde_json::from_str(&hand.replace("/hand/", "/api/")).map_err(|e| e.to_string())?;
        if generated_status != 200 || hand_status != 200 || generated != hand {
            return Err(format!("/api/{path} and /hand/{path} differ:\n{generated}\n{hand}"));
        }
    }
    Ok(())
}

fn query_count(db: &Database) -> Result<usize, String> {
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let count = Arc::new(AtomicUsize::new(0));
    conn.set_instrumentation(Counter(count.clone()));
    let page = list_json::<Message>(&mut conn, &Caller::anonymous(), Some("limit=20"), "/api/message/")
        .map_err(|e| e.to_string())?;
    if page["objects"].as_array().map(Vec::len) != Some(20) {
        return Err("the list did not have 20 rows".into());
    }
    Ok(count.load(Ordering::Relaxed))
}

/// Median nanoseconds per call of `f`, over `rounds` rounds of `calls`.
fn time_calls(rounds: usize, calls: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let mut per_call = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        for _ in 0..calls {
            f()?;
        }
        per_call.push(started.elapsed().as_nanos() as f64 / calls as f64);
    }
    per_call.sort_by(f64::total_cmp);
    Ok(per_call[per_call.len() / 2])
}

/// The database work and serialisation of the list and the detail, without
/// HTTP, on one connection in this process. Nanoseconds a call:
/// (generated list, hand-written list, generated detail, hand-written detail).
fn in_process(db: &Database) -> Result<[f64; 4], String> {
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let caller = Caller::anonymous();
    let request = handwritten::ListRequest {
        per_page: 20,
        page: 1,
        username: None,
        descending: false,
        path: "/api/message/".into(),
        query: "limit=20".into(),
    };
    // Each to the bytes its handler sends: hangar's text, the hand-written
    // handlers' tree written out.
    let bytes = |json: &serde_json::Value| serde_json::to_vec(json).map(drop).map_err(|e| e.to_string());
    let generated_list = time_calls(5, 500, || {
        list_text::<Message>(&mut conn, &caller, Some("limit=20"), "/api/message/").map(drop).map_err(|e| e.to_string())
    })?;
    let hand_list =
        time_calls(5, 500, || bytes(&handwritten::list_json(&mut conn, &request).map_err(|e| e.to_string())?))?;
    let generated = time_calls(5, 2_000, || {
        hangar::rest::detail_text::<Message>(&mut conn, &caller, "1").map(drop).map_err(|e| e.to_string())
    })?;
    let hand = time_calls(5, 2_000, || {
        bytes(&handwritten::detail_json(&mut conn, 1).map_err(|e| e.to_string())?.unwrap_or_default())
    })?;
    Ok([generated_list, hand_list, generated, hand])
}

/// wrk's script for `POST /api/message/` as `user` with HTTP Basic.
fn post_script(dir: &Path, user: &str) -> Result<PathBuf, String> {
    let credentials = Base64::encode_string(format!("{user}:{user}").as_bytes());
    let script = format!(
        "wrk.method = \"POST\"\nwrk.body = '{{\"content\": \"benchmark\"}}'\n\
         wrk.headers[\"Content-Type\"] = \"application/json\"\n\
         wrk.headers[\"Authorization\"] = \"Basic {credentials}\"\n"
    );
    let path = dir.join(format!("post-{user}.lua"));
    std::fs::write(&path, script).map_err(|e| e.to_string())?;
    Ok(path)
}

/// wrk's script sending `cookie`.
fn cookie_script(dir: &Path, name: &str, cookie: &str) -> Result<PathBuf, String> {
    let path = dir.join(format!("cookie-{name}.lua"));
    std::fs::write(&path, format!("wrk.headers[\"Cookie\"] = \"{cookie}\"\n")).map_err(|e| e.to_string())?;
    Ok(path)
}

fn reseed(db: &Database, args: &Args, messages: usize) -> Result<Duration, String> {
    let started = Instant::now();
    let options = SeedOptions { users: args.users, messages, fast_hash: true };
    seed(db, options, &ProgressBar::hidden()).map_err(|e| e.to_string())?;
    // user0 posts with Basic auth: give it a password hashed at the real cost.
    let hash = hangar::utils::make_password_with("user0", hangar::utils::DEFAULT_ITERATIONS);
    let mut conn = db.get().map_err(|e| e.to_string())?;
    diesel::update(users::table.filter(users::username.eq("user0")))
        .set(users::password.eq(hash))
        .execute(&mut *conn)
        .map_err(|e| e.to_string())?;
    Ok(started.elapsed())
}

/// The resident memory of `pid`'s processes at rest, and the most seen
/// while `url` is loaded with `connections` connections.
async fn memory_under_load(url: String, pid: u32, connections: u32, seconds: u32) -> Result<(u64, u64), String> {
    let at_rest = procfs::tree_memory(pid, false);
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watching = done.clone();
    let sampler = std::thread::spawn(move || {
        let mut most = 0;
        while !watching.load(Ordering::Relaxed) {
            most = most.max(procfs::tree_memory(pid, false));
            std::thread::sleep(Duration::from_millis(50));
        }
        most
    });
    let run = rocket::tokio::task::spawn_blocking(move || wrk(&url, connections, seconds, None)).await;
    done.store(true, Ordering::Relaxed);
    let most = sampler.join().unwrap_or_default();
    run.map_err(|e| e.to_string())??;
    Ok((at_rest, most))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

async fn run(args: Args) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url =
        args.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = Database::connect(&url).map_err(|e| e.to_string())?;
    db.migrate(&tweepee::MIGRATIONS).map_err(|e| e.to_string())?;
    if let Some(messages) = args.seed_only {
        reseed(&db, &args, messages)?;
        return Ok(());
    }
    if let Some(calls) = args.profile_list {
        let options = SeedOptions { users: args.users, messages: args.messages, fast_hash: true };
        seed(&db, options, &ProgressBar::hidden()).map_err(|e| e.to_string())?;
        let mut conn = db.get().map_err(|e| e.to_string())?;
        for _ in 0..calls {
            list_text::<Message>(&mut conn, &Caller::anonymous(), Some("limit=20"), "/api/message/")
                .map_err(|e| e.to_string())?;
        }
        return Ok(());
    }
    let seeded = reseed(&db, &args, args.messages)?;

    let port = http::free_port()?;
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    let figment = rocket::Config::figment()
        .merge(("port", port))
        .merge(("address", "127.0.0.1"))
        .merge(("log_level", "off"))
        .merge(("secret_key", Base64::encode_string(&key)))
        .merge(("database_url", url.clone()))
        .merge(("database_pool_size", args.connections));
    let no_cache = Arc::new(CredentialCache::disabled());
    let uncached =
        RestApi::new("/nocache").default_auth(UserAuthentication::<User>::new().cache(no_cache)).register::<Message>();
    let capped = RestApi::new("/capped").register::<CappedMessages>();
    let rocket = tweepee::app(rocket::custom(figment.clone())).mount("/hand", handwritten::routes());
    let rocket = capped.mount(uncached.mount(rocket));
    let rocket = rocket.ignite().await.map_err(|e| e.to_string())?;
    let shutdown = rocket.shutdown();
    let server = rocket::tokio::spawn(rocket.launch());
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let base = format!("http://127.0.0.1:{port}");
    same_answers(port)?;
    if let Some(calls) = args.profile_http {
        let paths = args.profile_paths.clone();
        let requests = move || -> Result<(), String> {
            // The admin's pages are requested as the logged-in admin.
            let admin = match paths.iter().any(|p| p.starts_with("/admin/")) {
                true => Some(http::login_cookie(port, "admin", "admin")?),
                false => None,
            };
            for path in &paths {
                let cookie = admin.as_deref().filter(|_| path.starts_with("/admin/"));
                for _ in 0..calls {
                    let (status, _) = http::get_with_cookie(port, path, cookie)?;
                    if status != 200 {
                        return Err(format!("{path}: status {status}"));
                    }
                }
            }
            Ok(())
        };
        rocket::tokio::task::spawn_blocking(requests).await.map_err(|e| e.to_string())??;
        shutdown.notify();
        return server.await.map_err(|e| e.to_string())?.map(drop).map_err(|e| e.to_string());
    }
    let pid = std::process::id();
    let hangar_at_rest = procfs::tree_memory(pid, false);

    let peer = if args.no_peer {
        None
    } else if db.dialect() == Dialect::Mysql {
        println!("flask-peewee: left out on MySQL (the peer maps SQLite and PostgreSQL)");
        None
    } else {
        let database = url.strip_prefix("sqlite://").unwrap_or(&url).to_owned();
        let log = dir.path().join("gunicorn.log");
        let venv = std::path::absolute(&args.peer_venv).map_err(|e| e.to_string())?;
        Some(peer::Peer::start(&venv, &database, http::free_port()?, &log)?)
    };
    let peer_at_rest = peer.as_ref().map_or(0, |p| procfs::tree_memory(p.pid(), false));

    let wrk_version = std::process::Command::new("wrk").arg("-v").output().map(|o| {
        let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        text.lines().next().unwrap_or_default().to_owned()
    });
    println!(
        "hangar-bench: {} with {} users and {} messages (seeded in {:.1?}), {} connections, {} s a run, \
         median of {} rounds; {}; CPU is the server's user+system time over the requests it answered",
        db.dialect(),
        args.users + 2,
        args.messages,
        seeded,
        args.connections,
        args.duration,
        args.rounds.max(1),
        wrk_version.unwrap_or_else(|_| "wrk".into())
    );

    let mut servers = vec![
        Server {
            name: "hangar",
            base: base.clone(),
            api: "/api",
            pid,
            post: Some(post_script(dir.path(), "user0")?),
            admin: Some(cookie_script(dir.path(), "hangar", &http::login_cookie(port, "admin", "admin")?)?),
        },
        Server { name: "hand-written", base: base.clone(), api: "/hand", pid, post: None, admin: None },
    ];
    if let Some(peer) = &peer {
        let cookie = http::login_cookie(peer.port, "peeradmin", "peeradmin")?;
        servers.push(Server {
            name: "flask-peewee",
            base: format!("http://127.0.0.1:{}", peer.port),
            api: "/api",
            pid: peer.pid(),
            post: Some(post_script(dir.path(), "peer0")?),
            admin: Some(cookie_script(dir.path(), "peer", &cookie)?),
        });
    }
    // Memory first, before other load has grown the allocator's arenas.
    let list = "api/message/?limit=20";
    let m = args.memory_connections;
    let (_, most) = memory_under_load(format!("{base}/{list}"), pid, m, args.duration).await?;
    println!(
        "memory (RSS), hangar (this process, pool of {}): {:.1} MiB at rest after launch, at most {:.1} MiB under {m} connections on /{list}",
        args.connections,
        mib(hangar_at_rest),
        mib(most)
    );
    if let Some(peer) = &peer {
        let (_, most) =
            memory_under_load(format!("http://127.0.0.1:{}/{list}", peer.port), peer.pid(), m, args.duration).await?;
        println!(
            "memory (RSS), flask-peewee (gunicorn and 2 workers): {:.1} MiB at rest after launch, at most {:.1} MiB under {m} connections",
            mib(peer_at_rest),
            mib(most)
        );
    }

    println!("queries for a 20-row list with its included user: {}", query_count(&db)?);
    let [generated_list, hand_list, generated_detail, hand_detail] = in_process(&db)?;
    for (what, generated, hand) in
        [("?limit=20", generated_list, hand_list), ("1/      ", generated_detail, hand_detail)]
    {
        println!(
            "/api/message/{what} in process, without HTTP: generated {:.1} us, hand-written {:.1} us a call (ratio {:.3})",
            generated / 1000.0,
            hand / 1000.0,
            ratio(hand, generated)
        );
    }

    let table = scenarios::measure(&servers, args.connections, args.duration, args.rounds).await?;
    scenarios::print(&servers, &table);

    let (c, d) = (args.connections, args.duration);
    let measured = |url: String, script: Option<PathBuf>| {
        rocket::tokio::task::spawn_blocking(move || wrk_measured(&url, c, d, script.as_deref(), pid))
    };
    let script = post_script(dir.path(), "user0")?;
    let get: Run = measured(format!("{base}/api/message/1/"), None).await.map_err(|e| e.to_string())??;
    let post: Run =
        measured(format!("{base}/api/message/"), Some(script.clone())).await.map_err(|e| e.to_string())??;
    let uncached: Run =
        measured(format!("{base}/nocache/message/"), Some(script)).await.map_err(|e| e.to_string())??;
    println!("\nanonymous GET /api/message/1/                        {get}");
    println!("Basic-auth POST /api/message/ (credential cache)     {post}");
    println!("Basic-auth POST without the cache (PBKDF2 each time) {uncached}");
    println!(
        "authenticated POST / anonymous GET: {:.3}; the cache multiplies POST throughput by {:.1}",
        ratio(post.rps, get.rps),
        ratio(post.rps, uncached.rps)
    );

    let login_app = tweepee::app(rocket::custom(figment.clone().merge(("port", 0))));
    let logins = login::login_times(login_app, "user0", "user0", 4).await?;
    println!(
        "\nlogin at {} PBKDF2 iterations, median of 4: success {:.1?}, wrong password {:.1?}, unknown user {:.1?}",
        hangar::utils::password_iterations(),
        logins.success,
        logins.wrong_password,
        logins.unknown_user
    );

    // The peer is done; the large run reseeds the tables under it.
    drop(peer);
    if !args.skip_large {
        let setup = large::Setup {
            base: &base,
            port,
            url: &url,
            users: args.users,
            small: args.messages,
            large: args.large,
            seconds: d,
        };
        large::run(&setup).await?;
    }
    shutdown.notify();
    let _ = server.await;
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match rocket::execute(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hangar-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
