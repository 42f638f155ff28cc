//! The SQL engine: statements written from a model's description, run
//! with their types erased, so that Diesel's query and connection code is
//! compiled once in hangar rather than once per model.
//!
//! Bottom to top: binding values and the SQL fragments Diesel has no
//! portable builder for; comparisons and running statements; typed
//! conditions; selecting, writing and keyed loads and saves of a model's
//! rows; what can be done to a registered model's rows without its type;
//! and the delete that follows foreign keys.

pub(crate) mod bind;
pub(crate) mod cascade;
pub(crate) mod compare;
pub(crate) mod entry;
pub(crate) mod execute;
pub(crate) mod expr;
pub(crate) mod keyed;
pub(crate) mod select;
pub(crate) mod sql;
pub(crate) mod write;
