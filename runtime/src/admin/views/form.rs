//! `GET/POST <prefix>/<model>/add/` and `<prefix>/<model>/<pk>/`: the form,
//! typed widgets for every field, errors kept beside their fields, and a
//! save that writes the audit log in the same transaction.

use diesel::Connection;
use rocket::data::Data;
use rocket::http::Status;
use rocket::response::Redirect;
use serde_json::{json, Value as Json};

use super::config::{AdminConfig, AdminWidget};
use super::list::render_error;
use super::log::{changes, record, Action};
use super::page::{context, model_crumbs, render, template_name, Answer};
use super::view::Ctx;
use super::{AdminModel, ModelAdmin};
use crate::auth::{read_checked_form, Caller, Session, UserModel};
use crate::db::AnyConnection;
use crate::forms::{encode_component, parse_html_form, FormErrors, Params, REQUIRED};
use crate::model::{display, load_by_keys, FieldMeta, Model, ModelEntry, ModelMeta, SqlKind, Value};
use crate::utils::make_password;
use crate::Error;

/// The largest form the admin reads: a long text field fits.
const FORM_LIMIT: u64 = 1 << 20;

/// A foreign key with more related rows than this gets the type-ahead
/// picker, never a select of every row.
pub(crate) const MAX_SELECT_CHOICES: u64 = 100;

/// How a foreign key is picked.
#[derive(Debug, Clone)]
enum Picker {
    /// A select of every related row: (key, label).
    Select(Vec<(Value, String)>),
    /// The type-ahead picker, and the current row's label.
    Lookup(String),
    /// A plain number: the related model has no admin here.
    Number,
}

/// A value as its input shows it: `datetime-local` wants `T` and seconds.
fn input_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Timestamp(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        Value::Time(t) => t.format("%H:%M:%S").to_string(),
        other => other.to_string(),
    }
}

/// What a field's widget shows.
struct Shown<'a> {
    readonly: bool,
    value: Option<&'a str>,
    checked: bool,
    errors: Vec<String>,
    picker: Option<&'a Picker>,
    lookup_url: &'a str,
}

/// The widget of a field, as `field.hbs` reads it.
fn widget(config: &AdminConfig, field: &'static FieldMeta, shown: Shown<'_>) -> Json {
    let Shown { readonly, value, checked, errors, picker, lookup_url } = shown;
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
        (_, Some(Picker::Lookup(current))) => {
            json["lookup_url"] = Json::String(lookup_url.to_owned());
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
        (SqlKind::Timestamp, _) => ("input", "datetime-local", Some("1")),
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
fn pickers(
    conn: &mut AnyConnection,
    caller: &Caller,
    state_models: &[super::ops::AdminOps],
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
        let Some(ops) = state_models.iter().find(|ops| std::ptr::eq((ops.meta)(), target)) else {
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
        out.push((field.name, Picker::Lookup(label)));
    }
    Ok(out)
}

/// Why a save did not happen: the form's errors (nothing written), or a
/// failure.
enum NotSaved {
    Invalid(FormErrors),
    Failed(Error),
}

impl From<diesel::result::Error> for NotSaved {
    fn from(e: diesel::result::Error) -> Self {
        NotSaved::Failed(e.into())
    }
}

impl From<crate::db::DbError> for NotSaved {
    fn from(e: crate::db::DbError) -> Self {
        NotSaved::Failed(e.into())
    }
}

impl From<Error> for NotSaved {
    fn from(e: Error) -> Self {
        NotSaved::Failed(e)
    }
}

/// A value already taken, as the form's error beside each field involved.
fn taken(meta: &'static ModelMeta, fields: &[String]) -> FormErrors {
    let mut errors = FormErrors::default();
    let named: Vec<&'static str> = fields.iter().filter_map(|f| meta.field(f).map(|f| f.name)).collect();
    if named.is_empty() {
        errors.push("__all__", "A value that must be unique is already taken.");
    }
    for name in named {
        errors.push(name, "This value is already taken.");
    }
    errors
}

/// The values a form posts for the model `M`: typed, with passwords hashed
/// (a blank one keeps the old), readonly fields and the key left out.
fn posted<M: AdminModel>(
    params: &Params,
    editable: &[&'static FieldMeta],
    adding: bool,
) -> Result<crate::model::Data, FormErrors> {
    let config = M::admin();
    let (passwords, others): (Vec<&'static FieldMeta>, Vec<&'static FieldMeta>) =
        editable.iter().partition(|f| config.is_password(f.name));
    let mut errors = FormErrors::default();
    let mut data = match parse_html_form(M::meta(), &others, params) {
        Ok(data) => data,
        Err(e) => {
            errors = e;
            crate::model::Data::new(M::meta())
        }
    };
    for field in passwords {
        let raw = params.get(field.name).unwrap_or_default();
        if raw.is_empty() {
            if adding && !field.nullable {
                errors.push(field.name, REQUIRED);
            }
            continue;
        }
        if let Err(message) = data.set(field.name, Value::Text(make_password(raw))) {
            errors.push(field.name, message);
        }
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

pub(crate) async fn form<A: ModelAdmin, U: UserModel>(
    ctx: &Ctx<'_, '_>,
    pk: Option<String>,
    data: Option<Data<'_>>,
) -> Answer {
    let meta = A::Model::meta();
    let config = A::Model::admin();
    let url = ctx.state.model_url(meta);
    let fields = config.form_fields(meta);
    let readonly = |f: &FieldMeta| f.primary_key || config.readonly_fields.contains(&f.name);
    let editable: Vec<&'static FieldMeta> = fields.iter().copied().filter(|f| !readonly(f)).collect();

    // The submitted form, read and checked before anything else.
    let submitted = match data {
        Some(data) => match read_checked_form::<U>(ctx.request, data, FORM_LIMIT).await {
            Ok(params) => Some(params),
            Err(page) => return Answer::Page(page),
        },
        None => None,
    };
    let list_query = submitted
        .as_ref()
        .and_then(|p| p.get("_list").map(str::to_owned))
        .or_else(|| Params::of_query(ctx.request.uri()).get("_list").map(str::to_owned))
        .unwrap_or_default();

    let mut errors = FormErrors::default();
    if let Some(params) = &submitted {
        let adding = pk.is_none();
        match posted::<A::Model>(params, &editable, adding) {
            Err(invalid) => errors = invalid,
            Ok(mut data) => {
                let caller = ctx.caller.clone();
                let object_pk = pk.clone();
                let fields = fields.clone();
                let saved = ctx
                    .db
                    .run_write(move |conn| {
                        conn.transaction(|conn| {
                            let existing = match &object_pk {
                                Some(pk) => Some(A::get_object(conn, &caller, pk)?),
                                None => None,
                            };
                            A::validate(&caller, &data, existing.as_ref()).map_err(NotSaved::Invalid)?;
                            A::before_save(&caller, &mut data, existing.as_ref())?;
                            let key = A::save_model(conn, &caller, &data, existing.as_ref())?;
                            A::after_save(conn, &caller, &key, existing.is_none())?;
                            let saved = load_by_keys::<A::Model>(conn, std::slice::from_ref(&key))?
                                .pop()
                                .ok_or(Error::NotFound)?;
                            let values = |row: &A::Model| -> Vec<Value> {
                                fields.iter().map(|f| row.value(f.name).unwrap_or(Value::Null)).collect()
                            };
                            let before = existing.as_ref().map(values);
                            let after = values(&saved);
                            let changed = changes(&fields, before.as_deref(), Some(&after), |f| config.is_password(f));
                            let action = if existing.is_some() { Action::Change } else { Action::Add };
                            let repr = display(&saved);
                            record(conn, &caller, meta, &key, &repr, action, &changed)?;
                            Ok::<_, NotSaved>((key, repr))
                        })
                    })
                    .await;
                match saved {
                    Ok((key, _)) => {
                        let session = Session::of(ctx.request);
                        let message = if pk.is_some() {
                            format!("Changes to {} saved", meta.verbose_name)
                        } else {
                            format!("New {} saved", meta.verbose_name)
                        };
                        session.flash("success", message);
                        let target = if params.contains("_addanother") {
                            format!("{url}add/")
                        } else if params.contains("_continue") {
                            format!("{url}{}/", encode_component(&key.to_string()))
                        } else if list_query.is_empty() {
                            url.clone()
                        } else {
                            format!("{url}?{list_query}")
                        };
                        return Answer::Redirect(Redirect::to(target));
                    }
                    Err(NotSaved::Invalid(invalid)) => errors = invalid,
                    Err(NotSaved::Failed(Error::Unique { fields })) => errors = taken(meta, &fields),
                    Err(NotSaved::Failed(e)) => return render_error::<U>(ctx, e).await,
                }
            }
        }
    }

    // The page: the object's values, or what was submitted.
    let caller = ctx.caller.clone();
    let state_models = ctx.state.models.clone();
    let load_pk = pk.clone();
    let form_fields = fields.clone();
    let submitted_params = submitted.clone();
    let loaded = ctx
        .db
        .run(move |conn| {
            let existing = match &load_pk {
                Some(pk) => Some(A::get_object(conn, &caller, pk)?),
                None => None,
            };
            let current = |name: &str| -> Option<Value> {
                match &submitted_params {
                    Some(params) => {
                        let raw = params.get(name)?;
                        let field = meta.field(name)?;
                        Value::parse(field.kind, raw)
                    }
                    None => existing.as_ref().and_then(|o| o.value(name)),
                }
            };
            let pickers = pickers(conn, &caller, &state_models, meta, config, &form_fields, &current)?;
            let values: Vec<(Option<String>, bool)> = form_fields
                .iter()
                .map(|f| match &submitted_params {
                    Some(params) if !readonly(f) => {
                        let raw = params.get(f.name);
                        let checked = raw.is_some_and(|r| r == "on" || crate::model::parse_bool(r) == Some(true));
                        (raw.map(str::to_owned), checked)
                    }
                    _ => {
                        let value = existing.as_ref().and_then(|o| o.value(f.name));
                        let checked = matches!(value, Some(Value::Bool(true)));
                        (value.as_ref().map(input_text), checked)
                    }
                })
                .collect();
            let repr = existing.as_ref().map(display);
            Ok::<_, Error>((pickers, values, repr))
        })
        .await;
    let (pickers, values, repr) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return render_error::<U>(ctx, e).await,
    };

    let lookup_base = format!("{url}lookup/");
    let field_json = |field: &'static FieldMeta, (value, checked): &(Option<String>, bool)| {
        let picker = pickers.iter().find(|(name, _)| *name == field.name).map(|(_, p)| p);
        let field_errors: Vec<String> = errors.of(field.name).map(str::to_owned).collect();
        let lookup_url = format!("{lookup_base}{}/", field.name);
        let shown_value = value.as_deref().map(|v| {
            if readonly(field) {
                // Show a foreign key's related row, and readable values.
                match picker {
                    Some(Picker::Select(choices)) => choices
                        .iter()
                        .find(|(k, _)| k.to_string() == v)
                        .map_or_else(|| v.to_owned(), |(_, l)| l.clone()),
                    Some(Picker::Lookup(label)) if !label.is_empty() => label.clone(),
                    _ => v.to_owned(),
                }
            } else {
                v.to_owned()
            }
        });
        let shown = Shown {
            readonly: readonly(field),
            value: shown_value.as_deref(),
            checked: *checked,
            errors: field_errors,
            picker,
            lookup_url: &lookup_url,
        };
        widget(config, field, shown)
    };
    let by_name: Vec<(&'static str, Json)> =
        fields.iter().zip(&values).map(|(field, value)| (field.name, field_json(field, value))).collect();
    let take = |names: &[&str]| -> Vec<Json> {
        names.iter().filter_map(|n| by_name.iter().find(|(f, _)| f == n).map(|(_, j)| j.clone())).collect()
    };
    let fieldsets: Vec<Json> = if config.fieldsets.is_empty() {
        vec![json!({"title": null, "fields": by_name.iter().map(|(_, j)| j.clone()).collect::<Vec<_>>()})]
    } else {
        config.fieldsets.iter().map(|set| json!({"title": set.title, "fields": take(set.fields)})).collect()
    };
    // Errors of fields the form does not show.
    let shown: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let form_errors: Vec<String> = errors
        .0
        .iter()
        .filter(|e| !shown.contains(&e.field))
        .map(|e| if e.message.contains('`') { e.message.clone() } else { format!("`{}`: {}", e.field, e.message) })
        .collect();

    let heading = match &repr {
        Some(repr) => format!("Change {}: {repr}", meta.verbose_name),
        None => format!("Add {}", meta.verbose_name),
    };
    let object_url = pk.as_ref().map(|pk| format!("{url}{}/", encode_component(pk)));
    let action = object_url.clone().unwrap_or_else(|| format!("{url}add/"));
    let page = match context::<U>(ctx.request, ctx.state, &ctx.caller, &heading, Some(meta)).await {
        Ok(page) => page,
        Err(page) => return Answer::Page(page),
    };
    let list_url = if list_query.is_empty() { url.clone() } else { format!("{url}?{list_query}") };
    let page = page
        .insert("breadcrumbs", model_crumbs(ctx.state, meta, &list_url, &[(repr.as_deref().unwrap_or("Add"), None)]))
        .insert("heading", &heading)
        .insert("object", repr.is_some())
        .insert("errors", !errors.is_empty())
        .insert("form_errors", form_errors)
        .insert("fieldsets", fieldsets)
        .insert("list_query", &list_query)
        .insert(
            "urls",
            json!({
                "action": action,
                "history": object_url.as_ref().map(|u| format!("{u}history/")),
                "delete": object_url.as_ref().map(|u| format!("{u}delete/")),
            }),
        );
    render(ctx.request, Status::Ok, &template_name(A::get_template_overrides(), "form"), page)
}
