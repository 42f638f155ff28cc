//! Keyset pagination: `?cursor=`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::RunQueryDsl;
use hangar::db::AnyConnection;
use hangar::forms::Params;
use hangar::query::{ListOptions, ListQuery, Page};
use hangar_tests::backends::each_backend;
use hangar_tests::models::{Kitchen, Message};
use hangar_tests::schema::message;
use rocket::http::Status;

use crate::rest_support::Api;

/// 53 more messages, so 57 in all, whose `pub_date` repeats every seven
/// and whose `user_id` alternates: orderings with many ties.
fn more_messages(conn: &mut AnyConnection) {
    use diesel::ExpressionMethods;
    let base = NaiveDate::from_ymd_opt(2024, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).expect("a date");
    // One row a statement: `MultiConnection` has no batch insert.
    for i in 0..53 {
        let row = (
            message::user_id.eq(1 + i % 2),
            message::content.eq(format!("m{:02}", 52 - i)),
            message::pub_date.eq(base + chrono::Duration::hours(i64::from(i % 7))),
        );
        diesel::insert_into(message::table).values(row).execute(conn).expect("a message inserts");
    }
}

fn fetch(conn: &mut AnyConnection, qs: &str) -> Result<Page<Message>, hangar::Error> {
    let list = ListQuery::<Message>::parse_strict(&Params::parse(qs), &ListOptions::default())?;
    list.fetch(conn)
}

fn ids(page: &Page<Message>) -> Vec<i32> {
    page.objects.iter().map(|m| m.id).collect()
}

/// Every page of `ordering` by page number.
fn offset_pages(conn: &mut AnyConnection, ordering: &str, limit: u64) -> Vec<Vec<i32>> {
    let mut pages = Vec::new();
    for n in 1.. {
        let page = fetch(conn, &format!("ordering={ordering}&limit={limit}&page={n}")).expect("a page");
        if page.objects.is_empty() {
            break;
        }
        pages.push(ids(&page));
    }
    pages
}

/// Every page of `ordering` by following `next` from `cursor=`.
fn cursor_pages(conn: &mut AnyConnection, ordering: &str, limit: u64) -> (Vec<Vec<i32>>, Option<String>) {
    let (mut pages, mut token, mut last_previous) = (Vec::new(), String::new(), None);
    loop {
        let page = fetch(conn, &format!("ordering={ordering}&limit={limit}&cursor={token}")).expect("a page");
        let cursors = page.cursors.clone().expect("a cursor list");
        assert_eq!(page.has_more, cursors.next.is_some());
        pages.push(ids(&page));
        last_previous = cursors.previous.or(last_previous);
        match cursors.next {
            Some(next) => token = next,
            None => return (pages, last_previous),
        }
    }
}

const ORDERINGS: [&str; 6] = ["id", "-id", "-pub_date", "pub_date,-user_id", "user_id,-pub_date,content", "-content"];

#[test]
fn following_cursors_forward_and_back_gives_the_numbered_pages() {
    each_backend(|t| {
        let conn = &mut t.conn();
        more_messages(conn);
        for ordering in ORDERINGS {
            let numbered = offset_pages(conn, ordering, 5);
            assert_eq!(numbered.iter().map(Vec::len).sum::<usize>(), 57, "{ordering}");
            let (forward, previous_of_last) = cursor_pages(conn, ordering, 5);
            assert_eq!(forward, numbered, "forward by cursor, ordered by {ordering}");

            // Back from the last page, by `previous`.
            let mut backward = vec![forward.last().cloned().unwrap_or_default()];
            let mut token = previous_of_last.expect("the last page has a previous one");
            loop {
                let page = fetch(conn, &format!("ordering={ordering}&limit=5&cursor={token}")).expect("a page");
                backward.push(ids(&page));
                match page.cursors.and_then(|c| c.previous) {
                    Some(previous) => token = previous,
                    None => break,
                }
            }
            backward.reverse();
            assert_eq!(backward, numbered, "backward by cursor, ordered by {ordering}");
        }
    });
}

#[test]
fn rows_written_between_pages_are_neither_skipped_nor_repeated() {
    each_backend(|t| {
        let conn = &mut t.conn();
        more_messages(conn);
        let first = fetch(conn, "ordering=-pub_date&limit=10&cursor=").expect("page 1");
        let offset_first = fetch(conn, "ordering=-pub_date&limit=10&page=1").expect("page 1");
        assert_eq!(ids(&first), ids(&offset_first));
        let seen_before: Vec<i32> = ids(&first);

        // A newer message lands before page 1, an older one after everything.
        let at = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(12, 0, 0)).expect("a date");
        let insert = |conn: &mut AnyConnection, when: NaiveDateTime, content: &str| {
            use diesel::ExpressionMethods;
            diesel::insert_into(message::table)
                .values((message::user_id.eq(2), message::content.eq(content), message::pub_date.eq(when)))
                .execute(conn)
                .expect("inserts");
        };
        insert(conn, at(2030, 1, 1), "newest");
        insert(conn, at(2000, 1, 1), "oldest");

        // By page number, the shift repeats the last row of page 1 on page 2.
        let offset_second = fetch(conn, "ordering=-pub_date&limit=10&page=2").expect("page 2");
        assert_eq!(offset_second.objects[0].id, *seen_before.last().expect("a row"), "the flaw cursors fix");

        let mut token = first.cursors.and_then(|c| c.next).expect("a next page");
        let mut rest = Vec::new();
        loop {
            let page = fetch(conn, &format!("ordering=-pub_date&limit=10&cursor={token}")).expect("a page");
            rest.extend(page.objects.iter().map(|m| (m.id, m.content.clone())));
            match page.cursors.and_then(|c| c.next) {
                Some(next) => token = next,
                None => break,
            }
        }
        assert!(rest.iter().all(|(id, _)| !seen_before.contains(id)), "nothing from page 1 again");
        assert_eq!(rest.len(), 57 - 10 + 1, "every later row once, and the row added at the end");
        assert_eq!(rest.last().map(|(_, c)| c.as_str()), Some("oldest"));
        assert!(rest.iter().all(|(_, c)| c != "newest"), "a row added before the cursor waits for a fresh start");
    });
}

#[test]
fn bad_cursors_are_refused_naming_cursor() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let first = fetch(conn, "ordering=-pub_date&limit=2&cursor=").expect("page 1");
        let token = first.cursors.and_then(|c| c.next).expect("a next page");
        let error = |conn: &mut AnyConnection, qs: &str| match fetch(conn, qs) {
            Ok(page) => panic!("`{qs}` should be refused, but gave {:?}", ids(&page)),
            Err(e) => {
                assert_eq!(e.status(), Status::BadRequest, "{qs}: {e}");
                e.to_string()
            }
        };
        let mut altered = token.clone().into_bytes();
        altered[5] = if altered[5] == b'x' { b'y' } else { b'x' };
        let altered = String::from_utf8(altered).expect("ASCII");
        let not_given_out = "`cursor` is not a cursor this list gave out; start again with `cursor=`";
        for bad in [altered.as_str(), "abc", "e30.AAAA", &token[..token.len() - 2], "%00"] {
            assert_eq!(error(conn, &format!("ordering=-pub_date&limit=2&cursor={bad}")), not_given_out, "{bad}");
        }
        assert_eq!(
            error(conn, &format!("ordering=id&limit=2&cursor={token}")),
            "`cursor` was made for the ordering `-pub_date,id`, not `id`; start again with `cursor=`"
        );
        assert_eq!(
            error(conn, &format!("ordering=-pub_date&cursor={token}&page=2")),
            "`cursor` and `page` cannot be combined: a list paged by `cursor` has no page numbers"
        );
        assert_eq!(
            error(conn, "ordering=user__username&cursor="),
            "`cursor` pages only lists ordered by `message`'s own fields; `user__username` goes through a relation"
        );
        let nullable =
            ListQuery::<Kitchen>::parse_strict(&Params::parse("ordering=maybe_day&cursor="), &ListOptions::default())
                .expect("parses")
                .fetch(conn)
                .expect_err("a nullable ordering");
        assert_eq!(
            nullable.to_string(),
            "`cursor` cannot follow an ordering by `maybe_day`, which may be empty (NULL); order by fields that are always set"
        );
    });
}

#[rocket::async_test]
async fn the_api_links_cursor_pages() {
    Api::each(async |api: &Api| {
        let first = api.get("/api/message/?ordering=-pub_date&limit=3&cursor=").await;
        assert_eq!(first.status, Status::Ok, "{}", first.json);
        let meta = &first.json["meta"];
        assert_eq!(
            (meta["page"].clone(), meta["page_count"].clone(), meta["object_count"].clone()),
            (serde_json::Value::Null, serde_json::Value::Null, serde_json::Value::Null)
        );
        assert_eq!(meta["previous"], "");
        let next = meta["next"].as_str().expect("a next link").to_owned();
        assert!(next.starts_with("/api/message/?ordering=-pub_date&limit=3&cursor="), "{next}");
        let second = api.get(&next).await;
        assert_eq!(second.status, Status::Ok);
        assert_eq!(second.json["objects"].as_array().map(Vec::len), Some(1));
        assert_eq!(second.json["meta"]["next"], "");
        let previous = second.json["meta"]["previous"].as_str().expect("a previous link").to_owned();
        let back = api.get(&previous).await;
        assert_eq!(back.json["objects"], first.json["objects"]);

        let tampered = api.get(&format!("{next}x")).await;
        assert_eq!(tampered.status, Status::BadRequest);
        assert!(tampered.json["error"].as_str().is_some_and(|e| e.starts_with("`cursor`")), "{}", tampered.json);
    })
    .await;
}
