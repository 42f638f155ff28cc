//! Which Rust field types hangar supports: the one list, which the derives
//! read and the runtime receives through `__field_types!`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{GenericArgument, PathArguments, Type};

/// A supported field type.
struct Supported {
    /// Its name: the last segment of its path.
    name: &'static str,
    /// Its full path.
    path: &'static str,
    /// The name its SQL kind, its `Value` variant and its Diesel SQL type
    /// share.
    kind: &'static str,
}

const fn supported(name: &'static str, path: &'static str, kind: &'static str) -> Supported {
    Supported { name, path, kind }
}

/// Every supported type.
const TYPES: &[Supported] = &[
    supported("i16", "i16", "SmallInt"),
    supported("i32", "i32", "Integer"),
    supported("i64", "i64", "BigInt"),
    supported("f32", "f32", "Float"),
    supported("f64", "f64", "Double"),
    supported("bool", "bool", "Bool"),
    supported("String", "::std::string::String", "Text"),
    supported("NaiveDate", "::chrono::NaiveDate", "Date"),
    supported("NaiveTime", "::chrono::NaiveTime", "Time"),
    supported("NaiveDateTime", "::chrono::NaiveDateTime", "Timestamp"),
    supported("DateTime<Utc>", "::chrono::DateTime<::chrono::Utc>", "Timestamptz"),
    supported("Uuid", "::uuid::Uuid", "Uuid"),
    supported("BigDecimal", "::bigdecimal::BigDecimal", "Numeric"),
    supported("serde_json::Value", "::serde_json::Value", "Jsonb"),
    supported("Vec<u8>", "::std::vec::Vec<u8>", "Binary"),
];

/// The types a primary or foreign key may have.
pub(crate) const KEYS: &[&str] = &["i16", "i32", "i64", "String", "Uuid"];

/// The sentence listing the supported types, for error messages.
pub(crate) fn supported_list() -> String {
    let names: Vec<&str> = TYPES.iter().map(|t| t.name).collect();
    format!("{}, and Option of any of them", names.join(", "))
}

/// `callback! { ["<the list>", "supported: <the list>"] i16 => SmallInt, ... }`:
/// the table for the runtime's impls, with the list for its docs and
/// diagnostics.
pub(crate) fn field_types(callback: &syn::Path) -> syn::Result<TokenStream> {
    let list = supported_list();
    let note = format!("supported: {list}; an enum stored as text derives hangar::Choice");
    let mut rows = Vec::with_capacity(TYPES.len());
    for supported in TYPES {
        let path: syn::Type = syn::parse_str(supported.path)?;
        let kind = proc_macro2::Ident::new(supported.kind, proc_macro2::Span::call_site());
        rows.push(quote!(#path => #kind));
    }
    Ok(quote!(#callback! { [#list, #note] #(#rows),* }))
}

/// A supported field type: its base type's name and whether it is an `Option`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldType {
    pub(crate) base: &'static str,
    pub(crate) nullable: bool,
}

impl FieldType {
    /// The type for an error message: its name (`i32`), or `a choice enum`.
    pub(crate) fn described(self) -> &'static str {
        if self.base == CHOICE {
            "a choice enum"
        } else {
            self.base
        }
    }

    /// Whether a primary or foreign key may have this type.
    pub(crate) fn is_key(self) -> bool {
        KEYS.contains(&self.base)
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
    let name = written(ty)?;
    if name == "Value" {
        return json_path(ty).then_some("serde_json::Value");
    }
    TYPES.iter().map(|t| t.name).find(|s| *s == name)
}

/// `serde_json::Value` is matched by its last two segments, or by `Value`
/// alone: a bare `Value` is the common import.
fn json_path(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => {
            let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            segments.len() == 1 || segments.iter().rev().nth(1).is_some_and(|s| s == "serde_json")
        }
        Type::Group(g) => json_path(&g.elem),
        Type::Paren(p) => json_path(&p.elem),
        _ => false,
    }
}

/// The type as written, by the last segment of each path: `DateTime<Utc>`
/// for `chrono::DateTime<chrono::Utc>`. `None` for anything but a path
/// whose arguments are types.
fn written(ty: &Type) -> Option<String> {
    let segment = last_segment(ty)?;
    let mut name = segment.ident.to_string();
    match &segment.arguments {
        PathArguments::None => {}
        PathArguments::AngleBracketed(args) => {
            let inner = args
                .args
                .iter()
                .map(|arg| match arg {
                    GenericArgument::Type(t) => written(t),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            name = format!("{name}<{}>", inner.join(", "));
        }
        PathArguments::Parenthesized(_) => return None,
    }
    Some(name)
}

/// What to write instead of `ty`, a type hangar does not support, for the
/// error at it: the nearest supported type when `ty` is close to one, else
/// the list of them.
pub(crate) fn instead(ty: &Type) -> String {
    let inner = option_inner(ty).unwrap_or(ty);
    let near = last_segment(inner).and_then(|segment| match segment.ident.to_string().as_str() {
        "OffsetDateTime" => Some("hangar reads instants with chrono: make it `chrono::DateTime<Utc>`".to_owned()),
        "PrimitiveDateTime" => {
            Some("hangar reads dates and times with chrono: make it `chrono::NaiveDateTime`".to_owned())
        }
        "Decimal" => Some("hangar reads exact decimals as `bigdecimal::BigDecimal`".to_owned()),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => Some(
            "not every database has unsigned integers: make it i16, i32 or i64, one wide enough for its values"
                .to_owned(),
        ),
        "DateTime" => Some(
            "an instant is stored in UTC on every backend: make it `DateTime<Utc>`, and convert it with \
             `with_timezone` where it is shown"
                .to_owned(),
        ),
        // A plain name may be the user's own enum, which forgot the attribute.
        _ if matches!(segment.arguments, PathArguments::None) => Some(format!(
            "supported types are {}; an enum stored as text derives hangar::Choice, and its field is marked \
             #[model(choices)]",
            supported_list()
        )),
        _ => None,
    });
    near.unwrap_or_else(|| format!("supported types are {}", supported_list()))
}

/// A field marked `#[model(choices)]`: an enum deriving `hangar::Choice`,
/// or an `Option` of one; the compiler checks the derive.
pub(crate) fn classify_choice(ty: &Type) -> FieldType {
    FieldType { base: CHOICE, nullable: option_inner(ty).is_some() }
}

/// The base of a `#[model(choices)]` field.
pub(crate) const CHOICE: &str = "choice";

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
        assert_eq!(class("chrono::DateTime<chrono::Utc>"), Some(FieldType { base: "DateTime<Utc>", nullable: false }));
        assert_eq!(class("Option<uuid::Uuid>"), Some(FieldType { base: "Uuid", nullable: true }));
        assert_eq!(class("Vec<u8>"), Some(FieldType { base: "Vec<u8>", nullable: false }));
        assert_eq!(class("serde_json::Value"), Some(FieldType { base: "serde_json::Value", nullable: false }));
        assert_eq!(class("Value"), Some(FieldType { base: "serde_json::Value", nullable: false }));
        assert_eq!(class("BigDecimal"), Some(FieldType { base: "BigDecimal", nullable: false }));
    }

    #[test]
    fn unsupported_types() {
        for source in [
            "Vec<String>",
            "Option<Option<i32>>",
            "u32",
            "(i32, i32)",
            "&'static str",
            "[u8; 4]",
            "Box<i32>",
            "time::OffsetDateTime",
            "DateTime<FixedOffset>",
            "DateTime<Local>",
            "hangar::Value",
        ] {
            assert_eq!(class(source), None, "{source}");
        }
    }

    fn instead_of(source: &str) -> String {
        syn::parse_str::<Type>(source).map(|ty| instead(&ty)).unwrap_or_default()
    }

    #[test]
    fn near_misses_name_the_type_to_write() {
        assert!(instead_of("time::OffsetDateTime").ends_with("make it `chrono::DateTime<Utc>`"));
        assert!(instead_of("Option<OffsetDateTime>").ends_with("make it `chrono::DateTime<Utc>`"));
        assert!(instead_of("DateTime<FixedOffset>").contains("make it `DateTime<Utc>`"));
        assert!(instead_of("u32").contains("unsigned"));
        assert!(instead_of("Status").contains("derives hangar::Choice"));
        assert!(instead_of("Option<Status>").contains("derives hangar::Choice"));
        assert_eq!(instead_of("Vec<String>"), format!("supported types are {}", supported_list()));
    }
}
