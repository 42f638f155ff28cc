//! A list's `cursor` token, decoded for a list ordering `Gadget` (or
//! `Spare`) one of several ways. The first byte picks the ordering and how
//! the rest is read: as the token itself, or (most of the time) as the
//! payload of a token whose checksum holds, so that the input reaches the
//! JSON and the typed values behind the checksum. A token that decodes,
//! encoded again, decodes to the same values.

#![no_main]

use hangar::__fuzz::{cursor, cursor_token, sealed_cursor};
use hangar::model::Model;
use hangar::query::OrderBy;
use hangar_fuzz::{no_internal, Gadget, Spare};
use libfuzzer_sys::fuzz_target;

const GADGET_ORDERINGS: [&[&str]; 14] = [
    &[],
    &["-day"],
    &["stamp", "-small"],
    &["label"],
    &["-price", "token"],
    &["instant"],
    &["ratio", "score"],
    &["flag", "at", "big", "whole"],
    &["status"],
    &["doc"],
    &["blob"],
    &["maker_id"],
    &["-id"],
    &["maker__name"],
];

const SPARE_ORDERINGS: [&[&str]; 3] = [&[], &["-id"], &["day"]];

fn run<M: Model>(terms: &[&str], token: &str) {
    let meta = M::meta();
    let ordering: Vec<OrderBy> =
        terms.iter().map(|t| OrderBy::parse(meta, t).unwrap_or_else(|e| panic!("{t}: {e}"))).collect();
    let Some(mark) = no_internal("a cursor", cursor::<M>(&ordering, token)) else { return };
    let again = cursor_token::<M>(&ordering, &mark);
    assert_eq!(cursor::<M>(&ordering, &again), Ok(mark), "{token} encoded again: {again}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let token = if first & 0x80 == 0 { sealed_cursor(rest) } else { String::from_utf8_lossy(rest).into_owned() };
    let pick = usize::from(first & 0x3f);
    if first & 0x40 == 0 {
        run::<Gadget>(GADGET_ORDERINGS[pick % GADGET_ORDERINGS.len()], &token);
    } else {
        run::<Spare>(SPARE_ORDERINGS[pick % SPARE_ORDERINGS.len()], &token);
    }
});
