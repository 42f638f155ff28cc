//! The list's filter builder, its sidebar of quick filters and its active
//! filters: the REST API's filter language, written and read by people.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde_json::{json, Map, Value as Json};

use super::columns::resolve;
use super::config::{shown_through_relation, AdminConfig, AdminModel};
use crate::forms::Params;
use crate::model::{FieldMeta, ModelMeta, SqlKind};
use crate::query::{Filter, Operator};
use crate::templates::escape_html;

/// How an operator reads in a sentence.
fn operator_label(op: Operator) -> &'static str {
    match op {
        Operator::Eq => "equals",
        Operator::Ne => "does not equal",
        Operator::Lt => "is less than",
        Operator::Lte => "is at most",
        Operator::Gt => "is more than",
        Operator::Gte => "is at least",
        Operator::In => "is one of",
        Operator::NotIn => "is none of",
        Operator::Is => "is",
        Operator::IsNot => "is not",
        Operator::Like => "matches the pattern",
        Operator::Ilike => "matches the pattern, ignoring case,",
        Operator::Contains => "contains",
        Operator::Startswith => "starts with",
        Operator::Endswith => "ends with",
        Operator::Between => "is between",
        Operator::WithinDays => "is within the last (days)",
        Operator::OlderDays => "is older than (days)",
        Operator::Year => "is in the year",
        Operator::Month => "is in the month",
    }
}

/// How an operator reads before its values in an active filter's sentence,
/// and what follows them: "is within the last" 7 "days".
fn operator_phrase(op: Operator) -> (&'static str, &'static str) {
    match op {
        Operator::WithinDays => ("is within the last", " days"),
        Operator::OlderDays => ("is older than", " days"),
        op => (operator_label(op), ""),
    }
}

/// A month's name, for `month`'s value: "3" reads as March.
fn month_name(value: &str) -> Option<&'static str> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month: usize = value.trim().parse().ok()?;
    MONTHS.get(month.checked_sub(1)?).copied()
}

/// Every kind of field.
const KINDS: [SqlKind; 15] = [
    SqlKind::SmallInt,
    SqlKind::Integer,
    SqlKind::BigInt,
    SqlKind::Float,
    SqlKind::Double,
    SqlKind::Text,
    SqlKind::Bool,
    SqlKind::Date,
    SqlKind::Time,
    SqlKind::Timestamp,
    SqlKind::Timestamptz,
    SqlKind::Uuid,
    SqlKind::Numeric,
    SqlKind::Jsonb,
    SqlKind::Binary,
];

fn kind_name(kind: SqlKind) -> &'static str {
    match kind {
        SqlKind::SmallInt => "smallint",
        SqlKind::Integer => "integer",
        SqlKind::BigInt => "bigint",
        SqlKind::Float => "float",
        SqlKind::Double => "double",
        SqlKind::Text => "text",
        SqlKind::Bool => "bool",
        SqlKind::Date => "date",
        SqlKind::Time => "time",
        SqlKind::Timestamp => "timestamp",
        SqlKind::Timestamptz => "timestamptz",
        SqlKind::Uuid => "uuid",
        SqlKind::Numeric => "numeric",
        SqlKind::Jsonb => "json",
        SqlKind::Binary => "binary",
    }
}

/// `path__op`, or the bare path for `eq`.
fn filter_param(path: &str, op: &str) -> String {
    if op.is_empty() || op == "eq" {
        path.to_owned()
    } else {
        format!("{path}__{op}")
    }
}

/// Where the filter builder's form, sent without JavaScript, goes: the
/// list with its three fields made one filter parameter, and no page;
/// `None` when `params` are not the builder's.
pub(crate) fn builder_target(params: &Params, url: &str) -> Option<String> {
    let field = params.get("_filter_field")?;
    let op = params.get("_filter_op").unwrap_or("eq");
    let value = params.get("_filter_value").unwrap_or_default();
    let param = filter_param(field, op);
    let drop = ["_filter_field", "_filter_op", "_filter_value", "page"];
    Some(params.url_without(url, &drop, &[(&param, value)]))
}

/// The paths the builder offers: `filter_fields` when given, else every
/// field the admin shows and the fields one relation away that the related
/// admin shows; never one `filter_exclude` names.
fn paths(meta: &'static ModelMeta, config: &AdminConfig) -> Vec<String> {
    let mut paths: Vec<String> = match config.filter_fields {
        Some(fields) => fields.iter().map(|f| (*f).to_owned()).collect(),
        None => {
            let own = meta.fields.iter().filter(|f| config.shows(f.name)).map(|f| f.name.to_owned());
            let related = meta.relations.iter().flat_map(|r| {
                let target = r.target;
                target
                    .fields
                    .iter()
                    .filter(move |f| !f.primary_key && shown_through_relation(target, f))
                    .map(move |f| format!("{}__{}", r.name, f.name))
            });
            own.chain(related).collect()
        }
    };
    paths.retain(|p| !config.filter_exclude.contains(&p.as_str()));
    paths
}

/// The field a path filters on: its field, or a relation's foreign key.
fn filtered_field(meta: &'static ModelMeta, path: &str) -> Option<&'static FieldMeta> {
    let segments: Vec<&str> = path.split("__").collect();
    let mut model = meta;
    for (i, segment) in segments.iter().enumerate() {
        if i + 1 == segments.len() {
            return model.field(segment).or_else(|| model.relation(segment).and_then(|r| model.field(r.field)));
        }
        model = model.relation(segment)?.target;
    }
    None
}

/// The builder's data: its fields and the names of the operators that fit
/// each of their kinds, as JSON for the script (escaped for an attribute
/// already: `fields_attribute`, `operators_attribute`) and as the options of the form without it
/// (`field_options`, `operator_options`, written already), and the
/// parameters a new filter keeps. With `lists`, also the fields (`path`,
/// `label`, `kind`, `nullable`) and operators (`name`, `label`) themselves,
/// for a list template of the app's own.
pub(crate) fn builder<M: AdminModel>(keep: &[Json], lists: bool) -> Json {
    let part = model_part::<M>();
    let mut data: Map<String, Json> = part
        .iter()
        .filter(|(key, _)| lists || !matches!(key.as_str(), "fields" | "all_operators"))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    data.insert("keep".to_owned(), Json::Array(keep.to_vec()));
    Json::Object(data)
}

/// The part of the builder's data that depends only on the model, made
/// once for each model: it cost a list page a sixth of its time.
fn model_part<M: AdminModel>() -> &'static Map<String, Json> {
    // One entry a model type, made on its first list page and kept for the
    // life of the process, as the model's own description is.
    static MADE: OnceLock<Mutex<HashMap<TypeId, &'static Map<String, Json>>>> = OnceLock::new();
    let made = MADE.get_or_init(Mutex::default);
    let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
    made.entry(TypeId::of::<M>()).or_insert_with(|| Box::leak(Box::new(make_model_part::<M>())))
}

fn make_model_part<M: AdminModel>() -> Map<String, Json> {
    let (meta, config) = (M::meta(), M::admin());
    let fields: Vec<Json> = paths(meta, config)
        .iter()
        .filter_map(|path| {
            let field = filtered_field(meta, path)?;
            let label = resolve(meta, config, path).map_or_else(|| path.clone(), |(_, _, label)| label);
            let mut json =
                json!({"path": path, "label": label, "kind": kind_name(field.kind), "nullable": field.nullable});
            if !field.choices.is_empty() {
                let choices: Vec<Json> =
                    field.choices.iter().map(|c| json!({"value": c.value, "label": c.label})).collect();
                json["choices"] = Json::Array(choices);
            }
            Some(json)
        })
        .collect();
    // The operators that fit each kind of field the builder offers, by
    // name: the script reads their labels from the operator select.
    let mut operators = Map::new();
    for field in &fields {
        let kind = field["kind"].as_str().unwrap_or_default();
        if operators.contains_key(kind) {
            continue;
        }
        let Some(sql_kind) = KINDS.iter().copied().find(|k| kind_name(*k) == kind) else {
            continue;
        };
        let fitting: Vec<Json> = Operator::ALL
            .iter()
            .filter(|op| op.unsupported_for(sql_kind).is_none())
            .map(|op| json!(op.name()))
            .collect();
        operators.insert(kind.to_owned(), Json::Array(fitting));
    }
    let all: Vec<Json> =
        Operator::ALL.iter().map(|op| json!({"name": op.name(), "label": operator_label(*op)})).collect();
    let mut part = Map::new();
    // The script reads both as JSON from attributes: escaped here, once a
    // model, rather than on every page (they are a page's longest text).
    part.insert("fields_attribute".to_owned(), escape_html(&Json::Array(fields.clone()).to_string()).into());
    part.insert("operators_attribute".to_owned(), escape_html(&Json::Object(operators).to_string()).into());
    // The selects' options, the same for every page of the model.
    let options = |items: &[Json], value: &str| -> String {
        let text = |item: &Json, key: &str| escape_html(item[key].as_str().unwrap_or_default());
        items
            .iter()
            .map(|item| format!("<option value=\"{}\">{}</option>", text(item, value), text(item, "label")))
            .collect()
    };
    part.insert("field_options".to_owned(), options(&fields, "path").into());
    part.insert("operator_options".to_owned(), options(&all, "name").into());
    part.insert("fields".to_owned(), Json::Array(fields));
    part.insert("all_operators".to_owned(), Json::Array(all));
    part
}

/// The filters in effect, each as a sentence with a link that removes it.
pub(crate) fn active_filters(
    meta: &'static ModelMeta,
    config: &AdminConfig,
    filters: &[Filter],
    params: &Params,
    url: &str,
) -> Vec<Json> {
    filters
        .iter()
        .map(|filter| {
            let path = filter.path();
            let label = resolve(meta, config, &path).map_or_else(|| path.clone(), |(_, _, label)| label);
            // A choice's values read as their labels.
            let field = filtered_field(meta, &path);
            let label_of = |value: &str| -> String {
                if filter.operator() == Operator::Month {
                    return month_name(value).unwrap_or(value).to_owned();
                }
                let labels: Vec<&str> =
                    value.split(',').map(|v| field.and_then(|f| f.choice_label(v)).unwrap_or(v)).collect();
                labels.join(",")
            };
            let values: Vec<String> = params.get_all(filter.param()).map(label_of).collect();
            let negated = if filter.param().starts_with('-') { "not: " } else { "" };
            let (phrase, unit) = operator_phrase(filter.operator());
            let sentence = format!("{negated}{label} {phrase} {}{unit}", values.join(" or "));
            let remove_url = params.url_without(url, &[filter.param(), "page"], &[]);
            json!({"label": sentence.trim(), "remove_url": remove_url})
        })
        .collect()
}

/// One quick filter of the sidebar: its label and the parameters it sets.
struct QuickFilter {
    label: String,
    pairs: Vec<(String, String)>,
}

/// The ranges of dates a date, timestamp or instant field is filtered by:
/// today, the past 7 days, this month and this year, from midnight UTC,
/// each as `(label, first day, day after the last)`.
fn date_ranges(today: NaiveDate) -> Vec<(&'static str, NaiveDate, NaiveDate)> {
    let tomorrow = today + Days::new(1);
    let month = today.with_day(1).unwrap_or(today);
    let year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    vec![
        ("Today", today, tomorrow),
        ("Past 7 days", today - Days::new(6), tomorrow),
        ("This month", month, month + Months::new(1)),
        ("This year", year, year + Months::new(12)),
    ]
}

/// The quick filters of `field`, and the parameters they all replace.
fn quick_filters(field: &FieldMeta, today: NaiveDate) -> Option<(Vec<String>, Vec<QuickFilter>)> {
    let name = field.name;
    let one = |label: &str, key: &str, value: &str| QuickFilter {
        label: label.to_owned(),
        pairs: vec![(key.to_owned(), value.to_owned())],
    };
    if !field.choices.is_empty() {
        let mut filters: Vec<QuickFilter> = field.choices.iter().map(|c| one(c.label, name, c.value)).collect();
        if field.nullable {
            filters.push(one("None", &format!("{name}__is"), "null"));
        }
        return Some((vec![name.to_owned(), format!("{name}__is")], filters));
    }
    match field.kind {
        SqlKind::Date | SqlKind::Timestamp | SqlKind::Timestamptz => {
            let (gte, lt) = (format!("{name}__gte"), format!("{name}__lt"));
            let bound = |day: NaiveDate| match field.kind {
                SqlKind::Date => day.to_string(),
                SqlKind::Timestamp => format!("{day}T00:00:00"),
                _ => format!("{day}T00:00:00Z"),
            };
            let mut filters: Vec<QuickFilter> = date_ranges(today)
                .into_iter()
                .map(|(label, from, until)| QuickFilter {
                    label: label.to_owned(),
                    pairs: vec![(gte.clone(), bound(from)), (lt.clone(), bound(until))],
                })
                .collect();
            let mut keys = vec![gte, lt];
            if field.nullable {
                filters.push(one("No date", &format!("{name}__is"), "null"));
                filters.push(one("Has a date", &format!("{name}__is"), "notnull"));
                keys.push(format!("{name}__is"));
            }
            Some((keys, filters))
        }
        SqlKind::Binary | SqlKind::Jsonb if field.nullable => {
            let key = format!("{name}__is");
            Some((vec![key.clone()], vec![one("Set", &key, "notnull"), one("Not set", &key, "null")]))
        }
        _ => None,
    }
}

/// The sidebar's quick filters, as Django's `list_filter`: for each field
/// of the model's own that the list filters on and that has a few useful
/// values (a choice field by its values, labelled; a date, timestamp or
/// instant by today, the past 7 days, this month and this year in UTC; a
/// nullable bytes or JSON field by whether it is set), a link for each
/// value, and one for all, the one in effect marked.
pub(crate) fn sidebar(
    meta: &'static ModelMeta,
    config: &AdminConfig,
    params: &Params,
    url: &str,
    now: DateTime<Utc>,
) -> Vec<Json> {
    let today = now.date_naive();
    paths(meta, config)
        .iter()
        .filter(|path| !path.contains("__"))
        .filter_map(|path| {
            let field = meta.field(path)?;
            let (keys, filters) = quick_filters(field, today)?;
            let drop: Vec<&str> = keys.iter().map(String::as_str).chain(["page"]).collect();
            let mut given: Vec<(&str, &str)> =
                params.iter().filter(|(k, _)| keys.contains(k)).map(|(k, v)| (k.as_str(), v.as_str())).collect();
            given.sort_unstable();
            let mut options = vec![json!({
                "label": "All",
                "url": params.url_without(url, &drop, &[]),
                "selected": given.is_empty(),
            })];
            options.extend(filters.iter().map(|filter| {
                let pairs: Vec<(&str, &str)> = filter.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let mut sorted = pairs.clone();
                sorted.sort_unstable();
                json!({
                    "label": filter.label,
                    "url": params.url_without(url, &drop, &pairs),
                    "selected": given == sorted,
                })
            }));
            Some(json!({"title": config.label(field), "options": options}))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::auth::User;
    use crate::model::strategy::META;
    use crate::query::QueryError;
    use crate::templates::Templates;

    /// Every field of [`META`], and each again one and two relations away.
    fn every_path() -> Vec<String> {
        let fields: Vec<&str> = META.fields.iter().map(|f| f.name).collect();
        let prefixes = ["", "parent__", "parent__parent__"];
        prefixes.iter().flat_map(|prefix| fields.iter().map(move |f| format!("{prefix}{f}"))).collect()
    }

    #[test]
    fn a_builder_parameter_parses_back_to_its_path_and_operator() {
        for path in every_path() {
            for op in Operator::ALL {
                let param = filter_param(&path, op.name());
                match Filter::parse(&META, &param, &[]) {
                    Ok(filter) => assert_eq!((filter.path(), filter.operator()), (path.clone(), op), "{param}"),
                    Err(QueryError::OperatorType { operator, kind, .. }) => {
                        assert_eq!(operator, op, "{param}");
                        assert!(op.unsupported_for(kind).is_some(), "{param}");
                    }
                    Err(e) => panic!("{param}: {e}"),
                }
            }
        }
    }

    proptest! {
        #[test]
        fn the_builder_form_redirects_to_its_filter(
            path in prop::sample::select(every_path()),
            op in prop::sample::select(Operator::ALL.to_vec()),
            value in ".*",
            other in ".*",
        ) {
            let form = Params::from(vec![
                ("q".to_owned(), other.clone()),
                ("_filter_field".to_owned(), path.clone()),
                ("_filter_op".to_owned(), op.name().to_owned()),
                ("_filter_value".to_owned(), value.clone()),
                ("page".to_owned(), "3".to_owned()),
            ]);
            let target = builder_target(&form, "/admin/every/").unwrap_or_default();
            let (url, query) = target.split_once('?').unwrap_or((&target, ""));
            prop_assert_eq!(url, "/admin/every/");
            let param = filter_param(&path, op.name());
            let expected = [("q".to_owned(), other), (param, value)];
            prop_assert_eq!(&*Params::parse(query), expected.as_slice());
        }
    }

    #[test]
    fn the_written_options_are_what_the_lists_render() -> Result<(), crate::Error> {
        let mut templates = Templates::embedded()?;
        templates.add("fields", r#"{{#each fields}}<option value="{{path}}">{{label}}</option>{{/each}}"#)?;
        templates.add("operators", r#"{{#each all_operators}}<option value="{{name}}">{{label}}</option>{{/each}}"#)?;
        let data = builder::<User>(&[], true);
        assert_eq!(data["field_options"], templates.render_json("fields", data.clone())?);
        assert_eq!(data["operator_options"], templates.render_json("operators", data.clone())?);
        assert!(data["operator_options"].as_str().is_some_and(|o| o.contains("matches the pattern, ignoring case,")));
        let without = builder::<User>(&[], false);
        assert!(without.get("fields").is_none() && without.get("all_operators").is_none());
        assert_eq!(without["field_options"], data["field_options"]);
        Ok(())
    }
}
