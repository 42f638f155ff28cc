//! A million messages: page 1 with an exact count, a capped count and a
//! cursor, before and after the table grows a hundredfold; a deep page by
//! number and by cursor; and the seed's own memory, in a child process.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::http;
use crate::load::{ratio, wrk, Run};
use crate::procfs;

/// Where the server is and what to seed.
#[derive(Debug)]
pub(crate) struct Setup<'a> {
    pub(crate) base: &'a str,
    pub(crate) port: u16,
    pub(crate) url: &'a str,
    pub(crate) users: usize,
    pub(crate) small: usize,
    pub(crate) large: usize,
    pub(crate) seconds: u32,
}

/// Page 1 three ways: the exact count, the capped count, and a cursor.
const PAGE_ONE: [(&str, &str); 3] = [
    ("exact count  ", "/api/message/?ordering=id"),
    ("capped count ", "/capped/message/?ordering=id"),
    ("cursor       ", "/api/message/?ordering=id&cursor="),
];

/// One connection, so the figure is a request's latency, not contention.
async fn single(url: String, seconds: u32) -> Result<Run, String> {
    rocket::tokio::task::spawn_blocking(move || wrk(&url, 1, seconds, None)).await.map_err(|e| e.to_string())?
}

async fn page_one(setup: &Setup<'_>) -> Result<Vec<Run>, String> {
    let mut runs = Vec::new();
    for (_, path) in PAGE_ONE {
        runs.push(single(format!("{}{path}", setup.base), setup.seconds).await?);
    }
    Ok(runs)
}

/// Seeds `messages` in a child process (this binary with `--seed-only`),
/// answering how long it took and its peak resident memory in KiB.
fn seed_in_child(setup: &Setup<'_>, messages: usize) -> Result<(Duration, u64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(["--seed-only", &messages.to_string(), "--users", &setup.users.to_string(), "--database-url", setup.url])
        .spawn()
        .map_err(|e| format!("could not start the seeding process: {e}"))?;
    let mut peak = 0;
    loop {
        peak = peak.max(procfs::tree_memory(child.id(), true));
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => return Ok((started.elapsed(), peak)),
            Some(status) => return Err(format!("seeding {messages} messages failed ({status})")),
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// The URL of the page whose rows start at message `depth`, by cursor: a
/// token made for `ordering=id` marks the row before it.
fn deep_cursor(setup: &Setup<'_>, depth: usize) -> Result<String, String> {
    let (status, body) = http::get(setup.port, &format!("/api/message/?ordering=id&id__gte={depth}&limit=1&cursor="))?;
    let json: serde_json::Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    let next = json["meta"]["next"]
        .as_str()
        .filter(|n| status == 200 && !n.is_empty())
        .ok_or("no cursor for the deep page")?;
    let token = next.split("cursor=").nth(1).ok_or("the next link has no cursor")?;
    Ok(format!("{}/api/message/?ordering=id&cursor={token}", setup.base))
}

/// Measures page 1 now, grows the table to `setup.large` messages, and
/// measures again, with the deep pages.
pub(crate) async fn run(setup: &Setup<'_>) -> Result<(), String> {
    // The creates of the comparison added rows: start again from the seed.
    seed_in_child(setup, setup.small)?;
    let before = page_one(setup).await?;
    let (_, body) = http::get(setup.port, "/api/message/?limit=1")?;
    let json: serde_json::Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    let small_count = json["meta"]["object_count"].as_u64().unwrap_or_default();
    let (took, peak) = seed_in_child(setup, setup.large)?;
    println!(
        "\nseeded {} messages in {took:.1?} in a child process; its peak memory (VmHWM) {:.1} MiB",
        setup.large,
        peak as f64 / 1024.0
    );
    let after = page_one(setup).await?;
    println!("page 1 of /api/message/ (20 rows), one connection: {small_count} messages, then {}", setup.large);
    for (((name, path), small), large) in PAGE_ONE.iter().zip(&before).zip(&after) {
        println!("  {name} {path:<40} {small}  |  {large}  |  p50 ratio {:.2}", ratio(large.p50, small.p50));
    }
    let depth = setup.large / 2;
    let by_number = format!("{}/capped/message/?ordering=id&page={}", setup.base, depth / 20);
    let by_cursor = deep_cursor(setup, depth)?;
    let number = single(by_number, setup.seconds).await?;
    let cursor = single(by_cursor, setup.seconds).await?;
    println!("a page {} rows deep, one connection:", depth);
    println!("  by page number (capped count) {number}");
    println!("  by cursor                     {cursor}  |  p50 {:.3} of page 1's", ratio(cursor.p50, after[2].p50));
    Ok(())
}
