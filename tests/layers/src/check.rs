//! Holding each scope to its floors: every path in every file of the scope's
//! folder, followed to the module it lands in, against the floors file.

use std::collections::BTreeSet;
use std::fmt;

use crate::floors::Scope;
use crate::tree::{CrateTree, ModulePath, SourceFile};
use crate::FLOORS_FILE;

/// What the check found wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `from` uses `to`, which is not on a floor below it.
    Crossing {
        /// The module that uses.
        from: String,
        /// The module it uses.
        to: String,
        /// The reason: the floors file's `why`, or which floor `to` is on.
        why: String,
    },
    /// A module of the scope is on no floor and not exempt.
    Unplaced {
        /// The module.
        module: String,
    },
    /// The floors file names a module the scope's folder does not have.
    Stale {
        /// The name.
        name: String,
    },
    /// An `allow` line that no use needed.
    UnusedAllow {
        /// The module that would use.
        from: String,
        /// The module it would use.
        to: String,
    },
}

/// One problem, where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The file, from the repository's root.
    pub file: String,
    /// The line, from 1.
    pub line: u32,
    /// The scope's folder.
    pub scope: String,
    /// What is wrong.
    pub kind: Kind,
}

impl Finding {
    /// Whether it is a use that crosses the floors, rather than a module
    /// missing from the floors file or a stale line in it.
    pub fn is_crossing(&self) -> bool {
        matches!(self.kind, Kind::Crossing { .. })
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Finding { file, line, scope, kind } = self;
        write!(f, "{file}:{line}: {scope}: ")?;
        match kind {
            Kind::Crossing { from, to, why } => write!(f, "{from} -> {to} ({why})"),
            Kind::Unplaced { module } => {
                write!(f, "module `{module}` is not in {FLOORS_FILE} under [{scope}]: add it to a floor")
            }
            Kind::Stale { name } => write!(f, "`{name}` is not a module of {scope}: remove it or fix the name"),
            Kind::UnusedAllow { from, to } => write!(f, "allow {from} -> {to} is not needed by any use: remove it"),
        }
    }
}

/// The modules of a scope: the first name under its module path of every
/// file below it.
pub fn modules_of<'a>(tree: &'a CrateTree, scope_module: &[String]) -> BTreeSet<&'a str> {
    tree.files.iter().filter_map(|f| module_in(&f.module, scope_module)).collect()
}

/// The module of the scope that `path` lands in; `None` for the scope's root
/// (its `mod.rs` or `lib.rs`, and whatever that file defines) and for paths
/// outside the scope.
fn module_in<'a>(path: &'a [String], scope_module: &[String]) -> Option<&'a str> {
    path.strip_prefix(scope_module).and_then(|rest| rest.first()).map(String::as_str)
}

/// Checks the files of one scope; `scope_module` is its folder as a module path.
pub fn check_scope(tree: &CrateTree, scope: &Scope, scope_module: &ModulePath, findings: &mut Vec<Finding>) {
    let modules = modules_of(tree, scope_module);
    let finding = |file: &str, line, kind| Finding { file: file.to_owned(), line, scope: scope.dir.clone(), kind };
    for module in &modules {
        if scope.floor_of(module).is_none() && !scope.is_exempt(module) {
            let file = first_file(tree, scope_module, module);
            findings.push(finding(&file.shown, 1, Kind::Unplaced { module: (*module).to_owned() }));
        }
    }
    for named in scope.names() {
        if !modules.contains(named.name.as_str()) {
            findings.push(finding(FLOORS_FILE, named.line, Kind::Stale { name: named.name }));
        }
    }
    let mut allowed = BTreeSet::new();
    for Use { file, line, from, to } in uses(tree, scope_module) {
        let Some(from_floor) = scope.floor_of(from).filter(|_| !scope.is_exempt(from)) else { continue };
        if scope.is_open(&to) {
            continue;
        }
        let why = match scope.floor_of(&to) {
            Some(to_floor) if to_floor < from_floor => continue,
            None if !scope.is_exempt(&to) => continue,
            Some(to_floor) if to_floor == from_floor => format!("{to} is on the same floor"),
            Some(_) => format!("{to} is on a higher floor"),
            None => format!("{to} is on no floor"),
        };
        if let Some(allow) = scope.allow.iter().find(|p| p.from == from && p.to == to) {
            allowed.insert(allow.line);
            continue;
        }
        let why = scope.why(from, &to).map_or(why, str::to_owned);
        findings.push(finding(&file.shown, line, Kind::Crossing { from: from.to_owned(), to, why }));
    }
    for allow in scope.allow.iter().filter(|p| !allowed.contains(&p.line)) {
        findings.push(finding(
            FLOORS_FILE,
            allow.line,
            Kind::UnusedAllow { from: allow.from.clone(), to: allow.to.clone() },
        ));
    }
}

/// One module of a scope using another.
#[derive(Debug)]
pub struct Use<'a> {
    /// The file the path is written in.
    pub file: &'a SourceFile,
    /// The line of the path's last name.
    pub line: u32,
    /// The module of that file.
    pub from: &'a str,
    /// The module the path lands in.
    pub to: String,
}

/// Every path in the scope's files that lands in another module of the
/// scope, in file order.
pub fn uses<'a>(tree: &'a CrateTree, scope_module: &[String]) -> Vec<Use<'a>> {
    let modules = modules_of(tree, scope_module);
    let mut found = Vec::new();
    for file in &tree.files {
        let Some(from) = module_in(&file.module, scope_module) else { continue };
        for path in &file.scan.paths {
            let Some(target) = tree.absolute(&file.module, path).and_then(|p| tree.canonical(&p)) else { continue };
            match module_in(&target, scope_module) {
                Some(to) if to != from && modules.contains(to) => {
                    found.push(Use { file, line: path.line, from, to: to.to_owned() });
                }
                _ => {}
            }
        }
    }
    found
}

/// The file that declares a module: `x.rs` or `x/mod.rs`, else its first file.
fn first_file<'a>(tree: &'a CrateTree, scope_module: &[String], module: &str) -> &'a SourceFile {
    let files = || tree.files.iter().filter(|f| module_in(&f.module, scope_module) == Some(module));
    let own = files().find(|f| f.module.len() == scope_module.len() + 1);
    own.or_else(|| files().next()).unwrap_or(&tree.files[0])
}
