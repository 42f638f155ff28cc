//! Checking the parsed attributes against the model, one file per derive:
//! every name must be a field or a relation, every value must suit the
//! field's type. Each `check` records every problem in the `Ctxt` and
//! returns the model the generator reads.

pub(crate) mod admin;
pub(crate) mod choice;
pub(crate) mod model;
pub(crate) mod rest;
pub(crate) mod user;

use std::collections::BTreeSet;

use proc_macro2::Ident;

use super::ctxt::Ctxt;
use super::suggest::did_you_mean;

/// Records a spanned error for each name in `list` (the value of `key` on
/// `model`) that `accepts` refuses, listing `shown` with a did-you-mean, and
/// for each name listed twice.
pub(crate) fn check_names(
    cx: &Ctxt,
    model: &Ident,
    key: &str,
    list: &[Ident],
    shown: &[&str],
    accepts: impl Fn(&str) -> bool,
) {
    let mut seen = BTreeSet::new();
    for name in list {
        let text = name.to_string();
        if !accepts(&text) {
            cx.error_spanned_by(
                name,
                format!(
                    "unknown field `{text}` in `{key}`; `{model}` has: {}{}",
                    shown.join(", "),
                    did_you_mean(&text, shown)
                ),
            );
        } else if !seen.insert(text.clone()) {
            cx.error_spanned_by(name, format!("`{text}` is listed twice in `{key}`"));
        }
    }
}
