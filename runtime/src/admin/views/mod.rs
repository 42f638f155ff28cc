//! The admin's views, one a file. None uses another: what two share lives
//! a floor below, in the changelist, the widgets, the submission or the
//! rendering.

pub(crate) mod action;
pub(crate) mod dashboard;
pub(crate) mod delete;
pub(crate) mod download;
pub(crate) mod export;
pub(crate) mod form;
pub(crate) mod history;
pub(crate) mod list;
pub(crate) mod panel;
pub(crate) mod picker;
