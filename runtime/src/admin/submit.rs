//! A submitted form, from its fields to the row: the posted values typed
//! (passwords hashed, a blank one keeping the old), then the save, which
//! validates, writes and records the change in the audit log in one
//! transaction.

use diesel::Connection;

use super::audit::{changes, record, ChangeKind};
use super::config::AdminModel;
use super::model_admin::ModelAdmin;
use crate::auth::Caller;
use crate::db::AnyConnection;
use crate::forms::{parse_html_form, FormErrors, Params, REQUIRED};
use crate::model::{display, load_by_keys, Data, FieldMeta, Model, ModelMeta, Value};
use crate::utils::make_password;
use crate::Error;

/// Why a save did not happen: the form's errors (nothing written), or a
/// failure.
#[derive(Debug)]
pub(crate) enum NotSaved {
    Invalid(FormErrors),
    Failed(Error),
}

impl<E: Into<Error>> From<E> for NotSaved {
    fn from(e: E) -> Self {
        NotSaved::Failed(e.into())
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
pub(crate) fn posted<M: AdminModel>(
    params: &Params,
    editable: &[&'static FieldMeta],
    adding: bool,
) -> Result<Data, FormErrors> {
    let config = M::admin();
    let (passwords, others): (Vec<&'static FieldMeta>, Vec<&'static FieldMeta>) =
        editable.iter().partition(|f| config.is_password(f.name));
    let mut errors = FormErrors::default();
    let mut data = match parse_html_form(M::meta(), &others, params) {
        Ok(data) => data,
        Err(e) => {
            errors = e;
            Data::new(M::meta())
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

/// Saves `data` through the admin `A`, inside one transaction: the row
/// `pk` names (a new one when `None`) is validated, written with the
/// admin's hooks, read back, and its change recorded in the audit log.
/// Answers the row's key; `fields` are the form's, whose changes the log
/// keeps. A value already taken is the form's error, beside its fields.
pub(crate) fn save<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    pk: Option<&str>,
    mut data: Data,
    fields: &[&'static FieldMeta],
) -> Result<Value, NotSaved> {
    let meta: &'static ModelMeta = A::Model::meta();
    let config = A::Model::admin();
    let saved = conn.transaction(|conn| {
        let existing = match pk {
            Some(pk) => Some(A::get_object(conn, caller, pk)?),
            None => None,
        };
        A::validate(caller, &data, existing.as_ref()).map_err(NotSaved::Invalid)?;
        A::before_save(caller, &mut data, existing.as_ref())?;
        let key = A::save_model(conn, caller, &data, existing.as_ref())?;
        A::after_save(conn, caller, &key, existing.is_none())?;
        let saved = load_by_keys::<A::Model>(conn, std::slice::from_ref(&key))?.pop().ok_or(Error::NotFound)?;
        let values = |row: &A::Model| -> Vec<Value> {
            fields.iter().map(|f| row.value(f.name).unwrap_or(Value::Null)).collect()
        };
        let before = existing.as_ref().map(values);
        let after = values(&saved);
        let changed = changes(fields, before.as_deref(), Some(&after), |f| config.is_password(f));
        let kind = if existing.is_some() { ChangeKind::Change } else { ChangeKind::Add };
        record(conn, caller, meta, &key, &display(&saved), kind, &changed)?;
        Ok(key)
    });
    match saved {
        Err(NotSaved::Failed(Error::Unique { fields })) => Err(NotSaved::Invalid(taken(meta, &fields))),
        other => other,
    }
}
