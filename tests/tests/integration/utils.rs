//! The utilities that touch the database: get-or-404 and object_list.

use diesel::{ExpressionMethods, QueryDsl};
use hangar::query::PaginatedQuery;
use hangar::templates::{object_list, Templates};
use hangar::utils::{get_by_pk_or_404, get_object_or_404};
use hangar::Model;
use hangar_tests::backends::each_backend;
use hangar_tests::models::{Message, User};
use hangar_tests::schema::{message, users};
use serde_json::json;

#[test]
fn get_object_or_404_finds_one_or_answers_not_found() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let admin = get_object_or_404::<User>(conn, User::all().filter(users::admin.eq(true))).expect("found");
        assert_eq!(admin.username, "admin");
        let missing = get_object_or_404::<User>(conn, User::all().filter(users::username.eq("nobody"))).err();
        assert_eq!(missing.map(|e| e.status().code), Some(404));
        let active_only = || User::all().filter(users::active.eq(true));
        assert_eq!(get_by_pk_or_404::<User>(conn, active_only(), "2").map(|u| u.id).ok(), Some(2));
        for pk in ["3", "99", "abc", "", "1.0"] {
            let result = get_by_pk_or_404::<User>(conn, active_only(), pk);
            assert_eq!(result.err().map(|e| e.status().code), Some(404), "pk {pk:?}");
        }
    });
}

#[test]
fn object_list_renders_a_page_into_a_template() {
    each_backend(|t| {
        let conn = &mut t.conn();
        let mut templates = Templates::embedded().expect("templates load");
        templates
            .add("messages", "{{title}}:{{#each messages}} {{content}}{{/each}} [{{page}}/{{pagination.page_count}}]")
            .expect("parses");
        let pq = PaginatedQuery::<Message, _>::new(|| Message::all().order(message::id.asc()), 3).with_page(2);
        let page = pq.fetch(conn).expect("runs");
        let html =
            object_list(&templates, "messages", &page, "messages", None, json!({"title": "All"})).expect("renders");
        assert_eq!(html.body(), "All: 100% inactive_user [2/2]");
    });
}
