//! Rust source as the checker reads it: identifiers and punctuation, each with
//! its line. Comments (nested block comments too), strings (raw, byte and C
//! strings too), character literals, lifetimes and numbers never become part
//! of a path: comments are dropped, the rest become [`Token::Literal`].

/// One token of a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An identifier or a keyword; a raw identifier `r#x` is `x`.
    Ident(String),
    /// `::`.
    PathSep,
    /// Any other punctuation character, one at a time (`{`, `}`, `;`, `$`, ...).
    Punct(char),
    /// A string, character, number or lifetime.
    Literal,
}

/// A token and the line (from 1) on which it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexeme {
    /// The token.
    pub token: Token,
    /// Its line, counted from 1.
    pub line: u32,
}

/// Splits a source file into tokens, dropping comments.
pub fn tokenize(text: &str) -> Vec<Lexeme> {
    let mut lexer = Lexer { chars: text.chars().collect(), at: 0, line: 1, out: Vec::new() };
    lexer.run();
    lexer.out
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
    line: u32,
    out: Vec<Lexeme>,
}

fn ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn ident_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    /// Moves past one character, counting lines.
    fn bump(&mut self) {
        if self.peek(0) == Some('\n') {
            self.line += 1;
        }
        self.at += 1;
    }

    fn push(&mut self, token: Token, line: u32) {
        self.out.push(Lexeme { token, line });
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            let line = self.line;
            match c {
                '/' if self.peek(1) == Some('/') => self.line_comment(),
                '/' if self.peek(1) == Some('*') => self.block_comment(),
                '"' => {
                    self.quoted('"');
                    self.push(Token::Literal, line);
                }
                '\'' => {
                    self.quote_or_lifetime();
                    self.push(Token::Literal, line);
                }
                ':' if self.peek(1) == Some(':') => {
                    self.at += 2;
                    self.push(Token::PathSep, line);
                }
                c if c.is_ascii_digit() => {
                    self.number();
                    self.push(Token::Literal, line);
                }
                c if ident_start(c) => self.word(),
                c if c.is_whitespace() => self.bump(),
                c => {
                    self.at += 1;
                    self.push(Token::Punct(c), line);
                }
            }
        }
    }

    fn line_comment(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.at += 1;
        }
    }

    /// `/* ... */`, which nests.
    fn block_comment(&mut self) {
        self.at += 2;
        let mut depth = 1;
        while depth > 0 {
            match (self.peek(0), self.peek(1)) {
                (None, _) => return,
                (Some('/'), Some('*')) => {
                    depth += 1;
                    self.at += 2;
                }
                (Some('*'), Some('/')) => {
                    depth -= 1;
                    self.at += 2;
                }
                _ => self.bump(),
            }
        }
    }

    /// A string or character literal from its opening quote to its closing
    /// one, with backslash escapes.
    fn quoted(&mut self, quote: char) {
        self.bump();
        while let Some(c) = self.peek(0) {
            self.bump();
            if c == '\\' {
                self.bump();
            } else if c == quote {
                return;
            }
        }
    }

    /// `r"..."`, `r#"..."#` and so on, from the `r`.
    fn raw_string(&mut self) {
        self.at += 1;
        let mut hashes = 0;
        while self.peek(0) == Some('#') {
            hashes += 1;
            self.at += 1;
        }
        self.bump();
        while let Some(c) = self.peek(0) {
            self.bump();
            if c == '"' && (0..hashes).all(|k| self.peek(k) == Some('#')) {
                self.at += hashes;
                return;
            }
        }
    }

    /// Whether a raw string starts `ahead` characters from here: `r` then
    /// any number of `#` then `"`.
    fn raw_string_at(&self, ahead: usize) -> bool {
        if self.peek(ahead) != Some('r') {
            return false;
        }
        let mut k = ahead + 1;
        while self.peek(k) == Some('#') {
            k += 1;
        }
        self.peek(k) == Some('"')
    }

    /// `'a'`, `'\n'`, `'\u{2014}'` or a lifetime or label `'a`.
    fn quote_or_lifetime(&mut self) {
        if self.peek(1) == Some('\\') || self.peek(2) == Some('\'') {
            self.quoted('\'');
        } else {
            self.at += 1;
            while self.peek(0).is_some_and(ident_continue) {
                self.at += 1;
            }
        }
    }

    fn number(&mut self) {
        while let Some(c) = self.peek(0) {
            let fraction = c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit());
            if !(ident_continue(c) || fraction) {
                break;
            }
            self.at += 1;
        }
    }

    /// An identifier, or a literal that starts with letters: `b"..."`,
    /// `b'x'`, `c"..."`, `r"..."`, `br#"..."#`, `cr"..."`, and `r#ident`.
    fn word(&mut self) {
        let line = self.line;
        let c = self.peek(0);
        if self.raw_string_at(0) {
            self.raw_string();
            return self.push(Token::Literal, line);
        }
        if matches!(c, Some('b' | 'c')) {
            if self.raw_string_at(1) {
                self.at += 1;
                self.raw_string();
                return self.push(Token::Literal, line);
            }
            if self.peek(1) == Some('"') || (c == Some('b') && self.peek(1) == Some('\'')) {
                let quote = self.peek(1).unwrap_or('"');
                self.at += 1;
                self.quoted(quote);
                return self.push(Token::Literal, line);
            }
        }
        if c == Some('r') && self.peek(1) == Some('#') && self.peek(2).is_some_and(ident_start) {
            self.at += 2;
        }
        let start = self.at;
        while self.peek(0).is_some_and(ident_continue) {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        self.push(Token::Ident(name), line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identifiers of `text`, with `::` as a word of its own.
    fn words(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .filter_map(|l| match l.token {
                Token::Ident(name) => Some(name),
                Token::PathSep => Some("::".to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn comments_are_dropped_nested_ones_too() {
        let text = "a // crate::x\n/// crate::y\n//! crate::z\nb /* c /* d */ e */ f /** g */ h";
        assert_eq!(words(text), ["a", "b", "f", "h"]);
    }

    #[test]
    fn strings_and_chars_are_literals() {
        let text = r####"a "crate::x \" crate::y" b 'c' '\'' '"' b'\\' b"crate" c"crate" d"####;
        assert_eq!(words(text), ["a", "b", "d"]);
        assert_eq!(words("x '/' y \"//\" z"), ["x", "y", "z"]);
    }

    #[test]
    fn raw_strings_end_at_their_own_hashes() {
        let text = r#####"a r"crate::x" b r#"one " still"# c br##"x"# y"## d cr"e" f"#####;
        assert_eq!(words(text), ["a", "b", "c", "d", "f"]);
    }

    #[test]
    fn lifetimes_and_labels_are_not_chars() {
        assert_eq!(
            words("fn f<'a>(x: &'a str) -> &'static str { 'outer: loop {} }"),
            ["fn", "f", "x", "str", "str", "loop"]
        );
        assert_eq!(words("'\\u{2014}' x 'é' y"), ["x", "y"]);
    }

    #[test]
    fn raw_identifiers_lose_their_prefix() {
        assert_eq!(words("r#type::r#match"), ["type", "::", "match"]);
    }

    #[test]
    fn numbers_do_not_eat_ranges() {
        let tokens: Vec<Token> = tokenize("1..2.5").into_iter().map(|l| l.token).collect();
        assert_eq!(tokens, [Token::Literal, Token::Punct('.'), Token::Punct('.'), Token::Literal]);
    }

    #[test]
    fn lines_count_through_comments_and_strings() {
        let text = "a\n/* x\ny */ b \"p\nq\" c\nr#\"\n\"# d";
        let lines: Vec<(String, u32)> = tokenize(text)
            .into_iter()
            .filter_map(|l| match l.token {
                Token::Ident(name) => Some((name, l.line)),
                _ => None,
            })
            .collect();
        let expected = [("a", 1), ("b", 3), ("c", 4), ("d", 6)];
        assert_eq!(lines, expected.map(|(n, l)| (n.to_owned(), l)));
    }
}
