//! An HTML form's body as raw bytes, read both as urlencoded and as
//! multipart (with the boundary `hangar-fuzz`), then typed against each
//! model's fields, adding a row and changing one. The values read, posted
//! again as text, read the same.

#![no_main]

use hangar::forms::{parse_multipart, read_html_form, HtmlForm, Params, Upload};
use hangar::model::{FieldMeta, Model, SqlKind, Value};
use hangar_fuzz::{Gadget, Maker, Spare};
use libfuzzer_sys::fuzz_target;

/// The boundary of the seeds' multipart bodies.
const BOUNDARY: &str = "hangar-fuzz";

fn check<M: Model>(params: &Params, files: &[Upload], adding: bool) {
    let meta = M::meta();
    let fields: Vec<&'static FieldMeta> = meta.fields.iter().collect();
    let Ok(data) = read_html_form(meta, &fields, &HtmlForm { params, files, adding }) else { return };
    // Bytes left empty read as "keep what is stored"; every other value
    // posts back as its text.
    let again: Vec<(&'static FieldMeta, &Value)> = data
        .values()
        .iter()
        .filter(|(f, v)| f.kind != SqlKind::Binary || matches!(v, Value::Binary(b) if !b.is_empty()))
        .map(|(f, v)| (*f, v))
        .collect();
    let posted = Params::from(again.iter().map(|(f, v)| (f.name.to_owned(), v.to_string())).collect::<Vec<_>>());
    let fields: Vec<&'static FieldMeta> = again.iter().map(|(f, _)| *f).collect();
    let read = read_html_form(meta, &fields, &HtmlForm { params: &posted, files: &[], adding });
    let read = read.unwrap_or_else(|e| panic!("{posted:?} posted again: {e}"));
    for (field, value) in again {
        assert_eq!(read.get(field.name), Some(value), "`{}` posted again as {posted:?}", field.name);
    }
}

fuzz_target!(|data: &[u8]| {
    let mut forms = vec![(Params::parse_bytes(data), Vec::new())];
    if let Ok(multipart) = parse_multipart(data, BOUNDARY) {
        forms.push((multipart.params, multipart.files));
    }
    for (params, files) in &forms {
        for adding in [true, false] {
            check::<Gadget>(params, files, adding);
            check::<Spare>(params, files, adding);
            check::<Maker>(params, files, adding);
        }
    }
});
