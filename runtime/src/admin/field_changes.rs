//! What the built-in action "Change fields" sets: the fields its form
//! ticks and the values it gives them, read as the model's own form reads
//! them, then checked against each selected row with the model admin's
//! `validate` and `before_save`.

use super::config::{config_of, AdminConfig};
use crate::auth::Caller;
use crate::forms::{read_html_form, FormErrors, HtmlForm, Params};
use crate::model::{Data, FieldMeta, Model, ModelMeta, SqlKind, Value};
use crate::Error;

/// The name of the checkbox that ticks a field to change; its value is the
/// field's name.
pub(crate) const PICK: &str = "_change";

/// The fields "Change fields" may set on `meta`'s rows: the form's
/// editable fields but the key, passwords (a value shared by many rows is
/// no password) and files.
pub(crate) fn changeable(meta: &'static ModelMeta) -> Vec<&'static FieldMeta> {
    let config = config_of(meta).unwrap_or(&AdminConfig::DEFAULT);
    config
        .editable_fields(meta, true)
        .into_iter()
        .filter(|f| !f.primary_key && f.kind != SqlKind::Binary && !config.is_password(f.name))
        .collect()
}

/// The fields a form ticked, in the model's order. A name that is no field
/// to change is a 400 naming it.
pub(crate) fn picked(meta: &'static ModelMeta, params: &Params) -> Result<Vec<&'static FieldMeta>, Error> {
    let fields = changeable(meta);
    let mut picked: Vec<&'static FieldMeta> = Vec::new();
    for name in params.get_all(PICK) {
        let Some(field) = fields.iter().find(|f| f.name == name) else {
            return Err(Error::BadRequest(format!(
                "`{PICK}`: {} have no field `{name}` that can be changed in bulk",
                meta.verbose_name_plural
            )));
        };
        if !picked.iter().any(|f| f.name == field.name) {
            picked.push(field);
        }
    }
    picked.sort_by_key(|f| fields.iter().position(|g| g.name == f.name));
    Ok(picked)
}

/// The values a form gives the fields it ticked: `Ok(Err(..))` with each
/// field's error beside it (or one asking for a field when none is
/// ticked); a 400 for a name that is no field to change.
pub(crate) fn read(meta: &'static ModelMeta, params: &Params) -> Result<Result<Data, FormErrors>, Error> {
    let picked = picked(meta, params)?;
    if picked.is_empty() {
        let mut errors = FormErrors::default();
        errors.push("__all__", "Tick at least one field to change.");
        return Ok(Err(errors));
    }
    Ok(read_html_form(meta, &picked, &HtmlForm { params, files: &[], adding: false }))
}

/// The model admin's hooks a row's new values go through.
pub(crate) struct RowHooks<M> {
    pub(crate) validate: fn(&Caller, &Data, Option<&M>) -> Result<(), FormErrors>,
    pub(crate) before_save: fn(&Caller, &mut Data, Option<&M>) -> Result<(), Error>,
}

impl<M> Clone for RowHooks<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for RowHooks<M> {}

/// What `data` makes of `row`: the values to write once `validate` passed
/// them and `before_save` adjusted them, or what either refused, as
/// sentences.
pub(crate) fn check_row<M: Model>(
    hooks: RowHooks<M>,
    caller: &Caller,
    data: &Data,
    row: &M,
) -> Result<Data, Vec<String>> {
    if let Err(errors) = (hooks.validate)(caller, data, Some(row)) {
        return Err(sentences(&errors));
    }
    let mut data = data.clone();
    match (hooks.before_save)(caller, &mut data, Some(row)) {
        Ok(()) => Ok(data),
        Err(e) => Err(vec![e.public_message()]),
    }
}

/// Each error as a sentence that names its field.
fn sentences(errors: &FormErrors) -> Vec<String> {
    errors
        .0
        .iter()
        .map(|e| match e.field {
            "__all__" => e.message.clone(),
            _ if e.message.contains('`') => e.message.clone(),
            field => format!("`{field}`: {}", e.message),
        })
        .collect()
}

/// The values a change sets: each field's name and value.
pub(crate) type Assignments = Vec<(&'static str, Value)>;

/// The values `data` sets, as the fields it names and their values.
pub(crate) fn assignments(data: &Data) -> Assignments {
    data.values().iter().map(|(f, v)| (f.name, v.clone())).collect()
}

/// Whether `row` already holds every value `data` sets.
pub(crate) fn holds<M: Model>(row: &M, data: &Data) -> bool {
    data.values().iter().all(|(f, v)| row.value(f.name).as_ref() == Some(v))
}
