//! Parsing `#[choice(...)]` on a variant of an enum deriving Choice: the
//! value it is stored as and its label. Whether two variants share a value
//! is checked in `check::choice`.

use syn::{Attribute, LitStr};

use super::{each_key, value, Place};
use crate::internals::ctxt::Ctxt;
use crate::internals::symbol::*;

/// What `#[choice(...)]` says on a variant.
#[derive(Default)]
pub(crate) struct ChoiceVariantAttrs {
    /// `value = "..."`: what the variant is stored as.
    pub(crate) value: Option<LitStr>,
    /// `label = "..."`: what people see.
    pub(crate) label: Option<LitStr>,
}

/// `#[choice(...)]` on a variant.
const ON_VARIANT: Place = Place { attr: CHOICE_ATTR, keys: CHOICE_KEYS, named: " on a variant", elsewhere: None };

/// Parses `#[choice(...)]` on a variant, rejecting unknown and repeated
/// keys and an empty value or label.
pub(crate) fn variant(cx: &Ctxt, attrs: &[Attribute]) -> ChoiceVariantAttrs {
    let mut out = ChoiceVariantAttrs::default();
    each_key(cx, attrs, &ON_VARIANT, |key, meta| {
        let lit: LitStr = match key {
            VALUE => value(meta, "`value` takes the text the variant is stored as, like value = \"in_stock\"")?,
            _ => value(meta, "`label` takes the text people see, like label = \"In stock\"")?,
        };
        if lit.value().trim().is_empty() {
            let what = if key == VALUE { "stored value" } else { "label" };
            return Err(syn::Error::new(
                lit.span(),
                format!("the {what} may not be empty or only spaces; leave `{key}` out for the default, made from the variant's name"),
            ));
        }
        match key {
            VALUE => out.value = Some(lit),
            _ => out.label = Some(lit),
        }
        Ok(())
    });
    out
}

/// Records an error for each `#[choice(...)]` on the enum itself: it goes
/// on a variant.
pub(crate) fn on_enum(cx: &Ctxt, attrs: &[Attribute]) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(CHOICE_ATTR)) {
        cx.error_spanned_by(attr, "#[choice(...)] goes on a variant, to set its value or label, not on the enum");
    }
}
