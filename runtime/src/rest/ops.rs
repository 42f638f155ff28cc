//! What a resource does for each request, written once over the `Resource`
//! trait and reached through a table of function pointers, so that
//! included relations can call into other resources without knowing their
//! types.

use std::fmt::Write as _;

use diesel::{Connection, QueryDsl};
use serde_json::Value as Json;

use super::body::{counted_key, Payload};
use super::config::{Include, RestConfig, RestModel};
use super::envelope::list_meta;
use super::reply::JsonText;
use super::resource::Resource;
use super::serialize::{serialize_keys, write_objects, write_one, SerializeKeys};
use crate::auth::{Caller, Granted, Permission};
use crate::db::{AnyConnection, Dialect};
use crate::forms::{Object, Params};
use crate::model::{delete_with_dependents, load_by_keys, rows_where, BoxedQuery, Model, ModelMeta, Value};
use crate::query::{ListOptions, ListQuery};
use crate::utils::get_by_pk_or_404;
use crate::Error;

type WriteNested = fn(&mut AnyConnection, &Caller, Option<Value>, Object, &str) -> Result<Value, Error>;

/// One resource's operations, with its types erased.
#[derive(Debug, Clone, Copy)]
pub struct ResourceOps {
    pub(crate) model: fn() -> &'static ModelMeta,
    pub(crate) config: fn() -> &'static RestConfig,
    pub(crate) includes: fn() -> &'static [Include],
    pub(crate) list: fn(&mut AnyConnection, &Caller, &ListRequest) -> Result<JsonText, Error>,
    pub(crate) detail: fn(&mut AnyConnection, &Caller, &str) -> Result<JsonText, Error>,
    pub(crate) create: fn(&mut AnyConnection, &Caller, Object) -> Result<JsonText, Error>,
    pub(crate) edit: fn(&mut AnyConnection, &Caller, &str, Object) -> Result<JsonText, Error>,
    pub(crate) delete: fn(&mut AnyConnection, &Caller, &str) -> Result<usize, Error>,
    pub(crate) serialize_keys: SerializeKeys,
    write_nested: WriteNested,
}

impl ResourceOps {
    /// The operations of resource `R`, which must serve the model `T` a
    /// relation points at; `derive(RestResource)` checks includes with it.
    pub const fn of_related<R: Resource<Model = T>, T>() -> Self {
        Self::of::<R>()
    }

    /// The operations of resource `R`.
    pub const fn of<R: Resource>() -> Self {
        ResourceOps {
            model: R::Model::meta,
            config: R::Model::rest,
            includes: R::Model::includes,
            list: list::<R>,
            detail: detail::<R>,
            create: create::<R>,
            edit: edit::<R>,
            delete: delete::<R>,
            serialize_keys: serialize_keys::<R>,
            write_nested: write_nested::<R>,
        }
    }
}

/// What a list request carries besides the caller.
#[derive(Debug, Clone)]
pub(crate) struct ListRequest {
    /// The raw query string.
    pub(crate) query: Option<String>,
    /// The request path, for the next and previous links.
    pub(crate) path: String,
    /// Parameters that are credentials, not filters.
    pub(crate) ignored: Vec<String>,
}

/// What `GET <prefix>/<model>/?<query>` answers for resource `R`: the list
/// envelope, filtered, ordered, paginated and with included relations.
pub fn list_json<R: Resource>(
    conn: &mut AnyConnection,
    caller: &Caller,
    query: Option<&str>,
    path: &str,
) -> Result<Json, Error> {
    JsonText(list_text::<R>(conn, caller, query, path)?).into_json()
}

/// [`list_json`] as the JSON text the API sends, without building a tree:
/// for a handler of the app's own that answers what the API would.
pub fn list_text<R: Resource>(
    conn: &mut AnyConnection,
    caller: &Caller,
    query: Option<&str>,
    path: &str,
) -> Result<String, Error> {
    let request = ListRequest { query: query.map(str::to_owned), path: path.to_owned(), ignored: Vec::new() };
    Ok(list::<R>(conn, caller, &request)?.0)
}

/// What `GET <prefix>/<model>/<pk>/` answers for resource `R`.
pub fn detail_json<R: Resource>(conn: &mut AnyConnection, caller: &Caller, pk: &str) -> Result<Json, Error> {
    detail::<R>(conn, caller, pk)?.into_json()
}

/// [`detail_json`] as the JSON text the API sends.
pub fn detail_text<R: Resource>(conn: &mut AnyConnection, caller: &Caller, pk: &str) -> Result<String, Error> {
    Ok(detail::<R>(conn, caller, pk)?.0)
}

/// The owner field's name, when the model has an owner.
fn owner_field<M: RestModel>() -> Option<&'static str> {
    let relation = M::rest().owner?;
    M::meta().relation(relation).map(|r| r.field)
}

/// Whether `caller` owns `obj`, or the model has no owner.
fn owns<M: RestModel>(caller: &Caller, obj: &M) -> bool {
    let Some(field) = owner_field::<M>() else {
        return true;
    };
    match (obj.value(field), caller.user_pk()) {
        (Some(owner), Some(user)) => !owner.is_null() && owner.to_string() == user.to_string(),
        _ => false,
    }
}

/// The rows `R` exposes to `caller`: its `get_query`, narrowed to the
/// caller's own rows when the model has `owner_reads`.
fn scoped<R: Resource>(dialect: Dialect, caller: &Caller) -> Result<BoxedQuery<R::Model>, Error> {
    let query = R::get_query(caller);
    if !R::Model::rest().owner_reads {
        return Ok(query);
    }
    let (Some(field), Some(user)) = (owner_field::<R::Model>(), caller.user_pk()) else {
        return Err(Error::Unauthorized);
    };
    Ok(query.filter(rows_where::<R::Model>(field, std::slice::from_ref(user), dialect)?))
}

fn lookup<R: Resource>(conn: &mut AnyConnection, caller: &Caller, pk: &str) -> Result<R::Model, Error> {
    let query = scoped::<R>(conn.dialect(), caller)?;
    get_by_pk_or_404::<R::Model>(conn, query, pk)
}

fn forbidden() -> Error {
    Error::Forbidden("Forbidden".into())
}

/// Whether `caller` may `permission` on `R`'s model, when `R` asks for the
/// model's permissions (`#[rest(permissions = model)]`): a user needs it
/// granted (an administrator has every permission); a caller whom an API
/// key let in without a user keeps the key's all-or-nothing rule; an
/// anonymous caller is asked for credentials.
fn check_permission<R: Resource>(
    conn: &mut AnyConnection,
    caller: &Caller,
    permission: Permission,
) -> Result<(), Error> {
    if !R::Model::rest().model_permissions {
        return Ok(());
    }
    let slug = R::Model::meta().slug;
    match &caller.user {
        None if caller.authenticated => Ok(()),
        None => Err(Error::Unauthorized),
        Some(user) if user.admin => Ok(()),
        Some(user) if Granted::load(conn, &user.pk)?.allows(slug, permission) => Ok(()),
        Some(_) => Err(Error::Forbidden(format!("this needs the permission `{}`", permission.codename(slug)))),
    }
}

fn list<R: Resource>(conn: &mut AnyConnection, caller: &Caller, request: &ListRequest) -> Result<JsonText, Error> {
    check_permission::<R>(conn, caller, Permission::View)?;
    if !R::check_get(caller, None) {
        return Err(forbidden());
    }
    let config = R::Model::rest();
    let options = ListOptions {
        paginate_by: config.paginate_by,
        max_paginate_by: config.max_paginate_by,
        ignored: request.ignored.clone(),
        filter_fields: config.filter_fields.map(|f| f.iter().map(|s| (*s).to_owned()).collect()),
        filter_exclude: config.filter_exclude.iter().chain(config.exclude).map(|s| (*s).to_owned()).collect(),
        related_field_allowed: Some(super::config::shown_through_relation),
        count: R::count(),
        cursors: true,
    };
    let params = Params::parse(request.query.as_deref().unwrap_or_default());
    let list = ListQuery::<R::Model>::parse_strict(&params, &options)?;
    let dialect = conn.dialect();
    let page = list.fetch_from(conn, || scoped::<R>(dialect, caller))?;
    let meta = list_meta(R::Model::meta(), &page, &request.path, request.query.as_deref());
    let mut out = String::with_capacity(1024 + 256 * page.objects.len());
    // `Value`'s `Display` writes compact JSON; into a `String` it cannot fail.
    let _ = write!(out, "{{\"meta\":{meta},\"objects\":[");
    write_objects::<R>(conn, caller, &page.objects, &mut out)?;
    out.push_str("]}");
    Ok(JsonText(out))
}

fn detail<R: Resource>(conn: &mut AnyConnection, caller: &Caller, pk: &str) -> Result<JsonText, Error> {
    let obj = lookup::<R>(conn, caller, pk)?;
    check_permission::<R>(conn, caller, Permission::View)?;
    if !R::check_get(caller, Some(&obj)) {
        return Err(forbidden());
    }
    write_one::<R>(conn, caller, &obj)
}

/// Writes `body` through `R`: nested objects first, then the owner, the
/// data hook, the permission check, and the save.
fn write<R: Resource>(
    conn: &mut AnyConnection,
    caller: &Caller,
    existing: Option<&R::Model>,
    body: Object,
    path: &str,
) -> Result<Value, Error> {
    let needed = if existing.is_some() { Permission::Change } else { Permission::Add };
    check_permission::<R>(conn, caller, needed)?;
    let Payload { mut data, nested } = Payload::parse::<R::Model>(body, path)?;
    for (relation, include, object) in nested {
        let current = existing.and_then(|o| o.value(relation.field)).filter(|v| !v.is_null());
        let nested_path = format!("{path}{}__", relation.name);
        let key = (include.resource.write_nested)(conn, caller, current, object, &nested_path)?;
        data.set(relation.field, key).map_err(Error::BadRequest)?;
    }
    if let Some(field) = owner_field::<R::Model>() {
        match (existing, caller.user_pk()) {
            // A row's owner never changes, whatever the body says.
            (Some(_), _) => {
                data.remove(field);
            }
            (None, Some(user)) => data.set(field, user.clone()).map_err(Error::BadRequest)?,
            (None, None) => return Err(Error::Forbidden("creating this needs a user to own it".into())),
        }
    }
    let key = <R::Model as Model>::META.primary_key;
    if existing.is_some() {
        // A row's key never changes, whatever the body says.
        data.remove(key.name);
    }
    R::prepare_data(caller, &mut data, existing)?;
    if existing.is_none() && !counted_key(key) && !key.db_default && data.get(key.name).is_none() {
        return Err(Error::BadRequest(format!("`{path}{}` is required: the database does not choose it", key.name)));
    }
    let allowed = match existing {
        Some(obj) => R::check_put(caller, obj, &data),
        None => R::check_post(caller, &data),
    };
    if !allowed {
        return Err(forbidden());
    }
    R::save_object(conn, caller, &data, existing)
}

fn write_nested<R: Resource>(
    conn: &mut AnyConnection,
    caller: &Caller,
    key: Option<Value>,
    body: Object,
    path: &str,
) -> Result<Value, Error> {
    let existing = match key {
        Some(key) => load_by_keys::<R::Model>(conn, &[key])?.pop(),
        None => None,
    };
    if existing.as_ref().is_some_and(|obj| !owns(caller, obj)) {
        return Err(forbidden());
    }
    write::<R>(conn, caller, existing.as_ref(), body, path)
}

fn reload<R: Resource>(conn: &mut AnyConnection, caller: &Caller, key: &Value) -> Result<JsonText, Error> {
    let row = load_by_keys::<R::Model>(conn, std::slice::from_ref(key))?.pop().ok_or(Error::NotFound)?;
    write_one::<R>(conn, caller, &row)
}

fn create<R: Resource>(conn: &mut AnyConnection, caller: &Caller, body: Object) -> Result<JsonText, Error> {
    conn.transaction(|conn| {
        let key = write::<R>(conn, caller, None, body, "")?;
        reload::<R>(conn, caller, &key)
    })
}

fn edit<R: Resource>(conn: &mut AnyConnection, caller: &Caller, pk: &str, body: Object) -> Result<JsonText, Error> {
    conn.transaction(|conn| {
        let obj = lookup::<R>(conn, caller, pk)?;
        if !owns(caller, &obj) {
            return Err(forbidden());
        }
        let key = write::<R>(conn, caller, Some(&obj), body, "")?;
        reload::<R>(conn, caller, &key)
    })
}

fn delete<R: Resource>(conn: &mut AnyConnection, caller: &Caller, pk: &str) -> Result<usize, Error> {
    conn.transaction(|conn| {
        let obj = lookup::<R>(conn, caller, pk)?;
        check_permission::<R>(conn, caller, Permission::Delete)?;
        if !owns(caller, &obj) || !R::check_delete(caller, &obj) {
            return Err(forbidden());
        }
        delete_with_dependents::<R::Model>(conn, &[obj.pk()])
    })
}
