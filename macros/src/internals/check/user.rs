//! Checking `#[user(...)]` against the struct: finding the field that plays
//! each part, the one named or the field of the part's own name, and
//! checking its type.

use proc_macro2::Ident;
use syn::DeriveInput;

use crate::internals::ast::{UserField, UserFields};
use crate::internals::attr::user::UserAttrs;
use crate::internals::ctxt::Ctxt;
use crate::internals::suggest::did_you_mean;
use crate::internals::symbol::*;
use crate::internals::types::classify;

/// Finds each part's field among `fields`, recording every problem in `cx`.
/// `None` when the username or the password has no field.
pub(crate) fn check<'a>(
    cx: &Ctxt,
    input: &DeriveInput,
    fields: &[UserField<'a>],
    attrs: &UserAttrs,
) -> Option<UserFields<'a>> {
    let names: Vec<String> = fields.iter().map(|f| f.ident.to_string()).collect();
    let name_list: Vec<&str> = names.iter().map(String::as_str).collect();
    let found = |part: &'static str| -> Option<&'a Ident> {
        let wanted = attrs.given.get(part).map_or_else(|| part.to_owned(), ToString::to_string);
        let field = fields.iter().find(|f| *f.ident == wanted);
        let expected = if matches!(part, ACTIVE | ADMIN | STAFF) { "bool" } else { "String" };
        match (field, attrs.given.get(part)) {
            (Some(field), _) => {
                let class = classify(field.ty);
                if class.is_none_or(|c| c.base != expected || c.nullable) {
                    cx.error_spanned_by(field.ty, format!("the {part} field `{}` must be a `{expected}`", field.ident));
                }
                return Some(field.ident);
            }
            (None, Some(named)) => cx.error_spanned_by(
                named,
                format!(
                    "`{}` has no field `{named}` for the {part}; fields are: {}{}",
                    input.ident,
                    name_list.join(", "),
                    did_you_mean(&named.to_string(), &name_list)
                ),
            ),
            (None, None) if matches!(part, USERNAME | PASSWORD) && !attrs.failed.contains(&part) => cx
                .error_spanned_by(
                    &input.ident,
                    format!(
                        "`{}` has no field `{part}`; name the field that holds it with #[user({part} = field)]",
                        input.ident
                    ),
                ),
            (None, None) => {}
        }
        None
    };
    // In the order of USER_KEYS, so that errors come in that order.
    let username = found(USERNAME);
    let password = found(PASSWORD);
    let (email, active, admin, staff) = (found(EMAIL), found(ACTIVE), found(ADMIN), found(STAFF));
    Some(UserFields { username: username?, password: password?, email, active, admin, staff })
}
