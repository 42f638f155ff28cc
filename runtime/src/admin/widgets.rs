//! How the form shows each field: its widget (typed input, select,
//! checkbox, textarea, password, file, or the type-ahead picker of a
//! foreign key with many rows), its value and its errors, as `field.hbs`
//! reads it.

use serde_json::{json, Value as Json};

use super::config::{AdminConfig, AdminWidget};
use super::ops::AdminOps;
use crate::auth::Caller;
use crate::db::AnyConnection;
use crate::forms::clear_name;
use crate::model::{FieldMeta, ModelEntry, ModelMeta, Precision, SqlKind, Value};
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

/// A stored file a bytes field's widget shows: its size and where to
/// download it.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    pub(crate) size: String,
    pub(crate) url: Option<String>,
}

/// What a field's widget shows.
pub(crate) struct Shown<'a> {
    pub(crate) readonly: bool,
    pub(crate) value: Option<&'a str>,
    pub(crate) checked: bool,
    pub(crate) errors: Vec<String>,
    pub(crate) picker: Option<&'a Picker>,
    pub(crate) picker_url: &'a str,
    /// Whether the form adds a row: a field the database fills may be left
    /// empty.
    pub(crate) adding: bool,
    /// A bytes field's stored file, if it holds one.
    pub(crate) file: Option<StoredFile>,
    /// Whether a file chosen for this field was dropped because the form
    /// had errors (a browser cannot be handed it back).
    pub(crate) file_dropped: bool,
}

/// The `step` of a decimal's number input: one unit of its last place
/// (`0.01` for two places), any step when its scale is not known.
fn decimal_step(field: &FieldMeta) -> String {
    match field.precision {
        Some(Precision { decimal_places: 0, .. }) => "1".to_owned(),
        Some(Precision { decimal_places, .. }) => format!("0.{}1", "0".repeat(decimal_places as usize - 1)),
        None => "any".to_owned(),
    }
}

/// The widget of a field, as `field.hbs` reads it.
pub(crate) fn widget(config: &AdminConfig, field: &'static FieldMeta, shown: Shown<'_>) -> Json {
    let Shown { readonly, value, checked, errors, picker, picker_url, adding, file, file_dropped } = shown;
    let options = config.options(field.name);
    // A foreign key is labelled by its relation: "User", not "User Id".
    let mut label = match options.and_then(|o| o.label) {
        Some(label) => label.to_owned(),
        None => config.label(field).trim_end_matches(" Id").to_owned(),
    };
    // An instant is shown and read in UTC, and says so.
    if field.kind == SqlKind::Timestamptz {
        label.push_str(" (UTC)");
    }
    let help_text = options.and_then(|o| o.help_text);
    let password = config.is_password(field.name);
    let value = if password { "" } else { value.unwrap_or_default() };
    let mut described_by: Vec<String> = Vec::new();
    if help_text.is_some() {
        described_by.push(format!("help_{}", field.name));
    }
    described_by.extend((0..errors.len()).map(|i| format!("error_{}_{i}", field.name)));
    // Left empty on an add, a field the database fills takes its default.
    let optional = field.nullable || (adding && field.db_default);
    let required = !optional
        && match field.kind {
            SqlKind::Bool => false,
            SqlKind::Text => field.not_blank || !field.choices.is_empty(),
            // Left empty, an edit keeps the stored bytes.
            SqlKind::Binary => adding,
            _ => true,
        };
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
    let choice =
        |value: &str, label: &str, selected: bool| json!({"value": value, "label": label, "selected": selected});
    let (kind, input_type, step): (&str, &str, Option<String>) = match (field.kind, picker) {
        (_, Some(Picker::Select(choices))) => {
            let mut options: Vec<Json> = Vec::with_capacity(choices.len() + 1);
            if field.nullable || value.is_empty() {
                options.push(choice("", "—", value.is_empty()));
            }
            options.extend(choices.iter().map(|(key, label)| {
                let key = key.to_string();
                choice(&key, label, key == value)
            }));
            json["choices"] = Json::Array(options);
            ("select", "", None)
        }
        (_, Some(Picker::TypeAhead(current))) => {
            json["lookup_url"] = Json::String(picker_url.to_owned());
            json["display"] = Json::String(current.clone());
            // The key the picker fills in: a number, or a UUID's or a slug's text.
            let integer = field.kind.is_integer();
            json["lookup_type"] = Json::String(if integer { "number" } else { "text" }.to_owned());
            json["lookup_number"] = Json::Bool(integer);
            ("lookup", "", None)
        }
        (SqlKind::Bool, _) if !field.nullable => ("checkbox", "", None),
        (SqlKind::Bool, _) => {
            let choices = [("", "—"), ("true", "yes"), ("false", "no")];
            json["choices"] = choices.iter().map(|(v, l)| choice(v, l, *v == value)).collect();
            ("select", "", None)
        }
        (SqlKind::Text, _) if !field.choices.is_empty() => {
            let mut options: Vec<Json> = Vec::with_capacity(field.choices.len() + 1);
            if field.nullable || value.is_empty() {
                let blank = if adding && field.db_default { "— (the default)" } else { "—" };
                options.push(choice("", blank, value.is_empty()));
            }
            options.extend(field.choices.iter().map(|c| choice(c.value, c.label, c.value == value)));
            json["choices"] = Json::Array(options);
            // A readonly choice shows its label.
            if let Some(label) = field.choice_label(value) {
                json["display"] = Json::String(label.to_owned());
            }
            ("select", "", None)
        }
        (SqlKind::Text, _) if options.and_then(|o| o.widget) == Some(AdminWidget::Textarea) => ("textarea", "", None),
        (SqlKind::Text, _) if password => ("input", "password", None),
        (SqlKind::Text, _) => ("input", "text", None),
        (SqlKind::SmallInt | SqlKind::Integer | SqlKind::BigInt, _) => ("input", "number", Some("1".to_owned())),
        (SqlKind::Float | SqlKind::Double, _) => ("input", "number", Some("any".to_owned())),
        (SqlKind::Date, _) => ("input", "date", None),
        (SqlKind::Time, _) => ("input", "time", Some("1".to_owned())),
        (SqlKind::Timestamp | SqlKind::Timestamptz, _) => ("input", "datetime-local", Some("1".to_owned())),
        (SqlKind::Uuid, _) => {
            json["no_spellcheck"] = Json::Bool(true);
            ("input", "text", None)
        }
        (SqlKind::Numeric, _) => ("input", "number", Some(decimal_step(field))),
        (SqlKind::Jsonb, _) => {
            // Tall enough for the document, within reason.
            json["rows"] = json!(value.lines().count().clamp(4, 24));
            json["code"] = Json::Bool(true);
            ("textarea", "", None)
        }
        (SqlKind::Binary, _) => {
            json["file"] = json!({
                "size": file.as_ref().map(|f| f.size.clone()),
                "url": file.as_ref().and_then(|f| f.url.clone()),
                "clearable": field.nullable && file.is_some(),
                "clear_name": clear_name(field.name),
                "dropped": file_dropped,
            });
            json["display"] = Json::String(file.map_or_else(|| "—".to_owned(), |f| f.size));
            ("file", "file", None)
        }
    };
    json["widget"] = json!({ kind: true });
    json["input_type"] = Json::String(input_type.to_owned());
    json["step"] = step.map_or(Json::Null, Json::String);
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
