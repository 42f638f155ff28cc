//! What a delete touches, collected before it runs: the dependents a
//! confirmation page lists, and the delete that removes exactly those.

use diesel::{QueryDsl, RunQueryDsl};
use hangar::db::AnyConnection;
use hangar::model::{DependentAction, DependentGroup, Dependents, Value};
use hangar::Model as _;
use hangar_tests::backends::each_backend;
use hangar_tests::models::{AModel, User};
use hangar_tests::schema::{bmodel, cmodel, ddetail, dmodel, link, message, users};

/// Each group as `(model, action, total, [display lines])`.
fn summary(groups: &[DependentGroup]) -> Vec<(&'static str, String, usize, Vec<String>)> {
    groups
        .iter()
        .map(|g| {
            let action = match g.action {
                DependentAction::Delete => "delete".to_owned(),
                DependentAction::SetNull { field } => format!("clear {field}"),
            };
            (g.model.slug, action, g.total, g.objects.iter().map(|o| o.display.clone()).collect())
        })
        .collect()
}

fn count(conn: &mut AnyConnection, table: &str) -> i64 {
    use diesel::sql_types::BigInt;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let query = format!("SELECT COUNT(*) AS n FROM {table}");
    diesel::sql_query(query).get_result::<Count>(conn).map(|c| c.n).expect("counts")
}

#[test]
fn dependents_are_collected_down_every_level_and_deleted_as_collected() {
    each_backend(|t| {
        let mut guard = t.conn();
        let conn: &mut AnyConnection = &mut guard;
        let collected = Dependents::collect::<AModel>(conn, &[Value::Integer(1)], 10).expect("collects");
        assert_eq!(collected.count(), 1);
        let groups = summary(&collected.groups());
        let expected = [
            ("bmodel", "delete", 1, vec!["B Model 1"]),
            ("cmodel", "delete", 1, vec!["C Model 1"]),
            ("dmodel", "delete", 1, vec!["D Model 1"]),
            ("ddetail", "delete", 1, vec!["D Detail 1"]),
        ];
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(m, a, n, d)| (m, a.to_owned(), n, d.into_iter().map(str::to_owned).collect::<Vec<_>>()))
            .collect();
        assert_eq!(groups, expected);
        let before: Vec<i64> = ["amodel", "bmodel", "cmodel", "dmodel", "ddetail"].map(|t| count(conn, t)).into();
        assert_eq!(before, [2, 2, 2, 2, 2], "collecting deletes nothing");

        assert_eq!(collected.delete(conn).expect("deletes"), 1);
        let after: Vec<i64> = ["amodel", "bmodel", "cmodel", "dmodel", "ddetail"].map(|t| count(conn, t)).into();
        assert_eq!(after, [1, 1, 1, 1, 1]);
        let left: Vec<i32> = ddetail::table.select(ddetail::d_id).load(conn).expect("loads");
        assert_eq!(left, [2]);
        let chain = (
            bmodel::table.select(bmodel::a_id).load::<i32>(conn).expect("loads"),
            cmodel::table.select(cmodel::b_id).load::<i32>(conn).expect("loads"),
            dmodel::table.select(dmodel::c_id).load::<i32>(conn).expect("loads"),
        );
        assert_eq!(chain, (vec![2], vec![2], vec![2]), "the other chain is whole");
    });
}

#[test]
fn a_nullable_key_is_cleared_not_deleted_and_shown_as_such() {
    each_backend(|t| {
        let mut guard = t.conn();
        let conn: &mut AnyConnection = &mut guard;
        let normal = Value::Integer(2);
        let collected = Dependents::collect::<User>(conn, std::slice::from_ref(&normal), 10).expect("collects");
        let groups = summary(&collected.groups());
        let find = |slug: &str, action: &str| groups.iter().find(|g| g.0 == slug && g.1 == action).cloned();
        assert_eq!(
            find("message", "delete").map(|g| (g.2, g.3)),
            Some((2, vec!["Message 2".into(), "Message 3".into()]))
        );
        assert_eq!(find("link", "delete").map(|g| g.2), Some(1), "b->a starts at normal: {groups:?}");
        assert_eq!(find("link", "clear dst_id").map(|g| (g.2, g.3)), Some((1, vec!["Link 1".into()])));
        assert!(groups.iter().all(|g| g.0 != "users"), "the user is not its own dependent");

        assert_eq!(collected.delete(conn).expect("deletes"), 1);
        let users: Vec<String> = users::table.select(users::username).order(users::id).load(conn).expect("loads");
        assert_eq!(users, ["admin", "inactive"]);
        let links: Vec<(String, Option<i32>)> =
            link::table.select((link::label, link::dst_id)).order(link::id).load(conn).expect("loads");
        let expected = [("a->b", None), ("a->nobody", None), ("self", Some(3))];
        assert_eq!(links, expected.map(|(l, d)| (l.to_owned(), d)));
        let authors: Vec<i32> = message::table.select(message::user_id).order(message::id).load(conn).expect("loads");
        assert_eq!(authors, [1, 3]);
    });
}

#[test]
fn each_group_shows_a_bounded_number_of_rows_with_the_total() {
    each_backend(|t| {
        let mut guard = t.conn();
        let conn: &mut AnyConnection = &mut guard;
        let keys = [Value::Integer(1), Value::Integer(2), Value::Integer(3)];
        let collected = Dependents::collect::<User>(conn, &keys, 2).expect("collects");
        assert_eq!(collected.count(), 3);
        let groups = collected.groups();
        let messages = groups.iter().find(|g| g.model.slug == "message" && g.action == DependentAction::Delete);
        assert_eq!(messages.map(|g| (g.total, g.objects.len())), Some((4, 2)));
        let hidden = Dependents::collect::<User>(conn, &keys, 0).expect("collects");
        assert!(hidden.groups().iter().all(|g| g.objects.is_empty() && g.total > 0));
        let shown: Vec<_> = hidden.groups().iter().map(|g| (g.model.slug, g.total)).collect();
        let with_lines: Vec<_> = groups.iter().map(|g| (g.model.slug, g.total)).collect();
        assert_eq!(shown, with_lines, "the same collection, with or without display lines");
    });
}

#[test]
fn a_row_is_displayed_by_its_display_field() {
    each_backend(|t| {
        let mut guard = t.conn();
        let conn: &mut AnyConnection = &mut guard;
        let users = hangar::model::load_by_keys::<User>(conn, &[Value::Integer(2)]).expect("loads");
        assert_eq!(users.iter().map(hangar::model::display).collect::<Vec<_>>(), ["normal"]);
    });
}

#[test]
fn no_keys_load_no_rows_on_every_backend() {
    each_backend(|t| {
        let mut guard = t.conn();
        let conn: &mut AnyConnection = &mut guard;
        // `IN ()` is a syntax error on PostgreSQL and MariaDB: an empty list selects nothing instead.
        let none = hangar::model::load_by_keys::<User>(conn, &[]).expect("loads");
        assert!(none.is_empty());
        let empty = hangar::model::rows_where::<User>("username", &[], conn.dialect()).expect("builds");
        let kept = hangar::model::exclude(empty);
        assert_eq!(User::count(User::all().filter(kept), conn).expect("counts"), 3, "NOT (nothing) is everything");
    });
}
