//! HTML forms: what a page's `<input>`, `<select>` and `<textarea>`
//! elements send, read into a model's typed values with one error per field.
//!
//! Each element is named after its field. Browsers send nothing for an
//! unchecked checkbox, an empty string for an empty input, and
//! `2024-01-01T13:45` (seconds optional) for a `datetime-local` input.

use std::fmt;

use super::Params;
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

/// Reads `fields` of `model` from a submitted HTML form:
///
/// - a boolean that is not nullable is a checkbox: absent or empty is
///   `false`, and `on` (what a checkbox sends by default) or any of
///   `true/false/1/0/t/f` says which;
/// - an empty value is NULL for a nullable field, the empty string for a
///   text field, and "This field is required." for any other;
/// - anything else is parsed as the field's type (a `datetime-local`
///   value is a timestamp), or the error names the field and the value;
/// - a field given twice is an error: a form has one element per field.
///
/// Every field's error is collected, so a page can show them all at once.
pub fn parse_html_form(
    model: &'static ModelMeta,
    fields: &[&'static FieldMeta],
    params: &Params,
) -> Result<Data, FormErrors> {
    let mut data = Data::new(model);
    let mut errors = FormErrors::default();
    for field in fields {
        let mut values = params.get_all(field.name);
        let (value, again) = (values.next(), values.next());
        if again.is_some() {
            errors.push(field.name, format!("`{}` is given more than once; a form sends each field once", field.name));
            continue;
        }
        match field_value(field, value) {
            Ok(value) => {
                if let Err(message) = data.set(field.name, value) {
                    errors.push(field.name, message);
                }
            }
            Err(message) => errors.push(field.name, message),
        }
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

fn field_value(field: &FieldMeta, raw: Option<&str>) -> Result<Value, String> {
    let text = raw.unwrap_or_default();
    if field.kind == SqlKind::Bool && !field.nullable {
        return match text.trim() {
            "" => Ok(Value::Bool(false)),
            t if t.eq_ignore_ascii_case("on") => Ok(Value::Bool(true)),
            t => parse_bool(t).map(Value::Bool).ok_or_else(|| wrong(field, t)),
        };
    }
    if text.trim().is_empty() {
        return match (field.nullable, field.kind) {
            (true, _) => Ok(Value::Null),
            (false, SqlKind::Text) => Ok(Value::Text(text.to_owned())),
            (false, _) => Err(REQUIRED.to_owned()),
        };
    }
    Value::parse(field.kind, text).ok_or_else(|| wrong(field, text))
}

fn wrong(field: &FieldMeta, value: &str) -> String {
    format!("`{}` value `{}` is not {}{}", field.name, shown(value), field.kind, field.kind.format_hint())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
