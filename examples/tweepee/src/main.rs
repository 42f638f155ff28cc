//! `tweepee`: serve the app, create an admin, or seed data.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hangar::auth::{create_superuser, NewSuperuser};
use indicatif::{ProgressBar, ProgressStyle};
use tweepee::models::User;
use tweepee::seed::{seed, SeedOptions};

/// peewee's Twitter clone, on hangar.
#[derive(Debug, Parser)]
#[command(name = "tweepee", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve on 127.0.0.1:8000 (ROCKET_ADDRESS and ROCKET_PORT change it).
    Serve,
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

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve => unreachable_serve(),
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

fn unreachable_serve() -> Result<(), String> {
    Err("serve runs in main".into())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None | Some(Command::Serve) => {
            rocket::execute(async { tweepee::rocket().launch().await.map(drop).map_err(|e| e.to_string()) })
        }
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
