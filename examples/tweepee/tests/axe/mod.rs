//! axe-core, vendored in `tests/vendor/axe-core/`, run in the page under
//! test over WebDriver: the WCAG 2.1 A and AA rules, none disabled.

use std::time::Duration;

use serde_json::{json, Value};

use crate::webdriver::Browser;

/// axe-core's own build, read at compile time: no network, no CDN.
const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");

/// The rules axe runs: every rule tagged with a WCAG 2.0 or 2.1 level A or
/// AA success criterion.
const TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// Runs axe on the current page (injecting it first when the page lacks
/// it) and returns its violations, each as `id (impact): help` and the
/// selectors of the nodes that fail, with axe's summary of why.
pub(crate) fn violations(browser: &Browser) -> Vec<String> {
    browser.set_script_timeout(Duration::from_secs(60));
    if browser.execute("return typeof window.axe === 'object'", &[]) != Value::Bool(true) {
        browser.execute(AXE, &[]);
    }
    let script = "const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
          .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}))),
                e => done({error: String(e)}));";
    let found = browser.execute_async(script, &[json!(TAGS)]);
    if let Some(error) = found.get("error") {
        panic!("axe did not run: {error}");
    }
    found
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| {
                    format!(
                        "    {}\n      {}",
                        n["target"],
                        n["summary"].as_str().unwrap_or_default().replace('\n', "\n      ")
                    )
                })
                .collect();
            format!(
                "{} ({}): {}\n{}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                nodes.join("\n")
            )
        })
        .collect()
}
