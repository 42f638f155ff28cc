//! Cursors across instances: a `next` link one instance gave out pages on
//! the other, and the pages read alternately from both are the pages one
//! instance gives: every message once, in the list's order.

use std::collections::HashSet;

use super::{ensure, Site, Verdict};
use crate::sql;

/// The first page: newest first, seven a page, paged by cursor.
const FIRST_PAGE: &str = "/api/message/?cursor=&limit=7&ordering=-pub_date";

/// The most pages followed, so a link that never ends cannot hang the suite.
const MAX_PAGES: usize = 100;

/// The message ids of every page, page `i` read from `bases[i % len]`.
fn read_pages(site: &Site, bases: &[String]) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    let mut path = FIRST_PAGE.to_owned();
    for page in 0..MAX_PAGES {
        let url = format!("{}{path}", bases[page % bases.len()]);
        let reply = site.client.get(&url, &[])?;
        ensure(reply.status == 200, || format!("GET {url} answered {}: {}", reply.status, reply.body))?;
        let json = reply.json();
        let objects = json["objects"].as_array().ok_or_else(|| format!("GET {url}: no objects in {}", reply.body))?;
        ids.extend(objects.iter().filter_map(|o| o["id"].as_i64()));
        match json["meta"]["next"].as_str() {
            Some(next) if !next.is_empty() => path = next.to_owned(),
            _ => return Ok(ids),
        }
    }
    Err(format!("more than {MAX_PAGES} pages from {FIRST_PAGE}"))
}

pub(crate) fn pages_across(site: &Site) -> Verdict {
    let expected: Vec<i64> = sql::texts_at(
        &site.database_url,
        "SELECT CAST(id AS VARCHAR) AS t FROM message ORDER BY pub_date DESC, id DESC",
    )?
    .iter()
    .filter_map(|id| id.parse().ok())
    .collect();
    let (first, second, proxy) = (site.first.base(), site.second.base(), site.proxy.base());
    let one = read_pages(site, std::slice::from_ref(&first))?;
    ensure(one == expected, || format!("all pages from the first: {one:?}; the database's order: {expected:?}"))?;
    for (name, bases) in [
        ("first, second, first, ...", vec![first.clone(), second.clone()]),
        ("second, first, second, ...", vec![second, first]),
        ("nginx", vec![proxy]),
    ] {
        let ids = read_pages(site, &bases)?;
        let distinct: HashSet<i64> = ids.iter().copied().collect();
        ensure(ids == one && distinct.len() == ids.len(), || {
            format!("pages read from {name}: {ids:?}; all from the first: {one:?}")
        })?;
    }
    Ok(format!(
        "{} messages in {} pages of 7 ({FIRST_PAGE}), read from the first alone, alternately from both (either \
         first) and through nginx: the same ids in the same order as the database, none twice, none missing",
        one.len(),
        one.len().div_ceil(7)
    ))
}
