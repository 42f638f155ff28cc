//! An admin action over every row a list matches runs a number of SQL
//! statements bounded by its batches, not its rows: the rows are read 500
//! at a time by key, each batch is changed in one statement and its audit
//! entries go in one multi-row `INSERT`.
//!
//! A test binary of its own: it counts statements through diesel's
//! process-wide default instrumentation, which other tests would disturb.

use std::io::Write as _;

use diesel::connection::SimpleConnection;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use hangar::admin::{hangar_admin_log, Admin, AdminAction, ModelAdmin, ACTION_BATCH};
use hangar::model::Value;
use hangar_tests::backends::{backends, TestDb};
use hangar_tests::models::{Message, User};
use hangar_tests::schema::message;
use hangar_tests::statements::{admin_client, Counting};
use rocket::http::{ContentType, Status};

/// Messages that can be marked read.
struct Marking;

impl ModelAdmin for Marking {
    type Model = Message;

    fn actions() -> Vec<AdminAction<Message>> {
        vec![AdminAction::new("mark", "Mark selected messages", |ctx| {
            let mut marked = 0;
            while let Some(messages) = ctx.next_batch()? {
                marked += ctx.update(&messages, &[("content", Value::Text("marked".into()))])?;
            }
            Ok(format!("Marked {marked} messages"))
        })]
    }
}

#[rocket::async_test]
async fn an_action_over_every_matching_row_runs_statements_by_the_batch() {
    let counting = Counting::start().await;
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        let (client, csrf) = admin_client(&db, Admin::<User>::new().register::<Marking>()).await;

        let mut figures = Vec::new();
        let mut added = 0;
        for rows in [1_000_usize, 10_000] {
            // User 2's messages: the rows the filter matches; the seed's
            // other messages stay out.
            let values: Vec<String> =
                (added..rows).map(|i| format!("(2, 'bulk {i}', '2024-03-01 00:00:00')")).collect();
            let mut conn = db.db.get().expect("a connection");
            for chunk in values.chunks(1000) {
                conn.batch_execute(&format!(
                    "INSERT INTO message (user_id, content, pub_date) VALUES {}",
                    chunk.join(", ")
                ))
                .expect("messages");
            }
            drop(conn);
            added = rows;
            let matching = rows + 2;

            counting.reset();
            let body = format!("csrf_token={csrf}&action=mark&select_across=1&_list=user%3D2");
            let done = client.post("/admin/message/action/").header(ContentType::Form).body(body).dispatch().await;
            assert_eq!(done.status(), Status::SeeOther, "on {dialect}");
            let statements = counting.count();

            let mut conn = db.db.get().expect("a connection");
            let marked: i64 =
                message::table.filter(message::content.eq("marked")).count().get_result(&mut *conn).expect("counts");
            assert_eq!(marked, i64::try_from(matching).expect("fits"), "on {dialect}");
            let untouched: i64 = message::table
                .filter(message::user_id.ne(2))
                .filter(message::content.eq("marked"))
                .count()
                .get_result(&mut *conn)
                .expect("counts");
            assert_eq!(untouched, 0, "on {dialect}");
            let entries: i64 = hangar_admin_log::table.count().get_result(&mut *conn).expect("counts");
            // Rows marked before were already "marked": only the new ones change.
            assert_eq!(entries, i64::try_from(matching).expect("fits"), "one entry a row changed, on {dialect}");
            drop(conn);

            let batches = matching.div_ceil(ACTION_BATCH);
            let _ = writeln!(
                std::io::stderr(),
                "admin action over {matching} rows on {dialect}: {statements} statements ({batches} batches of {ACTION_BATCH})"
            );
            // Each batch: read it, update it, write its entries (at most
            // three), and one read that finds the end; the rest is the
            // request's own (the user, the transaction, the pool).
            assert!(statements <= 3 * batches + 12, "{statements} statements for {batches} batches on {dialect}");
            figures.push((batches, statements));
        }
        let ((few_batches, few), (many_batches, many)) = (figures[0], figures[1]);
        assert!(
            many - few <= 3 * (many_batches - few_batches),
            "ten times the rows cost only their batches on {dialect}: {figures:?}"
        );
    }
}

#[rocket::async_test]
async fn change_fields_over_every_matching_row_previews_and_applies_by_the_batch() {
    let counting = Counting::start().await;
    for dialect in backends() {
        let db = TestDb::seeded(dialect);
        let (client, csrf) = admin_client(&db, Admin::<User>::new().register::<Message>()).await;
        // User 2's messages: the seed's two and 1,000 more.
        let values: Vec<String> = (0..1000).map(|i| format!("(2, 'bulk {i}', '2024-03-01 00:00:00')")).collect();
        db.db
            .get()
            .expect("a connection")
            .batch_execute(&format!("INSERT INTO message (user_id, content, pub_date) VALUES {}", values.join(", ")))
            .expect("messages");
        let matching = 1002;
        let form = format!(
            "csrf_token={csrf}&action=change_fields&select_across=1&_list=user%3D2&_change=content&content=edited"
        );

        counting.reset();
        let preview = client
            .post("/admin/message/action/")
            .header(ContentType::Form)
            .body(format!("{form}&step=preview"))
            .dispatch()
            .await;
        assert_eq!(preview.status(), Status::Ok, "on {dialect}");
        let page = preview.into_string().await.unwrap_or_default();
        assert!(page.contains(&format!("{matching} messages, of which {matching} change")), "on {dialect}: {page}");
        let previewed = counting.count();

        counting.reset();
        let done = client
            .post("/admin/message/action/")
            .header(ContentType::Form)
            .body(format!("{form}&confirm=yes"))
            .dispatch()
            .await;
        assert_eq!(done.status(), Status::SeeOther, "on {dialect}");
        let applied = counting.count();

        let mut conn = db.db.get().expect("a connection");
        let edited: i64 =
            message::table.filter(message::content.eq("edited")).count().get_result(&mut *conn).expect("counts");
        assert_eq!(edited, matching, "on {dialect}");
        let entries: i64 = hangar_admin_log::table.count().get_result(&mut *conn).expect("counts");
        assert_eq!(entries, matching, "one entry a row, on {dialect}");
        drop(conn);
        let batches = usize::try_from(matching).expect("fits").div_ceil(ACTION_BATCH);
        let _ = writeln!(
            std::io::stderr(),
            "change fields over {matching} rows on {dialect}: {previewed} statements to preview, {applied} to apply"
        );
        // The preview reads each batch and one more to find the end; the
        // apply reads, updates and records each batch. The rest is the
        // request's own (the user, the transaction, the pool).
        assert!(previewed <= batches + 6, "{previewed} statements to preview on {dialect}");
        assert!(applied <= 3 * batches + 12, "{applied} statements to apply on {dialect}");
    }
}
