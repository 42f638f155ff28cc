//! The admin list's query string as raw bytes: the filter builder's form
//! followed to its redirect, the filters, ordering, page and search read
//! for each model, their conditions built for every dialect, and the
//! active filters and the sidebar's quick filters written.

#![no_main]

use chrono::{TimeZone, Utc};
use hangar::__fuzz::admin_list;
use hangar::admin::AdminModel;
use hangar::forms::Params;
use hangar_fuzz::{no_internal, Gadget, Maker, Spare};
use libfuzzer_sys::fuzz_target;

fn run<M: AdminModel>(params: &Params) {
    // A leap day, so that "this month" and "this year" end on edges.
    let now = Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 59).single().unwrap_or_default();
    no_internal("the admin's list", admin_list::<M>(params, now));
}

fuzz_target!(|data: &[u8]| {
    let params = Params::parse_bytes(data);
    run::<Gadget>(&params);
    run::<Spare>(&params);
    run::<Maker>(&params);
});
