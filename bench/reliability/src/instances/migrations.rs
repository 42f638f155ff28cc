//! The migrations' lock: two instances launched at the same moment on an
//! empty database both come up, and the schema they leave is the one a
//! single instance makes, each migration applied once. Without the lock
//! the second instance's `CREATE TABLE` meets the first's and it exits.

use std::sync::{Arc, Barrier};
use std::thread;

use super::{ensure, Verdict, DATABASE};
use crate::app::{free_port, Running, Tweepee};
use crate::backend::{fresh_database, Backend};
use crate::sql;

const VERSIONS: &str = "SELECT version AS t FROM __diesel_schema_migrations ORDER BY version";

/// Starts both instances at once and waits until both serve.
pub(crate) fn serve_both(app: &Tweepee) -> Result<(Running, Running), String> {
    serve_both_named(app, "first", "second")
}

fn serve_both_named(app: &Tweepee, first: &str, second: &str) -> Result<(Running, Running), String> {
    let first_port = free_port()?;
    let second_port =
        std::iter::repeat_with(free_port).find(|p| p.as_ref().ok() != Some(&first_port)).unwrap_or(Ok(0))?;
    let barrier = Arc::new(Barrier::new(2));
    let start = |port: u16, name: String| {
        let (app, barrier) = (app.clone(), barrier.clone());
        thread::spawn(move || {
            barrier.wait();
            app.serve(port, &name)
        })
    };
    let a = start(first_port, first.to_owned());
    let b = start(second_port, second.to_owned());
    let a = a.join().map_err(|_| "the thread starting the first instance panicked".to_owned())?;
    let b = b.join().map_err(|_| "the thread starting the second instance panicked".to_owned())?;
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(e), _) => Err(format!("{first}: {e}")),
        (_, Err(e)) => Err(format!("{second}: {e}")),
    }
}

/// One instance alone on an empty database, for the versions it applies;
/// then `rounds` times both at once on an empty database.
pub(crate) fn start_together(app: &Tweepee, server: &str, rounds: usize) -> Verdict {
    fresh_database(Backend::Postgres, DATABASE, &app.dir, server)?;
    let alone = app.serve(free_port()?, "alone")?;
    let expected = sql::texts_at(&app.database_url, VERSIONS)?;
    drop(alone);
    ensure(!expected.is_empty(), || "one instance alone applied no migration".into())?;
    for round in 1..=rounds {
        fresh_database(Backend::Postgres, DATABASE, &app.dir, server)?;
        let both = serve_both_named(app, &format!("together{round}-a"), &format!("together{round}-b"));
        let (a, b) = both.map_err(|e| format!("round {round}: an instance did not start: {e}"))?;
        let applied = sql::texts_at(&app.database_url, VERSIONS)?;
        ensure(applied == expected, || {
            format!(
                "round {round}: __diesel_schema_migrations holds {applied:?}, one instance alone applies {expected:?}"
            )
        })?;
        drop((a, b));
    }
    Ok(format!(
        "{rounds} times both instances launched at the same moment on an empty database and both served; \
         each time __diesel_schema_migrations held the {} versions one instance alone applies, once each ({})",
        expected.len(),
        expected.join(", ")
    ))
}
