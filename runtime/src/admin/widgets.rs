//! How the form shows each field: its widget (typed input, select,
//! checkbox, textarea, password, or the type-ahead picker of a foreign
//! key with many rows), its value and its errors, as `field.hbs` reads it.

use serde_json::{json, Value as Json};

use super::config::{AdminConfig, AdminWidget};
use super::ops::AdminOps;
use crate::auth::Caller;
use crate::db::AnyConnection;
use crate::model::{FieldMeta, ModelEntry, ModelMeta, SqlKind, Value};
use crate::Error;

/// A foreign key with more related rows than this gets the type-ahead
/// picker, never a select of every row.
const MAX_SELECT_CHOICES: u64 = 100;

/// How a foreign key is picked.
#[derive(Debug, Clone)]
pub(crate) enum Picker {
    /// A select of every related row: (key, label).
    Select(Vec<(Value, String)>),
    /// The type-ahead picker, and the current row's label.
    TypeAhead(String),
    /// A plain number: the related model has no admin here.
    Number,
}

/// A value as its input shows it: `datetime-local` wants `T` and seconds.
pub(crate) fn input_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Timestamp(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        Value::Time(t) => t.format("%H:%M:%S").to_string(),
        other => other.to_string(),
    }
}

/// What a field's widget shows.
pub(crate) struct Shown<'a> {
    pub(crate) readonly: bool,
    pub(crate) value: Option<&'a str>,
    pub(crate) checked: bool,
    pub(crate) errors: Vec<String>,
    pub(crate) picker: Option<&'a Picker>,
    pub(crate) picker_url: &'a str,
}

/// The widget of a field, as `field.hbs` reads it.
pub(crate) fn widget(config: &AdminConfig, field: &'static FieldMeta, shown: Shown<'_>) -> Json {
    let Shown { readonly, value, checked, errors, picker, picker_url } = shown;
    let options = config.options(field.name);
    // A foreign key is labelled by its relation: "User", not "User Id".
    let label = match options.and_then(|o| o.label) {
        Some(label) => label.to_owned(),
        None => config.label(field).trim_end_matches(" Id").to_owned(),
    };
    let help_text = options.and_then(|o| o.help_text);
    let password = config.is_password(field.name);
    let value = if password { "" } else { value.unwrap_or_default() };
    let mut described_by: Vec<String> = Vec::new();
    if help_text.is_some() {
        described_by.push(format!("help_{}", field.name));
    }
    described_by.extend((0..errors.len()).map(|i| format!("error_{}_{i}", field.name)));
    let required = !field.nullable && field.kind != SqlKind::Bool && (field.kind != SqlKind::Text || field.not_blank);
    let mut json = json!({
        "name": field.name,
        "label": label,
        "help_text": help_text,
        "errors": errors,
        "required": required && !password,
        "readonly": readonly,
        "display": value,
        "value": value,
        "checked": checked,
        "max_length": field.max_length,
        "described_by": if described_by.is_empty() { None } else { Some(described_by.join(" ")) },
    });
    let (kind, input_type, step) = match (field.kind, picker) {
        (_, Some(Picker::Select(choices))) => {
            let mut options: Vec<Json> = Vec::with_capacity(choices.len() + 1);
            if field.nullable || value.is_empty() {
                options.push(json!({"value": "", "label": "—", "selected": value.is_empty()}));
            }
            options.extend(choices.iter().map(|(key, label)| {
                let key = key.to_string();
                json!({"selected": key == value, "value": key, "label": label})
            }));
            json["choices"] = Json::Array(options);
            ("select", "", None)
        }
        (_, Some(Picker::TypeAhead(current))) => {
            json["lookup_url"] = Json::String(picker_url.to_owned());
            json["display"] = Json::String(current.clone());
            ("lookup", "", None)
        }
        (SqlKind::Bool, _) if !field.nullable => ("checkbox", "", None),
        (SqlKind::Bool, _) => {
            let choices = [("", "—"), ("true", "yes"), ("false", "no")];
            json["choices"] = choices
                .iter()
                .map(|(v, l)| {
                    let selected =
                        *v == value || (*v == "true" && value == "true") || (*v == "false" && value == "false");
                    json!({"value": v, "label": l, "selected": selected})
                })
                .collect();
            ("select", "", None)
        }
        (SqlKind::Text, _) if options.and_then(|o| o.widget) == Some(AdminWidget::Textarea) => ("textarea", "", None),
        (SqlKind::Text, _) if password => ("input", "password", None),
        (SqlKind::Text, _) => ("input", "text", None),
        (SqlKind::SmallInt | SqlKind::Integer | SqlKind::BigInt, _) => ("input", "number", Some("1")),
        (SqlKind::Float | SqlKind::Double, _) => ("input", "number", Some("any")),
        (SqlKind::Date, _) => ("input", "date", None),
        (SqlKind::Time, _) => ("input", "time", Some("1")),
        (SqlKind::Timestamp | SqlKind::Timestamptz, _) => ("input", "datetime-local", Some("1")),
        (SqlKind::Uuid, _) => ("input", "text", None),
        (SqlKind::Numeric, _) => ("input", "number", Some("any")),
        (SqlKind::Jsonb, _) => ("textarea", "", None),
        (SqlKind::Binary, _) => ("file", "file", None),
    };
    json["widget"] = json!({ kind: true });
    json["input_type"] = Json::String(input_type.to_owned());
    json["step"] = step.map_or(Json::Null, |s| Json::String(s.to_owned()));
    if password {
        json["autocomplete"] = Json::String("new-password".to_owned());
        json["help_text"] = Json::String(
            help_text.unwrap_or("Leave it blank to keep the current password; it is stored hashed.").to_owned(),
        );
        json["described_by"] = Json::String(format!("help_{}", field.name));
    }
    json
}

/// The pickers of the form's foreign keys, found with the related models'
/// admins: a select of at most 100 rows, else the type-ahead picker.
pub(crate) fn pickers(
    conn: &mut AnyConnection,
    caller: &Caller,
    registered: &[AdminOps],
    meta: &'static ModelMeta,
    config: &AdminConfig,
    fields: &[&'static FieldMeta],
    current: &dyn Fn(&str) -> Option<Value>,
) -> Result<Vec<(&'static str, Picker)>, Error> {
    let mut out = Vec::new();
    for field in fields {
        let Some(relation) = meta.relation_of_field(field.name) else {
            continue;
        };
        let target = relation.target;
        let Some(ops) = registered.iter().find(|ops| std::ptr::eq((ops.meta)(), target)) else {
            out.push((field.name, Picker::Number));
            continue;
        };
        let lookup_field = config.lookup_field(relation.name);
        let small =
            lookup_field.is_none() && (ops.count)(conn, caller)? <= i64::try_from(MAX_SELECT_CHOICES).unwrap_or(0);
        if small {
            let choices = (ops.choose)(conn, caller, None, "", 0, MAX_SELECT_CHOICES)?;
            out.push((field.name, Picker::Select(choices)));
            continue;
        }
        let label = match current(field.name).filter(|v| !v.is_null()) {
            Some(key) => {
                let entry = ModelEntry::find(target);
                let fields: Vec<&str> = lookup_field.into_iter().collect();
                let rows = match entry {
                    Some(entry) => entry.values_by_keys(conn, std::slice::from_ref(&key), &fields)?,
                    None => Vec::new(),
                };
                rows.into_iter()
                    .next()
                    .map(|row| match row.values.first() {
                        Some(value) if !value.is_null() => value.to_string(),
                        _ => row.display,
                    })
                    .unwrap_or_else(|| key.to_string())
            }
            None => String::new(),
        };
        out.push((field.name, Picker::TypeAhead(label)));
    }
    Ok(out)
}
