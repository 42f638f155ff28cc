//! What a list or an export shows of each row: fields, paths through
//! relations and methods, with the related values loaded in one query per
//! relation for the whole page.

use std::collections::HashMap;

use super::config::{config_of, shown_through_relation, AdminColumn, AdminConfig, AdminModel};
use crate::db::AnyConnection;
use crate::model::{FieldMeta, ModelEntry, ModelMeta, RelationMeta, SqlKind, Value};
use crate::Error;

/// A column resolved against the model.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// As configured: `user__username`, `content`, or a method's name.
    pub(crate) key: String,
    pub(crate) label: String,
    /// The relations the path goes through.
    pub(crate) hops: Vec<&'static RelationMeta>,
    /// The field at the end, or `None` for a relation (shown by its display line).
    pub(crate) field: Option<&'static FieldMeta>,
    /// A method of the model.
    pub(crate) method: Option<&'static str>,
}

impl Column {
    /// The ordering term that sorts by this column, if it sorts: its path,
    /// or for a relation, the foreign key; never a method, a JSON document
    /// or bytes.
    pub(crate) fn sort_term(&self) -> Option<String> {
        if self.method.is_some() || self.field.is_some_and(|f| matches!(f.kind, SqlKind::Jsonb | SqlKind::Binary)) {
            return None;
        }
        let (segments, last) = match self.field {
            Some(field) => (&self.hops[..], field.name),
            None => {
                let (last, init) = self.hops.split_last()?;
                (init, last.field)
            }
        };
        let mut names: Vec<&str> = segments.iter().map(|r| r.name).collect();
        names.push(last);
        Some(names.join("__"))
    }

    /// Whether the values are numbers, for right alignment.
    pub(crate) fn numeric(&self) -> bool {
        self.field.is_some_and(|f| {
            matches!(
                f.kind,
                SqlKind::SmallInt
                    | SqlKind::Integer
                    | SqlKind::BigInt
                    | SqlKind::Float
                    | SqlKind::Double
                    | SqlKind::Numeric
            )
        }) && self.hops.is_empty()
    }
}

/// `user` → `User`.
fn title(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect()).replace('_', " ")
}

/// Resolves `path` (fields and relations joined by `__`) from `meta`: the
/// relations it goes through and the field at its end (`None` when it ends
/// with a relation, or with a foreign key field, which show the related
/// row's display line). `None` when a segment is unknown, or a related
/// field is one the admin must not show.
pub(crate) fn resolve(
    meta: &'static ModelMeta,
    config: &AdminConfig,
    path: &str,
) -> Option<(Vec<&'static RelationMeta>, Option<&'static FieldMeta>, String)> {
    let segments: Vec<&str> = path.split("__").collect();
    let mut model = meta;
    let mut hops = Vec::new();
    let mut labels = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if let Some(relation) = model.relation(segment).filter(|_| !last || model.field(segment).is_none()) {
            hops.push(relation);
            labels.push(title(relation.name));
            model = relation.target;
            if last {
                return Some((hops, None, labels.join(" › ")));
            }
            continue;
        }
        if !last {
            return None;
        }
        let field = model.field(segment)?;
        let allowed = if hops.is_empty() { config.shows(field.name) } else { shown_through_relation(model, field) };
        if !allowed {
            return None;
        }
        // A foreign key field shows the related row.
        if let Some(relation) = model.relation_of_field(field.name) {
            hops.push(relation);
            labels.push(if hops.len() == 1 {
                config.label(field).trim_end_matches(" Id").to_owned()
            } else {
                title(relation.name)
            });
            return Some((hops, None, labels.join(" › ")));
        }
        let label = if hops.is_empty() {
            config.label(field).to_owned()
        } else {
            config_of(model).map_or(field.verbose_name, |c| c.label(field)).to_owned()
        };
        labels.push(label);
        return Some((hops, Some(field), labels.join(" › ")));
    }
    None
}

/// The list's columns: `columns(...)` as configured, else every field
/// the admin shows but the primary key.
pub(crate) fn columns<M: AdminModel>() -> Vec<Column> {
    let (meta, config) = (M::meta(), M::admin());
    let configured: Vec<AdminColumn> = match config.columns {
        Some(columns) => columns.to_vec(),
        None => {
            let shown = meta.fields.iter().filter(|f| config.shows(f.name));
            shown.map(|f| AdminColumn::Field(f.name)).collect()
        }
    };
    configured
        .into_iter()
        .filter_map(|column| match column {
            AdminColumn::Method(name) => Some(Column {
                key: name.to_owned(),
                label: title(name),
                hops: Vec::new(),
                field: None,
                method: Some(name),
            }),
            AdminColumn::Field(path) => {
                let (hops, field, label) = resolve(meta, config, path)?;
                Some(Column { key: path.to_owned(), label, hops, field, method: None })
            }
        })
        .collect()
}

/// The cells of `rows`, column by column: related values in one query per
/// relation for the whole page.
pub(crate) fn cells<M: AdminModel>(
    conn: &mut AnyConnection,
    columns: &[Column],
    rows: &[M],
) -> Result<Vec<Vec<Value>>, Error> {
    let mut table: Vec<Vec<Value>> = vec![Vec::with_capacity(columns.len()); rows.len()];
    for column in columns {
        let values: Vec<Value> = if let Some(method) = column.method {
            rows.iter().map(|r| r.method_column(method).map_or(Value::Null, Value::Text)).collect()
        } else if let Some(first) = column.hops.first() {
            let keys = rows.iter().map(|r| r.value(first.field).unwrap_or(Value::Null)).collect();
            related_values(conn, column, keys)?
        } else {
            let field = column.field.map_or("", |f| f.name);
            rows.iter().map(|r| r.value(field).unwrap_or(Value::Null)).collect()
        };
        for (row, value) in table.iter_mut().zip(values) {
            row.push(value);
        }
    }
    Ok(table)
}

/// The value of `column` for each row, whose values of the first hop's
/// foreign key are `keys`: one query per hop for the whole batch.
fn related_values(conn: &mut AnyConnection, column: &Column, keys: Vec<Value>) -> Result<Vec<Value>, Error> {
    let mut current = keys;
    for (i, hop) in column.hops.iter().enumerate() {
        let last = i + 1 == column.hops.len();
        let wanted: Vec<Value> = {
            let mut distinct: Vec<Value> = Vec::new();
            for key in current.iter().filter(|k| !k.is_null()) {
                if !distinct.contains(key) {
                    distinct.push(key.clone());
                }
            }
            distinct
        };
        let entry = ModelEntry::find(hop.target)
            .ok_or_else(|| Error::BadRequest(format!("`{}` is not a registered model", hop.target.name)))?;
        let next_field = if last { column.field.map(|f| f.name) } else { Some(column.hops[i + 1].field) };
        let fields: Vec<&str> = next_field.into_iter().collect();
        let rows = if wanted.is_empty() { Vec::new() } else { entry.values_by_keys(conn, &wanted, &fields)? };
        let by_key: HashMap<String, Value> = rows
            .into_iter()
            .map(|row| {
                let value = match (last, column.field) {
                    (true, None) => Value::Text(row.display),
                    _ => row.values.into_iter().next().unwrap_or(Value::Null),
                };
                (row.pk.to_string(), value)
            })
            .collect();
        current =
            current
                .into_iter()
                .map(|key| {
                    if key.is_null() {
                        Value::Null
                    } else {
                        by_key.get(&key.to_string()).cloned().unwrap_or(Value::Null)
                    }
                })
                .collect();
    }
    Ok(current)
}
