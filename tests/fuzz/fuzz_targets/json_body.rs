//! A REST body as raw bytes, read as a create or an edit reads it: JSON
//! (with or without a Content-Type) or a form, into an object, then typed
//! against each model's fields. Each value typed, written as JSON, types
//! back to itself.

#![no_main]

use hangar::__fuzz::rest_body;
use hangar::forms::{parse_object, to_value, Object};
use hangar::rest::RestModel;
use hangar_fuzz::{Gadget, Maker, Spare};
use libfuzzer_sys::fuzz_target;
use rocket::http::ContentType;

fn check<M: RestModel>(object: &Object) {
    let Ok(data) = rest_body::<M>(object.clone()) else { return };
    for (field, value) in data.values() {
        let again = to_value(field, value.to_json(), "");
        assert_eq!(again.as_ref().ok(), Some(value), "`{}` {:?} as JSON: {again:?}", field.name, value);
    }
}

fuzz_target!(|data: &[u8]| {
    for content_type in [None, Some(ContentType::Form)] {
        if let Ok(object) = parse_object(data, content_type.as_ref(), &["key", "secret"]) {
            check::<Gadget>(&object);
            check::<Spare>(&object);
            check::<Maker>(&object);
        }
    }
});
