//! Compile-fail cases, one mistake per file, each with its reviewed
//! `.stderr`; and compile-pass cases. Regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p hangar-ui-tests` and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*/*.rs");
    cases.pass("tests/pass/*.rs");
}
