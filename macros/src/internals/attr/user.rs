//! Parsing `#[user(...)]`: which field plays each part of a user model. The
//! fields named are found, and their types checked, in `check::user`.

use std::collections::BTreeMap;

use proc_macro2::Ident;
use syn::Attribute;

use super::{key_name, skip, value};
use crate::internals::ctxt::Ctxt;
use crate::internals::suggest::{closest, did_you_mean};
use crate::internals::symbol::*;

/// What `#[user(...)]` says.
#[derive(Default)]
pub(crate) struct UserAttrs {
    /// The field named for each part, by the part's key.
    pub(crate) given: BTreeMap<&'static str, Ident>,
    /// Parts whose key was misspelt or whose value was wrong, already
    /// reported: a missing field for them is not reported again.
    pub(crate) failed: Vec<&'static str>,
}

/// Parses `#[user(...)]`, rejecting unknown and repeated keys.
pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute]) -> UserAttrs {
    let mut out = UserAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(USER)) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = key_name(&meta);
            let Some(part) = USER_KEYS.iter().copied().find(|k| *k == key) else {
                // A misspelt part is reported once, here, not again as a missing field.
                if let Some(meant) = closest(&key, USER_KEYS) {
                    out.failed.push(meant);
                }
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown key `{key}` in #[user]; keys are: {}{}",
                        USER_KEYS.join(", "),
                        did_you_mean(&key, USER_KEYS)
                    ),
                );
                return skip(&meta);
            };
            let field = match value::<Ident>(&meta, format!("`{part}` names a field, like {part} = login")) {
                Ok(field) => field,
                Err(e) => {
                    out.failed.push(part);
                    cx.syn_error(e);
                    return skip(&meta);
                }
            };
            if out.given.insert(part, field).is_some() {
                cx.error_spanned_by(&meta.path, format!("duplicate key `{part}` in #[user]; give it once"));
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    out
}
