//! The version of a row as its form shows it, which the form carries back
//! so that a save over a newer version is caught (Django ticket #11313,
//! django-concurrency's check, with no column of its own): a hash of the
//! row's values and of its inlines' children, in order.

use sha2::{Digest, Sha256};

use super::inline::ChildRow;
use crate::model::Value;

/// The name of the form's hidden field that carries the version.
pub(crate) const VERSION: &str = "_version";

/// The name of the hidden field that carries the version of the rows an
/// action's page showed.
pub(crate) const SEEN: &str = "_seen";

/// One value: its variant and the value, ended so that no two lists of
/// values read the same.
fn add_value(hash: &mut Sha256, v: &Value) {
    hash.update(format!("{v:?}").as_bytes());
    hash.update([0x1f]);
}

/// 32 hex digits of what `hash` read.
fn digits(hash: Sha256) -> String {
    hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// A hash of the values of a row and of the children of each of its
/// inlines: 32 hex digits. Any value that changes, and any child added,
/// removed or reordered, gives another.
pub(crate) fn version(values: &[Value], inlines: &[Vec<ChildRow>]) -> String {
    let mut hash = Sha256::new();
    for v in values {
        add_value(&mut hash, v);
    }
    for children in inlines {
        hash.update([0x1e]);
        for child in children {
            add_value(&mut hash, &child.pk);
            for v in &child.values {
                add_value(&mut hash, v);
            }
            hash.update([0x1d]);
        }
    }
    digits(hash)
}

/// The version of many rows, read one after another: any value that
/// changes, and any row added, removed or reordered, gives another.
#[derive(Clone, Default)]
pub(crate) struct RowsVersion(Sha256);

impl RowsVersion {
    /// Reads one more row's values.
    pub(crate) fn add(&mut self, values: impl IntoIterator<Item = Value>) {
        for v in values {
            add_value(&mut self.0, &v);
        }
        self.0.update([0x1d]);
    }

    /// The version of the rows read so far.
    pub(crate) fn digits(&self) -> String {
        digits(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(pk: i32, text: &str) -> ChildRow {
        ChildRow { pk: Value::Integer(pk), values: vec![Value::Text(text.into())], display: String::new() }
    }

    #[test]
    fn any_change_to_a_value_or_a_child_gives_another_version() {
        let values = [Value::Integer(1), Value::Text("a".into())];
        let base = version(&values, &[vec![child(1, "x")]]);
        assert_eq!(base.len(), 32);
        assert_eq!(base, version(&values, &[vec![child(1, "x")]]), "the same row, the same version");
        for other in [
            version(&[Value::Integer(1), Value::Text("b".into())], &[vec![child(1, "x")]]),
            version(&values, &[vec![child(1, "y")]]),
            version(&values, &[vec![child(1, "x"), child(2, "x")]]),
            version(&values, &[vec![], vec![child(1, "x")]]),
            version(&[Value::Integer(1), Value::Null], &[vec![child(1, "x")]]),
            version(&[Value::Text("1".into()), Value::Text("a".into())], &[vec![child(1, "x")]]),
        ] {
            assert_ne!(base, other);
        }
    }
}
