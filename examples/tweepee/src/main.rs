//! `tweepee`: serve the app, create an admin, or seed data.

use std::process::ExitCode;
use std::sync::Arc;

use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand};
use hangar::auth::{create_superuser, NewSuperuser};
use indicatif::{ProgressBar, ProgressStyle};
use tweepee::demo::Demo;
use tweepee::models::User;
use tweepee::seed::{seed, SeedOptions};

/// peewee's Twitter clone, on hangar. Without a command, it serves.
#[derive(Debug, Parser)]
#[command(name = "tweepee", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(flatten)]
    serve: ServeOptions,
    #[command(subcommand)]
    command: Option<Command>,
}

/// How to serve.
#[derive(Debug, Args)]
struct ServeOptions {
    /// Start without the demo. Served on its own tweepee.db (no DATABASE_URL,
    /// no database_url) with no user in it, tweepee creates a few users,
    /// follows, messages and notes, and an admin whose password it prints
    /// once; a configured database, or one with any user, is never touched.
    #[arg(long, env = "TWEEPEE_NO_DEMO", value_parser = BoolishValueParser::new())]
    no_demo: bool,
    /// Hash passwords, and keep seeded hashes, at the test cost: for
    /// throwaway data only, such as a fuzzer's run against `seed --fast-hash`.
    #[arg(long)]
    fast_hash: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve on 127.0.0.1:8000 (ROCKET_ADDRESS and ROCKET_PORT change it),
    /// with a demo on the first run.
    Serve(ServeOptions),
    /// Create an active admin user, asking for the password if not given.
    Createsuperuser {
        /// The username.
        #[arg(long)]
        username: String,
        /// The email address.
        #[arg(long)]
        email: Option<String>,
        /// The password; asked for when left out.
        #[arg(long)]
        password: Option<String>,
    },
    /// Drop the data and create users, follows, messages and notes.
    Seed {
        /// How many users `user0..` to create.
        #[arg(long, default_value_t = 100)]
        users: usize,
        /// How many messages to create.
        #[arg(long, default_value_t = 1_000)]
        messages: usize,
        /// Hash passwords at the test cost; for throwaway data only.
        #[arg(long)]
        fast_hash: bool,
    },
    /// Print the API's OpenAPI document.
    Openapi,
}

fn ask_password() -> Result<String, String> {
    let first = rpassword::prompt_password("Password: ").map_err(|e| format!("could not read the password: {e}"))?;
    let again =
        rpassword::prompt_password("Password (again): ").map_err(|e| format!("could not read the password: {e}"))?;
    if first != again {
        return Err("the passwords do not match".into());
    }
    Ok(first)
}

/// Serves the app, with the first run's demo unless `options` say not to.
fn serve(options: &ServeOptions) -> Result<(), String> {
    if options.fast_hash {
        hangar::utils::set_password_iterations(hangar::utils::TEST_ITERATIONS);
    }
    let demo = Arc::new(Demo::default());
    let mut rocket = tweepee::rocket();
    if !options.no_demo {
        rocket = rocket.attach(demo.clone());
    }
    let served = rocket::execute(rocket.launch());
    if let Some(failure) = demo.failure() {
        return Err(failure);
    }
    served.map(drop).map_err(|e| e.to_string())
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve(options) => serve(&options),
        Command::Createsuperuser { username, email, password } => {
            let password = match password {
                Some(password) => password,
                None => ask_password()?,
            };
            let db = tweepee::database().map_err(|e| e.to_string())?;
            let mut conn = db.get().map_err(|e| e.to_string())?;
            let new = NewSuperuser { username: username.clone(), email, password };
            create_superuser::<User>(&mut conn, &new).map_err(|e| e.to_string())?;
            println!("created the admin user `{username}`");
            Ok(())
        }
        Command::Seed { users, messages, fast_hash } => {
            if users == 0 {
                return Err("--users must be at least 1".into());
            }
            let db = tweepee::database().map_err(|e| e.to_string())?;
            let progress = ProgressBar::new(0);
            if let Ok(style) = ProgressStyle::with_template("{msg:>18} [{bar:40}] {pos}/{len} ({eta})") {
                progress.set_style(style.progress_chars("=> "));
            }
            let started = std::time::Instant::now();
            let report = seed(&db, SeedOptions { users, messages, fast_hash }, &progress).map_err(|e| e.to_string())?;
            progress.finish_and_clear();
            println!(
                "seeded {} users, {} messages, {} follows and {} notes in {:.1?}",
                report.users,
                report.messages,
                report.relationships,
                report.notes,
                started.elapsed()
            );
            Ok(())
        }
        Command::Openapi => {
            let doc = tweepee::api::api().openapi();
            println!("{}", serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?);
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(&cli.serve),
        Some(command) => run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tweepee: {e}");
            ExitCode::FAILURE
        }
    }
}
