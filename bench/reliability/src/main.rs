//! hangar-reliability: what happens to a hangar app under load, when its
//! database goes away, when it is killed mid-write, and when it runs as
//! several instances behind a proxy. Each suite drives tweepee's release
//! binary as a separate process on 127.0.0.1 and exits non-zero when a
//! promise does not hold.
//!
//! ```sh
//! cargo build --release -p tweepee -p hangar-reliability --features tweepee/postgres,hangar-reliability/postgres
//! target/release/hangar-reliability load --backend sqlite --seconds 20
//! target/release/hangar-reliability load --backend postgres --seconds 20
//! target/release/hangar-reliability faults
//! target/release/hangar-reliability instances
//! ```

mod app;
mod backend;
mod cluster;
mod faults;
mod http;
mod instances;
mod load;
mod sql;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Load, faults and several instances, against tweepee in release.
#[derive(Debug, Parser)]
#[command(name = "hangar-reliability")]
struct Cli {
    /// tweepee's binary; by default the one beside this one.
    #[arg(long, global = true)]
    tweepee: Option<PathBuf>,
    #[command(subcommand)]
    suite: Suite,
}

#[derive(Debug, Subcommand)]
enum Suite {
    /// A mixed workload through wrk: lists, a filtered list, details,
    /// authenticated creates, changes and deletes, admin pages.
    Load(load::Options),
    /// A private PostgreSQL cluster restarted under load, the app killed
    /// inside its transactions, and SIGTERM under load.
    Faults(faults::Options),
    /// Two instances on one PostgreSQL behind nginx.
    Instances(instances::Options),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let tweepee = match cli.tweepee.map_or_else(app::beside_this_binary, Ok) {
        Ok(path) => path,
        Err(e) => {
            eprintln!("hangar-reliability: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match cli.suite {
        Suite::Load(options) => load::run(&tweepee, &options),
        Suite::Faults(options) => faults::run(&tweepee, &options),
        Suite::Instances(options) => instances::run(&tweepee, &options),
    };
    // No answer read in any suite may show a password hash.
    let outcome = outcome.and_then(|()| http::hashes_shown());
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hangar-reliability: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}
