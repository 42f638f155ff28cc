//! The three-way table: the same requests against hangar (tweepee's
//! generated API and admin), the hand-written Rocket+Diesel handlers, and
//! flask-peewee under gunicorn, in alternating rounds.

use std::path::PathBuf;

use crate::load::{ratio, wrk_measured, Run};

/// One server under test.
#[derive(Debug, Clone)]
pub(crate) struct Server {
    /// Its name in the table.
    pub(crate) name: &'static str,
    /// `http://127.0.0.1:<port>`.
    pub(crate) base: String,
    /// Where its API is mounted: `/api`, `/hand`.
    pub(crate) api: &'static str,
    /// The process whose CPU time (with its children's) the requests cost.
    pub(crate) pid: u32,
    /// wrk's script for an authenticated create, if it takes that scenario.
    pub(crate) post: Option<PathBuf>,
    /// wrk's script carrying a logged-in admin's cookie, if it has an admin.
    pub(crate) admin: Option<PathBuf>,
}

/// What a scenario sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `GET <api>/<path>`.
    Get,
    /// `POST <api>/<path>` with HTTP Basic, through the server's `post` script.
    Post,
    /// `GET <path>` with the admin's cookie.
    Admin,
    /// `GET <path>`, a route outside the API that answers a constant JSON
    /// object without the database: the web framework's own cost.
    Floor,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) path: &'static str,
    /// Whether the hand-written handlers answer it.
    pub(crate) hand: bool,
}

/// The scenarios of the issue: lists, a filtered list, a detail, a list
/// with its relation included, an authenticated create, the admin's list.
pub(crate) const SCENARIOS: [Scenario; 7] = [
    Scenario {
        name: "the web framework alone, a constant JSON answer",
        kind: Kind::Floor,
        path: "/hand/floor",
        hand: false,
    },
    Scenario { name: "list of 20 users", kind: Kind::Get, path: "user/?limit=20", hand: true },
    Scenario {
        name: "list of 20 messages, each with its user included",
        kind: Kind::Get,
        path: "message/?limit=20",
        hand: true,
    },
    Scenario {
        name: "filtered and ordered list",
        kind: Kind::Get,
        path: "message/?user__username=user42&ordering=-pub_date",
        hand: true,
    },
    Scenario { name: "detail", kind: Kind::Get, path: "message/1/", hand: true },
    Scenario { name: "admin list page", kind: Kind::Admin, path: "/admin/message/", hand: false },
    // Last: every create adds a row, and the others read the seeded table.
    Scenario { name: "authenticated create (HTTP Basic)", kind: Kind::Post, path: "message/", hand: false },
];

/// The URL and script of `scenario` on `server`, if the server takes it.
fn target(server: &Server, scenario: &Scenario) -> Option<(String, Option<PathBuf>)> {
    match scenario.kind {
        Kind::Get => Some((format!("{}{}/{}", server.base, server.api, scenario.path), None)),
        Kind::Post => {
            server.post.clone().map(|s| (format!("{}{}/{}", server.base, server.api, scenario.path), Some(s)))
        }
        Kind::Admin => server.admin.clone().map(|s| (format!("{}{}", server.base, scenario.path), Some(s))),
        Kind::Floor => Some((format!("{}{}", server.base, scenario.path), None)),
    }
}

/// The run with the median throughput.
pub(crate) fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.rps.total_cmp(&b.rps));
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

/// Each scenario's median run on each server, `None` where the server does
/// not take the scenario.
pub(crate) type Table = Vec<(Scenario, Vec<Option<Run>>)>;

/// Loads every scenario on every server that takes it, alternating servers
/// within each round so that drift in the machine's speed hits all alike.
pub(crate) async fn measure(servers: &[Server], connections: u32, seconds: u32, rounds: u32) -> Result<Table, String> {
    let mut table = Vec::new();
    for scenario in SCENARIOS {
        let mut runs: Vec<Vec<Run>> = vec![Vec::new(); servers.len()];
        for _ in 0..rounds.max(1) {
            for (i, server) in servers.iter().enumerate() {
                if server.name == "hand-written" && !scenario.hand {
                    continue;
                }
                let Some((url, script)) = target(server, &scenario) else {
                    continue;
                };
                let pid = server.pid;
                let run = rocket::tokio::task::spawn_blocking(move || {
                    wrk_measured(&url, connections, seconds, script.as_deref(), pid)
                })
                .await
                .map_err(|e| e.to_string())??;
                runs[i].push(run);
            }
        }
        let medians = runs.into_iter().map(|r| (!r.is_empty()).then(|| median(r))).collect();
        table.push((scenario, medians));
    }
    Ok(table)
}

/// Prints the table and the ratios: hangar against the hand-written
/// handlers (throughput) and against flask-peewee (throughput and CPU a
/// request).
pub(crate) fn print(servers: &[Server], table: &Table) {
    let index = |name: &str| servers.iter().position(|s| s.name == name);
    let (hangar, hand, peer) = (index("hangar"), index("hand-written"), index("flask-peewee"));
    let (mut worst_hand, mut worst_cpu, mut worst_rps) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    // hangar's CPU a request on the framework's own route: what no handler
    // on Rocket goes under, and so the most any ratio to flask-peewee can be.
    let floor = table
        .iter()
        .find(|(s, _)| s.kind == Kind::Floor)
        .and_then(|(_, runs)| hangar.and_then(|i| runs.get(i).copied().flatten()))
        .and_then(|run| run.cpu_us);
    for (scenario, runs) in table {
        let path = match scenario.kind {
            Kind::Admin | Kind::Floor => scenario.path.to_owned(),
            Kind::Post => format!("POST /api/{}", scenario.path),
            Kind::Get => format!("/api/{}", scenario.path),
        };
        println!("\n{} ({path})", scenario.name);
        for (server, run) in servers.iter().zip(runs) {
            if let Some(run) = run {
                println!("  {:<13} {run}", server.name);
            }
        }
        let run = |i: Option<usize>| i.and_then(|i| runs.get(i).copied().flatten());
        let mut ratios = Vec::new();
        if let (Some(h), Some(w)) = (run(hangar), run(hand)) {
            let r = ratio(h.rps, w.rps);
            worst_hand = worst_hand.min(r);
            ratios.push(format!("hangar / hand-written {r:.2}x req/s"));
        }
        if let (Some(h), Some(p)) = (run(hangar), run(peer)) {
            let rps = ratio(h.rps, p.rps);
            let cpu = match (h.cpu_us, p.cpu_us) {
                (Some(h), Some(p)) => ratio(p, h),
                _ => 0.0,
            };
            let bound = match (floor, p.cpu_us) {
                (Some(floor), Some(p)) if scenario.kind != Kind::Floor => {
                    format!(" (Rocket's floor alone: {:.1}x)", ratio(p, floor))
                }
                _ => String::new(),
            };
            if scenario.kind != Kind::Floor {
                worst_cpu = worst_cpu.min(cpu);
                worst_rps = worst_rps.min(rps);
            }
            ratios.push(format!("hangar / flask-peewee {rps:.1}x req/s, {cpu:.1}x less CPU a request{bound}"));
        }
        if !ratios.is_empty() {
            println!("  {}", ratios.join("; "));
        }
    }
    println!();
    if worst_hand.is_finite() {
        println!("lowest hangar / hand-written throughput: {worst_hand:.2}x (goal: at least 1.0)");
    }
    if worst_cpu.is_finite() {
        println!(
            "lowest flask-peewee / hangar CPU a request: {worst_cpu:.1}x (goal: 25); lowest throughput ratio {worst_rps:.1}x"
        );
    }
}
