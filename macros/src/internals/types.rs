//! Which Rust field types hangar supports.

use syn::{GenericArgument, PathArguments, Type};

/// The supported types, by the last segment of their path.
pub(crate) const SUPPORTED: &[&str] =
    &["i16", "i32", "i64", "f32", "f64", "bool", "String", "NaiveDate", "NaiveTime", "NaiveDateTime"];

/// The integer types, which a foreign key may have.
pub(crate) const INTEGERS: &[&str] = &["i16", "i32", "i64"];

/// The sentence listing the supported types, for error messages.
pub(crate) fn supported_list() -> String {
    format!("{}, and Option of any of them", SUPPORTED.join(", "))
}

/// A supported field type: its base type's name and whether it is an `Option`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldType {
    pub(crate) base: &'static str,
    pub(crate) nullable: bool,
}

impl FieldType {
    pub(crate) fn is_integer(self) -> bool {
        INTEGERS.contains(&self.base)
    }
}

/// Classifies `ty`, or `None` when hangar does not support it.
pub(crate) fn classify(ty: &Type) -> Option<FieldType> {
    if let Some(inner) = option_inner(ty) {
        let base = base(inner)?;
        return Some(FieldType { base, nullable: true });
    }
    Some(FieldType { base: base(ty)?, nullable: false })
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        Type::Group(g) => last_segment(&g.elem),
        Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

fn base(ty: &Type) -> Option<&'static str> {
    let segment = last_segment(ty)?;
    if !matches!(segment.arguments, PathArguments::None) {
        return None;
    }
    let name = segment.ident.to_string();
    SUPPORTED.iter().copied().find(|s| *s == name)
}

/// `T` when `ty` is `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty)?;
    if segment.ident != "Option" {
        return None;
    }
    match &segment.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match args.args.first() {
            Some(GenericArgument::Type(inner)) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(source: &str) -> Option<FieldType> {
        syn::parse_str::<Type>(source).ok().as_ref().and_then(classify)
    }

    #[test]
    fn plain_and_optional_types() {
        assert_eq!(class("i32"), Some(FieldType { base: "i32", nullable: false }));
        assert_eq!(class("Option<String>"), Some(FieldType { base: "String", nullable: true }));
        assert_eq!(class("chrono::NaiveDateTime"), Some(FieldType { base: "NaiveDateTime", nullable: false }));
        assert_eq!(class("std::option::Option<f64>"), Some(FieldType { base: "f64", nullable: true }));
    }

    #[test]
    fn unsupported_types() {
        for source in ["Vec<String>", "Option<Option<i32>>", "u32", "(i32, i32)", "&'static str", "[u8; 4]", "Box<i32>"]
        {
            assert_eq!(class(source), None, "{source}");
        }
    }
}
