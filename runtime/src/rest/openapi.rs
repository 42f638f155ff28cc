//! The OpenAPI 3.1 document, built from the same static descriptions the
//! resources run on.
//!
//! Every operation has an `operationId` a code generator can name a function
//! after. A resource's are its slug and a verb: `<slug>_list` (GET on the
//! list), `<slug>_create` (POST on the list), `<slug>_retrieve`,
//! `<slug>_update` (PUT), `<slug>_update_post` (POST, the same edit) and
//! `<slug>_delete` on the detail. The front door is `root` and this document
//! `openapi`. Slugs are unique within an API (Rocket refuses two routes on
//! one path), no verb ends in another verb after an underscore, and the two
//! fixed ids hold no underscore, so no two operations share an id.

use std::collections::BTreeSet;

use rocket::http::Method;
use serde_json::{json, Map, Value as Json};

use super::config::{shown_through_relation, RestConfig};
use super::ops::ResourceOps;
use super::registered::Registered;
use crate::model::{FieldMeta, ModelMeta, SqlKind, MAX_YEAR, MIN_YEAR};
use crate::query::{Operator, MAX_HOPS, MAX_PATTERN};

fn ref_to(name: &str) -> Json {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Text every backend takes: no NUL.
const NO_NUL: &str = "^[^\\u0000]*$";

/// Text with a character that is not white space (as Rust's `trim` counts
/// it) and no NUL: a `not_blank` field's.
const NOT_BLANK: &str = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$";

/// The schema of one value of `field`'s kind, as the server reads it in a
/// body or a query string: without the field's own limits.
fn kind_schema(field: &FieldMeta) -> Json {
    let mut schema = match field.kind {
        SqlKind::SmallInt => json!({"type": "integer", "minimum": i16::MIN, "maximum": i16::MAX}),
        SqlKind::Integer => json!({"type": "integer", "format": "int32", "minimum": i32::MIN, "maximum": i32::MAX}),
        SqlKind::BigInt => json!({"type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": i64::MAX}),
        SqlKind::Float | SqlKind::Double => json!({"type": "number"}),
        SqlKind::Text => json!({"type": "string", "pattern": NO_NUL}),
        SqlKind::Bool => json!({"type": "boolean"}),
        SqlKind::Date => json!({"type": "string", "format": "date"}),
        SqlKind::Time => json!({"type": "string", "examples": ["13:45:00"]}),
        SqlKind::Timestamp => json!({
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601; written in UTC without an offset, read with or without one",
            "examples": ["2024-01-01T13:45:00"]
        }),
        SqlKind::Timestamptz => json!({
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339; any offset is taken, and the instant is written in UTC with Z",
            "examples": ["2024-01-01T13:45:00Z"]
        }),
        SqlKind::Uuid => json!({"type": "string", "format": "uuid"}),
        SqlKind::Numeric => {
            let mut schema = json!({
                "type": "string",
                "format": "decimal",
                "description": "an exact decimal, as a string so that no digit is lost",
                "examples": ["12.50"]
            });
            if let Some(p) = field.precision {
                let whole = p.max_digits - p.decimal_places;
                let fraction = if p.decimal_places == 0 {
                    String::new()
                } else {
                    format!("(\\.[0-9]{{0,{}}})?", p.decimal_places)
                };
                schema["pattern"] = json!(format!("^-?[0-9]{{1,{}}}{fraction}$", whole.max(1)));
                schema["description"] = json!(format!(
                    "an exact decimal of at most {} digits, {} after the point, as a string so that no digit is lost",
                    p.max_digits, p.decimal_places
                ));
            }
            schema
        }
        SqlKind::Jsonb => json!({"description": "any JSON document"}),
        SqlKind::Binary => json!({"type": "string", "contentEncoding": "base64"}),
    };
    if !field.choices.is_empty() {
        schema["enum"] = field.choices.iter().map(|c| c.value).collect();
    }
    schema
}

/// The schema of `field`'s stored values: its kind, its length and
/// blankness, null when it is nullable, and its verbose name.
fn type_of(field: &FieldMeta) -> Json {
    let mut schema = kind_schema(field);
    if field.kind == SqlKind::Text && field.choices.is_empty() {
        if let Some(max) = field.max_length {
            schema["maxLength"] = json!(max);
        }
        if field.not_blank {
            schema["pattern"] = json!(NOT_BLANK);
        }
    }
    if field.nullable {
        if let Some(kind) = schema.get("type").cloned() {
            schema["type"] = json!([kind, "null"]);
            if let Some(Json::Array(values)) = schema.get_mut("enum") {
                values.push(Json::Null);
            }
        }
    }
    schema["title"] = json!(field.verbose_name);
    schema
}

/// The schema of `field`'s values as the server writes them: a timestamp
/// without a time zone is written without an offset, which `date-time`
/// requires, so it is described by a pattern instead.
fn written_type_of(field: &FieldMeta) -> Json {
    let mut schema = type_of(field);
    if field.kind == SqlKind::Timestamp {
        if let Some(schema) = schema.as_object_mut() {
            schema.remove("format");
            schema
                .insert("pattern".into(), json!("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$"));
        }
    }
    schema
}

/// `schema`, marked as one the server ignores in a request body.
fn read_only(mut schema: Json) -> Json {
    schema["readOnly"] = json!(true);
    schema
}

/// The schemas of `ops`'s model, as read and as written, and of the models
/// it includes.
fn add_schemas(ops: &ResourceOps, schemas: &mut Map<String, Json>, done: &mut BTreeSet<&'static str>) {
    let meta = (ops.model)();
    if !done.insert(meta.name) {
        return;
    }
    let config = (ops.config)();
    let owner = config.owner.and_then(|name| meta.relation(name)).map(|r| r.field);
    // The server ignores these in a body: the key, the readonly fields and
    // the owner, which is always the caller.
    let ignored = |field: &FieldMeta| !config.writable(meta, field.name) || owner == Some(field.name);
    let mut read = Map::new();
    for field in config.shown_fields(meta) {
        let schema = written_type_of(field);
        read.insert(field.name.into(), if ignored(field) { read_only(schema) } else { schema });
    }
    let mut write = Map::new();
    let mut required = Vec::new();
    for field in meta.fields {
        if ignored(field) {
            if config.shows(field.name) {
                write.insert(field.name.into(), read_only(type_of(field)));
            }
            continue;
        }
        write.insert(field.name.into(), type_of(field));
        if !field.nullable && !field.db_default {
            required.push(field.name);
        }
    }
    for include in (ops.includes)() {
        let Some(relation) = meta.relation(include.relation) else {
            continue;
        };
        let target = (include.resource.model)().name;
        read.insert(relation.name.into(), json!({"oneOf": [ref_to(target), {"type": "null"}]}));
        if config.nested_writes && config.writable(meta, relation.field) {
            let key = type_of(meta.field(relation.field).unwrap_or(meta.primary_key));
            let nested = json!({"oneOf": [ref_to(&format!("{target}New")), key]});
            // The owner is always the caller, whatever the body says.
            let nested = if owner == Some(relation.field) { read_only(nested) } else { nested };
            write.insert(relation.name.into(), nested);
        }
        add_schemas(include.resource, schemas, done);
    }
    let shown: Vec<&str> = config.shown_fields(meta).map(|f| f.name).collect();
    schemas.insert(
        meta.name.into(),
        json!({"type": "object", "title": meta.verbose_name, "properties": read, "required": shown}),
    );
    // A create needs what the database does not fill; an edit changes only
    // the fields it names.
    schemas.insert(
        format!("{}Input", meta.name),
        json!({"type": "object", "properties": write, "additionalProperties": false}),
    );
    schemas.insert(
        format!("{}New", meta.name),
        json!({"type": "object", "properties": write, "required": required, "additionalProperties": false}),
    );
    schemas.insert(
        format!("{}List", meta.name),
        json!({
            "type": "object",
            "properties": {"meta": ref_to("ListMeta"), "objects": {"type": "array", "items": ref_to(meta.name)}},
            "required": ["meta", "objects"],
        }),
    );
}

/// The schema of one value of `op` on `field`, as the server reads it.
///
/// `in`, `not_in` and `between` read one comma-separated list per value
/// (`?id__in=1,2,3`): an array in the form style without explode. A
/// repeated `in` or `not_in` key means the same as one list, so a client
/// that repeats the key instead is read the same; `between` takes exactly
/// two bounds, in one value or as two single-bound values of one key.
/// `within_days` and `older_days` take a whole number of days, `year` a
/// year and `month` a month, 1 to 12, whatever the date field's own type.
fn operator_schema(field: &FieldMeta, op: Operator) -> Json {
    let value = kind_schema(field);
    match op.positive() {
        Operator::Is => json!({"type": "string", "enum": ["null", "notnull"]}),
        Operator::In => json!({"type": "array", "items": value, "minItems": 1}),
        Operator::Between => json!({"type": "array", "items": value, "minItems": 2, "maxItems": 2}),
        Operator::Like | Operator::Ilike => json!({
            "type": "string",
            "maxLength": MAX_PATTERN,
            // `\` escapes the next character, so a pattern cannot end in a lone one.
            "pattern": "^([^\\\\\\u0000]|\\\\[^\\u0000])*$",
        }),
        _ if op.is_pattern() => json!({"type": "string", "maxLength": MAX_PATTERN, "pattern": NO_NUL}),
        Operator::WithinDays | Operator::OlderDays => json!({"type": "integer", "minimum": 0}),
        Operator::Year => json!({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}),
        Operator::Month => json!({"type": "integer", "minimum": 1, "maximum": 12}),
        _ => value,
    }
}

/// The query parameter `name`, a filter with `op` on `field`.
fn filter_param(name: &str, field: &FieldMeta, op: Operator, description: &str) -> Json {
    let mut param = json!({
        "name": name,
        "in": "query",
        "required": false,
        "schema": operator_schema(field, op),
        "description": description,
    });
    if op.takes_list() {
        param["style"] = json!("form");
        param["explode"] = json!(false);
    }
    param
}

/// The filter parameters of a list: every filterable field with every
/// operator that suits its type, typed as the server reads them, and
/// equality on the fields one relation away. Longer paths, the other
/// operators across a relation and negation are the pattern in
/// [`filter_pattern`], not one parameter each.
fn filter_params(meta: &'static ModelMeta, config: &RestConfig) -> Vec<Json> {
    let filterable = |field: &FieldMeta| {
        config.shows(field.name)
            && !config.filter_exclude.contains(&field.name)
            && config.filter_fields.is_none_or(|only| only.contains(&field.name))
    };
    let mut params = Vec::new();
    for field in meta.fields.iter().filter(|f| filterable(f)) {
        for op in Operator::ALL {
            if op.unsupported_for(field.kind).is_some()
                || (matches!(op, Operator::Is | Operator::IsNot) && !field.nullable)
            {
                continue;
            }
            let name = if op == Operator::Eq { field.name.to_owned() } else { format!("{}__{op}", field.name) };
            params.push(filter_param(&name, field, op, &format!("`{}` {op}", field.name)));
        }
    }
    for relation in meta.relations.iter().filter(|r| meta.field(r.field).is_some_and(filterable)) {
        let target = relation.target;
        if let Some(key) = meta.field(relation.field) {
            let about = format!("the related {}'s key, as `{}`", target.slug, key.name);
            params.push(filter_param(relation.name, key, Operator::Eq, &about));
        }
        for field in target.fields.iter().filter(|f| shown_through_relation(target, f)) {
            params.push(filter_param(
                &format!("{}__{}", relation.name, field.name),
                field,
                Operator::Eq,
                &format!("`{}` of the related {}", field.name, target.slug),
            ));
        }
    }
    params
}

/// How the filters beyond the declared parameters are written, once per
/// list rather than one parameter each: the operators and the depth are the
/// query engine's own.
fn filter_pattern() -> String {
    let operators: Vec<&str> = Operator::ALL.iter().map(|op| op.name()).collect();
    format!(
        "Filters: `?field=v` and `?field__op=v` on the model's own fields and `?relation__field=v` one \
         relation away are declared below. The same operators apply across up to {MAX_HOPS} relations, as \
         `?relation__relation__field__op=v` (for example `user__username__ilike=a%`), with the value typed \
         as the field at the end of the path. A leading `-` negates a filter. A repeated key ORs its values, \
         or ANDs them for `ne`, `not_in` and negated keys; different keys AND. Operators: {}; `in`, \
         `not_in` and `between` take comma lists, `is` takes `null` or `notnull`; on a date or datetime, \
         `within_days` and `older_days` take a number of days, `year` a year and `month` 1 to 12. An \
         unknown filter is refused with 400.",
        operators.join(" ")
    )
}

/// `ordering`: the shown fields, each ascending or with `-` descending, as a
/// comma list. Paths through relations (`-user__username`) are taken too,
/// and described rather than listed.
fn ordering_param(meta: &'static ModelMeta, config: &RestConfig) -> Json {
    let terms: Vec<String> = config
        .shown_fields(meta)
        .filter(|f| f.kind.is_comparable())
        .flat_map(|f| [f.name.to_owned(), format!("-{}", f.name)])
        .collect();
    json!({
        "name": "ordering",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": false,
        "description": "fields, `-` for descending; `relation__field` paths are taken too",
        "schema": {"type": "array", "items": {"type": "string", "enum": terms}, "minItems": 1, "uniqueItems": true}
    })
}

/// `page` and `cursor` as one exploded object of at most one property.
///
/// A list is paged by number or by cursor, never both: the server refuses
/// both with 400. OpenAPI cannot make two parameters exclusive, so they are
/// the two properties of one `form`-style, exploded object parameter
/// (serialised as `?page=2` or `?cursor=...`, as before) with
/// `maxProperties: 1`. Generators that read objects in the query
/// (openapi-python-client does) give the caller one typed value to fill,
/// fuzzers such as schemathesis never send both in a valid request, and a
/// request that does is a documented 400.
fn pagination_param() -> Json {
    json!({
        "name": "pagination",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": true,
        "description": "`page` or `cursor`, not both",
        "schema": {
            "type": "object",
            "title": "Pagination",
            "properties": {
                "page": {"type": "integer", "minimum": 1, "maximum": i64::MAX, "description": "the page number, from 1"},
                "cursor": {
                    "type": "string",
                    "format": "hangar-cursor",
                    "description": "keyset pagination: empty for the first page, then the `cursor` of `meta.next` or `meta.previous`"
                }
            },
            "maxProperties": 1,
            "additionalProperties": false
        }
    })
}

fn error_responses(codes: &[u16]) -> Map<String, Json> {
    let reasons = |code: u16| match code {
        400 => "a parameter or field is invalid",
        401 => "missing or bad credentials",
        403 => "not allowed",
        429 => "too many failed logins from this client or for this user; `Retry-After` says when to try again",
        404 => "not found",
        405 => "method not allowed",
        409 => "a unique value is taken",
        413 => "the body is too large",
        _ => "error",
    };
    codes
        .iter()
        .map(|code| {
            let body =
                json!({"description": reasons(*code), "content": {"application/json": {"schema": ref_to("Error")}}});
            (code.to_string(), body)
        })
        .collect()
}

/// One of `resource`'s operations: `verb` makes its `operationId`, after
/// the slug (see the module's documentation).
fn operation(
    verb: &str,
    summary: &str,
    ok: (u16, Json),
    errors: &[u16],
    resource: &Registered,
    method: Method,
) -> Json {
    let mut responses = error_responses(errors);
    responses.insert(ok.0.to_string(), ok.1);
    let slug = (resource.ops.model)().slug;
    let mut op = json!({"operationId": format!("{slug}_{verb}"), "summary": summary, "responses": responses});
    if resource.auth.protects(method) {
        responses_add_401(&mut op);
        if let Some(scheme) = resource.auth.security_scheme() {
            op["security"] = json!([{ scheme: [] }]);
        }
    }
    if (resource.ops.config)().model_permissions {
        // An anonymous caller is asked for credentials, and a user without
        // the model's permission is refused, on every method.
        responses_add_401(&mut op);
        if let Some(responses) = op["responses"].as_object_mut() {
            responses.extend(error_responses(&[403]));
        }
    }
    op
}

/// The answers of an operation that checks credentials: 401 for missing
/// or bad ones, and 429 from the login throttle, which counts failed
/// passwords per client and per user.
fn responses_add_401(op: &mut Json) {
    if let Some(responses) = op["responses"].as_object_mut() {
        responses.extend(error_responses(&[401, 429]));
        responses["429"]["headers"] = json!({"Retry-After": {
            "description": "seconds to wait",
            "schema": {"type": "integer", "minimum": 0}
        }});
    }
}

/// A JSON request body; an edit without one (`required` false) changes
/// nothing, as an empty object would.
fn json_body(schema: &Json, required: bool) -> Json {
    json!({"required": required, "content": {"application/json": {"schema": schema}}})
}

fn ok(description: &str, schema: &Json) -> Json {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// The document for `resources` mounted under `prefix`.
pub(crate) fn document(prefix: &str, resources: &[Registered]) -> Json {
    let base = prefix.trim_end_matches('/');
    let mut paths = Map::new();
    let mut schemas = Map::new();
    let mut done = BTreeSet::new();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}),
    );
    schemas.insert(
        "ListMeta".into(),
        json!({"type": "object", "properties": {
            "model": {"type": "string"},
            "page": {"type": ["integer", "null"], "description": "null for a list paged by `cursor`"},
            "page_count": {"type": ["integer", "null"], "description": "null when the list is not counted"},
            "object_count": {
                "type": ["integer", "null"],
                "description": "null when the list is not counted; the cap when `count_capped` is true"
            },
            "count_capped": {"type": "boolean", "description": "present and true when there are more rows than `object_count`"},
            "next": {"type": "string"}, "previous": {"type": "string"}
        }, "required": ["model", "page", "page_count", "object_count", "next", "previous"]}),
    );
    for resource in resources {
        let ops = &resource.ops;
        let (meta, config) = ((ops.model)(), (ops.config)());
        add_schemas(ops, &mut schemas, &mut done);
        let allows = |m: Method| resource.methods.contains(&m);
        let name = meta.name;
        let mut list = Map::new();
        if allows(Method::Get) {
            let mut params = vec![
                pagination_param(),
                json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1},
                       "description": "rows a page; past the resource's maximum, the maximum"}),
                ordering_param(meta, config),
            ];
            params.extend(filter_params(meta, config));
            let mut get = operation(
                "list",
                &format!("List {}", meta.verbose_name_plural),
                (200, ok("a page", &ref_to(&format!("{name}List")))),
                &[400],
                resource,
                Method::Get,
            );
            get["parameters"] = Json::Array(params);
            get["description"] = json!(filter_pattern());
            list.insert("get".into(), get);
        }
        if allows(Method::Post) {
            let mut post = operation(
                "create",
                &format!("Create a {}", meta.verbose_name),
                (201, ok("created", &ref_to(name))),
                &[400, 403, 409, 413],
                resource,
                Method::Post,
            );
            post["requestBody"] = json_body(&ref_to(&format!("{name}New")), true);
            list.insert("post".into(), post);
        }
        let mut detail = Map::new();
        if allows(Method::Get) {
            detail.insert(
                "get".into(),
                operation(
                    "retrieve",
                    &format!("Read a {}", meta.verbose_name),
                    (200, ok("the object", &ref_to(name))),
                    &[403, 404],
                    resource,
                    Method::Get,
                ),
            );
        }
        for (method, key, id) in [(Method::Put, "put", "update"), (Method::Post, "post", "update_post")] {
            if allows(method) {
                let mut edit = operation(
                    id,
                    &format!("Change a {}", meta.verbose_name),
                    (200, ok("changed", &ref_to(name))),
                    &[400, 403, 404, 409, 413],
                    resource,
                    method,
                );
                edit["requestBody"] = json_body(&ref_to(&format!("{name}Input")), false);
                detail.insert(key.into(), edit);
            }
        }
        if allows(Method::Delete) {
            let deleted =
                json!({"type": "object", "properties": {"deleted": {"type": "integer"}}, "required": ["deleted"]});
            detail.insert(
                "delete".into(),
                operation(
                    "delete",
                    &format!("Delete a {} and what depends on it", meta.verbose_name),
                    (200, ok("deleted", &deleted)),
                    &[403, 404],
                    resource,
                    Method::Delete,
                ),
            );
        }
        detail.insert(
            "parameters".into(),
            json!([{"name": "pk", "in": "path", "required": true, "schema": type_of(meta.primary_key)}]),
        );
        paths.insert(format!("{base}/{}/", meta.slug), Json::Object(list));
        paths.insert(format!("{base}/{}/{{pk}}/", meta.slug), Json::Object(detail));
    }
    let front_door = json!({
        "type": "object",
        "properties": {
            "resources": {
                "type": "object",
                "description": "each resource's list URL by its model's name",
                "additionalProperties": {"type": "string"}
            },
            "openapi": {"type": "string", "description": "this document's URL"}
        },
        "required": ["resources", "openapi"],
    });
    paths.insert(
        format!("{base}/"),
        json!({"get": {
            "operationId": "root",
            "summary": "The API's front door: every resource's URL and this document's",
            "responses": {"200": ok("the front door", &front_door)},
        }}),
    );
    paths.insert(
        format!("{base}/openapi.json"),
        json!({"get": {
            "operationId": "openapi",
            "summary": "This OpenAPI document",
            "responses": {"200": ok("the document", &json!({"type": "object"}))},
        }}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {"title": "REST API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "apiKeyAuth": {"type": "apiKey", "in": "query", "name": "key"},
            },
        },
    })
}
