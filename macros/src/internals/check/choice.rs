//! Checking an enum deriving Choice across its variants: each must be
//! stored as a value of its own.

use std::collections::BTreeMap;

use crate::internals::ast::{ChoiceEnum, ChoiceVariant};
use crate::internals::ctxt::Ctxt;

/// Records an error for each variant stored as the value of an earlier
/// one, at its `value = "..."` when it has one, else at its name. `None`
/// when any problem was recorded, here or while reading the enum.
pub(crate) fn check<'a>(cx: &Ctxt, choice: ChoiceEnum<'a>) -> Option<ChoiceEnum<'a>> {
    let mut seen: BTreeMap<&str, &ChoiceVariant<'_>> = BTreeMap::new();
    for variant in &choice.variants {
        let Some(first) = seen.get(variant.value.as_str()) else {
            seen.insert(&variant.value, variant);
            continue;
        };
        let how = match variant.value_given {
            Some(_) => "give each variant a value of its own",
            None => "give one of them its own with #[choice(value = \"...\")]",
        };
        let message = format!(
            "the variants `{}` and `{}` are both stored as `{}`; {how}",
            first.ident, variant.ident, variant.value
        );
        match &variant.value_given {
            Some(lit) => cx.error_spanned_by(lit, message),
            None => cx.error_spanned_by(variant.ident, message),
        }
    }
    (!cx.has_errors()).then_some(choice)
}
