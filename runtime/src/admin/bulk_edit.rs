//! The page of "Change fields" ([`AdminAction::change_fields`]): the form
//! that ticks fields and gives them values, then the preview of each
//! selected row's values before and after, and of the rows the model
//! admin refuses.
//!
//! [`AdminAction::change_fields`]: super::AdminAction::change_fields

use serde_json::{json, Value as Json};

use super::actions::Selection;
use super::config::{config_of, AdminConfig};
use super::field_changes::{changeable, check_row, holds, picked, RowHooks, PICK};
use super::ops::AdminOps;
use super::present::readonly_text;
use super::widgets::{pickers, widget, Shown};
use crate::auth::Caller;
use crate::db::AnyConnection;
use crate::forms::{FormErrors, Params};
use crate::model::{display, parse_bool, Data, Model, ModelMeta, Value};
use crate::Error;

/// How many rows the preview shows of those that change or stay as they
/// are, and of those refused.
pub(crate) const SHOWN: usize = 50;

/// Each field the form can change: its widget (named by the field, holding
/// what `params` posted), and the box that ticks it.
pub(crate) fn form_fields(
    conn: &mut AnyConnection,
    caller: &Caller,
    registered: &[AdminOps],
    (meta, url): (&'static ModelMeta, &str),
    params: &Params,
    errors: &FormErrors,
) -> Result<Vec<Json>, Error> {
    let config = config_of(meta).unwrap_or(&AdminConfig::DEFAULT);
    let fields = changeable(meta);
    let ticked: Vec<&str> = params.get_all(PICK).collect();
    let current = |name: &str| -> Option<Value> {
        let field = meta.field(name)?;
        Value::parse(field.kind, params.get(name)?)
    };
    let pickers = pickers(conn, caller, registered, meta, config, &fields, &current)?;
    Ok(fields
        .iter()
        .map(|field| {
            let raw = params.get(field.name);
            let picker = pickers.iter().find(|(name, _)| *name == field.name).map(|(_, p)| p);
            let picker_url = format!("{url}lookup/{}/", field.name);
            let shown = Shown {
                readonly: false,
                value: raw,
                checked: raw.is_some_and(|r| r == "on" || parse_bool(r) == Some(true)),
                errors: errors.of(field.name).map(str::to_owned).collect(),
                picker,
                picker_url: &picker_url,
                adding: false,
                file: None,
                file_dropped: false,
            };
            let mut json = widget(config, field, shown);
            json["pick"] = json!({
                "name": PICK,
                "value": field.name,
                "checked": ticked.contains(&field.name),
            });
            json
        })
        .collect())
}

/// The fields of `params` that carry the form's choices from the preview
/// on: the boxes ticked and the values of their fields.
pub(crate) fn carried(meta: &'static ModelMeta, params: &Params) -> Result<Vec<(String, String)>, Error> {
    let mut carried = Vec::new();
    for field in picked(meta, params)? {
        carried.push((PICK.to_owned(), field.name.to_owned()));
        carried.extend(params.get_all(field.name).map(|v| (field.name.to_owned(), v.to_owned())));
    }
    Ok(carried)
}

/// What "Change fields" would do to the selected rows.
#[derive(Debug, Default)]
pub(crate) struct Preview {
    /// The rows selected.
    pub(crate) count: usize,
    /// Those whose values would change.
    pub(crate) changing: usize,
    /// Those the model admin refuses.
    pub(crate) refused: usize,
    /// The fields set, as the table's columns.
    pub(crate) columns: Vec<Json>,
    /// The first [`SHOWN`] rows, and the first [`SHOWN`] refused.
    pub(crate) rows: Vec<Json>,
    /// The version of the rows, for "Apply" to carry.
    pub(crate) seen: Option<String>,
}

/// Reads every selected row, batch by batch, and checks what `data` makes
/// of it.
pub(crate) fn preview<M: Model>(
    conn: &mut AnyConnection,
    caller: &Caller,
    mut selection: Selection<M>,
    hooks: RowHooks<M>,
    data: &Data,
) -> Result<Preview, Error> {
    let meta = M::meta();
    let config = config_of(meta).unwrap_or(&AdminConfig::DEFAULT);
    let fields: Vec<_> = data.values().iter().map(|(f, _)| *f).collect();
    let mut preview = Preview {
        columns: fields.iter().map(|f| json!({"name": f.name, "label": config.label(f)})).collect(),
        ..Preview::default()
    };
    let (mut shown, mut shown_refused) = (0, 0);
    while let Some(rows) = selection.next_batch(conn, caller)? {
        for row in rows {
            preview.count += 1;
            let checked = check_row(hooks, caller, data, &row);
            let (changes, errors) = match &checked {
                Ok(values) => (!holds(&row, values), Vec::new()),
                Err(errors) => (false, errors.clone()),
            };
            preview.changing += usize::from(changes);
            let show = if errors.is_empty() {
                shown += 1;
                shown <= SHOWN
            } else {
                preview.refused += 1;
                shown_refused += 1;
                shown_refused <= SHOWN
            };
            if !show {
                continue;
            }
            let cells: Vec<Json> = fields
                .iter()
                .map(|field| {
                    let before = row.value(field.name).unwrap_or(Value::Null);
                    let after = match &checked {
                        Ok(values) => values.get(field.name).cloned().unwrap_or_else(|| before.clone()),
                        Err(_) => data.get(field.name).cloned().unwrap_or_else(|| before.clone()),
                    };
                    json!({
                        "before": readonly_text(field, &before),
                        "after": readonly_text(field, &after),
                        "changed": before != after,
                    })
                })
                .collect();
            preview.rows.push(json!({
                "display": display(&row),
                "cells": cells,
                "changes": changes,
                "errors": errors,
            }));
        }
    }
    preview.seen = selection.seen();
    Ok(preview)
}
