//! The inlines on a model's form, as Django's inline formsets: each
//! inline's rows shown as small forms with the admin's widgets, read back
//! from a submitted form (with its management fields, `<prefix>-TOTAL_FORMS`
//! and `<prefix>-INITIAL_FORMS`, checked), and saved (inserts, updates and
//! deletes, each recorded in the audit log) in the parent's transaction.
//!
//! Each inline honours the child model's permissions, as its registered
//! admin's `has_*_permission` hooks answer them (else the caller's grants):
//! without `view` no inline, without `change` its rows are read-only,
//! without `add` no blank rows, without `delete` no delete boxes; a
//! submitted form doing what is not allowed is refused with 403.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::audit::{changes, record, ChangeKind};
use super::config::{config_of, AdminConfig};
use super::inline::{ChildRow, Inline, InlineLayout, ScopedChildren};
use super::ops::{AdminOps, SaveRow};
use super::present::{input_text, readonly_text};
use super::submit::{refusal, NotSaved};
use super::widgets::{pickers, widget, Picker, Shown};
use crate::auth::{Caller, Permission};
use crate::db::AnyConnection;
use crate::forms::{read_html_form, FormErrors, HtmlForm, Params};
use crate::model::{parse_bool, Data, FieldMeta, ModelEntry, SqlKind, Value};
use crate::Error;

/// The index of the row a script adds, in the template row's names.
const TEMPLATE_INDEX: &str = "__prefix__";

/// What the caller may do with an inline's rows.
#[derive(Debug, Clone, Copy)]
struct Allowed {
    view: bool,
    add: bool,
    change: bool,
    delete: bool,
}

/// One inline of a form, as the caller may use it.
#[derive(Clone)]
struct InlineForm {
    inline: Inline,
    prefix: String,
    config: &'static AdminConfig,
    /// The child's fields its rows show: the form's fields but the foreign
    /// key to the parent, files and passwords.
    fields: Vec<&'static FieldMeta>,
    allowed: Allowed,
    scoped: Option<ScopedChildren>,
    /// The child's registered admin's save, with its hooks.
    save_row: Option<SaveRow>,
    /// The admin's URL of the child model, for its pickers.
    url: String,
    /// Shown on a page that submits nothing (the parent is read-only to
    /// the caller): rows as text, without the form's hidden fields.
    shown_only: bool,
}

/// The inlines of one model's form.
#[derive(Clone)]
pub(crate) struct Formsets(Vec<InlineForm>);

/// One row of a submitted inline.
#[derive(Debug, Clone)]
pub(crate) struct PostedRow {
    index: usize,
    /// The key of the existing child the row edits.
    pk: Option<String>,
    delete: bool,
    /// The row's fields, by their bare names.
    params: Params,
    /// The values to write: `None` for a row left as it was, blank, or
    /// deleted.
    data: Option<Data>,
    errors: FormErrors,
}

/// One submitted inline: its rows, and the errors of the inline as a whole.
#[derive(Debug, Clone, Default)]
pub(crate) struct PostedInline {
    rows: Vec<PostedRow>,
    errors: Vec<String>,
}

/// The submitted inlines of a form, in the order of [`Formsets`].
#[derive(Debug, Clone, Default)]
pub(crate) struct PostedInlines(Vec<PostedInline>);

impl PostedInlines {
    /// Whether any row, or any inline, has errors.
    pub(crate) fn has_errors(&self) -> bool {
        self.0.iter().any(|i| !i.errors.is_empty() || i.rows.iter().any(|r| !r.errors.is_empty()))
    }

    /// Gives the row with index `row` of inline `inline` the errors its
    /// save met, to show beside its fields.
    pub(crate) fn refuse_row(&mut self, inline: usize, row: usize, errors: FormErrors) {
        let Some(posted) = self.0.get_mut(inline) else {
            return;
        };
        match posted.rows.iter_mut().find(|r| r.index == row) {
            Some(found) => found.errors.0.extend(errors.0),
            None => posted.errors.extend(errors.0.into_iter().map(|e| e.message)),
        }
    }
}

fn forbidden(what: &str) -> Error {
    Error::Forbidden(format!("You may not {what}."))
}

impl InlineForm {
    fn meta(&self) -> &'static crate::model::ModelMeta {
        self.inline.model
    }

    /// Whether `field` is shown but not written, on an existing row or a
    /// new one.
    fn readonly(&self, field: &FieldMeta, existing: bool) -> bool {
        self.inline.readonly_fields.contains(&field.name)
            || self.config.readonly_in_form(field, existing)
            || (existing && !self.allowed.change)
    }

    fn editable(&self, existing: bool) -> Vec<&'static FieldMeta> {
        self.fields.iter().copied().filter(|f| !self.readonly(f, existing)).collect()
    }

    fn name(&self, index: &str, field: &str) -> String {
        format!("{}-{index}-{field}", self.prefix)
    }

    fn total_name(&self) -> String {
        format!("{}-TOTAL_FORMS", self.prefix)
    }

    fn initial_name(&self) -> String {
        format!("{}-INITIAL_FORMS", self.prefix)
    }

    /// The children of `parent`, in the inline's order: one statement.
    fn children(&self, conn: &mut AnyConnection, caller: &Caller, parent: &Value) -> Result<Vec<ChildRow>, Error> {
        let Inline { fk, ordering, .. } = self.inline;
        match self.scoped {
            Some(scoped) => scoped(conn, caller, fk, parent, ordering),
            None => (self.inline.load)(conn, fk, parent, ordering),
        }
    }

    /// Reads this inline's rows from `params`.
    fn read(&self, params: &Params) -> Result<PostedInline, Error> {
        let total_name = self.total_name();
        let Some(total) = params.get(&total_name) else {
            return Ok(PostedInline::default());
        };
        if !self.allowed.view {
            return Err(forbidden(&format!("see {}", self.meta().verbose_name_plural)));
        }
        let total: usize = total
            .trim()
            .parse()
            .map_err(|_| Error::BadRequest(format!("`{total_name}` must be a number of rows, not `{total}`")))?;
        // Every submitted field of this inline, by row.
        let start = format!("{}-", self.prefix);
        let mut by_row: BTreeMap<usize, Vec<(String, String)>> = BTreeMap::new();
        for (name, value) in params.iter() {
            let Some((index, field)) = name.strip_prefix(&start).and_then(|rest| rest.split_once('-')) else {
                continue;
            };
            let Ok(index) = index.parse::<usize>() else {
                continue;
            };
            by_row.entry(index).or_default().push((field.to_owned(), value.clone()));
        }
        let mut posted = PostedInline::default();
        let with_key = by_row.values().filter(|row| row.iter().any(|(f, v)| f == "id" && !v.is_empty())).count();
        let max = usize::try_from(self.inline.max_num).unwrap_or(usize::MAX).max(with_key);
        if total > max {
            posted.errors.push(format!(
                "Submit at most {} {}; the form says {total}.",
                self.inline.max_num,
                self.meta().verbose_name_plural
            ));
            return Ok(posted);
        }
        for (index, pairs) in by_row.into_iter().filter(|(index, _)| *index < total) {
            let sub = Params::from(pairs);
            let pk = sub.get("id").filter(|v| !v.is_empty()).map(str::to_owned);
            let delete = sub.get("DELETE").is_some_and(|v| v == "on" || parse_bool(v) == Some(true));
            let mut row = PostedRow { index, pk, delete, params: sub, data: None, errors: FormErrors::default() };
            let existing = row.pk.is_some();
            let editable = self.editable(existing);
            let posts_values = row.params.iter().any(|(name, _)| name != "id" && name != "DELETE");
            if existing && delete {
                if !self.allowed.delete {
                    return Err(forbidden(&format!("delete {}", self.meta().verbose_name_plural)));
                }
            } else if existing && !self.allowed.change {
                if posts_values {
                    return Err(forbidden(&format!("change {}", self.meta().verbose_name_plural)));
                }
            } else if !existing {
                let blank = editable.iter().all(|f| row.params.get(f.name).is_none_or(str::is_empty));
                if delete || blank {
                    posted.rows.push(row);
                    continue;
                }
                if !self.allowed.add {
                    return Err(forbidden(&format!("add {}", self.meta().verbose_name_plural)));
                }
            }
            if !(existing && (delete || !self.allowed.change)) {
                let form = HtmlForm { params: &row.params, files: &[], adding: !existing };
                match read_html_form(self.meta(), &editable, &form) {
                    Ok(data) => row.data = Some(data),
                    Err(errors) => row.errors = errors,
                }
            }
            posted.rows.push(row);
        }
        Ok(posted)
    }

    /// The values of a child row for the fields this inline shows.
    fn shown_values(&self, row: &ChildRow) -> Vec<Value> {
        let meta = self.meta();
        self.fields
            .iter()
            .map(|f| meta.fields.iter().position(|m| m.name == f.name).map_or(Value::Null, |i| row.values[i].clone()))
            .collect()
    }

    /// Saves the submitted rows of children of `parent`.
    /// `inline` is this inline's place on the form, for its rows' errors.
    fn save(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        parent: &Value,
        (inline, posted): (usize, &PostedInline),
    ) -> Result<(), NotSaved> {
        let meta = self.meta();
        let existing = self.children(conn, caller, parent)?;
        let find = |pk: &str| existing.iter().find(|row| row.pk.to_string() == pk);
        for row in &posted.rows {
            if let Some(pk) = &row.pk {
                if find(pk).is_none() {
                    return Err(NotSaved::Failed(Error::BadRequest(format!(
                        "`{}` names no {} of this {}",
                        self.name(&row.index.to_string(), "id"),
                        meta.verbose_name,
                        meta.verbose_name
                    ))));
                }
            }
        }
        let deleted: Vec<&ChildRow> =
            posted.rows.iter().filter(|r| r.delete).filter_map(|r| r.pk.as_deref().and_then(find)).collect();
        let added: Vec<&PostedRow> = posted.rows.iter().filter(|r| r.pk.is_none() && r.data.is_some()).collect();
        let kept = existing.len() - deleted.len();
        if !added.is_empty() && kept + added.len() > usize::try_from(self.inline.max_num).unwrap_or(usize::MAX) {
            let mut errors = FormErrors::default();
            errors
                .push("__all__", format!("Keep at most {} {} in all.", self.inline.max_num, meta.verbose_name_plural));
            return Err(NotSaved::Invalid(errors));
        }
        let is_password = |f: &str| self.config.is_password(f);
        // What the database, the child admin's hooks or its `validate`
        // refuse is said beside the row's field it names, else on the row.
        let in_row = |row: usize, refused: NotSaved| -> NotSaved {
            match refused {
                NotSaved::Invalid(errors) => NotSaved::InvalidRow { inline, row, errors },
                other => other,
            }
        };
        if !deleted.is_empty() {
            let keys: Vec<Value> = deleted.iter().map(|row| row.pk.clone()).collect();
            (self.inline.delete)(conn, &keys)?;
            for row in deleted {
                let changed = changes(&self.fields, Some(&self.shown_values(row)), None, is_password);
                record(conn, caller, meta, &row.pk, &row.display, ChangeKind::Delete, &changed)?;
            }
        }
        for row in posted.rows.iter().filter(|r| !r.delete) {
            let Some(data) = &row.data else {
                continue;
            };
            let before = row.pk.as_deref().and_then(find);
            if let Some(before) = before {
                let unchanged = data.values().iter().all(|(field, value)| {
                    meta.fields.iter().position(|m| m.name == field.name).is_some_and(|i| before.values[i] == *value)
                });
                if unchanged {
                    continue;
                }
            }
            let mut data = data.clone();
            if before.is_none() {
                data.set(self.inline.fk, parent.clone()).map_err(|e| NotSaved::Failed(Error::BadRequest(e)))?;
            }
            // The child's registered admin writes it with its own hooks, as
            // its own form would; else the model's plain save.
            let key = before.map(|b| &b.pk);
            let written = match self.save_row {
                Some(save_row) => save_row(conn, caller, data, key),
                None => (self.inline.write)(conn, &data, key).map(Ok),
            };
            let saved = match written.map_err(|e| in_row(row.index, refusal(meta, e)))? {
                Ok(saved) => saved,
                Err(invalid) => return Err(in_row(row.index, NotSaved::Invalid(invalid))),
            };
            let old = before.map(|b| self.shown_values(b));
            let changed = changes(&self.fields, old.as_deref(), Some(&self.shown_values(&saved)), is_password);
            let kind = if before.is_some() { ChangeKind::Change } else { ChangeKind::Add };
            record(conn, caller, meta, &saved.pk, &saved.display, kind, &changed)?;
        }
        Ok(())
    }

    /// One field of one row, as `field.hbs` reads it, named for the row.
    #[allow(clippy::too_many_arguments)]
    fn cell(
        &self,
        field: &'static FieldMeta,
        index: &str,
        existing: bool,
        text: Option<&str>,
        checked: bool,
        errors: Vec<String>,
        picker: Option<&Picker>,
    ) -> Json {
        let readonly = self.readonly(field, existing);
        let picker_url = format!("{}lookup/{}/", self.url, field.name);
        let shown_text = match (readonly, picker, text) {
            (true, Some(Picker::Select(choices)), Some(v)) => {
                Some(choices.iter().find(|(k, _)| k.to_string() == v).map_or_else(|| v.to_owned(), |(_, l)| l.clone()))
            }
            (true, Some(Picker::TypeAhead(label)), _) if !label.is_empty() => Some(label.clone()),
            _ => text.map(str::to_owned),
        };
        let shown = Shown {
            readonly,
            value: shown_text.as_deref(),
            checked,
            errors,
            picker,
            picker_url: &picker_url,
            adding: !existing,
            file: None,
            file_dropped: false,
        };
        let mut json = widget(self.config, field, shown);
        let name = self.name(index, field.name);
        if let Some(described) = json["described_by"].as_str() {
            let renamed = described
                .split(' ')
                .map(|id| match id.split_once('_') {
                    Some((kind, rest)) => format!("{kind}_{name}{}", &rest[field.name.len().min(rest.len())..]),
                    None => id.to_owned(),
                })
                .collect::<Vec<_>>()
                .join(" ");
            json["described_by"] = Json::String(renamed);
        }
        json["name"] = Json::String(name);
        json
    }

    /// The page's view of this inline, and the children as stored.
    fn page(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        registered: &[AdminOps],
        parent: Option<&Value>,
        posted: Option<&PostedInline>,
    ) -> Result<(Json, Vec<ChildRow>), Error> {
        let meta = self.meta();
        let existing = match parent {
            Some(parent) => self.children(conn, caller, parent)?,
            None => Vec::new(),
        };
        let pickers = pickers(conn, caller, registered, meta, self.config, &self.fields, &|_| None)?;
        // The type-ahead pickers' labels, for every row at once: one query
        // a related model.
        let mut labels: Vec<(&'static str, BTreeMap<String, String>)> = Vec::new();
        for (name, picker) in &pickers {
            if !matches!(picker, Picker::TypeAhead(_)) {
                continue;
            }
            let Some(relation) = meta.relation_of_field(name) else {
                continue;
            };
            let position = meta.fields.iter().position(|f| f.name == *name);
            let mut keys: Vec<Value> = existing
                .iter()
                .filter_map(|row| position.map(|i| row.values[i].clone()))
                .filter(|v| !v.is_null())
                .collect();
            if let Some(posted) = posted {
                let field = meta.field(name);
                keys.extend(
                    posted
                        .rows
                        .iter()
                        .filter_map(|r| r.params.get(name))
                        .filter_map(|raw| field.and_then(|f| Value::parse(f.kind, raw))),
                );
            }
            keys.dedup();
            let lookup_field: Vec<&str> = self.config.lookup_field(relation.name).into_iter().collect();
            let mut found = BTreeMap::new();
            if let (Some(entry), false) = (ModelEntry::find(relation.target), keys.is_empty()) {
                for row in entry.values_by_keys(conn, &keys, &lookup_field)? {
                    let label = match row.values.first() {
                        Some(value) if !value.is_null() => value.to_string(),
                        _ => row.display,
                    };
                    found.insert(row.pk.to_string(), label);
                }
            }
            labels.push((name, found));
        }
        let label_of = |field: &str, text: Option<&str>| -> Option<Picker> {
            let (_, found) = labels.iter().find(|(n, _)| *n == field)?;
            Some(Picker::TypeAhead(text.and_then(|t| found.get(t)).cloned().unwrap_or_default()))
        };
        let picker_of = |pickers: &[(&'static str, Picker)], field: &str| -> Option<Picker> {
            pickers.iter().find(|(n, _)| *n == field).map(|(_, p)| p.clone())
        };

        // Each row: an existing child (as stored, or as submitted) or a new one.
        struct RowView<'a> {
            index: String,
            child: Option<&'a ChildRow>,
            params: Option<&'a Params>,
            delete: bool,
            errors: Option<&'a FormErrors>,
        }
        let mut views: Vec<RowView<'_>> = Vec::new();
        match posted.filter(|p| !p.rows.is_empty()) {
            Some(posted) => {
                for row in &posted.rows {
                    let child = row.pk.as_deref().and_then(|pk| existing.iter().find(|c| c.pk.to_string() == pk));
                    if row.pk.is_some() && child.is_none() {
                        continue;
                    }
                    views.push(RowView {
                        index: row.index.to_string(),
                        child,
                        params: Some(&row.params),
                        delete: row.delete,
                        errors: Some(&row.errors),
                    });
                }
            }
            None => {
                views.extend(existing.iter().enumerate().map(|(i, child)| RowView {
                    index: i.to_string(),
                    child: Some(child),
                    params: None,
                    delete: false,
                    errors: None,
                }));
                if self.allowed.add {
                    let room =
                        usize::try_from(self.inline.max_num).unwrap_or(usize::MAX).saturating_sub(existing.len());
                    let blanks = usize::try_from(self.inline.extra).unwrap_or(0).min(room);
                    let first = existing.len();
                    views.extend((first..first + blanks).map(|i| RowView {
                        index: i.to_string(),
                        child: None,
                        params: None,
                        delete: false,
                        errors: None,
                    }));
                }
            }
        }
        let initial = views.iter().filter(|v| v.child.is_some()).count();
        let row_json = |view: &RowView<'_>| -> Json {
            let existing = view.child.is_some();
            let fields: Vec<Json> = self
                .fields
                .iter()
                .map(|field| {
                    let stored = view
                        .child
                        .and_then(|c| meta.fields.iter().position(|m| m.name == field.name).map(|i| &c.values[i]));
                    let readonly = self.readonly(field, existing);
                    let (text, checked) = match (view.params, readonly) {
                        (Some(params), false) => {
                            let raw = params.get(field.name);
                            (raw.map(str::to_owned), raw.is_some_and(|r| r == "on" || parse_bool(r) == Some(true)))
                        }
                        _ => (
                            stored.map(|v| if readonly { readonly_text(field, v) } else { input_text(v) }),
                            matches!(stored, Some(Value::Bool(true))),
                        ),
                    };
                    let errors: Vec<String> =
                        view.errors.map(|e| e.of(field.name).map(str::to_owned).collect()).unwrap_or_default();
                    let raw_key = stored.map(ToString::to_string).or_else(|| text.clone());
                    let picker = label_of(field.name, raw_key.as_deref()).or_else(|| picker_of(&pickers, field.name));
                    self.cell(field, &view.index, existing, text.as_deref(), checked, errors, picker.as_ref())
                })
                .collect();
            let shown: Vec<&str> = self.fields.iter().map(|f| f.name).collect();
            let row_errors: Vec<String> = view
                .errors
                .map(|e| {
                    e.0.iter()
                        .filter(|e| !shown.contains(&e.field))
                        .map(|e| match e.field {
                            "__all__" => e.message.clone(),
                            _ if e.message.contains('`') => e.message.clone(),
                            field => format!("`{field}`: {}", e.message),
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "stacked": self.inline.layout == InlineLayout::Stacked,
                "delete_column": self.allowed.delete,
                "title": view.child.map_or_else(|| format!("New {}", meta.verbose_name), |c| c.display.clone()),
                "pk": view.child.filter(|_| !self.shown_only).map(|c| c.pk.to_string()),
                "pk_name": self.name(&view.index, "id"),
                "delete": (existing && self.allowed.delete).then(|| json!({
                    "name": self.name(&view.index, "DELETE"),
                    "checked": view.delete,
                })),
                "fields": fields,
                "errors": row_errors,
                "has_errors": view.errors.is_some_and(|e| !e.is_empty()),
            })
        };
        let rows: Vec<Json> = views.iter().map(&row_json).collect();
        let template = self.allowed.add.then(|| {
            row_json(&RowView {
                index: TEMPLATE_INDEX.to_owned(),
                child: None,
                params: None,
                delete: false,
                errors: None,
            })
        });
        let headers: Vec<Json> = self
            .fields
            .iter()
            .map(|f| json!({"label": self.config.label(f).trim_end_matches(" Id"), "name": f.name}))
            .collect();
        // Nothing to show, and nothing the caller may add.
        let empty = rows.is_empty() && template.is_none();
        let page = json!({
            "prefix": self.prefix,
            "title": meta.verbose_name_plural,
            "verbose_name": meta.verbose_name,
            "stacked": self.inline.layout == InlineLayout::Stacked,
            "headers": headers,
            "template": template,
            "total_name": self.total_name(),
            "total": views.len(),
            "initial_name": self.initial_name(),
            "initial": initial,
            "max_num": self.inline.max_num,
            "can_add": self.allowed.add,
            "can_delete": self.allowed.delete,
            "shown_only": self.shown_only,
            "empty": empty,
            "empty_text": format!("No {}.", meta.verbose_name_plural.to_lowercase()),
            "rows": rows,
            "errors": posted.map(|p| p.errors.clone()).unwrap_or_default(),
        });
        Ok((page, existing))
    }
}

impl Formsets {
    /// The inlines `inlines` for the caller, on the form of a model whose
    /// admin's URL is `<prefix>/`: their child models' registered admins
    /// (from `registered`) decide what the caller may do, else the
    /// caller's grants.
    pub(crate) fn new(inlines: Vec<Inline>, caller: &Caller, registered: &[AdminOps], prefix: &str) -> Formsets {
        let mut forms: Vec<InlineForm> = Vec::with_capacity(inlines.len());
        for inline in inlines {
            let meta = inline.model;
            let ops = registered.iter().find(|ops| std::ptr::eq((ops.meta)(), meta));
            let may = |permission| match ops {
                Some(ops) => (ops.allows)(caller, permission),
                None => caller.has_permission(meta.slug, permission),
            };
            let allowed = Allowed {
                view: may(Permission::View) || may(Permission::Change),
                add: may(Permission::Add),
                change: may(Permission::Change),
                delete: may(Permission::Delete),
            };
            let config = config_of(meta).unwrap_or(&AdminConfig::DEFAULT);
            let fields = config
                .form_fields(meta)
                .into_iter()
                .filter(|f| f.name != inline.fk && f.kind != SqlKind::Binary && !config.is_password(f.name))
                .collect();
            let taken = forms.iter().any(|f| f.prefix == meta.slug);
            let url = format!("{prefix}/{}/", meta.slug);
            let prefix = if taken { format!("{}_{}", meta.slug, inline.fk) } else { meta.slug.to_owned() };
            forms.push(InlineForm {
                inline,
                prefix,
                config,
                fields,
                allowed,
                scoped: ops.map(|ops| ops.children),
                save_row: ops.map(|ops| ops.save_row),
                url,
                shown_only: false,
            });
        }
        Formsets(forms)
    }

    /// The inlines as a page that submits nothing shows them, when the
    /// parent is read-only to the caller (as Django's admin does): the rows
    /// the caller may view, as text, with no blank rows and no delete boxes,
    /// whatever the caller may do with the child model itself.
    pub(crate) fn shown_only(mut self) -> Formsets {
        for form in &mut self.0 {
            form.allowed = Allowed { view: form.allowed.view, add: false, change: false, delete: false };
            form.shown_only = true;
        }
        self
    }

    /// Reads every inline's rows from a submitted form; refuses (403) what
    /// the caller may not do, and (400) a count of rows that is no number.
    pub(crate) fn read(&self, params: &Params) -> Result<PostedInlines, Error> {
        self.0.iter().map(|form| form.read(params)).collect::<Result<_, _>>().map(PostedInlines)
    }

    /// Saves the submitted rows of children of `parent`, on the parent's
    /// connection (so in its transaction).
    pub(crate) fn save(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        parent: &Value,
        posted: &PostedInlines,
    ) -> Result<(), NotSaved> {
        for (inline, (form, posted)) in self.0.iter().zip(&posted.0).enumerate() {
            if form.allowed.view {
                form.save(conn, caller, parent, (inline, posted))?;
            }
        }
        Ok(())
    }

    /// The page's view of the inlines the caller sees, and their children
    /// as stored (for the form's version).
    pub(crate) fn page(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        registered: &[AdminOps],
        parent: Option<&Value>,
        posted: Option<&PostedInlines>,
    ) -> Result<(Vec<Json>, Vec<Vec<ChildRow>>), Error> {
        let (mut pages, mut stored) = (Vec::new(), Vec::new());
        for (i, form) in self.0.iter().enumerate() {
            if form.allowed.view {
                let (page, children) = form.page(conn, caller, registered, parent, posted.and_then(|p| p.0.get(i)))?;
                pages.push(page);
                stored.push(children);
            }
        }
        Ok((pages, stored))
    }

    /// The children of `parent` in each inline the caller sees, as stored:
    /// one statement an inline.
    pub(crate) fn stored(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        parent: &Value,
    ) -> Result<Vec<Vec<ChildRow>>, Error> {
        self.0.iter().filter(|form| form.allowed.view).map(|form| form.children(conn, caller, parent)).collect()
    }
}
