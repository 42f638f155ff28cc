//! A submitted form, from its fields to the row: the body read (a
//! multipart one with its files, or a urlencoded one) with its CSRF token
//! checked, the posted values typed (passwords hashed, a blank one keeping
//! the old, an empty file input keeping the stored bytes), then the save,
//! which validates, writes and records the change in the audit log in one
//! transaction.

use chrono::Timelike;
use diesel::Connection;
use rocket::data::{Data as Body, ToByteUnit};
use rocket::http::Status;
use rocket::Request;
use serde_json::Value as Json;

use super::audit::{changes, record, ChangeKind};
use super::config::AdminModel;
use super::grants::Chosen;
use super::model_admin::{object_for, ModelAdmin};
use crate::auth::form::CSRF_FAILED;
use crate::auth::{error_page, read_checked_form, Caller, Permission, Session, UserModel};
use crate::db::AnyConnection;
use crate::forms::{
    parse_multipart, read_body, read_html_form, BodyError, FormErrors, HtmlForm, Params, Upload, REQUIRED,
};
use crate::model::{display, load_by_keys, Data, FieldMeta, Model, ModelMeta, Value};
use crate::templates::HtmlPage;
use crate::utils::make_password;
use crate::Error;

/// The largest form without files the admin reads: a long text field fits.
const FORM_LIMIT: u64 = 1 << 20;

/// The largest form with files when Rocket's `limits.data-form` is unset.
const UPLOAD_LIMIT: u64 = 2 << 20;

/// A submitted form: its fields, and the files of a multipart one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Posted {
    pub(crate) params: Params,
    pub(crate) files: Vec<Upload>,
}

/// Reads the form `body` of `request` and checks its CSRF token: a
/// `multipart/form-data` body (a form with a file input) up to Rocket's
/// `limits.data-form`, any other as a urlencoded form up to 1 MiB. A
/// refusal is its error page: 413 for a body too large, 400 for one that
/// cannot be read, 403 for a wrong token.
pub(crate) async fn read_posted<U: UserModel>(request: &Request<'_>, body: Body<'_>) -> Result<Posted, HtmlPage> {
    let multipart = request.content_type().filter(|ct| ct.is_form_data()).map(|ct| {
        ct.params().find(|(key, _)| key.as_str().eq_ignore_ascii_case("boundary")).map(|(_, v)| v.to_owned())
    });
    let Some(boundary) = multipart else {
        let params = read_checked_form::<U>(request, body, FORM_LIMIT).await?;
        return Ok(Posted { params, files: Vec::new() });
    };
    let limit = request.limits().get("data-form").map_or(UPLOAD_LIMIT, |limit| limit.as_u64());
    let bytes = match read_body(body, limit).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge { limit }) => {
            let message = format!(
                "The form and its files are larger than the limit of {}; raise `limits.data-form` in Rocket.toml to \
                 accept larger files.",
                limit.bytes()
            );
            return Err(error_page::<U>(request, Status::PayloadTooLarge, &message).await);
        }
        Err(e @ BodyError::Unreadable(_)) => {
            return Err(error_page::<U>(request, Status::BadRequest, &e.to_string()).await)
        }
    };
    let read = boundary
        .ok_or_else(|| "the multipart body has no boundary".to_owned())
        .and_then(|boundary| parse_multipart(&bytes, &boundary).map_err(|e| e.to_string()));
    let multipart = match read {
        Ok(multipart) => multipart,
        Err(why) => {
            return Err(
                error_page::<U>(request, Status::BadRequest, &format!("The form could not be read: {why}.")).await
            )
        }
    };
    if !Session::of(request).csrf_matches(multipart.params.get("csrf_token").unwrap_or_default()) {
        return Err(error_page::<U>(request, Status::Forbidden, CSRF_FAILED).await);
    }
    Ok(Posted { params: multipart.params, files: multipart.files })
}

/// Why a save did not happen: the form's errors (nothing written), or a
/// failure.
#[derive(Debug)]
pub(crate) enum NotSaved {
    Invalid(FormErrors),
    /// The errors of the row with index `row` of the form's inline `inline`,
    /// in the child model's field names: shown beside that row's fields.
    InvalidRow {
        inline: usize,
        row: usize,
        errors: FormErrors,
    },
    /// The row changed since the form was loaded (its version is not the
    /// one the form carried): nothing was written.
    Conflict,
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

/// A refusal of the database or of a hook, as the form's error: beside the
/// field its sentence starts with ("`supplier_id` refers to an object that
/// does not exist"), else above the form.
fn refused(meta: &'static ModelMeta, message: String) -> FormErrors {
    let named = message.strip_prefix('`').and_then(|rest| rest.split_once('`')).and_then(|(name, _)| meta.field(name));
    let mut errors = FormErrors::default();
    errors.push(named.map_or("__all__", |f| f.name), message);
    errors
}

/// A failed save of a `meta` row: the form's errors when the database or
/// a hook refused a value, else the failure itself.
pub(crate) fn refusal(meta: &'static ModelMeta, e: Error) -> NotSaved {
    match e {
        Error::Unique { fields } => NotSaved::Invalid(taken(meta, &fields)),
        Error::BadRequest(message) => NotSaved::Invalid(refused(meta, message)),
        other => NotSaved::Failed(other),
    }
}

/// The values a form posts for the model `M`: typed, with passwords hashed
/// (a blank one keeps the old), readonly fields and the key left out.
pub(crate) fn posted<M: AdminModel>(
    form: &Posted,
    editable: &[&'static FieldMeta],
    adding: bool,
) -> Result<Data, FormErrors> {
    let config = M::admin();
    let (passwords, others): (Vec<&'static FieldMeta>, Vec<&'static FieldMeta>) =
        editable.iter().partition(|f| config.is_password(f.name));
    let mut errors = FormErrors::default();
    let params = &form.params;
    let html = HtmlForm { params, files: &form.files, adding };
    let mut data = match read_html_form(M::meta(), &others, &html) {
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

/// Times the form shows to the second keep their fraction when they come
/// back unchanged, so that saving a form changes nothing the user left
/// alone.
fn keep_fractions<M: Model>(data: &mut Data, existing: &M) {
    let kept: Vec<(&'static str, Value)> = data
        .values()
        .iter()
        .filter_map(|(field, posted)| {
            let stored = existing.value(field.name)?;
            let same = match (&stored, posted) {
                (Value::Timestamptz(s), Value::Timestamptz(p)) => s.with_nanosecond(0).as_ref() == Some(p),
                (Value::Timestamp(s), Value::Timestamp(p)) => s.with_nanosecond(0).as_ref() == Some(p),
                (Value::Time(s), Value::Time(p)) => s.with_nanosecond(0).as_ref() == Some(p),
                _ => false,
            };
            same.then_some((field.name, stored))
        })
        .collect();
    for (name, stored) in kept {
        // The stored value was stored, so it can be set again.
        let _ = data.set(name, stored);
    }
}

/// Saves `data` through the admin `A`, inside one transaction: the row
/// `pk` names (a new one when `None`) is validated, written with the
/// admin's hooks, read back, and its change recorded in the audit log.
/// Answers the row's key; `fields` are the form's, whose changes the log
/// keeps, with those of the `grants` the form chose. A value already
/// taken, a foreign key to no row, or any other refusal of the input is
/// the form's error, beside its field.
pub(crate) fn save<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    pk: Option<&str>,
    mut data: Data,
    fields: &[&'static FieldMeta],
    grants: &Chosen,
) -> Result<Value, NotSaved> {
    let meta: &'static ModelMeta = A::Model::meta();
    let config = A::Model::admin();
    let saved = conn.transaction(|conn| {
        let existing = match pk {
            Some(pk) => Some(object_for::<A>(conn, caller, pk, Permission::Change)?),
            None => None,
        };
        if let Some(existing) = &existing {
            keep_fractions(&mut data, existing);
        }
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
        let mut changed = changes(fields, before.as_deref(), Some(&after), |f| config.is_password(f));
        let granted = grants.save(conn, &key)?.map_err(NotSaved::Invalid)?;
        if let Json::Object(changed) = &mut changed {
            changed.extend(granted);
        }
        let kind = if existing.is_some() { ChangeKind::Change } else { ChangeKind::Add };
        record(conn, caller, meta, &key, &display(&saved), kind, &changed)?;
        Ok(key)
    });
    match saved {
        Err(NotSaved::Failed(e)) => Err(refusal(meta, e)),
        other => other,
    }
}
