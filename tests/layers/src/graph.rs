//! How the modules of a folder use each other today, for writing a new scope:
//! every pair with its first use, and the floors that would fit them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use crate::check::{modules_of, uses};
use crate::tree::CrateTree;
use crate::{locate, Failure};

/// The uses between the modules of `dir` (from the repository's root), and a
/// floors section that fits them, as text to print.
pub fn describe(root: &Path, dir: &str) -> Result<String, Failure> {
    let dir = dir.trim_end_matches('/');
    let (src, scope_module) = locate(root, dir).map_err(|message| Failure::Unreadable {
        path: dir.to_owned(),
        error: std::io::Error::new(std::io::ErrorKind::NotFound, message),
    })?;
    let tree = CrateTree::read(root, &src)?;
    let modules = modules_of(&tree, &scope_module);
    let mut pairs: BTreeMap<(&str, String), (usize, String)> = BTreeMap::new();
    for found in uses(&tree, &scope_module) {
        let entry =
            pairs.entry((found.from, found.to)).or_insert_with(|| (0, format!("{}:{}", found.file.shown, found.line)));
        entry.0 += 1;
    }
    let mut out = format!("{dir}: {} modules, {} pairs of modules with uses\n", modules.len(), pairs.len());
    for ((from, to), (count, first)) in &pairs {
        let _ = writeln!(out, "  {from} -> {to}: {count} use(s), first at {first}");
    }
    let uses_of = |module: &str| -> BTreeSet<&str> {
        pairs.keys().filter(|(from, _)| *from == module).map(|(_, to)| to.as_str()).collect()
    };
    let mut floor_of: BTreeMap<&str, usize> = BTreeMap::new();
    while floor_of.len() < modules.len() {
        let ready: Vec<(&str, usize)> = modules
            .iter()
            .filter(|m| !floor_of.contains_key(*m))
            .filter_map(|m| {
                let below =
                    uses_of(m).iter().map(|used| floor_of.get(used).map(|f| f + 1)).collect::<Option<Vec<_>>>()?;
                Some((*m, below.into_iter().max().unwrap_or(0)))
            })
            .collect();
        if ready.is_empty() {
            let rest: Vec<&str> = modules.iter().copied().filter(|m| !floor_of.contains_key(m)).collect();
            out.push_str("\nNo floors fit: these modules use each other, directly or around a loop:\n");
            for cycle in cycles(&rest, &uses_of) {
                let _ = writeln!(out, "  {}", cycle.join(" "));
            }
            return Ok(out);
        }
        floor_of.extend(ready);
    }
    let top = floor_of.values().copied().max().unwrap_or(0);
    let _ = writeln!(out, "\nFloors that fit today's uses, each module as low as it can go:\n[{dir}]");
    for floor in 0..=top {
        let on: Vec<&str> = floor_of.iter().filter(|(_, f)| **f == floor).map(|(m, _)| *m).collect();
        let _ = writeln!(out, "{}", on.join(" "));
    }
    Ok(out)
}

/// The groups of modules among `modules` that reach each other through their
/// uses: every loop, as its members.
fn cycles<'a>(modules: &[&'a str], uses_of: &dyn Fn(&str) -> BTreeSet<&'a str>) -> Vec<Vec<&'a str>> {
    let reach = |from: &str| -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&'a str> = uses_of(from).into_iter().collect();
        while let Some(next) = todo.pop() {
            if seen.insert(next) {
                todo.extend(uses_of(next));
            }
        }
        seen
    };
    let reaches: BTreeMap<&str, BTreeSet<&str>> = modules.iter().map(|m| (*m, reach(m))).collect();
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for module in modules {
        let group: Vec<&str> = modules
            .iter()
            .copied()
            .filter(|other| reaches[module].contains(other) && reaches[other].contains(module))
            .collect();
        if !group.is_empty() && !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}
