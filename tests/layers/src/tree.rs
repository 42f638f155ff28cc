//! One crate's source tree: every file with its module path, and the items of
//! every module, so that a path can be followed through `use` re-exports to
//! the module that defines what it names.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::scan::{scan, FileScan, RawPath, Start};
use crate::Failure;

/// A module path from the crate's root: `crate::admin::list` is `["admin", "list"]`.
pub type ModulePath = Vec<String>;

/// One source file of the crate.
#[derive(Debug)]
pub struct SourceFile {
    /// Its path from the repository's root, with `/` between names.
    pub shown: String,
    /// Its module: `admin/list.rs` and `admin/list/mod.rs` are `["admin", "list"]`.
    pub module: ModulePath,
    /// What it says.
    pub scan: FileScan,
}

/// The items of one module, with its imports made absolute.
#[derive(Debug, Default)]
struct Module {
    children: Vec<String>,
    defined: Vec<String>,
    /// The name each `use` binds (`None` for a glob) and what it binds
    /// (`None` outside the crate).
    imports: Vec<(Option<String>, Option<ModulePath>)>,
}

/// A crate's `src` folder, read.
#[derive(Debug)]
pub struct CrateTree {
    /// Every `.rs` file under `src`, sorted by path.
    pub files: Vec<SourceFile>,
    /// The crate's other name (`extern crate self as hangar;`).
    alias: Option<String>,
    modules: BTreeMap<ModulePath, Module>,
}

/// How many `use` items a path is followed through before the checker stops
/// (globs that import each other would go round for ever).
const MAX_HOPS: usize = 32;

impl CrateTree {
    /// Reads every `.rs` file under `src`; `root` is the repository's root,
    /// which file names are shown from.
    pub fn read(root: &Path, src: &Path) -> Result<CrateTree, Failure> {
        let mut paths = Vec::new();
        rust_files(root, src, &mut paths)?;
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let text = fs::read_to_string(&path).map_err(|error| Failure::unreadable(root, &path, error))?;
            let relative = path.strip_prefix(src).unwrap_or(&path);
            files.push(SourceFile { shown: shown(root, &path), module: module_of(relative), scan: scan(&text) });
        }
        let alias = files.iter().find(|f| f.module.is_empty()).and_then(|f| f.scan.self_alias.clone());
        let mut tree = CrateTree { files, alias, modules: BTreeMap::new() };
        for file in &tree.files {
            for (inner, items) in &file.scan.modules {
                let module = tree.modules.entry([file.module.clone(), inner.clone()].concat()).or_default();
                module.children.extend(items.children.iter().cloned());
                module.defined.extend(items.defined.iter().cloned());
            }
        }
        let mut imports = Vec::new();
        for file in &tree.files {
            for (inner, items) in &file.scan.modules {
                let here = [file.module.clone(), inner.clone()].concat();
                for import in &items.imports {
                    imports.push((here.clone(), import.name.clone(), tree.absolute(&file.module, &import.path)));
                }
            }
        }
        for (here, name, target) in imports {
            tree.modules.entry(here).or_default().imports.push((name, target));
        }
        Ok(tree)
    }

    /// The absolute form of a path written in a file of module `file_module`,
    /// or `None` if it leads outside the crate.
    pub fn absolute(&self, file_module: &[String], path: &RawPath) -> Option<ModulePath> {
        let here = [file_module, &path.inner[..]].concat();
        let segments = path.segments.clone();
        let is_alias = |name: &str| self.alias.as_deref() == Some(name);
        match path.start {
            Start::Crate => Some(segments),
            Start::SelfModule => Some([here, segments].concat()),
            Start::Super(n) => here.len().checked_sub(n).map(|keep| [&here[..keep], &segments[..]].concat()),
            Start::Global if is_alias(&segments[0]) => Some(segments[1..].to_vec()),
            Start::Global => None,
            Start::Bare => {
                let first = segments.first()?;
                let local = |m: &Module| m.children.contains(first) || m.defined.contains(first);
                if self.modules.get(&here).is_some_and(local) {
                    Some([here, segments].concat())
                } else if is_alias(first) {
                    Some(segments[1..].to_vec())
                } else {
                    None
                }
            }
        }
    }

    /// Where an absolute path really points: through every `use` on the way,
    /// to the module that defines the name. A name a module neither declares,
    /// defines nor imports by name goes through its first glob import from
    /// inside the crate; failing that, the path stays in that module. `None`
    /// when it leads outside the crate.
    pub fn canonical(&self, path: &[String]) -> Option<ModulePath> {
        let mut path = path.to_vec();
        for _ in 0..MAX_HOPS {
            match self.step(&path) {
                Step::Done => return Some(path),
                Step::Outside => return None,
                Step::Again(next) => path = next,
            }
        }
        Some(path)
    }

    fn step(&self, path: &[String]) -> Step {
        for (at, name) in path.iter().enumerate() {
            let Some(module) = self.modules.get(&path[..at]) else { return Step::Done };
            if module.children.contains(name) {
                continue;
            }
            let rest = &path[at + 1..];
            let imports: Vec<&Option<ModulePath>> =
                module.imports.iter().filter(|(bound, _)| bound.as_ref() == Some(name)).map(|(_, t)| t).collect();
            if let Some(inside) = imports.iter().find_map(|t| t.as_ref()) {
                return Step::Again([&inside[..], rest].concat());
            }
            if !imports.is_empty() {
                return Step::Outside;
            }
            if module.defined.contains(name) {
                return Step::Done;
            }
            let glob = module.imports.iter().find_map(|(bound, t)| if bound.is_none() { t.as_ref() } else { None });
            if let Some(glob) = glob.filter(|g| g.as_slice() != &path[..at]) {
                return Step::Again([&glob[..], &path[at..]].concat());
            }
            return Step::Done;
        }
        Step::Done
    }
}

enum Step {
    Done,
    Outside,
    Again(ModulePath),
}

/// The module of a file from its path under `src`.
fn module_of(relative: &Path) -> ModulePath {
    let mut names: Vec<String> = relative.iter().map(|n| n.to_string_lossy().into_owned()).collect();
    if let Some(last) = names.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last);
        let is_root = names.is_empty() && (stem == "lib" || stem == "main");
        if stem != "mod" && !is_root {
            names.push(stem.to_owned());
        }
    }
    names
}

/// `path` from the repository's root, with `/` between names.
pub(crate) fn shown(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.iter().map(|n| n.to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn rust_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let entries = fs::read_dir(dir).map_err(|error| Failure::unreadable(root, dir, error))?;
    for entry in entries {
        let path = entry.map_err(|error| Failure::unreadable(root, dir, error))?.path();
        if path.is_dir() {
            rust_files(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}
