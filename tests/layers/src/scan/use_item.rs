//! `use` items: every leaf of a use tree (groups at any depth, renames,
//! `self`, globs) as a path of its own, and the name it binds.

use super::{Import, RawPath, Scanner, Start};
use crate::lexer::Token;

/// A leaf of a use tree: its names (the start's included), its line, and the
/// name it binds (`None` for a glob).
type Leaf = (Vec<String>, u32, Option<String>);

impl Scanner<'_> {
    /// A whole `use` item, up to and past its `;`.
    pub(super) fn use_item(&mut self) {
        let module_level = self.at_module_level();
        self.at += 1;
        let mut leaves = Vec::new();
        self.use_tree(Vec::new(), &mut leaves);
        if self.token(self.at) == Some(&Token::Punct(';')) {
            self.at += 1;
        }
        for (names, line, binding) in leaves {
            let Some(path) = self.raw_path(names, line) else { continue };
            if module_level && binding != Some("_".to_owned()) {
                self.items().imports.push(Import { name: binding, path: path.clone() });
            }
            self.out.paths.push(path);
        }
    }

    /// One use tree: `a::b`, `a::b as c`, `a::*`, `a::{tree, tree}`. Each
    /// leaf is its names (the start's included), its line and the name it
    /// binds (`None` for a glob).
    fn use_tree(&mut self, mut names: Vec<String>, leaves: &mut Vec<Leaf>) {
        if names.is_empty() && self.token(self.at) == Some(&Token::PathSep) {
            names.push("::".to_owned());
            self.at += 1;
        }
        loop {
            let line = self.tokens.get(self.at).map_or(0, |l| l.line);
            match self.token(self.at) {
                Some(Token::Punct('$')) => self.at += 1,
                Some(Token::Ident(name)) => {
                    names.push(name.clone());
                    self.at += 1;
                    if self.token(self.at) == Some(&Token::PathSep) {
                        self.at += 1;
                        continue;
                    }
                    let mut binding = names.last().cloned();
                    if self.ident(self.at) == Some("as") {
                        binding = self.ident(self.at + 1).map(str::to_owned);
                        self.at += 2;
                    }
                    if names.len() > 1 && names.last().is_some_and(|n| n == "self") {
                        names.pop();
                        if binding.as_deref() == Some("self") {
                            binding = names.last().cloned();
                        }
                    }
                    return leaves.push((names, line, binding));
                }
                Some(Token::Punct('*')) => {
                    self.at += 1;
                    return leaves.push((names, line, None));
                }
                Some(Token::Punct('{')) => {
                    self.at += 1;
                    while !matches!(self.token(self.at), None | Some(Token::Punct('}' | ';'))) {
                        let before = self.at;
                        self.use_tree(names.clone(), leaves);
                        // Past the comma, or past a token no tree starts with.
                        if self.token(self.at) == Some(&Token::Punct(',')) || self.at == before {
                            self.at += 1;
                        }
                    }
                    if self.token(self.at) == Some(&Token::Punct('}')) {
                        self.at += 1;
                    }
                    return;
                }
                _ => return,
            }
        }
    }

    /// Sorts a use leaf's names into its start and the names after it.
    fn raw_path(&self, mut names: Vec<String>, line: u32) -> Option<RawPath> {
        let start = match names.first()?.as_str() {
            "::" => {
                names.remove(0);
                Start::Global
            }
            "crate" => {
                names.remove(0);
                Start::Crate
            }
            "self" => {
                names.remove(0);
                Start::SelfModule
            }
            "super" => {
                let supers = names.iter().take_while(|n| *n == "super").count();
                names.drain(..supers);
                Start::Super(supers)
            }
            _ => Start::Bare,
        };
        Some(RawPath { start, segments: names, inner: self.inner(), line })
    }
}
