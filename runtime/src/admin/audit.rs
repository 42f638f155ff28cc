//! The audit log: every add, change and delete made through the admin, with
//! who, when, and each changed field's value before and after (Django's
//! `AuditEntry`, with the values). Its table keeps its first name,
//! `hangar_admin_log`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_migrations::embed_migrations;
use serde_json::{json, Map, Value as Json};

use super::present::bytes_summary;
use crate::auth::Caller;
use crate::db::{AnyConnection, Migrations};
use crate::model::{insert, rows_where, Data, FieldMeta, Model, ModelMeta, Value};
use crate::Error;

#[allow(missing_docs)]
mod schema {
    diesel::table! {
        /// The `hangar_admin_log` table of [`AuditEntry`](super::AuditEntry).
        hangar_admin_log (id) {
            id -> Integer,
            action_time -> Timestamp,
            user_pk -> Text,
            username -> Text,
            model -> Text,
            object_pk -> Text,
            object_repr -> Text,
            action -> Text,
            changes -> Text,
        }
    }
}

pub use schema::hangar_admin_log;

/// The `hangar_admin_log` table on every backend. A constant, so that it
/// chains: an app on hangar's `User` runs both sets before its own:
///
/// ```
/// use hangar::db::Migrations;
///
/// static HANGAR: Migrations = hangar::admin::MIGRATIONS.after(&hangar::auth::MIGRATIONS);
/// static MIGRATIONS: Migrations = Migrations::new().after(&HANGAR); // then `.sqlite(...)` and so on
/// # let _ = &MIGRATIONS;
/// ```
///
/// An app with a user model of its own runs it with the tables of the
/// permissions and groups (whose user pages edit them) and the login
/// throttle's, instead of the users':
/// `hangar::admin::MIGRATIONS.after(&hangar::auth::PERMISSION_MIGRATIONS)`.
pub const MIGRATIONS: Migrations = Migrations::new()
    .sqlite(embed_migrations!("migrations/admin/sqlite"))
    .postgres(embed_migrations!("migrations/admin/postgres"))
    .mysql(embed_migrations!("migrations/admin/mysql"));

/// One change made through the admin.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model)]
#[diesel(table_name = hangar_admin_log)]
#[model(verbose_name = "Audit entry", verbose_name_plural = "Audit entries")]
pub struct AuditEntry {
    /// The primary key.
    pub id: i32,
    /// When, in UTC.
    pub action_time: NaiveDateTime,
    /// The user's primary key.
    #[model(max_length = 255)]
    pub user_pk: String,
    /// The user's name then.
    #[model(max_length = 255)]
    pub username: String,
    /// The model's slug.
    #[model(max_length = 255)]
    pub model: String,
    /// The object's primary key.
    #[model(max_length = 255)]
    pub object_pk: String,
    /// The object's display line then.
    #[model(max_length = 255)]
    pub object_repr: String,
    /// `add`, `change` or `delete`.
    #[model(max_length = 16)]
    pub action: String,
    /// `{"field": [before, after], ...}` as JSON.
    pub changes: String,
}

/// The kind of a change the audit log records (Django's `action_flag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A new object.
    Add,
    /// A change to one.
    Change,
    /// A delete.
    Delete,
}

impl ChangeKind {
    /// `add`, `change` or `delete`.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Add => "add",
            ChangeKind::Change => "change",
            ChangeKind::Delete => "delete",
        }
    }

    /// How a kind reads, from its stored name: "Added".
    pub fn label(name: &str) -> &'static str {
        match name {
            "add" => "Added",
            "change" => "Changed",
            "delete" => "Deleted",
            _ => "Did",
        }
    }
}

/// What a password's value shows as in the log.
const REDACTED: &str = "(hidden)";

/// The changes between `before` and `after` for `fields`, as the log's JSON:
/// each field that differs, with its value before (`null` for an add) and
/// after (`null` for a delete), as the REST API writes it; password fields
/// show neither, and bytes show their size and digest, not their contents.
pub(crate) fn changes(
    fields: &[&'static FieldMeta],
    before: Option<&[Value]>,
    after: Option<&[Value]>,
    is_password: impl Fn(&str) -> bool,
) -> Json {
    let mut out = Map::new();
    for (i, field) in fields.iter().enumerate() {
        let old = before.map(|v| v[i].clone());
        let new = after.map(|v| v[i].clone());
        if old == new {
            continue;
        }
        let shown = |value: Option<Value>| match value {
            None => Json::Null,
            Some(_) if is_password(field.name) => Json::String(REDACTED.to_owned()),
            Some(Value::Binary(bytes)) => Json::String(bytes_summary(&bytes)),
            Some(value) => value.to_json(),
        };
        out.insert(field.name.to_owned(), json!([shown(old), shown(new)]));
    }
    Json::Object(out)
}

/// Writes one entry, on the connection of the change it records (so in its
/// transaction).
pub(crate) fn record(
    conn: &mut AnyConnection,
    caller: &Caller,
    meta: &'static ModelMeta,
    pk: &Value,
    repr: &str,
    kind: ChangeKind,
    changes: &Json,
) -> Result<(), Error> {
    let mut data = Data::new(AuditEntry::meta());
    let row = Pending { meta, pk: pk.clone(), repr: repr.to_owned(), kind, changes: changes.clone() };
    for (field, value) in ENTRY_FIELDS.iter().zip(row.values(caller, chrono::Utc::now().naive_utc())) {
        data.set(field, value).map_err(Error::BadRequest)?;
    }
    insert::<AuditEntry>(conn, data.values())?;
    Ok(())
}

/// The fields an entry is written with, in the order of [`Pending::values`].
const ENTRY_FIELDS: [&str; 8] =
    ["action_time", "user_pk", "username", "model", "object_pk", "object_repr", "action", "changes"];

/// An entry not written yet: the change to one row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pending {
    pub(crate) meta: &'static ModelMeta,
    pub(crate) pk: Value,
    pub(crate) repr: String,
    pub(crate) kind: ChangeKind,
    pub(crate) changes: Json,
}

impl Pending {
    /// The entry's values for [`ENTRY_FIELDS`], made by `caller` at `when`.
    fn values(&self, caller: &Caller, when: NaiveDateTime) -> Vec<Value> {
        let user = caller.user.as_ref();
        let clip = |text: &str| Value::Text(text.chars().take(255).collect::<String>());
        vec![
            Value::Timestamp(when),
            clip(&user.map(|u| u.pk.to_string()).unwrap_or_default()),
            clip(&user.map(|u| u.username.clone()).unwrap_or_default()),
            Value::Text(self.meta.slug.to_owned()),
            clip(&self.pk.to_string()),
            clip(&self.repr),
            Value::Text(self.kind.name().to_owned()),
            Value::Text(self.changes.to_string()),
        ]
    }
}

/// Writes `entries` together, as few multi-row `INSERT`s as the backends'
/// limits on parameters allow (one for a batch of 500), on the connection
/// of the changes they record.
pub(crate) fn record_all(conn: &mut AnyConnection, caller: &Caller, entries: &[Pending]) -> Result<(), Error> {
    if entries.is_empty() {
        return Ok(());
    }
    let when = chrono::Utc::now().naive_utc();
    let rows: Vec<Vec<Value>> = entries.iter().map(|entry| entry.values(caller, when)).collect();
    crate::model::insert_many::<AuditEntry>(conn, &ENTRY_FIELDS, &rows)?;
    Ok(())
}

/// The latest `limit` entries: of one object of `meta` when `pk` is given,
/// else of the models `slugs`.
pub(crate) fn entries(
    conn: &mut AnyConnection,
    meta: Option<(&ModelMeta, &Value)>,
    slugs: &[&str],
    limit: i64,
) -> Result<Vec<AuditEntry>, Error> {
    let dialect = conn.dialect();
    let mut query = AuditEntry::all().order(hangar_admin_log::id.desc()).limit(limit);
    match meta {
        Some((meta, pk)) => {
            query = query
                .filter(rows_where::<AuditEntry>("model", &[Value::Text(meta.slug.to_owned())], dialect)?)
                .filter(rows_where::<AuditEntry>("object_pk", &[Value::Text(pk.to_string())], dialect)?);
        }
        None => {
            let slugs: Vec<Value> = slugs.iter().map(|s| Value::Text((*s).to_owned())).collect();
            if slugs.is_empty() {
                return Ok(Vec::new());
            }
            query = query.filter(rows_where::<AuditEntry>("model", &slugs, dialect)?);
        }
    }
    Ok(AuditEntry::load(query, conn)?)
}

/// An entry as templates see it; with the model's description `meta`, a
/// choice's values show as their labels.
pub(crate) fn entry_json(entry: &AuditEntry, url: Option<&str>, meta: Option<&ModelMeta>) -> Json {
    let changes: Vec<Json> = serde_json::from_str::<Map<String, Json>>(&entry.changes)
        .unwrap_or_default()
        .into_iter()
        .map(|(field, pair)| {
            let described = meta.and_then(|m| m.field(&field));
            let text = |v: &Json| match v {
                Json::Null => "—".to_owned(),
                Json::String(s) => described.and_then(|f| f.choice_label(s)).unwrap_or(s).to_owned(),
                // A set of names (a user's groups, say).
                Json::Array(items) if items.is_empty() => "—".to_owned(),
                Json::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            json!({"field": field, "before": text(&pair[0]), "after": text(&pair[1])})
        })
        .collect();
    json!({
        "when": entry.action_time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "when_text": entry.action_time.format("%Y-%m-%d %H:%M UTC").to_string(),
        "username": entry.username,
        "action": entry.action,
        "action_label": ChangeKind::label(&entry.action),
        "model": entry.model,
        "object_pk": entry.object_pk,
        "object_repr": entry.object_repr,
        "url": url,
        "changes": changes,
    })
}
