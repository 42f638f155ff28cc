//! The load suite.

use std::path::Path;

/// Settings of the load suite.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {}

pub(crate) fn run(_tweepee: &Path, _options: &Options) -> Result<(), String> {
    Err("the load suite is not written yet".into())
}
