//! Background traffic for the faults: a few threads sending a mix of API
//! reads, authenticated API creates, an admin page and a site page, each
//! answer recorded with when it started and ended, its status and what
//! kind of body it had.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{sleep, JoinHandle};
use std::time::{Duration, Instant};

use crate::http::{basic, Client, Reply};

/// Which face of the app answered: each answers an error its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Face {
    /// `/api/`: JSON, errors as `{"error": ...}`.
    Api,
    /// `/admin/`: HTML pages for a logged-in admin.
    Admin,
    /// tweepee's own pages: HTML.
    Site,
}

impl Face {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Face::Api => "api",
            Face::Admin => "admin",
            Face::Site => "site",
        }
    }
}

/// What the traffic sends, and to whom.
#[derive(Debug, Clone)]
pub(crate) struct Mix {
    /// `http://127.0.0.1:<port>`.
    pub(crate) base: String,
    /// The logged-in admin's `Cookie` header.
    pub(crate) admin_cookie: String,
    /// How many seeded users `user0..` there are; thread `t` posts as
    /// `user<t % users>`.
    pub(crate) users: usize,
    /// Marks the messages this traffic creates: `"<tag> t<thread> n<n>"`.
    pub(crate) tag: &'static str,
}

/// One request of the mix.
#[derive(Debug)]
struct Request {
    label: &'static str,
    face: Face,
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
    /// The status it answers when all is well.
    normal: u16,
    /// The content of the message it creates, if it creates one.
    creates: Option<String>,
}

impl Mix {
    /// The `n`th request of thread `thread`: the five kinds in turn.
    fn request(&self, thread: usize, n: usize) -> Request {
        let user = format!("user{}", thread % self.users.max(1));
        match n % 5 {
            0 => Request {
                label: "GET /api/message/",
                face: Face::Api,
                method: "GET",
                path: format!("/api/message/?limit=10&page={}", 1 + n % 7),
                headers: Vec::new(),
                body: None,
                normal: 200,
                creates: None,
            },
            1 => {
                let content = format!("{} t{thread} n{n}", self.tag);
                Request {
                    label: "POST /api/message/",
                    face: Face::Api,
                    method: "POST",
                    path: "/api/message/".into(),
                    headers: vec![("Authorization", basic(&user, &user)), ("Content-Type", "application/json".into())],
                    body: Some(serde_json::json!({ "content": content }).to_string()),
                    normal: 201,
                    creates: Some(content),
                }
            }
            2 => Request {
                label: "GET /api/user/<id>/",
                face: Face::Api,
                method: "GET",
                path: format!("/api/user/{}/", 2 + n % self.users.max(1)),
                headers: Vec::new(),
                body: None,
                normal: 200,
                creates: None,
            },
            3 => Request {
                label: "GET /admin/message/",
                face: Face::Admin,
                method: "GET",
                path: format!("/admin/message/?page={}", 1 + n % 3),
                headers: vec![("Cookie", self.admin_cookie.clone())],
                body: None,
                normal: 200,
                creates: None,
            },
            _ => Request {
                label: "GET /public",
                face: Face::Site,
                method: "GET",
                path: format!("/public?page={}", 1 + n % 3),
                headers: Vec::new(),
                body: None,
                normal: 200,
                creates: None,
            },
        }
    }
}

/// What came back, in short.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    /// The `error` member of a JSON body.
    pub(crate) error: Option<String>,
    /// The `id` of a JSON body.
    pub(crate) id: Option<i64>,
    /// The start of the body, for a report.
    pub(crate) excerpt: String,
}

impl Answer {
    fn of(reply: &Reply) -> Self {
        let json = reply.json();
        Answer {
            status: reply.status,
            content_type: reply.content_type.clone(),
            error: json.get("error").and_then(|e| e.as_str()).map(str::to_owned),
            id: json.get("id").and_then(serde_json::Value::as_i64),
            excerpt: reply.body.chars().take(160).collect(),
        }
    }
}

/// One request and its outcome.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) label: &'static str,
    pub(crate) face: Face,
    pub(crate) normal: u16,
    /// When it was sent and when its answer (or failure) came, since the
    /// traffic started.
    pub(crate) start: Duration,
    pub(crate) end: Duration,
    /// The answer, or why there was none (refused, reset, timed out).
    pub(crate) outcome: Result<Answer, String>,
    /// The content of the message it created, if it creates one.
    pub(crate) creates: Option<String>,
}

impl Record {
    /// Answered with the status it answers when all is well.
    pub(crate) fn is_normal(&self) -> bool {
        self.status() == Some(self.normal)
    }

    pub(crate) fn status(&self) -> Option<u16> {
        self.outcome.as_ref().ok().map(|a| a.status)
    }

    /// A create acknowledged: its answer's id and the content sent.
    pub(crate) fn acknowledged(&self) -> Option<(i64, &str)> {
        let answer = self.outcome.as_ref().ok()?;
        (answer.status == 201).then_some(())?;
        Some((answer.id?, self.creates.as_deref()?))
    }

    /// The status, or `no answer`, as a report names it.
    pub(crate) fn status_name(&self) -> String {
        match &self.outcome {
            Ok(answer) => answer.status.to_string(),
            Err(_) => "no answer".into(),
        }
    }
}

/// Traffic running in the background until [`finish`](Traffic::finish).
#[derive(Debug)]
pub(crate) struct Traffic {
    epoch: Instant,
    stop: Arc<AtomicBool>,
    records: Arc<Mutex<Vec<Record>>>,
    threads: Vec<JoinHandle<()>>,
}

impl Traffic {
    /// Starts `threads` threads sending `mix`, each request with `timeout`
    /// and a pause of `pause` after it.
    pub(crate) fn start(mix: &Mix, threads: usize, timeout: Duration, pause: Duration) -> Traffic {
        let epoch = Instant::now();
        let stop = Arc::new(AtomicBool::new(false));
        let records = Arc::new(Mutex::new(Vec::new()));
        let threads = (0..threads)
            .map(|thread| {
                let (mix, stop, records) = (mix.clone(), stop.clone(), records.clone());
                std::thread::spawn(move || {
                    let client = Client::new(timeout);
                    let mut n = thread;
                    while !stop.load(Ordering::Relaxed) {
                        let record = send(&client, &mix, thread, n, epoch);
                        // A refused connection comes back at once: no
                        // need to spin on it.
                        let refused = record.outcome.is_err();
                        if let Ok(mut records) = records.lock() {
                            records.push(record);
                        }
                        n += 1;
                        sleep(if refused { pause.max(Duration::from_millis(50)) } else { pause });
                    }
                })
            })
            .collect();
        Traffic { epoch, stop, records, threads }
    }

    /// The time since the traffic started, on the clock its records use.
    pub(crate) fn now(&self) -> Duration {
        self.epoch.elapsed()
    }

    /// The records so far.
    pub(crate) fn snapshot(&self) -> Vec<Record> {
        self.records.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Stops the threads, waits for their last requests, and answers every
    /// record in the order they ended.
    pub(crate) fn finish(self) -> Vec<Record> {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads {
            let _ = thread.join();
        }
        let mut records = self.records.lock().map(|r| r.clone()).unwrap_or_default();
        records.sort_by_key(|r| r.end);
        records
    }
}

fn send(client: &Client, mix: &Mix, thread: usize, n: usize, epoch: Instant) -> Record {
    let request = mix.request(thread, n);
    let url = format!("{}{}", mix.base, request.path);
    let headers: Vec<(&str, &str)> = request.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let start = epoch.elapsed();
    let reply = client.send(request.method, &url, &headers, request.body.as_deref());
    let end = epoch.elapsed();
    Record {
        label: request.label,
        face: request.face,
        normal: request.normal,
        start,
        end,
        outcome: reply.as_ref().map(Answer::of).map_err(Clone::clone),
        creates: request.creates,
    }
}

/// Counts by face and status name (`200`, `503`, `no answer`), as
/// `api: 200×41 503×6; admin: ...`.
pub(crate) fn tally<'a>(records: impl IntoIterator<Item = &'a Record>) -> String {
    let mut counts: BTreeMap<(Face, String), usize> = BTreeMap::new();
    for record in records {
        *counts.entry((record.face, record.status_name())).or_default() += 1;
    }
    if counts.is_empty() {
        return "no requests".into();
    }
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<Face> = None;
    for ((face, status), n) in counts {
        if current != Some(face) {
            out.push(format!("{}:", face.name()));
            current = Some(face);
        }
        if let Some(last) = out.last_mut() {
            last.push_str(&format!(" {status}×{n}"));
        }
    }
    out.join("; ")
}

/// How many records ended in each outcome, for one line of a report.
pub(crate) fn count(records: &[Record], keep: impl Fn(&Record) -> bool) -> usize {
    records.iter().filter(|r| keep(r)).count()
}
