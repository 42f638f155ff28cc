//! Request bodies as JSON objects: JSON (with or without a Content-Type),
//! form `data=<json>`, or plain form fields; and each value typed as the
//! model field it is for.

use rocket::http::ContentType;
use serde_json::{Map, Value as Json};

use super::Params;
use crate::model::{did_you_mean, shown, FieldMeta, ModelMeta, SqlKind, Value};
use crate::Error;

/// A request body as a JSON object.
pub type Object = Map<String, Json>;

/// Reads `raw` as a JSON object. A body that starts like JSON is JSON,
/// whatever its Content-Type says (`curl -d '{...}'` labels it a form);
/// other form bodies are `data=<json>` or plain fields; anything else is
/// JSON. `ignored` are form fields that are credentials, not data.
pub fn parse_object(raw: &[u8], content_type: Option<&ContentType>, ignored: &[&str]) -> Result<Object, Error> {
    let Some(first) = raw.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Ok(Object::new());
    };
    let looks_like_json = matches!(first, b'{' | b'[');
    if !looks_like_json && content_type.is_some_and(|ct| *ct == ContentType::Form) {
        let params = Params::parse_bytes(raw);
        if let Some(data) = params.get_all("data").last() {
            return json_object(data.as_bytes());
        }
        let fields = params.into_iter().filter(|(k, _)| !ignored.contains(&k.as_str()));
        return Ok(fields.map(|(k, v)| (k, Json::String(v))).collect());
    }
    json_object(raw)
}

fn json_object(raw: &[u8]) -> Result<Object, Error> {
    match serde_json::from_slice::<Json>(raw) {
        Ok(Json::Object(object)) => Ok(object),
        Ok(_) => Err(Error::BadRequest("the request body must be a JSON object".into())),
        Err(_) => Err(Error::BadRequest("Request body is not valid JSON.".into())),
    }
}

/// "unknown field `user__nme` on `user`; fields are: ...; did you mean ...",
/// for a body key that is no field of `meta`; `path` is the key's place in
/// a nested body (`user__`).
pub fn unknown_field(meta: &ModelMeta, key: &str, path: &str) -> Error {
    let fields: Vec<&str> = meta.field_names().collect();
    Error::BadRequest(format!(
        "unknown field `{path}{}` on `{}`; fields are: {}{}",
        shown(key),
        meta.slug,
        fields.join(", "),
        did_you_mean(key, fields.iter().copied())
    ))
}

/// The JSON value `json` as a value of `field`'s type, or a sentence naming
/// `path` + the field. Strings are parsed as the type (forms send nothing
/// else); an empty string is NULL for a nullable field that is not text.
/// The value must be one every backend can store in the field's column
/// (see [`FieldMeta::check_storable`]).
pub fn to_value(field: &FieldMeta, json: Json, path: &str) -> Result<Value, Error> {
    let name = format!("{path}{}", field.name);
    let value = typed(field, json, &name)?;
    field.check_storable(&value).map_err(|why| Error::BadRequest(why.sentence(&name, &value)))?;
    Ok(value)
}

fn typed(field: &FieldMeta, json: Json, name: &str) -> Result<Value, Error> {
    let wrong = |value: String| {
        let (kind, hint) = (field.kind, field.kind.format_hint());
        Error::BadRequest(format!("`{name}` value `{}` is not {kind}{hint}", shown(&value)))
    };
    match json {
        Json::Null if field.nullable => Ok(Value::Null),
        Json::Null => Err(Error::BadRequest(format!("`{name}` may not be null"))),
        // A JSON field takes any document but null, which is SQL's NULL.
        json if field.kind == SqlKind::Jsonb => Ok(Value::Jsonb(json)),
        Json::String(s) if !field.choices.is_empty() && field.choice_label(&s).is_none() => {
            let values: Vec<&str> = field.choices.iter().map(|c| c.value).collect();
            Err(Error::BadRequest(format!(
                "`{name}` value `{}` is not one of its choices: {}",
                shown(&s),
                values.join(", ")
            )))
        }
        Json::String(s) if s.is_empty() && field.nullable && !matches!(field.kind, SqlKind::Text | SqlKind::Binary) => {
            Ok(Value::Null)
        }
        Json::String(s) => Value::parse(field.kind, &s).ok_or_else(|| wrong(s)),
        Json::Bool(b) => match field.kind {
            SqlKind::Bool => Ok(Value::Bool(b)),
            _ => Err(wrong(b.to_string())),
        },
        Json::Number(n) => {
            let shown = n.to_string();
            if field.kind == SqlKind::Float && n.as_f64().is_some_and(|x| !(x as f32).is_finite()) {
                let why = crate::model::Unstorable::NotFinite;
                return Err(Error::BadRequest(why.sentence(name, &Value::Text(shown))));
            }
            let value = match field.kind {
                SqlKind::SmallInt => whole(&n).and_then(|i| i16::try_from(i).ok()).map(Value::SmallInt),
                SqlKind::Integer => whole(&n).and_then(|i| i32::try_from(i).ok()).map(Value::Integer),
                SqlKind::BigInt => whole(&n).map(Value::BigInt),
                // Past f32's range the cast is infinite, which `to_value` refuses.
                #[allow(clippy::cast_possible_truncation)]
                SqlKind::Float => n.as_f64().map(|x| Value::Float(x as f32)),
                SqlKind::Double => n.as_f64().map(Value::Double),
                SqlKind::Bool => match n.as_i64() {
                    Some(0) => Some(Value::Bool(false)),
                    Some(1) => Some(Value::Bool(true)),
                    _ => None,
                },
                // Whole numbers are exact; any other JSON number has been
                // through a double already, so a decimal must come as a string.
                SqlKind::Numeric if n.is_i64() || n.is_u64() => Value::parse(SqlKind::Numeric, &shown),
                SqlKind::Numeric => {
                    return Err(Error::BadRequest(format!(
                        "`{name}` value `{shown}` must be a string, like \"{shown}\", so that no digit is lost"
                    )))
                }
                SqlKind::Text
                | SqlKind::Date
                | SqlKind::Time
                | SqlKind::Timestamp
                | SqlKind::Timestamptz
                | SqlKind::Uuid
                | SqlKind::Jsonb
                | SqlKind::Binary => None,
            };
            value.ok_or_else(|| wrong(shown))
        }
        Json::Array(_) | Json::Object(_) => Err(Error::BadRequest(format!("`{name}` takes a single value"))),
    }
}

/// `n` as a whole number: JSON (and JSON Schema's `integer`) counts `441.0`
/// as the integer 441, as it does `441`.
fn whole(n: &serde_json::Number) -> Option<i64> {
    // 2^63, exactly representable; every whole f64 below it in magnitude fits.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    #[allow(clippy::cast_possible_truncation)]
    n.as_i64().or_else(|| n.as_f64().filter(|x| x.fract() == 0.0 && (-LIMIT..LIMIT).contains(x)).map(|x| x as i64))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::strategy::any_field_value;

    proptest! {
        #[test]
        fn every_value_written_as_json_types_back_to_itself((field, value) in any_field_value()) {
            prop_assert_eq!(to_value(field, value.to_json(), "").ok(), Some(value));
        }

        #[test]
        fn any_body_is_read_or_refused(raw in prop::collection::vec(any::<u8>(), 0..64), form in any::<bool>()) {
            let _ = parse_object(&raw, form.then_some(&ContentType::Form), &[]);
        }
    }

    #[test]
    fn an_integer_field_takes_a_whole_number_written_with_a_point() {
        let id = FieldMeta::for_tests("user_id", SqlKind::Integer, false);
        assert_eq!(to_value(&id, serde_json::json!(441.0), "").ok(), Some(Value::Integer(441)));
        assert_eq!(to_value(&id, serde_json::json!(-2.0), "").ok(), Some(Value::Integer(-2)));
        assert!(to_value(&id, serde_json::json!(441.5), "").is_err());
        assert!(to_value(&id, serde_json::json!(3e10), "").is_err(), "past i32");
        let big = FieldMeta::for_tests("n", SqlKind::BigInt, false);
        assert!(to_value(&big, serde_json::json!(1e19), "").is_err(), "past i64");
    }

    #[test]
    fn bodies_are_json_with_or_without_a_content_type_or_forms() -> Result<(), Error> {
        let json = parse_object(br#"{"a": 1}"#, None, &[])?;
        assert_eq!(json.get("a"), Some(&Json::from(1)));
        let json = parse_object(br#"{"a": 1}"#, Some(&ContentType::JSON), &[])?;
        assert_eq!(json.len(), 1);
        let form = parse_object(b"data=%7B%22a%22%3A2%7D&key=k", Some(&ContentType::Form), &["key"])?;
        assert_eq!(form.get("a"), Some(&Json::from(2)));
        let fields = parse_object(b"a=x+y&key=k&secret=s", Some(&ContentType::Form), &["key", "secret"])?;
        assert_eq!(Json::Object(fields), serde_json::json!({"a": "x y"}));
        assert!(parse_object(b"  ", None, &[])?.is_empty());
        let labelled_a_form = parse_object(br#" {"a": 3}"#, Some(&ContentType::Form), &[])?;
        assert_eq!(labelled_a_form.get("a"), Some(&Json::from(3)), "curl -d sends JSON as a form");
        Ok(())
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused() {
        let error = |raw: &[u8]| parse_object(raw, None, &[]).err().map(|e| e.to_string());
        assert_eq!(error(b"{oops").as_deref(), Some("Request body is not valid JSON."));
        assert_eq!(error(b"[1, 2]").as_deref(), Some("the request body must be a JSON object"));
    }

    fn field(name: &'static str, kind: SqlKind, nullable: bool) -> FieldMeta {
        FieldMeta::for_tests(name, kind, nullable)
    }

    #[test]
    fn values_every_backend_refuses_are_refused_first() {
        let mut name = field("name", SqlKind::Text, false);
        name.max_length = Some(5);
        let error = |f: &FieldMeta, json: Json| to_value(f, json, "user__").err().map(|e| e.to_string());
        assert_eq!(error(&name, Json::from("abcdef")).as_deref(), Some("`user__name` is longer than 5 characters"));
        assert_eq!(
            error(&name, Json::from("a\0b")).as_deref(),
            Some("`user__name` contains the NUL character, which cannot be stored")
        );
        let ratio = field("ratio", SqlKind::Float, false);
        assert_eq!(
            error(&ratio, serde_json::json!(1e39)).as_deref(),
            Some("`user__ratio` value `1e+39` is out of range for a number")
        );
        let day = field("day", SqlKind::Date, false);
        assert_eq!(
            error(&day, Json::from("0000-12-31")).as_deref(),
            Some("`user__day` value `0000-12-31` is outside the years 0001 to 9999")
        );
    }

    #[test]
    fn values_are_typed_per_field_with_sentences_naming_it() {
        let age = field("age", SqlKind::SmallInt, false);
        assert_eq!(to_value(&age, Json::from(7), "").ok(), Some(Value::SmallInt(7)));
        assert_eq!(to_value(&age, Json::from("7"), "").ok(), Some(Value::SmallInt(7)));
        let error = to_value(&age, Json::from(70_000), "user__").err().map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some("`user__age` value `70000` is not a small integer"));
        let error = to_value(&age, Json::Null, "").err().map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some("`age` may not be null"));
        let born = field("born", SqlKind::Date, true);
        assert_eq!(to_value(&born, Json::from(""), "").ok(), Some(Value::Null));
        let note = field("note", SqlKind::Text, true);
        assert_eq!(to_value(&note, Json::from(""), "").ok(), Some(Value::Text(String::new())));
        let error = to_value(&note, serde_json::json!([1]), "").err().map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some("`note` takes a single value"));
    }
}
