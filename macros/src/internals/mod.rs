//! Everything the generators read, in one pipeline: `attr` parses the
//! attributes into plain values, `ast` reads the struct into a model, and
//! `check` checks the names across them, returning the model a generator
//! reads. Every problem is recorded in a `Ctxt`, so all are reported at once.

pub(crate) mod ast;
pub(crate) mod attr;
pub(crate) mod check;
pub(crate) mod ctxt;
pub(crate) mod suggest;
pub(crate) mod symbol;
pub(crate) mod types;

use syn::DeriveInput;

use self::ast::{Container, RawContainer};
use self::ctxt::Ctxt;

/// The checked model under a derive that builds on derive(Model). That
/// derive reports the model's own mistakes; here they only mean there is
/// nothing to check the derive's attributes against, so they are dropped.
pub(crate) fn base_model(input: &DeriveInput) -> Option<Container<'_>> {
    let cx = Ctxt::default();
    let container = RawContainer::from_ast(&cx, input).and_then(|raw| check::model::check(&cx, raw));
    drop(cx.check());
    container
}
