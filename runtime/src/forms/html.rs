//! HTML forms: what a page's `<input>`, `<select>` and `<textarea>`
//! elements send, read into a model's typed values with one error per field.
//!
//! Each element is named after its field. Browsers send nothing for an
//! unchecked checkbox, an empty string for an empty input,
//! `2024-01-01T13:45` (seconds optional) for a `datetime-local` input, and
//! for a file input a part with an empty file name when no file was chosen.

use std::fmt;

use super::{Params, Upload};
use crate::model::{parse_bool, shown, Data, FieldMeta, ModelMeta, SqlKind, Value};

/// What Django and WTForms say of a required field left empty.
pub const REQUIRED: &str = "This field is required.";

/// One field's error, to show beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name.
    pub field: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// Every field's error in a submitted form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    /// The errors of `field`.
    pub fn of<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |e| e.field == field).map(|e| e.message.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds `message` to `field`.
    pub fn push(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError { field, message: message.into() });
    }
}

impl fmt::Display for FormErrors {
    /// "`age`: This field is required.; `born` value `x` is not a date ...".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            if error.message.contains(&format!("`{}`", error.field)) {
                f.write_str(&error.message)?;
            } else {
                write!(f, "`{}`: {}", error.field, error.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for FormErrors {}

/// A submitted HTML form: its fields, the files of a multipart one, and
/// whether it adds a row (then a field the database fills, left empty, is
/// left out).
#[derive(Debug, Clone, Copy)]
pub struct HtmlForm<'a> {
    /// The text fields.
    pub params: &'a Params,
    /// The uploaded files.
    pub files: &'a [Upload],
    /// Whether the form adds a row rather than changing one.
    pub adding: bool,
}

/// The name of the checkbox that empties a nullable bytes field:
/// `image-clear`, which no field can be named.
pub fn clear_name(field: &str) -> String {
    format!("{field}-clear")
}

/// Reads `fields` of `model` from a submitted HTML form, as
/// [`read_html_form`] does for a form without files that changes a row.
pub fn parse_html_form(
    model: &'static ModelMeta,
    fields: &[&'static FieldMeta],
    params: &Params,
) -> Result<Data, FormErrors> {
    read_html_form(model, fields, &HtmlForm { params, files: &[], adding: false })
}

/// Reads `fields` of `model` from a submitted HTML form:
///
/// - a boolean that is not nullable is a checkbox: absent or empty is
///   `false`, and `on` (what a checkbox sends by default) or any of
///   `true/false/1/0/t/f` says which;
/// - an empty value is NULL for a nullable field, the empty string for a
///   text field without choices, left out when adding a row the database
///   fills it for (`db_default`), and "This field is required." for any
///   other;
/// - a JSON document that does not parse is an error naming its line and
///   column;
/// - bytes come from a file input: a chosen file replaces them, none keeps
///   them, and the checkbox [`clear_name`] empties a nullable field; a text
///   value is read as base64, as the REST API reads it;
/// - anything else is parsed as the field's type (a `datetime-local`
///   value is a timestamp, an instant in UTC), or the error names the field
///   and the value; a decimal with more places than its column keeps is
///   refused, never rounded;
/// - a field given twice is an error: a form has one element per field.
///
/// Every field's error is collected, so a page can show them all at once.
pub fn read_html_form(
    model: &'static ModelMeta,
    fields: &[&'static FieldMeta],
    form: &HtmlForm<'_>,
) -> Result<Data, FormErrors> {
    let mut data = Data::new(model);
    let mut errors = FormErrors::default();
    for field in fields {
        let mut values = form.params.get_all(field.name);
        let (value, again) = (values.next(), values.next());
        let mut files = form.files.iter().filter(|f| f.name == field.name);
        let (file, file_again) = (files.next(), files.next());
        if again.is_some() || file_again.is_some() || (value.is_some() && file.is_some()) {
            errors.push(field.name, format!("`{}` is given more than once; a form sends each field once", field.name));
            continue;
        }
        let read = if field.kind == SqlKind::Binary {
            bytes_value(field, value, file, form)
        } else {
            field_value(field, value, form.adding)
        };
        match read {
            Ok(Some(value)) => {
                if let Err(message) = data.set(field.name, value) {
                    errors.push(field.name, message);
                }
            }
            Ok(None) => {}
            Err(message) => errors.push(field.name, message),
        }
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

/// A field's value, or `None` to leave it out.
fn field_value(field: &FieldMeta, raw: Option<&str>, adding: bool) -> Result<Option<Value>, String> {
    let text = raw.unwrap_or_default();
    if field.kind == SqlKind::Bool && !field.nullable {
        return match text.trim() {
            "" => Ok(Some(Value::Bool(false))),
            t if t.eq_ignore_ascii_case("on") => Ok(Some(Value::Bool(true))),
            t => parse_bool(t).map(|b| Some(Value::Bool(b))).ok_or_else(|| wrong(field, t)),
        };
    }
    if text.trim().is_empty() {
        return match (field.nullable, field.kind) {
            _ if adding && field.db_default => Ok(None),
            (true, _) => Ok(Some(Value::Null)),
            (false, SqlKind::Text) if field.choices.is_empty() => Ok(Some(Value::Text(text.to_owned()))),
            (false, _) => Err(REQUIRED.to_owned()),
        };
    }
    if field.kind == SqlKind::Jsonb {
        // JSON's `null` is SQL's NULL, as in the REST API: a document is
        // anything else.
        return match serde_json::from_str(text) {
            Ok(serde_json::Value::Null) if field.nullable => Ok(Some(Value::Null)),
            Ok(serde_json::Value::Null) => Err(format!("`{}` may not be null", field.name)),
            Ok(document) => Ok(Some(Value::Jsonb(document))),
            Err(e) => Err(format!("`{}` is not valid JSON: {e}", field.name)),
        };
    }
    Value::parse(field.kind, text).map(Some).ok_or_else(|| wrong(field, text))
}

/// A bytes field's value, or `None` to keep what it holds.
fn bytes_value(
    field: &FieldMeta,
    raw: Option<&str>,
    file: Option<&Upload>,
    form: &HtmlForm<'_>,
) -> Result<Option<Value>, String> {
    let clear = form.params.get(&clear_name(field.name)).is_some_and(|v| v == "on" || parse_bool(v) == Some(true));
    let chosen = file.filter(|f| f.is_chosen());
    let text = raw.map(str::trim).filter(|t| !t.is_empty());
    match (chosen, text, clear) {
        (Some(_), _, true) | (_, Some(_), true) => {
            Err(format!("`{}`: choose a new file or tick Clear, not both", field.name))
        }
        (Some(file), _, false) => Ok(Some(Value::Binary(file.bytes.clone()))),
        (None, Some(text), false) => Value::parse(field.kind, text).map(Some).ok_or_else(|| wrong(field, text)),
        (None, None, true) if field.nullable => Ok(Some(Value::Null)),
        (None, None, true) => Err(format!("`{}` may not be cleared; choose a new file instead", field.name)),
        (None, None, false) if form.adding && !field.nullable && !field.db_default => Err(REQUIRED.to_owned()),
        (None, None, false) => Ok(None),
    }
}

fn wrong(field: &FieldMeta, value: &str) -> String {
    format!("`{}` value `{}` is not {}{}", field.name, shown(value), field.kind, field.kind.format_hint())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChoiceMeta, Precision};

    const fn field(name: &'static str, kind: SqlKind, nullable: bool) -> FieldMeta {
        FieldMeta::for_tests(name, kind, nullable)
    }

    static FIELDS: [FieldMeta; 7] = [
        field("id", SqlKind::Integer, false),
        field("title", SqlKind::Text, false),
        field("note", SqlKind::Text, true),
        field("published", SqlKind::Bool, false),
        field("featured", SqlKind::Bool, true),
        field("rating", SqlKind::Integer, true),
        field("posted", SqlKind::Timestamp, false),
    ];
    static MODEL: ModelMeta = ModelMeta {
        name: "Entry",
        slug: "entry",
        table: "entry",
        primary_key: &FIELDS[0],
        fields: &FIELDS,
        relations: &[],
        verbose_name: "Entry",
        verbose_name_plural: "Entries",
        display: None,
    };

    fn editable() -> Vec<&'static FieldMeta> {
        FIELDS.iter().skip(1).collect()
    }

    proptest::proptest! {
        #[test]
        fn every_value_posted_as_its_text_reads_back_to_itself(
            (field, value) in crate::model::strategy::any_field_value(),
            adding in proptest::prelude::any::<bool>(),
        ) {
            // An empty file input keeps the bytes stored; any other value
            // is posted as its text.
            proptest::prop_assume!(value != Value::Binary(Vec::new()));
            let params = Params::from(vec![(field.name.to_owned(), value.to_string())]);
            let form = HtmlForm { params: &params, files: &[], adding };
            let data = read_html_form(&crate::model::strategy::META, &[field], &form).ok();
            proptest::prop_assert_eq!(data.as_ref().and_then(|d| d.get(field.name)), Some(&value));
        }
    }

    fn parse(body: &str) -> Result<Data, FormErrors> {
        parse_html_form(&MODEL, &editable(), &Params::parse(body))
    }

    #[test]
    fn an_unchecked_checkbox_is_false_and_a_checked_one_true() {
        let data = parse("title=a&posted=2024-01-01T10:00").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.get("published"), Some(&Value::Bool(false)));
        let data = parse("title=a&posted=2024-01-01T10:00&published=on").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.get("published"), Some(&Value::Bool(true)));
        let error = parse("title=a&posted=2024-01-01T10:00&published=maybe").err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("`published` value `maybe` is not a boolean (use true, false, 1, 0, t or f)")
        );
    }

    #[test]
    fn datetime_local_values_are_timestamps_with_or_without_seconds() {
        let at = |t: &str| parse(&format!("title=a&posted={t}")).ok().and_then(|d| d.get("posted").cloned());
        assert_eq!(at("2024-03-01T13:45").map(|v| v.to_string()).as_deref(), Some("2024-03-01T13:45:00"));
        assert_eq!(at("2024-03-01T13%3A45%3A30").map(|v| v.to_string()).as_deref(), Some("2024-03-01T13:45:30"));
        let error = parse("title=a&posted=yesterday").err().map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some("`posted` value `yesterday` is not a timestamp (use 2024-01-01T13:45:00)"));
    }

    #[test]
    fn empty_optional_fields_are_null_and_empty_required_ones_are_errors() {
        let data = parse("title=&note=&featured=&rating=&posted=2024-01-01").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.get("title"), Some(&Value::Text(String::new())), "text may be empty");
        assert_eq!(data.get("note"), Some(&Value::Null));
        assert_eq!(data.get("featured"), Some(&Value::Null));
        assert_eq!(data.get("rating"), Some(&Value::Null));
        let errors = parse("title=a&posted=").err().unwrap_or_default();
        assert_eq!(errors.of("posted").collect::<Vec<_>>(), [REQUIRED]);
        assert_eq!(errors.to_string(), "`posted`: This field is required.");
    }

    #[test]
    fn a_number_that_is_not_one_names_the_field_and_every_error_is_kept() {
        let errors = parse("title=a&rating=five&posted=").err().unwrap_or_default();
        assert_eq!(errors.of("rating").collect::<Vec<_>>(), ["`rating` value `five` is not an integer"]);
        assert_eq!(errors.0.len(), 2, "{errors}");
        let errors = parse("title=a&rating=99999999999&posted=2024-01-01").err().unwrap_or_default();
        assert_eq!(errors.of("rating").count(), 1, "out of range for an INTEGER");
    }

    #[test]
    fn a_field_named_twice_is_an_error() {
        let errors = parse("title=a&title=b&posted=2024-01-01").err().unwrap_or_default();
        assert_eq!(
            errors.of("title").collect::<Vec<_>>(),
            ["`title` is given more than once; a form sends each field once"]
        );
    }

    #[test]
    fn fields_not_asked_for_are_ignored() {
        let data = parse("id=5&title=a&posted=2024-01-01&csrf_token=x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.get("id"), None, "the key is not editable");
        assert_eq!(data.values().len(), 6);
    }

    static STATUSES: [ChoiceMeta; 2] =
        [ChoiceMeta { value: "draft", label: "Draft" }, ChoiceMeta { value: "active", label: "On sale" }];
    static TYPED: [FieldMeta; 8] = [
        FieldMeta { primary_key: true, db_default: true, ..field("id", SqlKind::Uuid, false) },
        FieldMeta {
            precision: Some(Precision { max_digits: 12, decimal_places: 2 }),
            ..field("price", SqlKind::Numeric, false)
        },
        field("doc", SqlKind::Jsonb, false),
        field("at", SqlKind::Timestamptz, true),
        field("image", SqlKind::Binary, true),
        field("blob", SqlKind::Binary, false),
        FieldMeta { choices: &STATUSES, db_default: true, ..field("status", SqlKind::Text, false) },
        FieldMeta { db_default: true, ..field("made", SqlKind::Timestamptz, false) },
    ];
    static TYPED_MODEL: ModelMeta = ModelMeta {
        name: "Item",
        slug: "item",
        table: "item",
        primary_key: &TYPED[0],
        fields: &TYPED,
        relations: &[],
        verbose_name: "Item",
        verbose_name_plural: "Items",
        display: None,
    };

    fn upload(name: &str, filename: &str, bytes: &[u8]) -> Upload {
        Upload { name: name.into(), filename: filename.into(), bytes: bytes.to_vec() }
    }

    fn read(body: &str, files: &[Upload], adding: bool) -> Result<Data, FormErrors> {
        let fields: Vec<&'static FieldMeta> = TYPED.iter().skip(1).collect();
        read_html_form(&TYPED_MODEL, &fields, &HtmlForm { params: &Params::parse(body), files, adding })
    }

    const FULL: &str = "price=12.5&doc=%7B%22b%22%3A1%7D&at=2024-03-01T13%3A45&status=active&made=2024-01-01T00%3A00";

    #[test]
    fn typed_fields_read_as_their_kinds() {
        let data = read(FULL, &[upload("blob", "b.bin", b"\x00\xff")], false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.get("price").map(ToString::to_string).as_deref(), Some("12.5"));
        assert_eq!(data.get("doc"), Some(&Value::Jsonb(serde_json::json!({"b": 1}))));
        assert_eq!(data.get("at").map(ToString::to_string).as_deref(), Some("2024-03-01T13:45:00Z"), "UTC");
        assert_eq!(data.get("status"), Some(&Value::from("active")));
        assert_eq!(data.get("blob"), Some(&Value::Binary(vec![0, 255])));
        assert_eq!(data.get("image"), None, "no file chosen keeps the bytes");
    }

    #[test]
    fn a_decimal_beyond_its_places_and_broken_json_are_field_errors() {
        let errors = read(&FULL.replace("12.5", "12.345"), &[], false).err().unwrap_or_default();
        assert_eq!(
            errors.of("price").collect::<Vec<_>>(),
            ["`price` value `12.345` does not fit 12 digits with 2 after the point"]
        );
        let errors =
            read(&FULL.replace("%7B%22b%22%3A1%7D", "%7B%22b%22%3A%0A1%2C%7D"), &[], false).err().unwrap_or_default();
        let message: Vec<&str> = errors.of("doc").collect();
        assert_eq!(message, ["`doc` is not valid JSON: trailing comma at line 2 column 3"]);
        let errors = read(&FULL.replace("active", "sold"), &[], false).err().unwrap_or_default();
        assert_eq!(
            errors.of("status").collect::<Vec<_>>(),
            ["`status` value `sold` is not one of its choices: draft, active"]
        );
        let errors = read(&FULL.replace("%7B%22b%22%3A1%7D", "null"), &[], false).err().unwrap_or_default();
        assert_eq!(errors.of("doc").collect::<Vec<_>>(), ["`doc` may not be null"], "JSON's null is SQL's NULL");
    }

    #[test]
    fn fields_the_database_fills_may_be_left_empty_when_adding_only() {
        let body = "price=1&doc=%5B%5D&at=&status=&made=";
        let data = read(body, &[upload("blob", "b", b"")], true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((data.get("status"), data.get("made")), (None, None), "the database fills them");
        assert_eq!(data.get("at"), Some(&Value::Null));
        assert_eq!(data.get("blob"), Some(&Value::Binary(Vec::new())), "a chosen empty file is empty bytes");
        let errors = read(body, &[], false).err().unwrap_or_default();
        assert_eq!(errors.of("status").collect::<Vec<_>>(), [REQUIRED], "a choice is never the empty text");
        assert_eq!(errors.of("made").collect::<Vec<_>>(), [REQUIRED]);
        assert_eq!(errors.of("blob").count(), 0, "an edit keeps the bytes");
        let errors = read(body, &[upload("blob", "", b"")], true).err().unwrap_or_default();
        assert_eq!(errors.of("blob").collect::<Vec<_>>(), [REQUIRED], "a new row needs its bytes");
    }

    #[test]
    fn bytes_are_replaced_kept_or_cleared() {
        let with = |extra: &str, files: &[Upload]| read(&format!("{FULL}{extra}"), files, false);
        let data = with("&image-clear=on", &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.get("image"), Some(&Value::Null));
        let data = with("", &[upload("image", "a.png", b"png")]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.get("image"), Some(&Value::Binary(b"png".to_vec())));
        let errors = with("&image-clear=on", &[upload("image", "a.png", b"png")]).err().unwrap_or_default();
        assert_eq!(errors.to_string(), "`image`: choose a new file or tick Clear, not both");
        let errors = with("&blob-clear=on", &[]).err().unwrap_or_default();
        assert_eq!(errors.of("blob").count(), 1, "bytes that may not be NULL cannot be cleared");
        let data = with("&image=AP8%3D", &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.get("image"), Some(&Value::Binary(vec![0, 255])), "text is base64");
        let errors = with("&image=%21%21", &[]).err().unwrap_or_default();
        assert_eq!(errors.to_string(), "`image` value `!!` is not bytes (use base64)");
        let twice = [upload("image", "a", b"a"), upload("image", "b", b"b")];
        assert_eq!(with("", &twice).err().unwrap_or_default().of("image").count(), 1);
    }
}
