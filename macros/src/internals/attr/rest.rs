//! Parsing `#[rest(...)]`. The names in it are checked against the model in
//! `check::rest`.

use proc_macro2::{Ident, Span};
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitBool, LitInt, Path, Token};

use super::{count, each_key, flag, names, value, CountAttr, Place};
use crate::internals::ctxt::Ctxt;
use crate::internals::symbol::*;

/// A page size: `paginate_by = 20`, or `paginate_by = none` for one page.
#[derive(Clone, Copy)]
pub(crate) enum PageSize {
    Rows(u64),
    Unlimited,
}

/// `relation` or `relation = Resource` in `include(...)`.
pub(crate) struct Include {
    /// The relation, by its name or its foreign key's.
    pub(crate) relation: Ident,
    /// The resource that serves the related objects; the related model's
    /// own when not given.
    pub(crate) resource: Option<Path>,
}

/// What `#[rest(...)]` says.
#[derive(Default)]
pub(crate) struct RestAttrs {
    pub(crate) fields: Option<Vec<Ident>>,
    pub(crate) exclude: Vec<Ident>,
    pub(crate) readonly_fields: Vec<Ident>,
    pub(crate) filter_fields: Option<Vec<Ident>>,
    pub(crate) filter_exclude: Vec<Ident>,
    /// The page size, with where it was written.
    pub(crate) paginate_by: Option<(PageSize, Span)>,
    /// The largest page a request may ask for, with where it was written.
    pub(crate) max_paginate_by: Option<(PageSize, Span)>,
    pub(crate) count: Option<CountAttr>,
    pub(crate) includes: Vec<Include>,
    pub(crate) owner: Option<Ident>,
    /// `owner_reads`: the key, for errors.
    pub(crate) owner_reads: Option<Path>,
    pub(crate) nested_writes: Option<bool>,
    /// `permissions = model`: requests need the model's permissions.
    pub(crate) model_permissions: bool,
}

/// `#[rest(...)]`, on the struct.
const ON_STRUCT: Place = Place { attr: REST, keys: REST_KEYS, named: "", elsewhere: None };

fn page_size(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<(PageSize, Span)> {
    let example = |span| syn::Error::new(span, format!("`{key}` takes a number of rows, like {key} = 20, or `none`"));
    let value = meta.value().map_err(|e| example(e.span()))?;
    if value.peek(syn::Ident) {
        let ident: Ident = value.parse()?;
        return if ident == "none" { Ok((PageSize::Unlimited, ident.span())) } else { Err(example(ident.span())) };
    }
    let lit: LitInt = value.parse().map_err(|e| example(e.span()))?;
    match lit.base10_parse::<u64>() {
        Ok(0) | Err(_) => {
            Err(syn::Error::new(lit.span(), format!("`{key}` must be at least 1; use `none` for one page")))
        }
        Ok(n) => Ok((PageSize::Rows(n), lit.span())),
    }
}

/// Parses `#[rest(...)]`, rejecting unknown and repeated keys.
pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute]) -> RestAttrs {
    let mut out = RestAttrs::default();
    each_key(cx, attrs, &ON_STRUCT, |key, meta| {
        match key {
            FIELDS => out.fields = Some(names(meta)?),
            EXCLUDE => out.exclude = names(meta)?,
            READONLY_FIELDS => out.readonly_fields = names(meta)?,
            FILTER_FIELDS => out.filter_fields = Some(names(meta)?),
            FILTER_EXCLUDE => out.filter_exclude = names(meta)?,
            PAGINATE_BY => out.paginate_by = Some(page_size(meta, PAGINATE_BY)?),
            MAX_PAGINATE_BY => out.max_paginate_by = Some(page_size(meta, MAX_PAGINATE_BY)?),
            COUNT => out.count = Some(count(meta)?),
            INCLUDE => {
                meta.parse_nested_meta(|item| {
                    let relation = item.path.require_ident()?.clone();
                    let resource = if item.input.peek(Token![=]) { Some(item.value()?.parse::<Path>()?) } else { None };
                    out.includes.push(Include { relation, resource });
                    Ok(())
                })?;
            }
            OWNER => out.owner = Some(value(meta, "`owner` takes a relation to the user model, like owner = user")?),
            OWNER_READS => {
                flag(meta, "`owner_reads` is a flag and takes no value")?;
                out.owner_reads = Some(meta.path.clone());
            }
            PERMISSIONS => {
                let why = "`permissions` takes `model`: reads need the model's view permission, writes its add, \
                           change or delete permission";
                let policy: Ident = value(meta, why)?;
                if policy != "model" {
                    return Err(syn::Error::new(policy.span(), format!("unknown permissions `{policy}`; {why}")));
                }
                out.model_permissions = true;
            }
            _ => {
                let flag: LitBool = value(meta, "`nested_writes` takes true or false")?;
                out.nested_writes = Some(flag.value);
            }
        }
        Ok(())
    });
    out
}
