//! Follows, timelines and avatars on every backend, each one SQL statement.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diesel::connection::{Connection as _, InstrumentationEvent};
use hangar::db::AnyConnection;
use hangar::Model as _;
use hangar_tests::backends::{backends, TestDb};
use indicatif::ProgressBar;
use tweepee::models::{Message, User};
use tweepee::seed::{seed, SeedOptions};
use tweepee::social;

/// `user<i>`'s id in the seed: `admin` is 1.
fn id(i: i32) -> i32 {
    i + 2
}

/// Runs `f`, answering what it returned and how many statements it ran.
fn counted<T>(conn: &mut AnyConnection, f: impl FnOnce(&mut AnyConnection) -> T) -> (T, usize) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            seen.fetch_add(1, Ordering::Relaxed);
        }
    });
    let out = f(conn);
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    (out, count.load(Ordering::Relaxed))
}

fn names(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.username.as_str()).collect()
}

fn contents(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(|m| m.content.as_str()).collect()
}

#[test]
fn follows_and_timelines_are_one_statement_each_on_every_backend() {
    for dialect in backends() {
        eprintln!("on {dialect}");
        let test = TestDb::bare(dialect);
        // Five users, each following the next three; message i is user(i % 5)'s.
        seed(&test.db, SeedOptions { users: 5, messages: 20, fast_hash: true }, &ProgressBar::hidden()).expect("seeds");
        let mut conn = test.db.get().expect("a connection");

        let (following, n) = counted(&mut conn, |c| User::load(social::following(id(0)), c).expect("loads"));
        assert_eq!((names(&following), n), (vec!["user1", "user2", "user3"], 1));
        let (followers, n) = counted(&mut conn, |c| User::load(social::followers(id(0)), c).expect("loads"));
        assert_eq!((names(&followers), n), (vec!["user2", "user3", "user4"], 1));
        assert_eq!(User::load(social::following(1), &mut conn).expect("loads"), vec![], "admin follows nobody");

        let (yes, n) = counted(&mut conn, |c| social::is_following(c, id(0), id(1)).expect("asks"));
        assert_eq!((yes, n), (true, 1));
        assert!(!social::is_following(&mut conn, id(1), id(0)).expect("asks"), "follows have a direction");
        assert!(!social::is_following(&mut conn, id(0), id(0)).expect("asks"));

        // A follow is one statement, and a repeat (or a race) leaves one relationship.
        let (_, n) = counted(&mut conn, |c| social::follow(c, id(4), id(0)).expect("follows"));
        assert_eq!(n, 1);
        let (_, n) = counted(&mut conn, |c| social::follow(c, id(4), id(0)).expect("a repeat is harmless"));
        assert_eq!(n, 1);
        assert_eq!(
            names(&User::load(social::followers(id(0)), &mut conn).expect("loads")),
            ["user2", "user3", "user4"]
        );
        let (_, n) = counted(&mut conn, |c| social::unfollow(c, id(4), id(0)).expect("unfollows"));
        assert_eq!(n, 1);
        social::unfollow(&mut conn, id(4), id(0)).expect("a repeat is harmless");
        assert!(!social::is_following(&mut conn, id(4), id(0)).expect("asks"));
        social::follow(&mut conn, id(4), id(0)).expect("follows again");

        let (public, n) = counted(&mut conn, |c| Message::load(social::public_timeline(), c).expect("loads"));
        assert_eq!(n, 1);
        assert_eq!(public.len(), 20);
        assert_eq!(contents(&public)[..2], ["message 19 from user4", "message 18 from user3"]);

        // user0 follows users 1 to 3: messages i with i % 5 in 1..=3, newest first, none of user0's own.
        let (private, n) = counted(&mut conn, |c| Message::load(social::private_timeline(id(0)), c).expect("loads"));
        assert_eq!(n, 1);
        let expected: Vec<String> = (0..20)
            .rev()
            .filter(|i| (1..=3).contains(&(i % 5)))
            .map(|i| format!("message {i} from user{}", i % 5))
            .collect();
        assert_eq!(contents(&private), expected.iter().map(String::as_str).collect::<Vec<_>>());

        let (own, n) = counted(&mut conn, |c| Message::load(social::messages_of(id(4)), c).expect("loads"));
        assert_eq!(n, 1);
        assert_eq!(
            contents(&own),
            ["message 19 from user4", "message 14 from user4", "message 9 from user4", "message 4 from user4"]
        );
    }
}

#[test]
fn typed_writes_keep_every_field_and_their_timestamps_on_every_backend() {
    use chrono::NaiveDate;
    use diesel::connection::SimpleConnection as _;
    use diesel::prelude::*;
    use diesel::result::DatabaseErrorKind;
    use hangar::db::Dialect;
    use tweepee::models::{Note, LIVE};
    use tweepee::schema::users;

    let at = |y, mo, d, micro| {
        NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_micro_opt(13, 14, 15, micro)).expect("a date")
    };
    for dialect in backends() {
        eprintln!("on {dialect}");
        let test = TestDb::bare(dialect);
        seed(&test.db, SeedOptions { users: 3, messages: 0, fast_hash: true }, &ProgressBar::hidden()).expect("seeds");
        let mut conn = test.db.get().expect("a connection");

        let joining = social::Joining {
            username: "dora".into(),
            password_hash: hangar::utils::make_password_with("pw", hangar::utils::TEST_ITERATIONS),
            email: "dora@example.com".into(),
            join_date: at(2024, 2, 29, 123_456),
        };
        let dora = social::join(&mut conn, &joining).expect("joins").expect("a new name");
        assert_eq!((dora.join_date, dora.active, dora.admin), (joining.join_date, true, false));
        assert_eq!(dora.email, "dora@example.com");
        assert!(hangar::utils::check_password("pw", &dora.password));
        assert_eq!(social::join(&mut conn, &joining).expect("asks"), None, "a taken name joins nobody");
        let named = User::all().filter(users::username.eq("dora"));
        assert_eq!(User::count(named, &mut conn).expect("counts"), 1);

        // Microseconds, and a session time zone that is not UTC's, change nothing.
        if dialect == Dialect::Mysql {
            conn.batch_execute("SET time_zone = '+05:00'").expect("sets the session's time zone");
        }
        for (i, when) in [at(2025, 12, 31, 999_999), at(2024, 1, 1, 1)].into_iter().enumerate() {
            social::post_message(&mut conn, dora.id, &format!("hello {i}"), when).expect("posts");
            let mine = Message::load(social::messages_of(dora.id), &mut conn).expect("loads");
            let posted = mine.iter().find(|m| m.content == format!("hello {i}")).expect("posted");
            assert_eq!(posted.pub_date, when, "{when} comes back as it went in");
        }
        // Diesel binds a timestamp for MySQL as its TIMESTAMP type, which
        // holds 1970 to 2038 only: outside, MariaDB stores NULL, refused by
        // the NOT NULL column. tweepee writes the time of the request.
        for when in [at(1969, 7, 20, 0), at(2040, 1, 1, 0)] {
            let written = social::post_message(&mut conn, dora.id, "out of range", when);
            match dialect {
                Dialect::Mysql => assert!(
                    matches!(
                        written,
                        Err(diesel::result::Error::DatabaseError(DatabaseErrorKind::NotNullViolation, _))
                    ),
                    "{when}: {written:?}"
                ),
                _ => assert!(written.is_ok(), "{when}: {written:?}"),
            }
        }
        let first = Message::load(social::messages_of(dora.id), &mut conn).expect("loads");
        let id = first.iter().find(|m| m.content == "hello 0").map(|m| m.id).expect("posted");
        social::edit_message(&mut conn, dora.id, id, "edited").expect("edits");
        social::edit_message(&mut conn, dora.id + 1, id, "not theirs").expect("changes nothing");
        let edited = Message::load(social::messages_of(dora.id), &mut conn).expect("loads");
        assert!(edited.iter().any(|m| m.id == id && m.content == "edited" && m.pub_date == at(2025, 12, 31, 999_999)));

        social::post_note(&mut conn, dora.id, "a note", LIVE, at(2024, 3, 1, 500)).expect("notes");
        let notes = Note::load(Note::all(), &mut conn).expect("loads");
        let note = notes.iter().find(|n| n.user_id == dora.id).expect("noted");
        assert_eq!((note.message.as_str(), note.status, note.created_date), ("a note", LIVE, at(2024, 3, 1, 500)));
    }
}
