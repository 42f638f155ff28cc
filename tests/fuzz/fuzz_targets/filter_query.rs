//! A list's query string as raw bytes, as the REST API and `ListQuery`
//! read it: decoded into pairs, then read as each model's filters,
//! ordering and pagination, every value typed as its field, the conditions
//! built for every dialect.

#![no_main]

use hangar::forms::Params;
use hangar_fuzz::{read_list, Gadget, Maker, Spare};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let params = Params::parse_bytes(data);
    read_list::<Gadget>(&params);
    read_list::<Spare>(&params);
    read_list::<Maker>(&params);
});
