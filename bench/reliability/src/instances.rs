//! The instances suite.

use std::path::Path;

/// Settings of the instances suite.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {}

pub(crate) fn run(_tweepee: &Path, _options: &Options) -> Result<(), String> {
    Err("the instances suite is not written yet".into())
}
