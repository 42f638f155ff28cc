//! The hostile-input corpus: one table of values that databases refuse or
//! mangle, sent through every way a request carries a value (query strings,
//! JSON bodies, form bodies, the login form, HTTP Basic credentials), on
//! every backend. No case may answer 5xx; a 400 names the field or the
//! parameter; and the three backends answer each case alike.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::time::Duration;

use base64ct::{Base64, Encoding};
use hangar::auth::Auth;
use hangar::db::Dialect;
use hangar_tests::api::api;
use hangar_tests::backends::{backends, TestDb};
use hangar_tests::models::User;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::{json, Value};

use crate::auth_support::{encode, user_site, Browser};

/// The values, each with a name for the report: empty, huge, overflowing,
/// NUL and control characters, what non-UTF-8 decodes to, SQL, pattern
/// metacharacters, and dates far in the past and the future.
fn values() -> Vec<(&'static str, String)> {
    let list: Vec<String> = (1..=2000).map(|i| i.to_string()).collect();
    vec![
        ("empty", String::new()),
        ("spaces", "   ".into()),
        ("over 255 characters", "x".repeat(300)),
        ("over 64 KiB", "y".repeat(70_000)),
        ("i64 overflow", "99999999999999999999".into()),
        ("i64 underflow", "-99999999999999999999".into()),
        ("i16 overflow", "40000".into()),
        ("f32 overflow", "1e39".into()),
        ("f64 overflow", "1e400".into()),
        ("NaN", "NaN".into()),
        ("infinity", "inf".into()),
        ("NUL", "a\0b".into()),
        ("control characters", "\u{1}\u{7}\u{1b}[31m\u{7f}".into()),
        ("what non-UTF-8 decodes to", "\u{fffd}\u{fffd}".into()),
        ("emoji", "😀 👩\u{200d}💻".into()),
        ("bidi and combining", "\u{202e}e\u{301}".into()),
        ("SQL quote", "' OR 1=1 --".into()),
        ("SQL statement", "\"; DROP TABLE users; --".into()),
        ("SQL comment", "1/**/OR/**/1=1".into()),
        ("percent", "%".into()),
        ("underscore", "_".into()),
        ("backslash", "\\".into()),
        ("trailing escape", "abc\\".into()),
        ("glob", "[*?]".into()),
        ("long pattern", "%".repeat(2000)),
        ("2000 values", list.join(",")),
        ("year 0", "0000-01-01".into()),
        ("year 1", "0001-01-01".into()),
        ("year 9999", "9999-12-31".into()),
        ("before 1970", "1969-12-31T23:59:59".into()),
        ("after 2038", "2040-01-01T00:00:00".into()),
        ("year 10000", "10000-01-01".into()),
        ("year -1", "-0001-01-01".into()),
        ("chrono's last year", "+262143-12-31".into()),
        ("February 30", "2024-02-30".into()),
        ("past 9999 in UTC", "9999-12-31T23:59:59-05:00".into()),
        ("before year 1 in UTC", "0001-01-01T00:30:00+01:00".into()),
        ("leap second", "2024-12-31T23:59:60".into()),
        ("leap second time", "23:59:60".into()),
        ("24:00", "24:00:00".into()),
        ("a word for a boolean", "yes".into()),
        ("null", "null".into()),
    ]
}

/// Query-string values that are not UTF-8 once decoded, sent as they are.
const RAW_QUERY_VALUES: &[(&str, &str)] =
    &[("invalid UTF-8", "%FF%FE"), ("overlong NUL", "%C0%80"), ("surrogate", "%ED%A0%80"), ("encoded NUL", "%00")];

/// JSON literals that are not strings, for every body field.
const JSON_LITERALS: &[&str] =
    &["99999999999999999999", "-1", "40000", "1e39", "3.5", "true", "null", "[1]", r#"{"a": 1}"#];

/// The kitchen fields (one of every type, plain and nullable) and a valid
/// value of each, to which a case changes one.
fn kitchen_body() -> Value {
    json!({
        "small": 1, "big": 2, "ratio": 0.5, "score": 1.5, "flag": true, "day": "2024-01-01", "at": "08:00:00",
        "stamp": "2024-01-01T08:00:00", "label": "base", "maybe_int": null, "maybe_text": null, "maybe_flag": null,
        "maybe_day": null, "maybe_stamp": null
    })
}

const OPERATORS: &[&str] = &[
    "",
    "eq",
    "ne",
    "lt",
    "lte",
    "gt",
    "gte",
    "in",
    "not_in",
    "is",
    "is_not",
    "like",
    "ilike",
    "contains",
    "startswith",
    "endswith",
    "between",
];

/// What one backend answered to each case.
#[derive(Default)]
struct Report {
    statuses: BTreeMap<String, u16>,
    errors: BTreeMap<String, String>,
    failures: Vec<String>,
}

impl Report {
    /// Records a case: below 500, and a 400 or 409 names one of `names`.
    fn check(&mut self, case: String, status: Status, error: &str, names: &[&str]) {
        if status.code >= 500 {
            self.failures.push(format!("{case}: {status} {error}"));
        } else if matches!(status.code, 400 | 409) && !names.iter().any(|n| error.contains(&format!("`{n}`"))) {
            self.failures.push(format!("{case}: {status} does not name any of {names:?}: {error}"));
        }
        if status.code >= 400 {
            self.errors.insert(case.clone(), error.chars().take(200).collect());
        }
        self.statuses.insert(case, status.code);
    }
}

async fn answer(request: rocket::local::asynchronous::LocalRequest<'_>) -> (Status, String) {
    let response = request.dispatch().await;
    let status = response.status();
    let body = response.into_string().await.unwrap_or_default();
    let error =
        serde_json::from_str::<Value>(&body).ok().and_then(|j| j["error"].as_str().map(str::to_owned)).unwrap_or(body);
    (status, error)
}

fn basic(user: &str, password: &str) -> Header<'static> {
    Header::new("Authorization", format!("Basic {}", Base64::encode_string(format!("{user}:{password}").as_bytes())))
}

async fn query_strings(client: &Client, report: &mut Report) {
    let mut fields: Vec<String> = kitchen_body().as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    fields.push("id".into());
    let mut encoded: Vec<(String, String)> = values().into_iter().map(|(n, v)| (n.to_owned(), encode(&v))).collect();
    encoded.extend(RAW_QUERY_VALUES.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())));
    let targets = fields.iter().map(|f| ("kitchen", f.clone())).chain([("message", "user__username".to_owned())]);
    for (model, field) in targets.collect::<Vec<_>>() {
        for op in OPERATORS {
            let param = if op.is_empty() { field.clone() } else { format!("{field}__{op}") };
            // A leading `-` negates; once per field is enough to exercise it.
            let negations: &[&str] = if op.is_empty() { &["", "-"] } else { &[""] };
            for negate in negations {
                for (name, value) in &encoded {
                    let uri = format!("/api/{model}/?{negate}{param}={value}");
                    let (status, error) = answer(client.get(uri)).await;
                    let last = field.rsplit("__").next().unwrap_or(&field);
                    let names = [format!("{negate}{param}"), param.clone(), last.to_owned()];
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    report.check(format!("GET ?{negate}{param}= {name}"), status, &error, &names);
                }
            }
        }
    }
    for (name, value) in &encoded {
        for param in ["ordering", "limit", "page"] {
            let (status, error) = answer(client.get(format!("/api/kitchen/?{param}={value}"))).await;
            report.check(format!("GET ?{param}= {name}"), status, &error, &[param]);
        }
    }
}

async fn bodies(client: &Client, report: &mut Report) {
    let normal = basic("normal", "normal");
    let base = kitchen_body();
    let fields: Vec<String> = base.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    for field in &fields {
        for (name, value) in values() {
            let mut body = base.clone();
            body[field.as_str()] = Value::String(value.clone());
            let request = client.post("/api/kitchen/").header(ContentType::JSON).body(body.to_string());
            let (status, error) = answer(request).await;
            report.check(format!("POST JSON {field}= {name}"), status, &error, &[field]);
            let request = client.put("/api/kitchen/1/").header(ContentType::JSON).body(body.to_string());
            let (status, error) = answer(request).await;
            report.check(format!("PUT JSON {field}= {name}"), status, &error, &[field]);
            let mut form: Vec<String> = Vec::new();
            for (key, v) in base.as_object().into_iter().flatten().filter(|(k, v)| *k != field && !v.is_null()) {
                form.push(format!("{key}={}", encode(&v.as_str().map_or_else(|| v.to_string(), str::to_owned))));
            }
            form.push(format!("{field}={}", encode(&value)));
            let request = client.post("/api/kitchen/").header(ContentType::Form).body(form.join("&"));
            let (status, error) = answer(request).await;
            report.check(format!("POST form {field}= {name}"), status, &error, &[field]);
        }
        for literal in JSON_LITERALS {
            // Written out as text, so that the literal reaches the server as it is.
            let mut rest = base.clone();
            if let Some(object) = rest.as_object_mut() {
                object.remove(field.as_str());
            }
            let rest = rest.to_string();
            let body = format!("{{\"{field}\": {literal}, {}", rest.strip_prefix('{').unwrap_or(&rest));
            let request = client.post("/api/kitchen/").header(ContentType::JSON).body(body);
            let (status, error) = answer(request).await;
            report.check(format!("POST JSON {field}: {literal}"), status, &error, &[field]);
        }
    }
    for (name, value) in values() {
        for field in ["content", "pub_date", "user_id"] {
            let body = json!({"content": "hi", field: value.clone()});
            let request =
                client.post("/api/message/").header(ContentType::JSON).header(normal.clone()).body(body.to_string());
            let (status, error) = answer(request).await;
            report.check(format!("POST message {field}= {name}"), status, &error, &[field]);
        }
    }
    // Bytes that are not JSON at all: no field to name, but never a 5xx.
    for raw in [&b"{\"label\": \"\xff\xfe\"}"[..], b"{\"label\": \"\\ud800\"}", b"{\"small\": 1e400}", b"\x00"] {
        let request = client.post("/api/kitchen/").header(ContentType::JSON).body(raw);
        let (status, error) = answer(request).await;
        let case = format!("POST raw {:?}", String::from_utf8_lossy(raw));
        if status != Status::BadRequest || !error.contains("not valid JSON") {
            report.failures.push(format!("{case}: {status} {error}"));
        }
        report.statuses.insert(case, status.code);
    }
}

async fn credentials(client: &Client, report: &mut Report) {
    for (name, value) in values() {
        for (who, header) in [("username", basic(&value, "x")), ("password", basic("normal", &value))] {
            let request =
                client.post("/api/message/").header(ContentType::JSON).header(header).body(r#"{"content": "hi"}"#);
            let (status, error) = answer(request).await;
            report.check(format!("Basic {who}= {name}"), status, &error, &[who]);
        }
    }
}

async fn login_form(dialect: Dialect, report: &mut Report) {
    // Throttling would answer 429 after ten failures, before the values are
    // looked at; these cases are about the values.
    let auth = Auth::<User>::new().throttle(1_000_000, Duration::from_secs(1));
    let db = TestDb::seeded(dialect);
    let client = Client::tracked(user_site(auth, &db)).await.expect("the site launches");
    let browser = Browser { client, db };
    for (name, value) in values() {
        for (who, user, password) in [("username", value.as_str(), "x"), ("password", "normal", value.as_str())] {
            let page = browser.log_in(user, password, "/").await;
            report.check(format!("login {who}= {name}"), page.status, &page.body, &[who]);
            if page.status == Status::SeeOther {
                report.failures.push(format!("login {who}= {name} logged in"));
            }
        }
    }
}

#[rocket::async_test]
async fn the_hostile_corpus_never_answers_5xx_and_every_backend_answers_alike() {
    let mut reports: Vec<(String, Report)> = Vec::new();
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        let rocket = api()
            .body_limit(2 << 20)
            .mount(rocket::custom(rocket::Config::figment().merge(("log_level", "off"))).manage(db.db.clone()));
        let client = Client::untracked(rocket).await.expect("the API launches");
        let mut report = Report::default();
        query_strings(&client, &mut report).await;
        bodies(&client, &mut report).await;
        credentials(&client, &mut report).await;
        login_form(dialect, &mut report).await;
        // Past the harness's capture, so that CI's log shows the count.
        let line =
            format!("hostile corpus on {dialect}: {} cases, {} failures", report.statuses.len(), report.failures.len());
        let _ = writeln!(std::io::stderr(), "{line}");
        reports.push((dialect.to_string(), report));
    }
    let failures: Vec<String> =
        reports.iter().flat_map(|(d, r)| r.failures.iter().map(move |f| format!("{d}: {f}"))).collect();
    // One failure of each kind of case, so that a long list shows its variety.
    let mut kinds: BTreeMap<String, &String> = BTreeMap::new();
    for failure in &failures {
        let kind: String = failure.split(['=', ':']).take(2).collect();
        kinds.entry(kind).or_insert(failure);
    }
    let shown: Vec<String> = kinds.values().take(40).map(|f| f.chars().take(300).collect()).collect();
    assert!(failures.is_empty(), "{} failures; one of each kind:\n{}", failures.len(), shown.join("\n"));
    if let [(first, reference), others @ ..] = reports.as_slice() {
        let mut differences = Vec::new();
        for (dialect, report) in others {
            for (case, status) in &report.statuses {
                if reference.statuses.get(case) != Some(status) {
                    let why = report.errors.get(case).map(String::as_str).unwrap_or_default();
                    differences
                        .push(format!("{case}: {first} {:?}, {dialect} {status} {why}", reference.statuses.get(case)));
                }
            }
        }
        assert!(
            differences.is_empty(),
            "{} cases answered differently, the first 40:\n{}",
            differences.len(),
            differences[..differences.len().min(40)].join("\n")
        );
    }
}
