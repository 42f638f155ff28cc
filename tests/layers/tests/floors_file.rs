//! What the floors file says, and what the tool answers when it is wrong:
//! `allow` lines, modules missing from it, names it has that the tree does
//! not, and the exit codes.

mod common;

use std::process::{Command, Output};

use common::{repo_root, Copy};

const POOL: &str = "runtime/src/db/pool.rs";

fn run(root: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hangar-layers")).arg(root).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn an_allow_line_suppresses_exactly_its_pair() {
    let copy = Copy::new();
    copy.edit("runtime/floors.txt", |floors| {
        floors.replace("exempt: __private", "exempt: __private\nallow db -> admin: a test")
    });
    let db = copy.append(POOL, "use crate::admin::Admin;\nuse crate::auth::User;\n");
    let forms = copy.append("runtime/src/forms/body.rs", "use crate::admin::Admin;\n");
    assert_eq!(
        copy.crossings(),
        [
            format!("runtime/src/db/pool.rs:{}: runtime/src: db -> auth", db + 1),
            format!("runtime/src/forms/body.rs:{forms}: runtime/src: forms -> admin"),
        ]
    );
}

#[test]
fn an_allow_line_no_use_needs_is_reported() {
    let copy = Copy::new();
    copy.edit("runtime/floors.txt", |floors| {
        floors.replace("exempt: __private", "exempt: __private\nallow db -> admin: a test")
    });
    let findings = copy.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].starts_with("runtime/floors.txt:"), "{findings:?}");
    assert!(
        findings[0].ends_with("runtime/src: allow db -> admin is not needed by any use: remove it"),
        "{findings:?}"
    );
}

#[test]
fn a_module_on_no_floor_is_named_with_its_scope() {
    let copy = Copy::new();
    copy.edit("runtime/floors.txt", |floors| floors.replace("\nutils\n", "\n"));
    assert_eq!(
        copy.findings(),
        ["runtime/src/utils/mod.rs:1: runtime/src: module `utils` is not in runtime/floors.txt under [runtime/src]: \
         add it to a floor"]
    );
}

#[test]
fn a_name_the_tree_does_not_have_is_reported_at_its_line() {
    let copy = Copy::new();
    copy.edit("runtime/floors.txt", |floors| floors.replace("\nutils\n", "\nutils utilz\n"));
    let floors = std::fs::read_to_string(copy.root().join("runtime/floors.txt")).unwrap();
    let line = floors.lines().position(|l| l == "utils utilz").unwrap() + 1;
    assert_eq!(
        copy.findings(),
        [format!(
            "runtime/floors.txt:{line}: runtime/src: `utilz` is not a module of runtime/src: remove it or fix the name"
        )]
    );
}

#[test]
fn the_tool_exits_0_on_the_real_tree_and_1_on_a_crossing() {
    let clean = run(&repo_root());
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    assert!(text(&clean.stdout).starts_with("hangar-layers: 0 crossing(s) in "), "{}", text(&clean.stdout));

    let copy = Copy::new();
    let line = copy.append(POOL, "use crate::admin::Admin;\n");
    let crossed = run(copy.root());
    assert_eq!(crossed.status.code(), Some(1));
    let stdout = text(&crossed.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("runtime/src/db/pool.rs:{line}: runtime/src: db -> admin (admin is on a higher floor)")
    );
    assert!(lines[1].starts_with("hangar-layers: 1 crossing(s) in "), "{stdout}");
    assert_eq!(lines.len(), 2, "{stdout}");
}

#[test]
fn a_malformed_floors_file_exits_2_naming_the_line() {
    let cases = [
        ("\nauth\n", "\nauth\nallow auth -> db\n", "the reason is missing"),
        ("\nauth\n", "\nauth\nauth-x\n", "`auth-x` is not a module name"),
        ("\n[runtime/src]\n", "\n[runtime/srcs]\n", "[runtime/srcs] is not a folder of the repository"),
    ];
    for (old, new, message) in cases {
        let copy = Copy::new();
        copy.edit("runtime/floors.txt", |floors| floors.replacen(old, new, 1));
        let floors = std::fs::read_to_string(copy.root().join("runtime/floors.txt")).unwrap();
        let changed = new.trim().lines().last().unwrap();
        let line = floors.lines().position(|l| l == changed).unwrap() + 1;
        let output = run(copy.root());
        assert_eq!(output.status.code(), Some(2), "{new:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with(&format!("hangar-layers: runtime/floors.txt:{line}: ")), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
    }
}

#[test]
fn a_missing_floors_file_exits_2_naming_it() {
    let copy = Copy::new();
    std::fs::remove_file(copy.root().join("runtime/floors.txt")).unwrap();
    let output = run(copy.root());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).starts_with("hangar-layers: cannot read runtime/floors.txt: "),
        "{}",
        text(&output.stderr)
    );
}
