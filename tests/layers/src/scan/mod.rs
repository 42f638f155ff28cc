//! What one source file says about modules: the modules it declares (`mod x;`
//! and inline `mod x { ... }`), the names each of them defines and imports,
//! and every path in it that may refer to the crate's own items.

use std::collections::BTreeMap;

use crate::lexer::{tokenize, Lexeme, Token};

mod use_item;

/// How a path starts, before the checker knows which module it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// `crate::` (or `$crate::`).
    Crate,
    /// `super::`, this many times.
    Super(usize),
    /// `self::`.
    SelfModule,
    /// `::name`: an extern crate, or the crate itself by its `extern crate self` name.
    Global,
    /// `name::`: a child module, the crate's own name, or another crate.
    Bare,
}

/// A path as written: its start, the names after it, the inline module it is
/// written in (relative to the file's module) and the line of its last name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPath {
    /// How it starts.
    pub start: Start,
    /// The names after the start; for [`Start::Global`] and [`Start::Bare`],
    /// the first name too.
    pub segments: Vec<String>,
    /// The inline modules (`mod tests { ... }`) around it, outermost first.
    pub inner: Vec<String>,
    /// The line of its last name.
    pub line: u32,
}

/// A `use` item at module level: what it makes visible under which name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The name it binds; `None` for a glob (`use x::*`).
    pub name: Option<String>,
    /// What it binds.
    pub path: RawPath,
}

/// The items of one module that matter for resolving paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleItems {
    /// Its child modules, declared `mod x;` or `mod x { ... }`.
    pub children: Vec<String>,
    /// The names it defines itself (fn, struct, enum, trait, type, const,
    /// static, union, macro_rules).
    pub defined: Vec<String>,
    /// Its `use` items, renames and globs included.
    pub imports: Vec<Import>,
}

/// Everything the checker needs from one source file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileScan {
    /// The file's module (key `[]`) and its inline modules (key: their names
    /// inside the file, outermost first).
    pub modules: BTreeMap<Vec<String>, ModuleItems>,
    /// Every path that may refer to the crate's items, `use` paths and inline
    /// ones, in the order written. Leaves of a `use` group are one path each.
    pub paths: Vec<RawPath>,
    /// The crate's other name, from `extern crate self as name;`.
    pub self_alias: Option<String>,
}

/// The keywords that can stand before a path (`impl ::x::Y`, `as ::x::Y`),
/// and so never start one.
const KEYWORDS: [&str; 30] = [
    "as", "async", "await", "box", "break", "const", "continue", "dyn", "else", "enum", "fn", "for", "if", "impl",
    "in", "let", "loop", "match", "move", "mut", "pub", "ref", "return", "static", "struct", "type", "unsafe", "where",
    "while", "yield",
];
const DEFINING: [&str; 8] = ["fn", "struct", "enum", "trait", "type", "const", "static", "union"];
const NOT_A_NAME: [&str; 8] = ["fn", "unsafe", "async", "extern", "mut", "_", "const", "impl"];

/// Reads one source file.
pub fn scan(text: &str) -> FileScan {
    let tokens = tokenize(text);
    let mut scanner = Scanner { tokens: &tokens, at: 0, depth: 0, inline: Vec::new(), out: FileScan::default() };
    scanner.out.modules.insert(Vec::new(), ModuleItems::default());
    scanner.run();
    scanner.out
}

struct Scanner<'t> {
    tokens: &'t [Lexeme],
    at: usize,
    depth: usize,
    /// The inline modules around the current token and the brace depth of each body.
    inline: Vec<(String, usize)>,
    out: FileScan,
}

impl<'t> Scanner<'t> {
    fn token(&self, at: usize) -> Option<&'t Token> {
        self.tokens.get(at).map(|l| &l.token)
    }

    fn ident(&self, at: usize) -> Option<&'t str> {
        match self.token(at) {
            Some(Token::Ident(name)) => Some(name),
            _ => None,
        }
    }

    fn inner(&self) -> Vec<String> {
        self.inline.iter().map(|(name, _)| name.clone()).collect()
    }

    /// Whether the current token is directly in a module's body, not in a fn or impl.
    fn at_module_level(&self) -> bool {
        self.depth == self.inline.last().map_or(0, |(_, depth)| *depth)
    }

    fn items(&mut self) -> &mut ModuleItems {
        let inner = self.inner();
        self.out.modules.entry(inner).or_default()
    }

    fn run(&mut self) {
        while let Some(token) = self.token(self.at) {
            match token {
                Token::Punct('{') => self.depth += 1,
                Token::Punct('}') => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.inline.last().is_some_and(|(_, depth)| *depth > self.depth) {
                        self.inline.pop();
                    }
                }
                Token::Ident(word) => match word.as_str() {
                    "use" => {
                        self.use_item();
                        continue;
                    }
                    "mod" => self.module(),
                    "extern" => self.extern_crate(),
                    "macro_rules" if self.at_module_level() => self.defines(2),
                    word if DEFINING.contains(&word) && self.at_module_level() => self.defines(1),
                    _ => self.inline_path(),
                },
                _ => {}
            }
            self.at += 1;
        }
    }

    /// Records the name `ahead` tokens after the current one as defined here.
    fn defines(&mut self, ahead: usize) {
        if let Some(name) = self.ident(self.at + ahead) {
            if !NOT_A_NAME.contains(&name) {
                let name = name.to_owned();
                self.items().defined.push(name);
            }
        }
    }

    /// `mod x;` or `mod x {`.
    fn module(&mut self) {
        let Some(name) = self.ident(self.at + 1).map(str::to_owned) else { return };
        match self.token(self.at + 2) {
            Some(Token::Punct(';')) => self.items().children.push(name),
            Some(Token::Punct('{')) => {
                self.items().children.push(name.clone());
                self.at += 2;
                self.depth += 1;
                self.inline.push((name, self.depth));
            }
            _ => {}
        }
    }

    /// `extern crate self as name;`.
    fn extern_crate(&mut self) {
        let words: Vec<Option<&str>> = (1..=4).map(|k| self.ident(self.at + k)).collect();
        if let [Some("crate"), Some("self"), Some("as"), Some(name)] = words[..] {
            self.out.self_alias = Some(name.to_owned());
        }
    }

    /// A path written outside a `use` item, from its first name: `crate::a::b`,
    /// `super::super::a`, `self::a`, `::a::b`, `a::b`. It ends before `::<`.
    fn inline_path(&mut self) {
        let Some(first) = self.ident(self.at) else { return };
        if self.token(self.at + 1) != Some(&Token::PathSep) {
            return;
        }
        let before = self.at.checked_sub(1).and_then(|k| self.token(k));
        let before_that = self.at.checked_sub(2).and_then(|k| self.token(k));
        let (start, mut segments) = match (first, before) {
            (_, Some(Token::PathSep)) if continues_a_path(before_that) => return,
            (_, Some(Token::Punct('.'))) => return,
            _ if KEYWORDS.contains(&first) => return,
            ("crate", _) => (Start::Crate, vec![]),
            ("super", _) => (Start::Super(1), vec![]),
            ("self", _) => (Start::SelfModule, vec![]),
            (_, Some(Token::PathSep)) => (Start::Global, vec![first.to_owned()]),
            _ => (Start::Bare, vec![first.to_owned()]),
        };
        let mut line = self.tokens[self.at].line;
        let mut supers = 1;
        let mut at = self.at + 1;
        while self.token(at) == Some(&Token::PathSep) {
            let Some(name) = self.ident(at + 1) else { break };
            if start == Start::Super(1) && segments.is_empty() && name == "super" {
                supers += 1;
            } else {
                segments.push(name.to_owned());
            }
            line = self.tokens[at + 1].line;
            at += 2;
        }
        self.at = at - 1;
        if start == Start::Bare && segments.len() < 2 {
            return;
        }
        let start = if start == Start::Super(1) { Start::Super(supers) } else { start };
        let path = RawPath { start, segments, inner: self.inner(), line };
        self.out.paths.push(path);
    }
}

/// Whether the token before a `::` makes it the middle of a path (`a::b`,
/// `<T as X>::b`) rather than the start of a global one (`= ::b`).
fn continues_a_path(token: Option<&Token>) -> bool {
    match token {
        Some(Token::Ident(word)) => !KEYWORDS.contains(&word.as_str()),
        Some(Token::Punct('>' | ')')) => true,
        _ => false,
    }
}
