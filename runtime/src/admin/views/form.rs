//! `GET/POST <prefix>/<model>/add/` and `<prefix>/<model>/<pk>/`: the form,
//! typed widgets for every field, errors kept beside their fields, and a
//! save that writes the audit log in the same transaction.

use diesel::Connection;
use rocket::data::Data;
use rocket::response::Redirect;
use serde_json::{json, Value as Json};

use crate::admin::config::AdminModel;
use crate::admin::formset::Formsets;
use crate::admin::grants::{GrantForm, FIELDSET_TITLE};
use crate::admin::model_admin::{allows, form_buttons, object_for, object_rights, ModelAdmin};
use crate::admin::present::{file_size, input_text, readonly_text};
use crate::admin::render::{self, model_crumbs};
use crate::admin::state::{AdminReply, Ctx};
use crate::admin::submit::{posted, read_posted, save, NotSaved};
use crate::admin::version::{version, VERSION};
use crate::admin::widgets::{pickers, widget, Picker, Shown, StoredFile};
use crate::auth::{Permission, Session, UserModel};
use crate::forms::{encode_component, url_with_query, FormErrors, Params};
use crate::model::{display, lock_row, parse_bool, FieldMeta, Model, SqlKind, Value};
use crate::Error;

/// What the form shows of one field: its text, whether its checkbox is
/// ticked, and for bytes the size of those stored.
struct FieldState {
    text: Option<String>,
    checked: bool,
    stored_size: Option<usize>,
}

/// Where a saved form goes: another add form, back to the object, or
/// `back` (the list it came from, or the dashboard for a caller who may
/// not view the list).
fn after_save(params: &Params, url: &str, key: &Value, back: String) -> String {
    if params.contains("_addanother") {
        format!("{url}add/")
    } else if params.contains("_continue") {
        format!("{url}{}/", encode_component(&key.to_string()))
    } else {
        back
    }
}

/// A row's values, field by field, as its version hashes them.
fn row_values<M: Model>(row: &M) -> Vec<Value> {
    M::meta().fields.iter().map(|f| row.value(f.name).unwrap_or(Value::Null)).collect()
}

/// The prefix of the conflict screen's choice for a field (`_choose_<field>`:
/// `mine` or `saved`), and of the saved value it carries (`_saved_<field>`).
const CHOOSE: &str = "_choose_";
const SAVED: &str = "_saved_";

/// The form as its conflict screen's choices make it: each field whose
/// choice is `saved` takes the saved value the screen carried.
fn with_choices(meta: &'static crate::model::ModelMeta, params: &Params) -> Params {
    let saved: Vec<&str> = params
        .iter()
        .filter_map(|(name, value)| name.strip_prefix(CHOOSE).filter(|_| value == "saved"))
        .filter(|field| meta.field(field).is_some())
        .collect();
    if saved.is_empty() {
        return params.clone();
    }
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(name, _)| !saved.contains(&name.as_str()))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    for field in saved {
        let checkbox = meta.field(field).is_some_and(|f| f.kind == SqlKind::Bool);
        for value in params.get_all(&format!("{SAVED}{field}")) {
            // An unticked box posts nothing.
            if !(checkbox && value.is_empty()) {
                pairs.push((field.to_owned(), value.to_owned()));
            }
        }
    }
    Params::from(pairs)
}

/// Locks the row `pk` for the rest of the transaction and compares its
/// version with the one the form carried: a conflict when they differ.
fn check_version<A: ModelAdmin>(
    conn: &mut crate::db::AnyConnection,
    caller: &crate::auth::Caller,
    (pk, carried): (&str, &str),
    formsets: &Formsets,
) -> Result<(), NotSaved> {
    if let Some(key) = Value::parse(A::Model::meta().primary_key.kind, pk) {
        lock_row::<A::Model>(conn, &key).map_err(Error::from)?;
    }
    let current = object_for::<A>(conn, caller, pk, Permission::Change)?;
    let children = formsets.stored(conn, caller, &current.pk())?;
    if version(&row_values(&current), &children) == carried {
        Ok(())
    } else {
        Err(NotSaved::Conflict)
    }
}

pub(crate) async fn form<A: ModelAdmin, U: UserModel>(
    ctx: &Ctx<'_, '_>,
    pk: Option<String>,
    data: Option<Data<'_>>,
) -> AdminReply {
    let meta = A::Model::meta();
    let config = A::Model::admin();
    let url = ctx.state.model_url(meta);
    let fields = config.form_fields(meta);
    let editing = pk.is_some();
    let readonly = move |f: &FieldMeta| config.readonly_in_form(f, editing);
    let editable = config.editable_fields(meta, editing);
    let grant_form = GrantForm::of(meta, U::meta());
    let formsets = Formsets::new(A::inlines(), &ctx.caller, &ctx.state.models, &ctx.state.prefix);

    // The submitted form, read and checked before anything else.
    let submitted = match data {
        Some(data) => match read_posted::<U>(ctx.request, data).await {
            Ok(mut posted) => {
                posted.params = with_choices(meta, &posted.params);
                Some(posted)
            }
            Err(page) => return page.into(),
        },
        None => None,
    };
    // The version the form was loaded at; none from an older page.
    let carried = submitted.as_ref().and_then(|form| form.params.get(VERSION)).map(str::to_owned);
    let mut conflict = false;
    let list_query = submitted
        .as_ref()
        .and_then(|p| p.params.get("_list").map(str::to_owned))
        .or_else(|| Params::of_query(ctx.request.uri()).get("_list").map(str::to_owned))
        .unwrap_or_default();

    let mut errors = FormErrors::default();
    // The inlines' rows, read with the form: a forged one is refused here.
    let mut posted_inlines = match submitted.as_ref().map(|form| formsets.read(&form.params)).transpose() {
        Ok(posted) => posted,
        Err(e) => return render::error::<U>(ctx, e).await,
    };
    if let Some(form) = &submitted {
        let grants = match grant_form.map(|g| g.read(&ctx.caller, &form.params)).transpose() {
            Ok(grants) => grants.unwrap_or_default(),
            Err(e) => return render::error::<U>(ctx, e).await,
        };
        match posted::<A::Model>(form, &editable, pk.is_none()) {
            Err(invalid) => errors = invalid,
            // A child's error keeps the parent from being written too.
            Ok(_) if posted_inlines.as_ref().is_some_and(|p| p.has_errors()) => {}
            Ok(data) => {
                let caller = ctx.caller.clone();
                let object_pk = pk.clone();
                let carried = carried.clone();
                let form_fields = fields.clone();
                let (formsets, rows) = (formsets.clone(), posted_inlines.clone().unwrap_or_default());
                // The parent, then its children, in one transaction.
                let saved = ctx
                    .db
                    .run_write(move |conn| {
                        conn.transaction(|conn| {
                            if let (Some(pk), Some(carried)) = (object_pk.as_deref(), carried.as_deref()) {
                                check_version::<A>(conn, &caller, (pk, carried), &formsets)?;
                            }
                            let key = save::<A>(conn, &caller, object_pk.as_deref(), data, &form_fields, &grants)?;
                            formsets.save(conn, &caller, &key, &rows)?;
                            Ok(key)
                        })
                    })
                    .await;
                match saved {
                    Ok(key) => {
                        let message = if pk.is_some() {
                            format!("Changes to {} saved", meta.verbose_name)
                        } else {
                            format!("New {} saved", meta.verbose_name)
                        };
                        Session::of(ctx.request).flash("success", message);
                        let back = if allows::<A>(&ctx.caller, Permission::View) {
                            url_with_query(&url, &list_query)
                        } else {
                            ctx.state.home_url()
                        };
                        return Redirect::to(after_save(&form.params, &url, &key, back)).into();
                    }
                    Err(NotSaved::Invalid(invalid)) => errors = invalid,
                    Err(NotSaved::Conflict) => conflict = true,
                    Err(NotSaved::InvalidRow { inline, row, errors }) => {
                        if let Some(posted) = posted_inlines.as_mut() {
                            posted.refuse_row(inline, row, errors);
                        }
                    }
                    Err(NotSaved::Failed(e)) => return render::error::<U>(ctx, e).await,
                }
            }
        }
    }

    // The page: the object's values, or what was submitted.
    let caller = ctx.caller.clone();
    let registered = ctx.state.models.clone();
    let load_pk = pk.clone();
    let form_fields = fields.clone();
    let submitted_params = submitted.as_ref().map(|form| form.params.clone());
    let grant_errors = errors.clone();
    let page_formsets = formsets.clone();
    let inline_rows = posted_inlines.clone();
    let loaded = ctx
        .db
        .run(move |conn| {
            // Seeing the object needs view (or change), posting it change.
            let need = if submitted_params.is_some() { Permission::Change } else { Permission::View };
            let existing = match &load_pk {
                Some(pk) => Some(object_for::<A>(conn, &caller, pk, need)?),
                None => None,
            };
            let (locked, deletable) = object_rights::<A>(&caller, existing.as_ref());
            let readonly = move |f: &FieldMeta| locked || readonly(f);
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
            let pickers = pickers(conn, &caller, &registered, meta, config, &form_fields, &current)?;
            let values: Vec<FieldState> = form_fields
                .iter()
                .map(|f| {
                    let stored = existing.as_ref().and_then(|o| o.value(f.name));
                    let stored_size = match &stored {
                        Some(Value::Binary(bytes)) => Some(bytes.len()),
                        _ => None,
                    };
                    match &submitted_params {
                        // What was typed, but never a bytes field's text.
                        Some(params) if !readonly(f) && f.kind != SqlKind::Binary => {
                            let raw = params.get(f.name);
                            let checked = raw.is_some_and(|r| r == "on" || parse_bool(r) == Some(true));
                            FieldState { text: raw.map(str::to_owned), checked, stored_size }
                        }
                        _ => {
                            let checked = matches!(stored, Some(Value::Bool(true)));
                            let text =
                                stored.as_ref().map(|v| if readonly(f) { readonly_text(f, v) } else { input_text(v) });
                            FieldState { text, checked, stored_size }
                        }
                    }
                })
                .collect();
            let repr = existing.as_ref().map(display);
            let grants = match grant_form {
                Some(grants) => {
                    let key = existing.as_ref().map(Model::pk);
                    grants.widgets(conn, &caller, key.as_ref(), submitted_params.as_ref(), &grant_errors, locked)?
                }
                None => Vec::new(),
            };
            let parent = existing.as_ref().map(Model::pk);
            let page_formsets = if locked { page_formsets.shown_only() } else { page_formsets };
            let (inlines, children) =
                page_formsets.page(conn, &caller, &registered, parent.as_ref(), inline_rows.as_ref())?;
            let version = existing.as_ref().map(|row| version(&row_values(row), &children));
            // On a conflict, each field whose value the form posts is not
            // the one saved now.
            let conflicts: Vec<Json> = match (&existing, &submitted_params) {
                (Some(row), Some(params)) if conflict => form_fields
                    .iter()
                    .filter(|f| !readonly(f) && f.kind != SqlKind::Binary && !config.is_password(f.name))
                    .filter_map(|f| {
                        let saved = row.value(f.name).unwrap_or(Value::Null);
                        let mine = params.get(f.name);
                        let same = match f.kind {
                            SqlKind::Bool => {
                                mine.is_some_and(|r| r == "on" || parse_bool(r) == Some(true))
                                    == matches!(saved, Value::Bool(true))
                            }
                            // As values, so that `10:00` is `10:00:00`.
                            _ => match mine.and_then(|m| Value::parse(f.kind, m)) {
                                Some(value) => value == saved,
                                None => mine.unwrap_or_default() == input_text(&saved),
                            },
                        };
                        let shown_mine = match (f.kind, mine) {
                            (SqlKind::Bool, m) => {
                                if m.is_some_and(|r| r == "on" || parse_bool(r) == Some(true)) { "Yes" } else { "No" }
                                    .to_owned()
                            }
                            (_, Some(m)) => m.to_owned(),
                            (_, None) => String::new(),
                        };
                        let saved_input = match (f.kind, &saved) {
                            (SqlKind::Bool, Value::Bool(true)) => "on".to_owned(),
                            (SqlKind::Bool, _) => String::new(),
                            _ => input_text(&saved),
                        };
                        (!same).then(|| {
                            json!({
                                "name": f.name,
                                "label": config.label(f),
                                "mine": shown_mine,
                                "saved": match saved {
                                    Value::Bool(b) => if b { "Yes" } else { "No" }.to_owned(),
                                    _ => readonly_text(f, &saved),
                                },
                                "saved_input": saved_input,
                                "choose": format!("{CHOOSE}{}", f.name),
                                "saved_name": format!("{SAVED}{}", f.name),
                            })
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Ok::<_, Error>((pickers, values, repr, grants, inlines, (locked, deletable), (version, conflicts)))
        })
        .await;
    let (pickers, values, repr, grants, inlines, (locked, deletable), (version, conflicts)) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return render::error::<U>(ctx, e).await,
    };

    let readonly = move |f: &FieldMeta| locked || readonly(f);
    let picker_base = format!("{url}lookup/");
    let object_url = pk.as_ref().map(|pk| format!("{url}{}/", encode_component(pk)));
    let field_json = |field: &'static FieldMeta, state: &FieldState| {
        let FieldState { text: value, checked, stored_size } = state;
        let picker = pickers.iter().find(|(name, _)| *name == field.name).map(|(_, p)| p);
        let field_errors: Vec<String> = errors.of(field.name).map(str::to_owned).collect();
        let picker_url = format!("{picker_base}{}/", field.name);
        let shown_value = value.as_deref().map(|v| {
            if readonly(field) {
                // Show a foreign key's related row, and readable values.
                match picker {
                    Some(Picker::Select(choices)) => choices
                        .iter()
                        .find(|(k, _)| k.to_string() == v)
                        .map_or_else(|| v.to_owned(), |(_, l)| l.clone()),
                    Some(Picker::TypeAhead(label)) if !label.is_empty() => label.clone(),
                    _ => v.to_owned(),
                }
            } else {
                v.to_owned()
            }
        });
        let file = stored_size.map(|size| StoredFile {
            size: file_size(size),
            url: object_url.as_ref().map(|u| format!("{u}download/{}/", field.name)),
        });
        let file_dropped = submitted
            .as_ref()
            .is_some_and(|form| !readonly(field) && form.files.iter().any(|f| f.name == field.name && f.is_chosen()));
        let shown = Shown {
            readonly: readonly(field),
            value: shown_value.as_deref(),
            checked: *checked,
            errors: field_errors,
            picker,
            picker_url: &picker_url,
            adding: pk.is_none(),
            file,
            file_dropped,
        };
        widget(config, field, shown)
    };
    let by_name: Vec<(&'static str, Json)> =
        fields.iter().zip(&values).map(|(field, value)| (field.name, field_json(field, value))).collect();
    let take = |names: &[&str]| -> Vec<Json> {
        names.iter().filter_map(|n| by_name.iter().find(|(f, _)| f == n).map(|(_, j)| j.clone())).collect()
    };
    let mut fieldsets: Vec<Json> = if config.fieldsets.is_empty() {
        vec![json!({"title": null, "fields": by_name.iter().map(|(_, j)| j.clone()).collect::<Vec<_>>()})]
    } else {
        config.fieldsets.iter().map(|set| json!({"title": set.title, "fields": take(set.fields)})).collect()
    };
    if !grants.is_empty() {
        fieldsets.push(json!({"title": FIELDSET_TITLE, "fields": grants}));
    }
    // Errors of fields the form does not show.
    let shown: Vec<&str> = fields.iter().map(|f| f.name).chain(grant_form.iter().flat_map(GrantForm::names)).collect();
    let form_errors: Vec<String> = errors
        .0
        .iter()
        .filter(|e| !shown.contains(&e.field))
        .map(|e| if e.message.contains('`') { e.message.clone() } else { format!("`{}`: {}", e.field, e.message) })
        .collect();

    let heading = match &repr {
        Some(repr) if locked => format!("View {}: {repr}", meta.verbose_name),
        Some(repr) => format!("Change {}: {repr}", meta.verbose_name),
        None => format!("Add {}", meta.verbose_name),
    };
    let action = object_url.clone().unwrap_or_else(|| format!("{url}add/"));
    let list_url = url_with_query(&url, &list_query);
    let crumbs = model_crumbs(ctx.state, meta, &list_url, &[(repr.as_deref().unwrap_or("Add"), None)]);
    // What admin.js remembers of an object the caller opened, for the
    // command palette's "recent objects": kept in the browser only.
    let recent = object_url
        .as_ref()
        .zip(repr.as_ref())
        .map(|(url, repr)| json!({"url": url, "model": meta.verbose_name, "display": repr}));
    render::view::<A, U>(ctx, "form", &heading, |page| {
        page.insert("breadcrumbs", crumbs)
            .insert("heading", &heading)
            .insert("object", repr.is_some())
            .insert("recent", recent)
            .insert_json("can", form_buttons::<A>(&ctx.caller, editing, locked))
            .insert("errors", !errors.is_empty() || posted_inlines.as_ref().is_some_and(|p| p.has_errors()))
            .insert("version_name", VERSION)
            .insert("version", version.as_deref())
            .insert_json(
                "conflict",
                if conflict {
                    json!({"model": meta.verbose_name.to_lowercase(), "fields": conflicts})
                } else {
                    Json::Null
                },
            )
            .insert("form_errors", form_errors)
            .insert("fieldsets", fieldsets)
            .insert("inlines", inlines)
            .insert("list_query", &list_query)
            .insert("multipart", editable.iter().any(|f| f.kind == SqlKind::Binary))
            .insert(
                "urls",
                json!({
                    "action": action,
                    "history": object_url.as_ref().map(|u| format!("{u}history/")),
                    "delete": object_url.as_ref().filter(|_| deletable).map(|u| format!("{u}delete/")),
                }),
            )
    })
    .await
}
