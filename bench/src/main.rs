//! hangar-bench: tweepee's generated `/api/message/` against a hand-written
//! Rocket+Diesel handler, loaded in turn by wrk in one release binary on one
//! seeded database; then the list's latency at 10k and 1M messages, its SQL
//! query count, Basic-auth POST throughput against anonymous GET, and the
//! login's latency at the release PBKDF2 cost.
//!
//! Run it with `cargo run --release -p hangar-bench` (wrk must be installed).

mod handwritten;
mod load;
mod login;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64ct::{Base64, Encoding};
use clap::Parser;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use hangar::db::Database;
use hangar::rest::auth::{CredentialCache, UserAuthentication};
use hangar::rest::{list_json, Caller, RestApi};
use indicatif::ProgressBar;
use load::{wrk, Run};
use rand_core::{OsRng, RngCore};
use tweepee::models::{Message, User};
use tweepee::schema::users;
use tweepee::seed::{seed, SeedOptions};

/// Benchmark tweepee's generated REST API against hand-written code.
#[derive(Debug, Parser)]
#[command(name = "hangar-bench")]
struct Args {
    /// Seconds per load run.
    #[arg(long, default_value_t = 6)]
    duration: u32,
    /// Rounds of each comparison, alternating generated and hand-written;
    /// each side's median round is reported.
    #[arg(long, default_value_t = 5)]
    rounds: u32,
    /// Concurrent connections.
    #[arg(long, default_value_t = 16)]
    connections: u32,
    /// Users to seed.
    #[arg(long, default_value_t = 100)]
    users: usize,
    /// Messages to seed for the comparison.
    #[arg(long, default_value_t = 10_000)]
    messages: usize,
    /// Messages for the large-table latency run.
    #[arg(long, default_value_t = 1_000_000)]
    large: usize,
    /// Skip the large-table run.
    #[arg(long)]
    skip_large: bool,
    /// The database; a temporary SQLite file by default.
    #[arg(long)]
    database_url: Option<String>,
}

const SCENARIOS: [&str; 3] = ["message/?limit=20", "message/?user__username=user42&ordering=-pub_date", "message/1/"];

/// Counts the statements a connection runs.
struct Counter(Arc<AtomicUsize>);

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A plain HTTP/1.1 GET: the status and the body.
fn http_get(port: u16, path: &str) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or("no HTTP head")?;
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    Ok((status, body.to_owned()))
}

/// A raw HTTP/1.1 request: the status, the `Set-Cookie` values and the body.
fn http(port: u16, request: &str) -> Result<(u16, Vec<String>, String), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or("no HTTP head")?;
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    let cookies = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
        .collect();
    Ok((status, cookies, body.to_owned()))
}

/// The session cookie of `admin`, logged in through the form.
fn admin_cookie(port: u16) -> Result<String, String> {
    let get = "GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let (_, cookies, page) = http(port, get)?;
    let session = cookies.first().cloned().ok_or("the login page set no cookie")?;
    let token = page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("the login page has no CSRF token")?;
    let body = format!("csrf_token={}&username=admin&password=admin", hangar::forms::encode_component(token));
    let post = format!(
        "POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: {session}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, cookies, _) = http(port, &post)?;
    if status != 303 {
        return Err(format!("logging in as admin answered {status}"));
    }
    cookies.first().cloned().ok_or_else(|| "the login set no cookie".into())
}

fn cookie_script(dir: &std::path::Path, cookie: &str) -> Result<std::path::PathBuf, String> {
    let path = dir.join("cookie.lua");
    std::fs::write(&path, format!("wrk.headers[\"Cookie\"] = \"{cookie}\"\n")).map_err(|e| e.to_string())?;
    Ok(path)
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// The run with the median throughput.
fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.rps.total_cmp(&b.rps));
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

fn ratio(generated: f64, hand: f64) -> f64 {
    if hand > 0.0 {
        generated / hand
    } else {
        0.0
    }
}

/// The generated and hand-written answers, with the hand-written links
/// pointed at `/api/`, must be the same JSON.
fn same_answers(port: u16) -> Result<(), String> {
    for scenario in SCENARIOS {
        let (generated_status, generated) = http_get(port, &format!("/api/{scenario}"))?;
        let (hand_status, hand) = http_get(port, &format!("/hand/{scenario}"))?;
        let generated: serde_json::Value = serde_json::from_str(&generated).map_err(|e| e.to_string())?;
        let hand: serde_json::Value =
            serde_json::from_str(&hand.replace("/hand/", "/api/")).map_err(|e| e.to_string())?;
        if generated_status != 200 || hand_status != 200 || generated != hand {
            return Err(format!("/api/{scenario} and /hand/{scenario} differ:\n{generated}\n{hand}"));
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
/// HTTP: what the generated resource costs beside the hand-written
/// functions, on one connection, in this process. Nanoseconds a call:
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
    let generated_list = time_calls(5, 500, || {
        list_json::<Message>(&mut conn, &caller, Some("limit=20"), "/api/message/").map(drop).map_err(|e| e.to_string())
    })?;
    let hand_list =
        time_calls(5, 500, || handwritten::list_json(&mut conn, &request).map(drop).map_err(|e| e.to_string()))?;
    let generated = time_calls(5, 2_000, || {
        hangar::rest::detail_json::<Message>(&mut conn, &caller, "1").map(drop).map_err(|e| e.to_string())
    })?;
    let hand = time_calls(5, 2_000, || handwritten::detail_json(&mut conn, 1).map(drop).map_err(|e| e.to_string()))?;
    Ok([generated_list, hand_list, generated, hand])
}

fn post_script(dir: &std::path::Path) -> Result<std::path::PathBuf, String> {
    let credentials = Base64::encode_string(b"user0:user0");
    let script = format!(
        "wrk.method = \"POST\"\nwrk.body = '{{\"content\": \"benchmark\"}}'\n\
         wrk.headers[\"Content-Type\"] = \"application/json\"\n\
         wrk.headers[\"Authorization\"] = \"Basic {credentials}\"\n"
    );
    let path = dir.join("post.lua");
    std::fs::write(&path, script).map_err(|e| e.to_string())?;
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

async fn run(args: Args) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url =
        args.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = Database::connect(&url).map_err(|e| e.to_string())?;
    db.migrate(&tweepee::MIGRATIONS).map_err(|e| e.to_string())?;
    let seeded = reseed(&db, &args, args.messages)?;

    let port = free_port()?;
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
    let rocket = uncached.mount(tweepee::app(rocket::custom(figment.clone())).mount("/hand", handwritten::routes()));
    let rocket = rocket.ignite().await.map_err(|e| e.to_string())?;
    let shutdown = rocket.shutdown();
    let server = rocket::tokio::spawn(rocket.launch());
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let base = format!("http://127.0.0.1:{port}");
    same_answers(port)?;

    let wrk_version = std::process::Command::new("wrk").arg("-v").output().map(|o| {
        let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        text.lines().next().unwrap_or_default().to_owned()
    });
    println!(
        "hangar-bench: {} with {} users and {} messages (seeded in {:.1?}), {} connections, {} s a run, median of {} rounds; {}",
        db.dialect(),
        args.users + 2,
        args.messages,
        seeded,
        args.connections,
        args.duration,
        args.rounds.max(1),
        wrk_version.unwrap_or_else(|_| "wrk".into())
    );
    println!("\n{:<52} {:<42} {:<42} ratio (req/s)", "scenario", "generated", "hand-written");
    let (c, d) = (args.connections, args.duration);
    let blocking = |url: String, script: Option<std::path::PathBuf>, connections: u32| {
        rocket::tokio::task::spawn_blocking(move || wrk(&url, connections, d, script.as_deref()))
    };
    let mut ratios = Vec::new();
    for scenario in SCENARIOS {
        // Alternate the two, so drift in the machine's speed hits both alike.
        let (mut generated_runs, mut hand_runs) = (Vec::new(), Vec::new());
        for _ in 0..args.rounds.max(1) {
            generated_runs.push(blocking(format!("{base}/api/{scenario}"), None, c).await.map_err(|e| e.to_string())??);
            hand_runs.push(blocking(format!("{base}/hand/{scenario}"), None, c).await.map_err(|e| e.to_string())??);
        }
        let (generated, hand) = (median(generated_runs), median(hand_runs));
        let r = ratio(generated.rps, hand.rps);
        ratios.push(r);
        println!("{:<52} {generated:<42} {hand:<42} {r:.3}", format!("/api/{scenario}"));
    }

    // The admin's list page of the same 20 rows beside the REST list.
    let cookie = cookie_script(dir.path(), &admin_cookie(port)?)?;
    let (mut admin_runs, mut rest_runs) = (Vec::new(), Vec::new());
    for _ in 0..args.rounds.max(1) {
        let admin = blocking(format!("{base}/admin/message/?limit=20&ordering=id"), Some(cookie.clone()), c);
        admin_runs.push(admin.await.map_err(|e| e.to_string())??);
        rest_runs.push(blocking(format!("{base}/api/message/?limit=20"), None, c).await.map_err(|e| e.to_string())??);
    }
    let (admin, rest) = (median(admin_runs), median(rest_runs));
    println!(
        "{:<52} {admin:<42} {rest:<42} {:.3}",
        "/admin/message/ against /api/message/ (20 rows)",
        ratio(admin.rps, rest.rps)
    );

    println!("\nqueries for a 20-row list with its included user: {}", query_count(&db)?);
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

    let script = post_script(dir.path())?;
    let get: Run = blocking(format!("{base}/api/message/1/"), None, c).await.map_err(|e| e.to_string())??;
    let list: Run = blocking(format!("{base}/api/message/?limit=20"), None, c).await.map_err(|e| e.to_string())??;
    let post: Run =
        blocking(format!("{base}/api/message/"), Some(script.clone()), c).await.map_err(|e| e.to_string())??;
    let post_uncached: Run =
        blocking(format!("{base}/nocache/message/"), Some(script), c).await.map_err(|e| e.to_string())??;
    println!("\nanonymous GET /api/message/1/                        {get}");
    println!("anonymous GET /api/message/?limit=20                 {list}");
    println!("Basic-auth POST /api/message/ (credential cache)     {post}");
    println!("Basic-auth POST without the cache (PBKDF2 each time) {post_uncached}");
    println!(
        "authenticated POST / anonymous GET: {:.3} against the detail, {:.3} against the list; \
         the cache multiplies POST throughput by {:.1}",
        ratio(post.rps, get.rps),
        ratio(post.rps, list.rps),
        ratio(post.rps, post_uncached.rps)
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

    let small = blocking(format!("{base}/api/message/"), None, 1).await.map_err(|e| e.to_string())??;
    println!("\npage 1 of /api/message/, one connection, {} messages: {small}", args.messages);
    if !args.skip_large {
        let seeded = reseed(&db, &args, args.large)?;
        let large = blocking(format!("{base}/api/message/"), None, 1).await.map_err(|e| e.to_string())??;
        println!("page 1 of /api/message/, one connection, {} messages (seeded in {seeded:.1?}): {large}", args.large);
    }
    shutdown.notify();
    let _ = server.await;
    let worst = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    println!("\nlowest generated / hand-written ratio: {worst:.3} (goal: at least 0.95)");
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
