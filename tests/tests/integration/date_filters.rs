//! flask-peewee's date filters, `within_days`, `older_days`, `year` and
//! `month`, on dates and timestamps, on every backend: rows a day either
//! side of each boundary, across a relation, negated, in the REST API and
//! the admin's list, and each bad value a 400 naming its parameter.

use chrono::{Datelike, Days, NaiveDateTime, Utc};
use diesel::connection::SimpleConnection;
use hangar::db::AnyConnection;
use hangar_tests::backends::each_backend;
use hangar_tests::models::{Kitchen, Message};
use rocket::http::{Method, Status};
use serde_json::json;

use crate::admin_support::{admin_site, decoded, table};
use crate::auth_support::Browser;
use crate::rest_support::{Api, Body, ADMIN};
use crate::support::{error, ids};

/// The kitchen rows added to the seed's (1 to 3, all in 2024): each id
/// with its `stamp`.
struct Rows {
    added: Vec<(i64, NaiveDateTime)>,
}

impl Rows {
    /// The ids whose `stamp` (or `day`, the same date) passes `test`,
    /// seeded rows first.
    fn with(&self, test: impl Fn(NaiveDateTime) -> bool) -> Vec<i64> {
        let seeded = [(1, "2024-01-01 08:00:00"), (2, "2024-06-15 12:30:00"), (3, "2024-12-31 23:59:59")];
        let seeded = seeded.map(|(id, s)| (id, NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()));
        seeded
            .into_iter()
            .chain(self.added.iter().copied())
            .filter(|(_, stamp)| test(*stamp))
            .map(|(id, _)| id)
            .collect()
    }
}

/// Adds kitchen rows 4 to 8: one, six and eight days ago (at this moment
/// of the day, in UTC; only the first with `maybe_stamp` and `maybe_day`
/// set), and either side of the new year 2025.
fn add_rows(conn: &mut AnyConnection) -> Rows {
    let now = Utc::now();
    let ago = |days: u64| now.naive_utc().checked_sub_days(Days::new(days)).unwrap();
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    let stamps = [ago(1), ago(6), ago(8), at("2025-01-01 00:00:00"), at("2023-12-31 23:59:59")];
    let mut sql = String::new();
    for (i, stamp) in stamps.iter().enumerate() {
        let (text, day) = (stamp.format("%Y-%m-%d %H:%M:%S"), stamp.date());
        let maybe = if i == 0 { format!("'{day}', '{text}'") } else { "NULL, NULL".to_owned() };
        sql.push_str(&format!(
            "INSERT INTO kitchen (small, big, ratio, score, flag, day, at, stamp, label, maybe_int, maybe_text, \
             maybe_flag, maybe_day, maybe_stamp) VALUES ({}, 1, 0.5, 1.5, TRUE, '{day}', '12:00:00', '{text}', \
             'added', NULL, NULL, NULL, {maybe});\n",
            i + 4
        ));
    }
    conn.batch_execute(&sql).expect("the rows insert");
    Rows { added: stamps.into_iter().enumerate().map(|(i, s)| (i as i64 + 4, s)).collect() }
}

#[test]
fn within_days_and_older_days_count_back_from_now() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let rows = add_rows(conn);
        for field in ["stamp", "day"] {
            assert_eq!(ids::<Kitchen>(conn, &format!("{field}__within_days=7")), [4, 5], "{field}");
            assert_eq!(ids::<Kitchen>(conn, &format!("{field}__within_days=3")), [4], "{field}");
            assert_eq!(ids::<Kitchen>(conn, &format!("{field}__older_days=7")), [1, 2, 3, 6, 7, 8], "{field}");
            assert_eq!(ids::<Kitchen>(conn, &format!("{field}__older_days=3")), [1, 2, 3, 5, 6, 7, 8], "{field}");
            // Between them they split the rows.
            assert_eq!(ids::<Kitchen>(conn, &format!("-{field}__within_days=7")), [1, 2, 3, 6, 7, 8], "{field}");
            assert_eq!(ids::<Kitchen>(conn, &format!("{field}__within_days=3&{field}__older_days=7")), [] as [i64; 0]);
            assert_eq!(ids::<Kitchen>(conn, &format!("{field}__within_days=7&{field}__older_days=3")), [5], "{field}");
        }
        // Nothing is written in the future, so nothing is within 0 days; a
        // number of days past the year 1 takes every row.
        assert_eq!(ids::<Kitchen>(conn, "stamp__within_days=0"), [] as [i64; 0]);
        let all = rows.with(|_| true);
        assert_eq!(ids::<Kitchen>(conn, "stamp__within_days=99999999999999999999"), all);
        assert_eq!(ids::<Kitchen>(conn, "day__older_days=1000000"), [] as [i64; 0]);
        // A NULL date is within no number of days, and so kept by the negation.
        assert_eq!(ids::<Kitchen>(conn, "maybe_stamp__within_days=2"), [4]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_day__older_days=2"), [1, 3]);
        assert_eq!(ids::<Kitchen>(conn, "-maybe_stamp__within_days=2"), [1, 2, 3, 5, 6, 7, 8]);
    });
}

#[test]
fn year_is_from_new_year_to_new_year() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let rows = add_rows(conn);
        for year in [2023, 2024, 2025, 2026, 1999, 9999] {
            let expected = rows.with(|stamp| stamp.year() == year);
            for field in ["stamp", "day"] {
                assert_eq!(ids::<Kitchen>(conn, &format!("{field}__year={year}")), expected, "{field}__year={year}");
            }
        }
        assert_eq!(ids::<Kitchen>(conn, "stamp__year=2023&stamp__year=2025"), [7, 8], "a repeated key ORs");
        let not_2024 = rows.with(|stamp| stamp.year() != 2024);
        assert_eq!(ids::<Kitchen>(conn, "-day__year=2024"), not_2024);
        assert_eq!(ids::<Kitchen>(conn, "maybe_day__year=2024"), [1, 3]);
    });
}

#[test]
fn month_is_the_month_of_any_year() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let rows = add_rows(conn);
        for month in 1..=12 {
            let expected = rows.with(|stamp| stamp.month() == month);
            for field in ["stamp", "day"] {
                assert_eq!(
                    ids::<Kitchen>(conn, &format!("{field}__month={month}")),
                    expected,
                    "{field}__month={month}"
                );
            }
        }
        assert_eq!(ids::<Kitchen>(conn, "day__year=2024&day__month=12"), [3]);
        assert_eq!(ids::<Kitchen>(conn, "stamp__month=01"), rows.with(|stamp| stamp.month() == 1));
        let not_june = rows.with(|stamp| stamp.month() != 6);
        assert_eq!(ids::<Kitchen>(conn, "-stamp__month=6"), not_june);
        // A NULL date is in no month, so the negation keeps it: only rows 1,
        // 3 and 4 have a `maybe_day`.
        let mut not_december = vec![1, 2, 4, 5, 6, 7, 8];
        not_december.retain(|id| *id != 4 || rows.added[0].1.month() != 12);
        assert_eq!(ids::<Kitchen>(conn, "-maybe_day__month=12"), not_december);
    });
}

#[test]
fn the_date_filters_go_through_relations() {
    each_backend(|t| {
        let conn = &mut t.conn();
        // Users joined on 1, 2 and 3 January 2024; messages 2 and 3 are by user 2.
        conn.batch_execute("UPDATE users SET join_date = '2023-12-31 23:59:59' WHERE id = 2")
            .expect("the join date changes");
        assert_eq!(ids::<Message>(conn, "user__join_date__year=2024"), [1, 4]);
        assert_eq!(ids::<Message>(conn, "user__join_date__year=2023"), [2, 3]);
        assert_eq!(ids::<Message>(conn, "user__join_date__month=12"), [2, 3]);
        assert_eq!(ids::<Message>(conn, "-user__join_date__month=12"), [1, 4]);
        assert_eq!(ids::<Message>(conn, "user__join_date__older_days=30"), [1, 2, 3, 4]);
        assert_eq!(ids::<Message>(conn, "user__join_date__within_days=30"), [] as [i64; 0]);
        let today = Utc::now().format("%Y-%m-%d %H:%M:%S");
        conn.batch_execute(&format!("UPDATE users SET join_date = '{today}' WHERE id = 3"))
            .expect("the join date changes");
        assert_eq!(ids::<Message>(conn, "user__join_date__within_days=1"), [4]);
    });
}

#[test]
fn bad_values_and_fields_that_hold_no_date_are_refused_naming_them() {
    let cases = [
        ("pub_date__within_days=-1", "`pub_date__within_days` takes a whole number of days, 0 or more, not `-1`"),
        ("pub_date__older_days=1.5", "`pub_date__older_days` takes a whole number of days, 0 or more, not `1.5`"),
        ("pub_date__within_days=", "`pub_date__within_days` takes a whole number of days, 0 or more, not ``"),
        ("pub_date__year=0", "`pub_date__year` takes a year from 1 to 9999, not `0`"),
        ("pub_date__year=10000", "`pub_date__year` takes a year from 1 to 9999, not `10000`"),
        ("pub_date__year=twenty", "`pub_date__year` takes a year from 1 to 9999, not `twenty`"),
        ("pub_date__month=13", "`pub_date__month` takes a month from 1 to 12, not `13`"),
        ("pub_date__month=0", "`pub_date__month` takes a month from 1 to 12, not `0`"),
        ("-user__join_date__month=jan", "`-user__join_date__month` takes a month from 1 to 12, not `jan`"),
        ("content__within_days=7", "`within_days` needs a date or datetime field; `content` is a text field"),
        ("id__year=2024", "`year` needs a date or datetime field; `id` is an integer"),
        ("user__active__month=1", "`month` needs a date or datetime field; `active` is a boolean"),
    ];
    for (qs, expected) in cases {
        assert_eq!(error::<Message>(qs), expected, "{qs}");
    }
    assert_eq!(error::<Kitchen>("at__older_days=1"), "`older_days` needs a date or datetime field; `at` is a time");
}

#[rocket::async_test]
async fn the_rest_api_takes_the_date_filters() {
    Api::each(async |api: &Api| {
        let rows = add_rows(&mut api.db.conn());
        assert_eq!(api.ids("/api/kitchen/?stamp__within_days=7").await, [4, 5]);
        assert_eq!(api.ids("/api/kitchen/?day__older_days=7&day__year=2024").await, [1, 2, 3]);
        assert_eq!(api.ids("/api/kitchen/?stamp__month=12").await, rows.with(|s| s.month() == 12));
        assert_eq!(api.ids("/api/kitchen/?-day__year=2024&day__older_days=7").await, [6, 7, 8]);
        let answer = api.get("/api/kitchen/?day__month=13").await;
        assert_eq!(
            (answer.status, answer.json),
            (Status::BadRequest, json!({"error": "`day__month` takes a month from 1 to 12, not `13`"}))
        );
        let answer = api.get("/api/kitchen/?label__within_days=7").await;
        assert_eq!(
            (answer.status, answer.json),
            (
                Status::BadRequest,
                json!({"error": "`within_days` needs a date or datetime field; `label` is a text field"})
            )
        );
        let uri = "/api/message/?pub_date__year=2024&user__join_date__month=1";
        let messages = api.send(Method::Get, uri, ADMIN, Body::None).await;
        assert_eq!(messages.status, Status::Ok, "{messages:?}");
        assert_eq!(messages.json["meta"]["object_count"], 4, "{messages:?}");
    })
    .await;
}

#[rocket::async_test]
async fn the_openapi_document_declares_the_date_filters_on_dates_alone() {
    let doc = hangar_tests::api::api().openapi();
    let param = |name: &str| hangar_tests::openapi::parameter(&doc, "/api/kitchen/", "get", name)["schema"].clone();
    for field in ["day", "stamp", "maybe_day", "maybe_stamp"] {
        assert_eq!(param(&format!("{field}__within_days")), json!({"type": "integer", "minimum": 0}), "{field}");
        assert_eq!(param(&format!("{field}__older_days")), json!({"type": "integer", "minimum": 0}), "{field}");
        assert_eq!(param(&format!("{field}__year")), json!({"type": "integer", "minimum": 1, "maximum": 9999}));
        assert_eq!(param(&format!("{field}__month")), json!({"type": "integer", "minimum": 1, "maximum": 12}));
    }
    let names: Vec<String> = doc["paths"]["/api/kitchen/"]["get"]["parameters"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["name"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    for name in ["at__year", "label__within_days", "small__month", "flag__older_days", "id__year"] {
        assert!(!names.iter().any(|n| n == name), "{name} is not declared: {names:?}");
    }
    let description = doc["paths"]["/api/kitchen/"]["get"]["description"].as_str().unwrap_or_default();
    assert!(description.contains("within_days older_days year month"), "{description}");
}

#[rocket::async_test]
async fn the_admin_list_and_its_filter_builder_take_the_date_filters() {
    Browser::each(admin_site, async |browser: &Browser| {
        browser.as_user("admin").await;
        let page = browser.get("/admin/message/?pub_date__year=2024").await;
        assert_eq!((page.status, table(&page.body).len()), (Status::Ok, 4), "{}", page.body);
        assert!(decoded(&page.body).contains("Pub Date is in the year 2024"), "{}", decoded(&page.body));
        let page = browser.get("/admin/message/?pub_date__year=2023").await;
        assert_eq!(table(&page.body).len(), 0);
        let page = browser.get("/admin/message/?pub_date__month=1&-pub_date__within_days=30").await;
        assert_eq!(table(&page.body).len(), 4);
        let body = decoded(&page.body);
        assert!(body.contains("Pub Date is in the month January"), "{body}");
        assert!(body.contains("not: Pub Date is within the last 30 days"), "{body}");
        let page = browser.get("/admin/message/?pub_date__within_days=30").await;
        assert_eq!(table(&page.body).len(), 0);

        // A bad value is a notice naming the parameter, and the filter is left out.
        let page = browser.get("/admin/message/?pub_date__month=13").await;
        let body = decoded(&page.body);
        assert!(body.contains("`pub_date__month` takes a month from 1 to 12, not `13`"), "{body}");
        assert_eq!(table(&page.body).len(), 4);
        let page = browser.get("/admin/message/?content__year=2024").await;
        let body = decoded(&page.body);
        assert!(body.contains("`year` needs a date or datetime field; `content` is a text field"), "{body}");

        // The builder offers them for dates and timestamps, and for nothing else.
        let page = browser.get("/admin/kitchen/").await;
        let operators = page.body.split("data-operators=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
        let operators: serde_json::Value = serde_json::from_str(&decoded(operators)).expect("the operators are JSON");
        for kind in ["date", "timestamp"] {
            let names = operators[kind].as_array().cloned().unwrap_or_default();
            for op in ["within_days", "older_days", "year", "month"] {
                assert!(names.contains(&json!(op)), "{op} for {kind}: {names:?}");
            }
        }
        for kind in ["time", "text", "integer", "bool"] {
            let names = operators[kind].as_array().cloned().unwrap_or_default();
            assert!(!names.is_empty() && !names.contains(&json!("year")), "{kind}: {names:?}");
        }
        assert!(page.body.contains("<option value=\"within_days\">is within the last (days)</option>"));
        let page = browser.get("/admin/message/?_filter_field=pub_date&_filter_op=older_days&_filter_value=7").await;
        assert_eq!(page.location.as_deref(), Some("/admin/message/?pub_date__older_days=7"));
    })
    .await;
}
