//! A form posted to the admin, as raw bytes after one byte of flags: bit 0
//! adds a row (else changes one), bit 1 reads the body as multipart with
//! the boundary `hangar-fuzz` (else as urlencoded). The fields the form
//! may change are typed as the form view types them.

#![no_main]

use hangar::__fuzz::admin_form;
use hangar::admin::AdminModel;
use hangar::forms::{parse_multipart, Params, Upload};
use hangar_fuzz::{Gadget, Maker, Spare};
use libfuzzer_sys::fuzz_target;

const BOUNDARY: &str = "hangar-fuzz";

fn run<M: AdminModel>(params: &Params, files: &[Upload], adding: bool) {
    let _ = admin_form::<M>(params.clone(), files.to_vec(), adding);
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else { return };
    let adding = flags & 1 == 1;
    let (params, files) = if flags & 2 == 2 {
        match parse_multipart(body, BOUNDARY) {
            Ok(multipart) => (multipart.params, multipart.files),
            Err(_) => return,
        }
    } else {
        (Params::parse_bytes(body), Vec::new())
    };
    run::<Gadget>(&params, &files, adding);
    run::<Spare>(&params, &files, adding);
    run::<Maker>(&params, &files, adding);
});
