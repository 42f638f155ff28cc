//! Crossings planted in a copy of runtime/src are found, each at its file,
//! line, scope and pair of modules; what only looks like one is not.

mod common;

use common::{Copy, AUTH_FLOORS};

const POOL: &str = "runtime/src/db/pool.rs";

#[test]
fn the_copy_is_clean_with_and_without_the_auth_scope() {
    let copy = Copy::new();
    assert_eq!(copy.findings(), Vec::<String>::new());
    copy.append("runtime/floors.txt", AUTH_FLOORS);
    assert_eq!(copy.findings(), Vec::<String>::new());
}

#[test]
fn a_name_re_exported_by_a_mod_rs_lands_in_the_module_it_comes_from() {
    let copy = Copy::new();
    copy.append("runtime/floors.txt", AUTH_FLOORS);
    // rest/mod.rs re-exports auth's Caller: a use of auth, not of rest.
    let list = copy.append("runtime/src/query/list.rs", "use crate::rest::Caller;\n");
    // Resource comes from rest/resource.rs, through rest/mod.rs.
    let pool = copy.append(POOL, "use crate::rest::Resource;\n");
    // auth/mod.rs: `pub use session::{Flash, Session, ...}` and `pub use user::{users, User, ...}`;
    // settings is below session and above user; UserModel is auth/mod.rs's own.
    let settings = copy.append("runtime/src/auth/settings.rs", "use super::Session;\nuse super::{User, UserModel};\n");
    assert_eq!(
        copy.crossings(),
        [
            format!("runtime/src/auth/settings.rs:{settings}: runtime/src/auth: settings -> session"),
            format!("runtime/src/db/pool.rs:{pool}: runtime/src: db -> rest"),
            format!("runtime/src/query/list.rs:{list}: runtime/src: query -> auth"),
        ]
    );
}

#[test]
fn a_glob_re_export_lends_the_names_a_mod_rs_does_not_know() {
    let copy = Copy::new();
    copy.append("runtime/floors.txt", AUTH_FLOORS);
    copy.append("runtime/src/auth/mod.rs", "pub use views::*;\n");
    let user = copy.append("runtime/src/auth/user.rs", "use super::{routes, UserModel, User};\n");
    assert_eq!(copy.crossings(), [format!("runtime/src/auth/user.rs:{user}: runtime/src/auth: user -> views")]);
}

#[test]
fn a_use_group_reports_the_leaves_that_cross_on_their_own_lines() {
    let copy = Copy::new();
    copy.append("runtime/floors.txt", AUTH_FLOORS);
    let text =
        "pub(crate) use super::{\n    settings::{prefix_of, AuthSettings},\n    views::{routes as view_routes},\n    \
                pages::{self as p, user_json}, Caller,\n    verify,\n};\n";
    let start = copy.append("runtime/src/auth/session.rs", text);
    let at = |offset: u32| format!("runtime/src/auth/session.rs:{}: runtime/src/auth: session -> ", start + offset);
    assert_eq!(copy.crossings(), [at(2) + "views", at(3) + "pages"]);
}

#[test]
fn an_inline_path_in_an_expression_is_a_use_generics_included() {
    let copy = Copy::new();
    let line =
        copy.append(POOL, "fn planted() {\n    let _ = crate::admin::Admin::<crate::auth::User>::new();\n}\n") + 1;
    assert_eq!(
        copy.crossings(),
        [
            format!("runtime/src/db/pool.rs:{line}: runtime/src: db -> admin"),
            format!("runtime/src/db/pool.rs:{line}: runtime/src: db -> auth"),
        ]
    );
}

#[test]
fn hangar_paths_are_the_crate_s_own() {
    let copy = Copy::new();
    let line = copy.append(POOL, "use hangar::admin::Admin;\nfn planted() -> impl ::hangar::rest::Resource {}\n");
    assert_eq!(
        copy.crossings(),
        [
            format!("runtime/src/db/pool.rs:{line}: runtime/src: db -> admin"),
            format!("runtime/src/db/pool.rs:{}: runtime/src: db -> rest", line + 1),
        ]
    );
}

#[test]
fn comments_and_literals_are_not_uses() {
    let copy = Copy::new();
    let text = r####"// use crate::admin::Admin;
/// [`Admin`](crate::admin::Admin)
/* crate::admin /* nested: crate::rest */ still a comment: crate::auth */
const PLANTED: &str = "use crate::admin::Admin; \" crate::rest::Resource";
const RAW: &str = r#"crate::admin::Admin "quoted" crate::rest"#;
const QUOTE: char = '"';
const BYTES: &[u8] = b"crate::auth::User";
use crate::auth::User;
"####;
    let line = copy.append(POOL, text) + 7;
    assert_eq!(copy.crossings(), [format!("runtime/src/db/pool.rs:{line}: runtime/src: db -> auth")]);
}

#[test]
fn test_code_is_checked_and_super_counts_from_the_inline_module() {
    let copy = Copy::new();
    let text = "#[cfg(test)]\nmod planted_tests {\n    use super::*;\n    use crate::templates::HtmlPage;\n    \
                #[test]\n    fn t() {\n        super::super::super::auth::current_user();\n        super::Database::fairing();\n    }\n}\n";
    let start = copy.append(POOL, text);
    assert_eq!(
        copy.crossings(),
        [
            format!("runtime/src/db/pool.rs:{}: runtime/src: db -> templates", start + 3),
            format!("runtime/src/db/pool.rs:{}: runtime/src: db -> auth", start + 6),
        ]
    );
}

#[test]
fn modules_on_one_floor_never_use_each_other() {
    let copy = Copy::new();
    let forms = copy.append("runtime/src/query/pagination.rs", "use crate::forms::Params;\n");
    let admin = copy.append("runtime/src/rest/envelope.rs", "use crate::admin::ModelAdmin;\n");
    let report = hangar_layers::check(copy.root()).unwrap();
    let shown: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            format!(
                "runtime/src/query/pagination.rs:{forms}: runtime/src: query -> forms (forms is on the same floor)"
            ),
            format!(
            "runtime/src/rest/envelope.rs:{admin}: runtime/src: rest -> admin (the two faces never know each other: \
             move the shared piece down)"
        ),
        ]
    );
}

#[test]
fn the_admins_floors_hold_through_re_exports_groups_and_between_views() {
    let copy = Copy::new();
    // admin/mod.rs: `pub use site::Admin`: the site is the admin's top floor.
    let config = copy.append("runtime/src/admin/config.rs", "use super::Admin;\n");
    // One leaf of the group crosses (render is above columns); config is below.
    let columns = copy.append("runtime/src/admin/columns.rs", "use super::{config::AdminModel, render::crumb};\n");
    // No view uses another: what two share moves a floor down.
    let list = copy.append("runtime/src/admin/views/list.rs", "use crate::admin::views::form::form;\n");
    assert_eq!(
        copy.crossings(),
        [
            format!("runtime/src/admin/columns.rs:{columns}: runtime/src/admin: columns -> render"),
            format!("runtime/src/admin/config.rs:{config}: runtime/src/admin: config -> site"),
            format!("runtime/src/admin/views/list.rs:{list}: runtime/src/admin/views: list -> form"),
        ]
    );
}
