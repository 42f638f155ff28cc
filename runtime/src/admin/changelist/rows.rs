//! The list's result rows, their cells as text, each drawn by
//! `hangar/admin/list_row`.

use serde_json::{json, Value as Json};

use crate::admin::columns::Column;
use crate::admin::present::cell_value;
use crate::forms::encode_component;
use crate::model::{display, Model, Value};
use crate::templates::{push_escaped, push_escaped_display, Fragment};

/// One row of the list, as its template shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResultRow {
    /// The primary key, as text.
    pub(crate) pk: String,
    /// The row's edit page.
    pub(crate) url: String,
    /// The row's display line: the checkbox's label.
    pub(crate) display: String,
    /// Whether the row has a checkbox to select it for a bulk delete: only
    /// for a caller who may delete.
    pub(crate) select: bool,
    /// Each column's value, shown as [`cell_text`] says, and whether it is
    /// a number (aligned right).
    pub(crate) cells: Vec<(Value, bool)>,
}

impl Fragment for ResultRow {
    const TEMPLATE: &'static str = "hangar/admin/list_row";

    fn to_json(&self) -> Json {
        let cells: Vec<Json> =
            self.cells.iter().map(|(value, numeric)| json!({"text": cell_text(value), "numeric": numeric})).collect();
        json!({"pk": self.pk, "url": self.url, "display": self.display, "select": self.select, "cells": cells})
    }

    fn write_html(&self, out: &mut String) {
        out.push_str("<tr>");
        if self.select {
            out.push_str("<td class=\"select\"><input type=\"checkbox\" name=\"id\" value=\"");
            push_escaped(out, &self.pk);
            out.push_str("\" aria-label=\"Select ");
            push_escaped(out, &self.display);
            out.push_str("\"></td>");
        }
        for (i, (value, numeric)) in self.cells.iter().enumerate() {
            out.push_str(if *numeric { "<td class=\"number\">" } else { "<td>" });
            if i == 0 {
                out.push_str("<a href=\"");
                push_escaped(out, &self.url);
                out.push_str("\">");
                push_cell(out, value);
                out.push_str("</a>");
            } else {
                push_cell(out, value);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
}

/// What a cell shows of a value: a dash for NULL, yes/no for booleans.
fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        other => other.to_string(),
    }
}

/// Appends [`cell_text`] of `value`, escaped, without a string of its own.
fn push_cell(out: &mut String, value: &Value) {
    match value {
        Value::Null | Value::Bool(_) => out.push_str(&cell_text(value)),
        other => push_escaped_display(out, other),
    }
}

/// The page's rows: `table` holds each row's values, column by column,
/// each shown as [`cell_value`] says (labels, instants in UTC, short JSON,
/// sizes of bytes); with a checkbox each when `select`.
pub(crate) fn result_rows<M: Model>(
    rows: &[M],
    columns: &[Column],
    table: Vec<Vec<Value>>,
    url: &str,
    select: bool,
) -> Vec<ResultRow> {
    let numeric: Vec<bool> = columns.iter().map(Column::numeric).collect();
    rows.iter()
        .zip(table)
        .map(|(row, values)| {
            let pk = row.pk().to_string();
            ResultRow {
                url: format!("{url}{}/", encode_component(&pk)),
                pk,
                display: display(row),
                select,
                cells: values
                    .into_iter()
                    .zip(columns)
                    .zip(&numeric)
                    .map(|((value, column), numeric)| (cell_value(column.field, value), *numeric))
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::{assert_written_as_drawn, render_fragments, Templates};

    use crate::Error;

    fn rows() -> Vec<ResultRow> {
        vec![
            ResultRow {
                pk: "1".into(),
                url: "/admin/message/1/".into(),
                display: "hello".into(),
                select: true,
                cells: vec![
                    (Value::Text("hello".into()), false),
                    (Value::Integer(42), true),
                    (Value::Null, false),
                    (Value::Bool(true), false),
                ],
            },
            ResultRow {
                pk: "a b&c".into(),
                url: "/admin/tag/a%20b%26c/".into(),
                display: "<b>\"it's\"</b> `x`=y".into(),
                select: true,
                cells: vec![(Value::Text("<script>alert(1)</script>".into()), false), (Value::Double(-1.5), true)],
            },
            ResultRow {
                pk: "7".into(),
                url: "/admin/tag/7/".into(),
                display: String::new(),
                select: false,
                cells: vec![(Value::Integer(7), true)],
            },
        ]
    }

    #[test]
    fn rows_written_in_rust_are_what_the_row_partial_draws() -> Result<(), Error> {
        for row in rows() {
            assert_written_as_drawn(&row)?;
        }
        let html = render_fragments(&Templates::embedded()?, &rows())?;
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        Ok(())
    }

    #[test]
    fn a_row_partial_of_the_apps_own_draws_every_row() -> Result<(), Error> {
        let mut templates = Templates::embedded()?;
        templates.add(ResultRow::TEMPLATE, "<tr data-pk=\"{{pk}}\">{{#each cells}}<td>{{text}}</td>{{/each}}</tr>")?;
        let html = render_fragments(&templates, &rows())?;
        assert!(html.starts_with("<tr data-pk=\"1\"><td>hello</td><td>42</td><td>—</td><td>yes</td></tr>"), "{html}");
        assert_eq!(html.matches("<tr data-pk").count(), 3);
        Ok(())
    }
}
