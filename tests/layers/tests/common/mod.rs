//! A copy of the real `runtime/src` and `runtime/floors.txt` in a temporary
//! folder, to plant crossings in.

#![allow(dead_code, unreachable_pub)]

use std::fs;
use std::path::{Path, PathBuf};

use hangar_layers::check::{Finding, Kind};

/// The repository this crate sits in.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// How the files of runtime/src/auth use each other today, bottom first.
pub const AUTH_FLOORS: &str = "
[runtime/src/auth]
throttle
permissions
caller superuser user verify
settings
session
guards
pages
form
catchers views
builder
";

pub struct Copy {
    dir: tempfile::TempDir,
}

impl Copy {
    pub fn new() -> Copy {
        let dir = tempfile::tempdir().unwrap();
        let real = repo_root().join("runtime");
        copy_dir(&real.join("src"), &dir.path().join("runtime/src"));
        fs::copy(real.join("floors.txt"), dir.path().join("runtime/floors.txt")).unwrap();
        Copy { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Adds `text` at the end of a file (from the copy's root) and answers
    /// the line the text starts on.
    pub fn append(&self, file: &str, text: &str) -> u32 {
        let path = self.root().join(file);
        let mut old = fs::read_to_string(&path).unwrap_or_default();
        if !old.is_empty() && !old.ends_with('\n') {
            old.push('\n');
        }
        let line = old.lines().count() as u32 + 1;
        fs::write(&path, old + text).unwrap();
        line
    }

    /// Rewrites a file of the copy.
    pub fn edit(&self, file: &str, change: impl FnOnce(String) -> String) {
        let path = self.root().join(file);
        let old = fs::read_to_string(&path).unwrap();
        fs::write(&path, change(old)).unwrap();
    }

    /// Every finding, as the tool prints it.
    pub fn findings(&self) -> Vec<String> {
        let report = hangar_layers::check(self.root()).unwrap_or_else(|f| panic!("{f}"));
        report.findings.iter().map(Finding::to_string).collect()
    }

    /// Every crossing as `file:line: scope: from -> to`, and nothing else found.
    pub fn crossings(&self) -> Vec<String> {
        let report = hangar_layers::check(self.root()).unwrap_or_else(|f| panic!("{f}"));
        let mut crossings = Vec::new();
        for finding in &report.findings {
            match &finding.kind {
                Kind::Crossing { from, to, .. } => {
                    crossings.push(format!("{}:{}: {}: {from} -> {to}", finding.file, finding.line, finding.scope));
                }
                _ => panic!("not a crossing: {finding}"),
            }
        }
        crossings
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}
