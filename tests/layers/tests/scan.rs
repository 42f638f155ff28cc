//! The paths, imports and modules the scanner finds in one file.

use hangar_layers::scan::{scan, FileScan, RawPath, Start};

/// A path as written, with its inline modules and its line: `tests/super::x@3`.
fn show(path: &RawPath) -> String {
    let start = match path.start {
        Start::Crate => vec!["crate".to_owned()],
        Start::Super(n) => vec!["super".to_owned(); n],
        Start::SelfModule => vec!["self".to_owned()],
        Start::Global => vec![String::new()],
        Start::Bare => vec![],
    };
    let written = [start, path.segments.clone()].concat().join("::");
    let inner: String = path.inner.iter().map(|m| format!("{m}/")).collect();
    format!("{inner}{written}@{}", path.line)
}

fn paths(text: &str) -> Vec<String> {
    scan(text).paths.iter().map(show).collect()
}

fn imports(scan: &FileScan, inner: &[&str]) -> Vec<String> {
    let inner: Vec<String> = inner.iter().map(|s| (*s).to_owned()).collect();
    scan.modules[&inner]
        .imports
        .iter()
        .map(|i| format!("{} = {}", i.name.as_deref().unwrap_or("*"), show(&i.path)))
        .collect()
}

#[test]
fn nested_use_groups_give_one_path_per_leaf_on_its_line() {
    let text = "use super::{list::render_error, page::{context, render}, AdminModel};\n\
                pub(crate) use crate::{\n    auth::{Caller, UserModel},\n    db,\n};\n";
    assert_eq!(
        paths(text),
        [
            "super::list::render_error@1",
            "super::page::context@1",
            "super::page::render@1",
            "super::AdminModel@1",
            "crate::auth::Caller@3",
            "crate::auth::UserModel@3",
            "crate::db@4",
        ]
    );
}

#[test]
fn renames_self_and_globs_bind_their_names() {
    let text = "pub use config::{AdminModel as Config, self};\nuse crate::model::{self as m, Value as _};\n\
                pub use views::*;\nuse ::hangar::rest;\nuse super::super::x;\n";
    let scan = scan(text);
    assert_eq!(
        imports(&scan, &[]),
        [
            "Config = config::AdminModel@1",
            "config = config@1",
            "m = crate::model@2",
            "* = views@3",
            "rest = ::hangar::rest@4",
            "x = super::super::x@5",
        ]
    );
    // `as _` binds nothing, but is still a use.
    assert!(paths(text).contains(&"crate::model::Value@2".to_owned()));
}

#[test]
fn inline_paths_stop_before_generics_and_count_supers() {
    let text = "fn f() {\n    let _ = crate::admin::Admin::<crate::auth::User>::new();\n    \
                super::super::x::y(self::z::W, <T as ::hangar::Model>::META);\n    \
                let v = it.collect::<Vec<_>>();\n    $crate::db::Pool::get();\n}\n";
    assert_eq!(
        paths(text),
        [
            "crate::admin::Admin@2",
            "crate::auth::User@2",
            "super::super::x::y@3",
            "self::z::W@3",
            "::hangar::Model@3",
            "crate::db::Pool::get@5",
        ]
    );
}

#[test]
fn bare_paths_are_kept_for_the_tree_to_judge() {
    assert_eq!(
        paths("fn f() { config::config_of(); String::new(); x.y::<u8>(); }"),
        ["config::config_of@1", "String::new@1"]
    );
}

#[test]
fn visibility_is_not_a_path_unless_it_names_one() {
    assert_eq!(
        paths("pub(crate) fn a() {}\npub(super) fn b() {}\npub(in crate::admin) fn c() {}\n"),
        ["crate::admin@3"]
    );
}

#[test]
fn inline_modules_are_tracked_for_super() {
    let text = "mod tests {\n    use super::*;\n    mod deeper {\n        fn f() { super::super::g(); }\n    }\n    \
                fn h() { super::k(); }\n}\nfn after() { super::m(); }\n";
    assert_eq!(paths(text), ["tests/super@2", "tests/deeper/super::super::g@4", "tests/super::k@6", "super::m@8"]);
    let scan = scan(text);
    assert_eq!(scan.modules[&Vec::<String>::new()].children, ["tests"]);
    assert_eq!(scan.modules[&vec!["tests".to_owned()]].children, ["deeper"]);
    assert_eq!(imports(&scan, &["tests"]), ["* = tests/super@2"]);
}

#[test]
fn module_level_items_are_definitions_and_imports_but_not_those_in_bodies() {
    let text = "mod a;\npub mod b;\npub trait UserModel {\n    fn username(&self);\n    type T;\n}\n\
                pub(crate) const fn limit() {}\nstatic S: u8 = 0;\nconst _: () = ();\nmacro_rules! m { () => {} }\n\
                impl X { fn method() { use crate::db::Pool; } }\nextern crate self as hangar;\n";
    let scan = scan(text);
    let root = &scan.modules[&Vec::<String>::new()];
    assert_eq!(root.children, ["a", "b"]);
    assert_eq!(root.defined, ["UserModel", "limit", "S", "m"]);
    assert!(root.imports.is_empty(), "{:?}", root.imports);
    assert_eq!(paths(text), ["crate::db::Pool@11"]);
    assert_eq!(scan.self_alias.as_deref(), Some("hangar"));
}

#[test]
fn comments_and_strings_inside_a_use_group_are_skipped() {
    let text = "use crate::{\n    // old::path,\n    /* gone, */ model::Value, // crate::x\n};\nconst S: &str = \"crate::y\";\n";
    assert_eq!(paths(text), ["crate::model::Value@3"]);
}

#[test]
fn precise_capturing_is_not_a_use_item() {
    let text = "fn f<'a>(x: &'a u8) -> impl Sized + use<'a> { crate::db::g(x) }\nuse crate::model::Value;\n";
    assert_eq!(paths(text), ["crate::db::g@1", "crate::model::Value@2"]);
    assert_eq!(scan(text).modules[&Vec::<String>::new()].imports.len(), 1);
}
