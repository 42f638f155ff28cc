//! Filters built from their parts, so that every field path (through up to
//! four relations) meets every operator, negated or not, with any values:
//! deeper into the typed parsers than raw bytes get by chance.

#![no_main]

use arbitrary::Arbitrary;
use hangar::model::{Model, ModelMeta};
use hangar::query::Operator;
use hangar_fuzz::{read_list, Gadget, Maker, Spare};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Param {
    negated: bool,
    path: u16,
    operator: u8,
    values: Vec<String>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    model: u8,
    params: Vec<Param>,
    ordering: Vec<(bool, u16)>,
    page: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// Every path of `meta`: its fields and relations, and theirs one, two and
/// four relations further.
fn paths(meta: &'static ModelMeta, depth: usize) -> Vec<String> {
    let mut out: Vec<String> = meta.fields.iter().map(|f| f.name.to_owned()).collect();
    out.push("nope".to_owned());
    for relation in meta.relations {
        out.push(relation.name.to_owned());
        if depth < 4 {
            out.extend(paths(relation.target, depth + 1).into_iter().map(|p| format!("{}__{p}", relation.name)));
        }
    }
    out
}

fn run<M: Model>(input: &Input) {
    let paths = paths(M::meta(), 0);
    let mut pairs = Vec::new();
    for param in &input.params {
        let path = &paths[usize::from(param.path) % paths.len()];
        let operator = match Operator::ALL.get(usize::from(param.operator) % (Operator::ALL.len() + 2)) {
            Some(op) => format!("__{}", op.name()),
            None if param.operator % 2 == 0 => String::new(),
            None => "__nop".to_owned(),
        };
        let key = format!("{}{path}{operator}", if param.negated { "-" } else { "" });
        pairs.extend(param.values.iter().map(|v| (key.clone(), v.clone())));
    }
    let terms: Vec<String> = input
        .ordering
        .iter()
        .map(|(descending, path)| {
            format!("{}{}", if *descending { "-" } else { "" }, paths[usize::from(*path) % paths.len()])
        })
        .collect();
    if !terms.is_empty() {
        pairs.push(("ordering".to_owned(), terms.join(",")));
    }
    for (key, value) in [("page", &input.page), ("limit", &input.limit), ("cursor", &input.cursor)] {
        if let Some(value) = value {
            pairs.push((key.to_owned(), value.clone()));
        }
    }
    read_list::<M>(&pairs);
}

fuzz_target!(|input: Input| {
    match input.model % 3 {
        0 => run::<Gadget>(&input),
        1 => run::<Spare>(&input),
        _ => run::<Maker>(&input),
    }
});
