//! The repository itself keeps its floors.

mod common;

use hangar_layers::check::Finding;

#[test]
fn the_real_repository_has_no_crossings() {
    let report = hangar_layers::check(&common::repo_root()).unwrap_or_else(|f| panic!("{f}"));
    let findings: Vec<String> = report.findings.iter().map(Finding::to_string).collect();
    assert_eq!(findings, Vec::<String>::new());
    assert!(report.modules >= 10, "{}", report.summary());
}

#[test]
fn the_real_repository_has_uses_to_check() {
    // A checker that found no paths at all would pass the test above.
    let root = common::repo_root();
    let (src, scope) = hangar_layers::locate(&root, "runtime/src").unwrap();
    let tree = hangar_layers::tree::CrateTree::read(&root, &src).unwrap();
    let uses = hangar_layers::check::uses(&tree, &scope);
    let pairs: std::collections::BTreeSet<(&str, &str)> = uses.iter().map(|u| (u.from, u.to.as_str())).collect();
    for pair in [("admin", "auth"), ("rest", "auth"), ("auth", "utils"), ("query", "model"), ("model", "db")] {
        assert!(pairs.contains(&pair), "{pair:?} not among {pairs:?}");
    }
}
