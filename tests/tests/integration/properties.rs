//! Properties over any input: whatever string a filter value or a body
//! field holds, the API answers below 500 and does not panic.

use hangar_tests::api::api;
use hangar_tests::backends::{backends, TestDb};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rocket::http::ContentType;
use rocket::local::blocking::Client;

use crate::auth_support::encode;

/// Every kitchen field, one of each type, and the pk.
const FIELDS: &[&str] = &[
    "id",
    "small",
    "big",
    "ratio",
    "score",
    "flag",
    "day",
    "at",
    "stamp",
    "label",
    "maybe_int",
    "maybe_text",
    "maybe_flag",
    "maybe_day",
    "maybe_stamp",
];

const OPERATORS: &[&str] = &[
    "",
    "__ne",
    "__lt",
    "__lte",
    "__gt",
    "__gte",
    "__in",
    "__not_in",
    "__is",
    "__is_not",
    "__like",
    "__ilike",
    "__contains",
    "__startswith",
    "__endswith",
    "__between",
];

/// Any text: arbitrary Unicode, with NUL, controls and SQL and pattern
/// metacharacters made likely.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f%_\\\\'\";,*?\\[\\]0-9eE.+: -]{0,40}",
        "[0-9]{1,25}(\\.[0-9]{0,5})?([eE][+-]?[0-9]{1,4})?",
        "-?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?)?",
    ]
}

fn each_backend_client(test: impl Fn(&Client, &mut TestRunner)) {
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        let rocket =
            api().mount(rocket::custom(rocket::Config::figment().merge(("log_level", "off"))).manage(db.db.clone()));
        let client = Client::untracked(rocket).expect("the API launches");
        let mut runner = TestRunner::new(Config { cases: 128, failure_persistence: None, ..Config::default() });
        test(&client, &mut runner);
    }
}

#[test]
fn any_filter_value_answers_below_500() {
    each_backend_client(|client, runner| {
        let inputs = (0..FIELDS.len(), 0..OPERATORS.len(), text());
        runner
            .run(&inputs, |(field, op, value)| {
                let uri = format!("/api/kitchen/?{}{}={}", FIELDS[field], OPERATORS[op], encode(&value));
                let status = client.get(uri.clone()).dispatch().status();
                prop_assert!(status.code < 500, "{uri} answered {status}");
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
    });
}

#[test]
fn any_body_field_answers_below_500() {
    each_backend_client(|client, runner| {
        let inputs = (0..FIELDS.len(), text(), any::<bool>());
        runner
            .run(&inputs, |(field, value, as_form)| {
                let field = FIELDS[field];
                let request = if as_form {
                    let body = format!("label=x&{field}={}", encode(&value));
                    client.post("/api/kitchen/").header(ContentType::Form).body(body)
                } else {
                    let body = serde_json::json!({"label": "x", field: value});
                    client.post("/api/kitchen/").header(ContentType::JSON).body(body.to_string())
                };
                let status = request.dispatch().status();
                prop_assert!(status.code < 500, "{field} = {value:?} answered {status}");
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
    });
}
