//! Checking a relation path (`user__username`) against the models it goes
//! through, while compiling.
//!
//! A derive sees only its own struct. For a path into another model it
//! emits `const _: () = check_path(<User as Model>::META, ...);`, and these
//! `const fn`s walk the static descriptions at compile time: a misspelt name
//! stops the build with "unknown field `usrname` on `User` in `columns`; did
//! you mean `username`?", pointing at the attribute.

use super::{ModelMeta, SqlKind};

/// What the last segment of a path must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathEnd {
    /// Any field (a relation at the end means its foreign key).
    Field,
    /// A text field: searches and type-ahead lookups match text.
    Text,
}

/// A message built at compile time, without allocating.
struct Message {
    buf: [u8; 512],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Message { buf: [0; 512], len: 0 }
    }

    const fn push(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < self.buf.len() {
            self.buf[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
    }

    /// The text so far; empty if a name cut it inside a character.
    const fn text(&self) -> &str {
        let (used, _) = self.buf.split_at(self.len);
        match core::str::from_utf8(used) {
            Ok(text) => text,
            Err(_) => "",
        }
    }

    /// Stops the build with the message: this runs only while compiling.
    #[allow(clippy::panic)]
    const fn fail(&self) -> ! {
        let text = self.text();
        if text.is_empty() {
            panic!("a name in this attribute is wrong")
        }
        panic!("{}", text)
    }
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn min(a: usize, b: usize) -> usize {
    if a < b {
        a
    } else {
        b
    }
}

/// The optimal-string-alignment distance, for names of up to 64 bytes.
const fn distance(a: &str, b: &str) -> usize {
    const MAX: usize = 64;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > MAX || b.len() > MAX {
        return usize::MAX;
    }
    let mut before = [0usize; MAX + 1];
    let mut previous = [0usize; MAX + 1];
    let mut current = [0usize; MAX + 1];
    let mut j = 0;
    while j <= b.len() {
        previous[j] = j;
        j += 1;
    }
    let mut i = 1;
    while i <= a.len() {
        current[0] = i;
        let mut j = 1;
        while j <= b.len() {
            let cost = if a[i - 1] == b[j - 1] { 0 } else { 1 };
            let mut best = min(min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = min(best, before[j - 2] + 1);
            }
            current[j] = best;
            j += 1;
        }
        before = previous;
        previous = current;
        i += 1;
    }
    previous[b.len()]
}

/// Adds "; did you mean `x`?" for the field or relation of `meta` closest to
/// `name`, as the runtime's suggestions do.
const fn suggest(message: &mut Message, meta: &ModelMeta, name: &str, relations_only: bool) {
    let mut best: Option<&str> = None;
    let mut best_distance = usize::MAX;
    let limit = {
        let longest = if name.len() > 3 { name.len() } else { 3 };
        longest / 3
    };
    let mut i = 0;
    while !relations_only && i < meta.fields.len() {
        let candidate = meta.fields[i].name;
        let d = distance(name, candidate);
        if d > 0 && d <= limit && d < best_distance {
            best = Some(candidate);
            best_distance = d;
        }
        i += 1;
    }
    let mut i = 0;
    while i < meta.relations.len() {
        let candidate = meta.relations[i].name;
        let d = distance(name, candidate);
        if d > 0 && d <= limit && d < best_distance {
            best = Some(candidate);
            best_distance = d;
        }
        i += 1;
    }
    if let Some(candidate) = best {
        message.push("; did you mean `");
        message.push(candidate);
        message.push("`?");
    }
}

const fn relation_named(meta: &ModelMeta, name: &str) -> Option<&'static ModelMeta> {
    let mut i = 0;
    while i < meta.relations.len() {
        if same(meta.relations[i].name, name) {
            return Some(meta.relations[i].target);
        }
        i += 1;
    }
    None
}

/// The kind of the field `name` of `meta`, or of the foreign key of the
/// relation `name`.
const fn field_kind(meta: &ModelMeta, name: &str) -> Option<SqlKind> {
    let mut key = name;
    let mut i = 0;
    while i < meta.relations.len() {
        if same(meta.relations[i].name, name) {
            key = meta.relations[i].field;
        }
        i += 1;
    }
    let mut i = 0;
    while i < meta.fields.len() {
        if same(meta.fields[i].name, key) {
            return Some(meta.fields[i].kind);
        }
        i += 1;
    }
    None
}

/// Checks that `segments`, starting at `meta`, are relations and then a
/// field that `end` allows; otherwise stops the build with a sentence that
/// names the segment, the model, the attribute `context` and the closest
/// name.
pub const fn check_path(meta: &'static ModelMeta, segments: &[&str], end: PathEnd, context: &str) {
    let mut model = meta;
    let mut i = 0;
    while i < segments.len() {
        let segment = segments[i];
        let last = i + 1 == segments.len();
        if !last {
            match relation_named(model, segment) {
                Some(target) => model = target,
                None => {
                    let mut message = Message::new();
                    message.push("`");
                    message.push(segment);
                    message.push("` is not a relation of `");
                    message.push(model.name);
                    message.push("` in `");
                    message.push(context);
                    message.push("`");
                    suggest(&mut message, model, segment, true);
                    message.fail();
                }
            }
        } else {
            match field_kind(model, segment) {
                None => {
                    let mut message = Message::new();
                    message.push("unknown field `");
                    message.push(segment);
                    message.push("` on `");
                    message.push(model.name);
                    message.push("` in `");
                    message.push(context);
                    message.push("`");
                    suggest(&mut message, model, segment, false);
                    message.fail();
                }
                Some(kind) => {
                    if matches!(end, PathEnd::Text) && !matches!(kind, SqlKind::Text) {
                        let mut message = Message::new();
                        message.push("`");
                        message.push(context);
                        message.push("` needs a text field; `");
                        message.push(segment);
                        message.push("` of `");
                        message.push(model.name);
                        message.push("` is ");
                        message.push(kind.describe());
                        message.fail();
                    }
                }
            }
        }
        i += 1;
    }
}

/// Whether a foreign key of `kind` can hold the keys of a primary key of
/// `target`: the same kind, or any two integers.
const fn key_fits(kind: SqlKind, target: SqlKind) -> bool {
    kind.is_integer() && target.is_integer() || kind as u8 == target as u8
}

/// Checks, while compiling, that the foreign key `field`, of `kind`, of a
/// model that refers to itself can hold its primary keys, of `key`.
pub const fn check_self_key(field: &str, kind: SqlKind, key: SqlKind) {
    check_key(field, kind, "the primary key of its own model", key);
}

/// Checks, while compiling, that the foreign key `field`, of `kind`, can
/// hold the primary keys of the model `target` describes; otherwise stops
/// the build with a sentence naming both.
pub const fn check_foreign_key(target: &'static ModelMeta, field: &str, kind: SqlKind) {
    let key = target.primary_key;
    let mut named = Message::new();
    named.push("the primary key `");
    named.push(key.name);
    named.push("` of `");
    named.push(target.name);
    named.push("`");
    check_key(field, kind, named.text(), key.kind);
}

/// Stops the build when the foreign key `field`, of `kind`, cannot hold
/// the keys of `key_named`, of `key`.
const fn check_key(field: &str, kind: SqlKind, key_named: &str, key: SqlKind) {
    if !key_fits(kind, key) {
        let mut message = Message::new();
        message.push("the foreign key `");
        message.push(field);
        message.push("` is ");
        message.push(kind.describe());
        message.push(", but ");
        message.push(key_named);
        message.push(" is ");
        message.push(key.describe());
        message.push("; give the foreign key the type of the key it refers to");
        message.fail();
    }
}

/// Checks, while compiling, the foreign key an inline of `child` rows on
/// `parent`'s page goes through: `fks` are the child's foreign keys to
/// `parent`, and `named` the one `fk = ...` names, if given. One of them
/// must be named when there are several, and a named one must be one of
/// them; otherwise stops the build with a sentence saying which are.
pub const fn check_inline_fk(fks: &[&str], named: Option<&str>, child: &str, parent: &str) {
    let mut message = Message::new();
    match named {
        Some(name) => {
            let mut i = 0;
            while i < fks.len() {
                if same(fks[i], name) {
                    return;
                }
                i += 1;
            }
            message.push("`");
            message.push(name);
            message.push("` is not a foreign key of `");
            message.push(child);
            message.push("` to `");
            message.push(parent);
            message.push("`; ");
        }
        None if fks.len() == 1 => return,
        None => {
            message.push("`");
            message.push(child);
            message.push("` has several foreign keys to `");
            message.push(parent);
            message.push("`; say which with `fk = ...`: ");
        }
    }
    message.push("its foreign keys to `");
    message.push(parent);
    message.push("` are: ");
    let mut i = 0;
    while i < fks.len() {
        if i > 0 {
            message.push(", ");
        }
        message.push(fks[i]);
        i += 1;
    }
    message.fail();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_edits_and_swaps() {
        assert_eq!(distance("username", "username"), 0);
        assert_eq!(distance("usrname", "username"), 1);
        assert_eq!(distance("usernmae", "username"), 1, "a swap is one edit");
        assert_eq!(distance("abc", "xyz"), 3);
    }

    #[test]
    fn a_message_is_built_without_allocating() {
        let mut message = Message::new();
        message.push("unknown field `");
        message.push("x");
        message.push("`");
        assert_eq!(core::str::from_utf8(message.buf.split_at(message.len).0), Ok("unknown field `x`"));
    }
}
