//! `hangar-layers [ROOT]` checks the repository at ROOT (by default the one
//! this crate sits in) against its `runtime/floors.txt`: it prints every
//! crossing and a summary, and exits 1 if there is any, 2 if the floors file
//! or the tree cannot be read.
//!
//! `hangar-layers --uses FOLDER [ROOT]` prints how the modules of FOLDER use
//! each other today, and the floors that would fit them.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: hangar-layers [ROOT]\n       hangar-layers --uses FOLDER [ROOT]\n\n\
Checks that the modules of each folder in ROOT/runtime/floors.txt use only the floors below them.\n\
ROOT is the repository (by default, the one this tool is part of). --uses prints how the\n\
modules of FOLDER (from ROOT, like runtime/src/admin) use each other, and floors that fit.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let default_root = || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["-h" | "--help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["--uses", folder] => uses(default_root(), folder),
        ["--uses", folder, root] => uses(PathBuf::from(root), folder),
        [] => check(default_root()),
        [root] if !root.starts_with('-') => check(PathBuf::from(root)),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn check(root: PathBuf) -> ExitCode {
    let root = root.canonicalize().unwrap_or(root);
    match hangar_layers::check(&root) {
        Ok(report) => {
            for finding in &report.findings {
                println!("{finding}");
            }
            println!("{}", report.summary());
            if report.findings.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(failure) => {
            eprintln!("hangar-layers: {failure}");
            ExitCode::from(2)
        }
    }
}

fn uses(root: PathBuf, folder: &str) -> ExitCode {
    let root = root.canonicalize().unwrap_or(root);
    match hangar_layers::graph::describe(&root, folder) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("hangar-layers: {failure}");
            ExitCode::from(2)
        }
    }
}
