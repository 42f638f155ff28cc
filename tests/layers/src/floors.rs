//! The floors file (`runtime/floors.txt`): one section per scope, each with
//! its floors bottom first and the exceptions to them. The file documents its
//! own format at its top.

use std::fmt;

/// A module name as the floors file writes it, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The module's name.
    pub name: String,
    /// The line it is written on.
    pub line: u32,
}

/// A `why a -> b: text` or `allow a -> b: reason` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The module that uses.
    pub from: String,
    /// The module it uses.
    pub to: String,
    /// The text after the colon.
    pub text: String,
    /// The line it is written on.
    pub line: u32,
}

/// One `[dir]` section: a folder whose direct children are modules on floors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The folder, from the repository's root, with `/` between names.
    pub dir: String,
    /// The line of its `[dir]` header.
    pub line: u32,
    /// Its floors, bottom first; modules on one floor never use each other.
    pub floors: Vec<Vec<Named>>,
    /// Modules every module of the scope may use, whatever their floor.
    pub open: Vec<Named>,
    /// Modules whose files are not checked.
    pub exempt: Vec<Named>,
    /// Reasons to print for particular crossings.
    pub why: Vec<Pair>,
    /// Declared exceptions: `from` may use `to`.
    pub allow: Vec<Pair>,
}

impl Scope {
    /// The floor a module is on, counted from 0 at the bottom.
    pub fn floor_of(&self, module: &str) -> Option<usize> {
        self.floors.iter().position(|floor| floor.iter().any(|n| n.name == module))
    }

    /// Whether every module of the scope may use `module`.
    pub fn is_open(&self, module: &str) -> bool {
        self.open.iter().any(|n| n.name == module)
    }

    /// Whether the files of `module` go unchecked.
    pub fn is_exempt(&self, module: &str) -> bool {
        self.exempt.iter().any(|n| n.name == module)
    }

    /// The reason written for `from -> to`, if any.
    pub fn why(&self, from: &str, to: &str) -> Option<&str> {
        self.why.iter().find(|p| p.from == from && p.to == to).map(|p| p.text.as_str())
    }

    /// Every module name the section writes, with its line.
    pub fn names(&self) -> Vec<Named> {
        let pairs =
            self.why.iter().chain(&self.allow).flat_map(|p| {
                [Named { name: p.from.clone(), line: p.line }, Named { name: p.to.clone(), line: p.line }]
            });
        self.floors.iter().flatten().chain(&self.open).chain(&self.exempt).cloned().chain(pairs).collect()
    }
}

/// A line of the floors file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloorsError {
    /// Its line, from 1.
    pub line: u32,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for FloorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads a floors file; every scope in the order written.
pub fn parse(text: &str) -> Result<Vec<Scope>, FloorsError> {
    let mut scopes: Vec<Scope> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let fail = |message: String| FloorsError { line, message };
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        if let Some(header) = content.strip_prefix('[') {
            let dir = header.strip_suffix(']').ok_or_else(|| fail("a section header ends with `]`".into()))?;
            let dir = folder(dir).map_err(fail)?;
            if let Some(earlier) = scopes.iter().find(|s| s.dir == dir) {
                return Err(fail(format!("[{dir}] is already a section, at line {}", earlier.line)));
            }
            scopes.push(Scope { dir, line, ..Scope::default() });
            continue;
        }
        let Some(scope) = scopes.last_mut() else {
            return Err(fail(format!("`{content}` comes before any section: start with a [folder] line")));
        };
        if let Some(rest) = content.strip_prefix("open:") {
            scope.open.extend(names(rest, line).map_err(fail)?);
        } else if let Some(rest) = content.strip_prefix("exempt:") {
            scope.exempt.extend(names(rest, line).map_err(fail)?);
        } else if let Some(rest) = content.strip_prefix("why ") {
            let pair = pair(rest, line).map_err(fail)?;
            if let Some(earlier) = scope.why.iter().find(|p| (&p.from, &p.to) == (&pair.from, &pair.to)) {
                return Err(fail(format!(
                    "why {} -> {} is already given, at line {}",
                    pair.from, pair.to, earlier.line
                )));
            }
            scope.why.push(pair);
        } else if let Some(rest) = content.strip_prefix("allow ") {
            let pair = pair(rest, line).map_err(fail)?;
            if let Some(earlier) = scope.allow.iter().find(|p| (&p.from, &p.to) == (&pair.from, &pair.to)) {
                let message = format!("allow {} -> {} is already given, at line {}", pair.from, pair.to, earlier.line);
                return Err(fail(message));
            }
            scope.allow.push(pair);
        } else if let Some((word, _)) = content.split_once(':') {
            let message =
                format!("unknown directive `{word}:`; a line is a floor, `open:`, `exempt:`, `why` or `allow`");
            return Err(fail(message));
        } else {
            let floor = names(content, line).map_err(fail)?;
            for named in &floor {
                if let Some(earlier) = scope.floors.iter().flatten().find(|n| n.name == named.name) {
                    return Err(fail(format!("`{}` is already on the floor at line {}", named.name, earlier.line)));
                }
            }
            scope.floors.push(floor);
        }
    }
    match scopes.iter().find(|s| s.floors.is_empty()) {
        Some(empty) => Err(FloorsError { line: empty.line, message: format!("[{}] has no floors", empty.dir) }),
        None => Ok(scopes),
    }
}

/// A section's folder: relative, without `.` or `..`.
fn folder(text: &str) -> Result<String, String> {
    let dir = text.trim().trim_end_matches('/');
    let parts: Vec<&str> = dir.split('/').collect();
    if dir.is_empty()
        || dir.starts_with('/')
        || dir.contains('\\')
        || parts.iter().any(|p| matches!(*p, "" | "." | ".."))
    {
        return Err(format!("`[{text}]` should name a folder from the repository's root, like [runtime/src]"));
    }
    Ok(dir.to_owned())
}

fn is_module_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Module names separated by spaces; at least one.
fn names(text: &str, line: u32) -> Result<Vec<Named>, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return Err("expected module names after the colon".to_owned());
    }
    match words.iter().find(|w| !is_module_name(w)) {
        Some(bad) => Err(format!("`{bad}` is not a module name")),
        None => Ok(words.into_iter().map(|name| Named { name: name.to_owned(), line }).collect()),
    }
}

/// `a -> b: text`, the text required.
fn pair(text: &str, line: u32) -> Result<Pair, String> {
    let shape = "expected `a -> b: a reason`";
    let (modules, reason) = text.split_once(':').ok_or_else(|| format!("{shape}: the reason is missing"))?;
    let (from, to) = modules.split_once("->").ok_or_else(|| format!("{shape}: the `->` is missing"))?;
    let (from, to, reason) = (from.trim(), to.trim(), reason.trim());
    for name in [from, to] {
        if !is_module_name(name) {
            return Err(format!("{shape}: `{name}` is not a module name"));
        }
    }
    if from == to {
        return Err(format!("{shape}: a module always uses itself"));
    }
    if reason.is_empty() {
        return Err(format!("{shape}: the reason is missing"));
    }
    Ok(Pair { from: from.to_owned(), to: to.to_owned(), text: reason.to_owned(), line })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_are_bottom_first_and_lines_counted() {
        let text = "# top\n[runtime/src/]\ndb\nquery  forms # side by side\nopen: error\nallow db -> forms: a reason\n";
        let scopes = parse(text).unwrap();
        assert_eq!(scopes.len(), 1);
        let scope = &scopes[0];
        assert_eq!((scope.dir.as_str(), scope.line), ("runtime/src", 2));
        assert_eq!([scope.floor_of("db"), scope.floor_of("forms"), scope.floor_of("x")], [Some(0), Some(1), None]);
        assert!(scope.is_open("error") && !scope.is_exempt("error"));
        assert_eq!(scope.allow[0], Pair { from: "db".into(), to: "forms".into(), text: "a reason".into(), line: 6 });
    }

    #[test]
    fn malformed_lines_are_named() {
        let cases = [
            ("db\n", 1, "before any section"),
            ("[a]\ndb\ndb\n", 3, "already on the floor at line 2"),
            ("[a]\ndb\nallow db -> x\n", 3, "the reason is missing"),
            ("[a]\ndb\nwhy db x: text\n", 3, "the `->` is missing"),
            ("[a]\ndb\nopen:\n", 3, "expected module names"),
            ("[a]\ndb\nfloor: db\n", 3, "unknown directive `floor:`"),
            ("[a]\ndb model-x\n", 2, "`model-x` is not a module name"),
            ("[../a]\ndb\n", 1, "should name a folder"),
            ("[a]\ndb\n[a]\nx\n", 3, "already a section, at line 1"),
            ("[a]\nopen: db\n", 1, "[a] has no floors"),
        ];
        for (text, line, message) in cases {
            let error = parse(text).unwrap_err();
            assert_eq!(error.line, line, "{text:?}: {error}");
            assert!(error.message.contains(message), "{text:?}: {error}");
        }
    }
}
