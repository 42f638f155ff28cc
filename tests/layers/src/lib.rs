//! hangar's own layering check: the modules of a folder sit on floors, and a
//! module may use only the modules on the floors below it.
//!
//! The floors are written in `runtime/floors.txt`, one section per folder
//! (a *scope*); the file explains its format at its top. The check reads the
//! source as text, with no compiler: it drops comments and literals, finds
//! every path that may name the crate's own items (`crate::`, the crate's
//! `extern crate self` name, `super::`, `self::`, a declared child module),
//! follows each through the `use` re-exports on its way to the module that
//! defines the name, and reports a use of a module that is not on a lower
//! floor.
//!
//! `cargo run -p hangar-layers [-- <repository root>]` checks a repository;
//! `-- --uses <folder>` prints how the modules of a folder use each other
//! today, and the floors that would fit them.

use std::io;
use std::path::{Path, PathBuf};
use std::{fmt, fs};

pub mod check;
pub mod floors;
pub mod graph;
pub mod lexer;
pub mod scan;
pub mod tree;

use check::{check_scope, modules_of, Finding};
use tree::{shown, CrateTree, ModulePath};

/// The floors file, from the repository's root.
pub const FLOORS_FILE: &str = "runtime/floors.txt";

/// Why the check could not run.
#[derive(Debug)]
pub enum Failure {
    /// A file or folder could not be read.
    Unreadable {
        /// The file, from the repository's root.
        path: String,
        /// Why.
        error: io::Error,
    },
    /// A line of the floors file is wrong.
    Malformed {
        /// The floors file, from the repository's root.
        file: String,
        /// The line, from 1.
        line: u32,
        /// What is wrong with it.
        message: String,
    },
}

impl Failure {
    pub(crate) fn unreadable(root: &Path, path: &Path, error: io::Error) -> Failure {
        Failure::Unreadable { path: shown(root, path), error }
    }

    fn malformed(line: u32, message: String) -> Failure {
        Failure::Malformed { file: FLOORS_FILE.to_owned(), line, message }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Unreadable { path, error } => write!(f, "cannot read {path}: {error}"),
            Failure::Malformed { file, line, message } => write!(f, "{file}:{line}: {message}"),
        }
    }
}

/// What the check found.
#[derive(Debug)]
pub struct Report {
    /// Every problem, sorted by file and line.
    pub findings: Vec<Finding>,
    /// How many scopes the floors file has.
    pub scopes: usize,
    /// How many modules they hold together.
    pub modules: usize,
}

impl Report {
    /// How many findings are uses that cross the floors.
    pub fn crossings(&self) -> usize {
        self.findings.iter().filter(|f| f.is_crossing()).count()
    }

    /// One line: how many crossings and other problems, in how much code.
    pub fn summary(&self) -> String {
        let crossings = self.crossings();
        let others = self.findings.len() - crossings;
        let others = if others == 0 { String::new() } else { format!(" and {others} other problem(s)") };
        let (modules, scopes) = (self.modules, self.scopes);
        format!(
            "hangar-layers: {crossings} crossing(s){others} in {modules} modules of {scopes} scope(s) ({FLOORS_FILE})"
        )
    }
}

/// Checks the repository at `root` against its `runtime/floors.txt`.
pub fn check(root: &Path) -> Result<Report, Failure> {
    let path = root.join(FLOORS_FILE);
    let text = fs::read_to_string(&path).map_err(|error| Failure::unreadable(root, &path, error))?;
    let scopes = floors::parse(&text).map_err(|e| Failure::malformed(e.line, e.message))?;
    let mut trees: Vec<(PathBuf, CrateTree)> = Vec::new();
    let mut report = Report { findings: Vec::new(), scopes: scopes.len(), modules: 0 };
    for scope in &scopes {
        let (src, scope_module) =
            locate(root, &scope.dir).map_err(|message| Failure::malformed(scope.line, message))?;
        let index = match trees.iter().position(|(read, _)| *read == src) {
            Some(index) => index,
            None => {
                trees.push((src.clone(), CrateTree::read(root, &src)?));
                trees.len() - 1
            }
        };
        let tree = &trees[index].1;
        report.modules += modules_of(tree, &scope_module).len();
        check_scope(tree, scope, &scope_module, &mut report.findings);
    }
    report.findings.sort();
    report.findings.dedup();
    Ok(report)
}

/// A scope's crate: the nearest folder at or above `dir` that is named `src`
/// and holds `lib.rs` or `main.rs`; and `dir` as a module path inside it.
pub fn locate(root: &Path, dir: &str) -> Result<(PathBuf, ModulePath), String> {
    let folder = root.join(dir);
    if !folder.is_dir() {
        return Err(format!("[{dir}] is not a folder of the repository"));
    }
    let is_src = |d: &Path| d.ends_with("src") && (d.join("lib.rs").is_file() || d.join("main.rs").is_file());
    let Some(src) = folder.ancestors().take_while(|d| d.starts_with(root)).find(|d| is_src(d)) else {
        return Err(format!("[{dir}] is in no crate: no folder `src` with a lib.rs or main.rs holds it"));
    };
    let module = folder.strip_prefix(src).unwrap_or(Path::new(""));
    Ok((src.to_path_buf(), module.iter().map(|n| n.to_string_lossy().into_owned()).collect()))
}
