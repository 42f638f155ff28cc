//! Ordering, pagination, the list envelope and counting.

use diesel::{ExpressionMethods, QueryDsl};
use hangar::forms::Params;
use hangar::query::{ListOptions, ListQuery, PaginatedQuery};
use hangar::Model;
use hangar_tests::backends::each_backend;
use hangar_tests::models::{Message, Note, User};
use hangar_tests::schema::message;
use serde_json::json;

use crate::support::{as_i64, ids, message_envelope};

#[test]
fn ordering_takes_several_fields_and_breaks_ties_by_key() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<User>(conn, "ordering=-username"), [2, 3, 1]);
        assert_eq!(ids::<Message>(conn, "ordering=user_id,-pub_date"), [1, 3, 2, 4]);
        assert_eq!(ids::<Message>(conn, "ordering=-user_id&ordering=id"), [4, 2, 3, 1]);
        assert_eq!(ids::<Note>(conn, "ordering=user_id"), [1, 2, 3, 4]);
        assert_eq!(ids::<Note>(conn, "ordering=-status,-id"), [2, 4, 3, 1]);
        assert_eq!(ids::<Note>(conn, "ordering=-user_id"), [4, 3, 1, 2]);
    });
}

fn page(conn: &mut hangar::db::AnyConnection, qs: &str) -> serde_json::Value {
    message_envelope(conn, &ListOptions::default(), qs)
}

#[test]
fn pages_link_to_each_other_keeping_the_query_string() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let first = page(conn, "ordering=id&limit=3");
        assert_eq!(
            first,
            json!({
                "meta": {"model": "message", "page": 1, "page_count": 2, "object_count": 4,
                         "next": "/api/message/?ordering=id&limit=3&page=2", "previous": ""},
                "objects": [1, 2, 3],
            })
        );
        let second = page(conn, "ordering=id&limit=3&page=2");
        assert_eq!(second["objects"], json!([4]));
        assert_eq!(second["meta"]["next"], "");
        assert_eq!(second["meta"]["previous"], "/api/message/?ordering=id&limit=3&page=1");
        let past = page(conn, "ordering=id&limit=3&page=7");
        assert_eq!(past["objects"], json!([]));
        assert_eq!(past["meta"]["previous"], "/api/message/?ordering=id&limit=3&page=2");
        let filtered = page(conn, "user__username=normal&limit=1&page=2");
        assert_eq!(filtered["objects"], json!([3]));
        assert_eq!(filtered["meta"]["object_count"], 2);
    });
}

#[test]
fn an_empty_list_has_no_pages() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let empty = page(conn, "content=nothing");
        assert_eq!(
            empty,
            json!({"meta": {"model": "message", "page": 1, "page_count": 0, "object_count": 0,
                            "next": "", "previous": ""}, "objects": []})
        );
    });
}

#[test]
fn limit_is_capped_and_defaults_to_the_page_size() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let options = ListOptions { paginate_by: Some(2), max_paginate_by: Some(3), ..ListOptions::default() };
        let fetch = |conn: &mut hangar::db::AnyConnection, qs: &str| {
            let list = ListQuery::<Message>::parse_strict(&Params::parse(qs), &options).expect("parses");
            list.fetch(conn).expect("runs").objects.len()
        };
        assert_eq!(fetch(conn, ""), 2);
        assert_eq!(fetch(conn, "limit=100"), 3);
        assert_eq!(fetch(conn, "limit=1"), 1);
    });
}

#[test]
fn paginated_query_counts_an_ordered_query_on_every_backend() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let pq = PaginatedQuery::<Message, _>::new(|| Message::all().order(message::pub_date.desc()), 3);
        assert_eq!(pq.get_pages(conn).expect("counts"), 2);
        let pq = pq.page_from(&Params::parse("ordering=x&page=2"));
        assert_eq!(pq.get_page(), 2);
        let second: Vec<i32> = pq.get_list(conn).expect("lists").iter().map(|m| m.id).collect();
        assert_eq!(second, [1]);
        let page = pq.fetch(conn).expect("fetches");
        assert_eq!((page.page, page.page_count, page.object_count), (2, 2, 4));
        let fallback = PaginatedQuery::<Message, _>::new(Message::all, 20).page_from(&Params::parse("page=abc"));
        assert_eq!(fallback.get_page(), 1);
        assert_eq!(fallback.get_pages(conn).expect("counts"), 1);
        let none = PaginatedQuery::<Message, _>::new(|| Message::all().filter(message::id.gt(99)), 20);
        assert_eq!(none.get_pages(conn).expect("counts"), 0);
    });
}

#[test]
fn a_scoped_base_query_limits_what_filters_see() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let list = ListQuery::<Message>::parse_strict(&Params::parse("ordering=-id"), &ListOptions::default())
            .expect("parses");
        let page = list.fetch_from(conn, || Ok(Message::all().filter(message::user_id.ne(2)))).expect("runs");
        let found: Vec<i64> = page.objects.iter().map(|m| as_i64(&m.pk())).collect();
        assert_eq!(found, [4, 1]);
        assert_eq!(page.object_count, 2);
    });
}
