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
use crate::model::{FieldMeta, ModelMeta, SqlKind};
use crate::query::Operator;

fn ref_to(name: &str) -> Json {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn type_of(field: &FieldMeta) -> Json {
    let mut schema = match field.kind {
        SqlKind::SmallInt | SqlKind::Integer => json!({"type": "integer", "format": "int32"}),
        SqlKind::BigInt => json!({"type": "integer", "format": "int64"}),
        SqlKind::Float | SqlKind::Double => json!({"type": "number"}),
        SqlKind::Text => json!({"type": "string"}),
        SqlKind::Bool => json!({"type": "boolean"}),
        SqlKind::Date => json!({"type": "string", "format": "date"}),
        SqlKind::Time => json!({"type": "string", "examples": ["13:45:00"]}),
        SqlKind::Timestamp => json!({
            "type": "string",
            "description": "ISO 8601, UTC, without an offset",
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

/// The schemas of `ops`'s model, as read and as written, and of the models
/// it includes.
fn add_schemas(ops: &ResourceOps, schemas: &mut Map<String, Json>, done: &mut BTreeSet<&'static str>) {
    let meta = (ops.model)();
    if !done.insert(meta.name) {
        return;
    }
    let config = (ops.config)();
    let mut read = Map::new();
    for field in config.shown_fields(meta) {
        read.insert(field.name.into(), type_of(field));
    }
    let mut write = Map::new();
    for field in meta.fields.iter().filter(|f| config.writable(meta, f.name)) {
        write.insert(field.name.into(), type_of(field));
    }
    for include in (ops.includes)() {
        let Some(relation) = meta.relation(include.relation) else {
            continue;
        };
        let target = (include.resource.model)().name;
        read.insert(relation.name.into(), json!({"oneOf": [ref_to(target), {"type": "null"}]}));
        if config.nested_writes && config.writable(meta, relation.field) {
            let key = type_of(meta.field(relation.field).unwrap_or(meta.primary_key));
            write.insert(relation.name.into(), json!({"oneOf": [ref_to(&format!("{target}Input")), key]}));
        }
        add_schemas(include.resource, schemas, done);
    }
    let shown: Vec<&str> = config.shown_fields(meta).map(|f| f.name).collect();
    schemas.insert(
        meta.name.into(),
        json!({"type": "object", "title": meta.verbose_name, "properties": read, "required": shown}),
    );
    schemas.insert(
        format!("{}Input", meta.name),
        json!({"type": "object", "properties": write, "additionalProperties": false}),
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

fn query_param(name: &str, description: &str) -> Json {
    json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}, "description": description})
}

/// The filter parameters of a list: every filterable field with every
/// operator that suits its type, and the fields one relation away.
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
            params.push(query_param(&name, &format!("`{}` {op}; a leading `-` negates", field.name)));
        }
    }
    for relation in meta.relations.iter().filter(|r| meta.field(r.field).is_some_and(filterable)) {
        let target = relation.target;
        for field in target.fields.iter().filter(|f| shown_through_relation(target, f)) {
            params.push(query_param(
                &format!("{}__{}", relation.name, field.name),
                &format!("`{}` of the related {}; every operator of the field applies", field.name, target.slug),
            ));
        }
    }
    params
}

fn error_responses(codes: &[u16]) -> Map<String, Json> {
    let reasons = |code: u16| match code {
        400 => "a parameter or field is invalid",
        401 => "missing or bad credentials",
        403 => "not allowed",
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
    op
}

fn responses_add_401(op: &mut Json) {
    if let Some(responses) = op["responses"].as_object_mut() {
        responses.extend(error_responses(&[401]));
    }
}

fn json_body(schema: &Json) -> Json {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
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
                json!({"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}),
                json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}}),
                query_param("ordering", "comma-separated fields, `-` for descending"),
                query_param(
                    "cursor",
                    "keyset pagination: empty for the first page, then the token in `meta.next` or `meta.previous`; not with `page`",
                ),
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
            post["requestBody"] = json_body(&ref_to(&format!("{name}Input")));
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
                edit["requestBody"] = json_body(&ref_to(&format!("{name}Input")));
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
