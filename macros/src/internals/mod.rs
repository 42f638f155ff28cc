//! parse → model → check: everything the generators read.

pub(crate) mod admin_attr;
pub(crate) mod ast;
pub(crate) mod attr;
mod check;
pub(crate) mod ctxt;
pub(crate) mod rest_attr;
pub(crate) mod symbol;
pub(crate) mod types;
pub(crate) mod user_attr;

pub(crate) use check::check;
