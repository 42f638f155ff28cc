//! Keyset pagination: `?cursor=`.
//!
//! A cursor marks a row by the values of the list's ordering terms (which
//! end in the primary key), so the next page is "the rows after these
//! values" rather than "skip N rows": page 5,000 costs what page 1 does,
//! and a row inserted between two requests is neither skipped nor shown
//! twice.
//!
//! The token is opaque to clients: base64url of the direction, the
//! ordering it was made for and the values, then a checksum. A token that
//! does not decode, whose checksum does not match, or that was made for
//! another ordering is refused with a sentence naming `cursor`. The
//! checksum guards against damage, not forgery: a forged token selects
//! rows the same request could select with filters.

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};

use super::{OrderBy, QueryError};
use crate::db::Dialect;
use crate::model::{all_of, any_of, predicate, Comparison, Condition, Lookup, Model, ModelMeta, Predicate, Value};

/// Which side of the marked row a page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// The rows after it, in the list's order.
    After,
    /// The rows before it.
    Before,
}

/// A decoded cursor: a direction and the marked row's ordering values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Position {
    pub(crate) direction: Direction,
    pub(crate) values: Vec<Value>,
}

/// The tokens for the pages around one page of a cursor list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursors {
    /// The token of the next page, when there is one.
    pub next: Option<String>,
    /// The token of the previous page, when there is one.
    pub previous: Option<String>,
}

const VERSION: &str = "c1";

fn checksum(payload: &[u8]) -> String {
    let digest = Sha256::new().chain_update(b"hangar cursor ").chain_update(payload).finalize();
    Base64UrlUnpadded::encode_string(&digest[..9])
}

fn ordering_key(terms: &[OrderBy]) -> String {
    terms.iter().map(OrderBy::term).collect::<Vec<_>>().join(",")
}

fn invalid() -> QueryError {
    QueryError::BadCursor("`cursor` is not a cursor this list gave out; start again with `cursor=`".into())
}

/// The token for `direction` of the row whose ordering values are `values`.
pub(crate) fn encode(direction: Direction, terms: &[OrderBy], values: &[Value]) -> String {
    let texts: Vec<String> = values.iter().map(ToString::to_string).collect();
    let payload =
        serde_json::json!([VERSION, if direction == Direction::After { "a" } else { "b" }, ordering_key(terms), texts])
            .to_string();
    seal(payload.as_bytes())
}

/// `payload` as a token: its base64url, a dot, and its checksum.
pub(crate) fn seal(payload: &[u8]) -> String {
    format!("{}.{}", Base64UrlUnpadded::encode_string(payload), checksum(payload))
}

/// Reads `token`, made for the list ordered by `terms` of `meta`'s rows.
pub(crate) fn decode(meta: &'static ModelMeta, terms: &[OrderBy], token: &str) -> Result<Position, QueryError> {
    let (body, sum) = token.trim().split_once('.').ok_or_else(invalid)?;
    let payload = Base64UrlUnpadded::decode_vec(body).map_err(|_| invalid())?;
    if checksum(&payload) != sum {
        return Err(invalid());
    }
    let parsed: (String, String, String, Vec<String>) = serde_json::from_slice(&payload).map_err(|_| invalid())?;
    let (version, direction, ordering, texts) = parsed;
    let direction = match (version.as_str(), direction.as_str()) {
        (VERSION, "a") => Direction::After,
        (VERSION, "b") => Direction::Before,
        _ => return Err(invalid()),
    };
    let expected = ordering_key(terms);
    if ordering != expected {
        return Err(QueryError::BadCursor(format!(
            "`cursor` was made for the ordering `{ordering}`, not `{expected}`; start again with `cursor=`"
        )));
    }
    if texts.len() != terms.len() {
        return Err(invalid());
    }
    let mut values = Vec::with_capacity(terms.len());
    for (term, text) in terms.iter().zip(&texts) {
        let field = meta.field(term.field).ok_or_else(invalid)?;
        let value = Value::parse(field.kind, text).ok_or_else(invalid)?;
        field.check_comparable(&value).map_err(|_| invalid())?;
        values.push(value);
    }
    Ok(Position { direction, values })
}

/// Refuses an ordering that keyset pagination cannot follow: one through a
/// relation, or on a field that may be NULL (the backends put NULLs at
/// different ends).
pub(crate) fn check_ordering(meta: &'static ModelMeta, terms: &[OrderBy]) -> Result<(), QueryError> {
    for term in terms {
        if !term.hops.is_empty() {
            return Err(QueryError::BadCursor(format!(
                "`cursor` pages only lists ordered by `{}`'s own fields; `{}` goes through a relation",
                meta.slug,
                term.term().trim_start_matches('-')
            )));
        }
        if meta.field(term.field).is_some_and(|f| f.nullable) {
            return Err(QueryError::BadCursor(format!(
                "`cursor` cannot follow an ordering by `{}`, which may be empty (NULL); order by fields that are always set",
                term.field
            )));
        }
    }
    Ok(())
}

/// The rows strictly after (or before) `values` in the order `terms`:
/// `(a > x) OR (a = x AND b > y) OR ...`, each comparison flipped for a
/// descending term and again for [`Direction::Before`].
pub(crate) fn keyset<M: Model>(
    terms: &[OrderBy],
    position: &Position,
    dialect: Dialect,
) -> Result<Predicate<M::Table>, QueryError> {
    let internal = |e: diesel::result::Error| QueryError::Internal(e.to_string());
    let mut branches = Vec::with_capacity(terms.len());
    for (i, term) in terms.iter().enumerate() {
        let mut parts = Vec::with_capacity(i + 1);
        for (earlier, value) in terms[..i].iter().zip(&position.values) {
            let equal = Lookup::new(earlier.field, vec![Condition::In(vec![value.clone()])]);
            parts.push(predicate::<M>(&[], &equal, dialect).map_err(internal)?);
        }
        let forward = term.descending == (position.direction == Direction::Before);
        let comparison = if forward { Comparison::Gt } else { Comparison::Lt };
        let beyond = Lookup::new(term.field, vec![Condition::Cmp(comparison, position.values[i].clone())]);
        parts.push(predicate::<M>(&[], &beyond, dialect).map_err(internal)?);
        branches.extend(all_of(parts));
    }
    any_of(branches).map_err(internal)
}

/// `terms` with each direction reversed, to read backwards.
pub(crate) fn reversed(terms: &[OrderBy]) -> Vec<OrderBy> {
    terms.iter().map(|t| OrderBy { descending: !t.descending, ..t.clone() }).collect()
}

/// The values of `row`'s ordering fields, to mark it.
pub(crate) fn values_of<M: Model>(row: &M, terms: &[OrderBy]) -> Vec<Value> {
    terms.iter().map(|t| row.value(t.field).unwrap_or(Value::Null)).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::strategy::{any_field_value, META as EVERY};
    use crate::model::{FieldMeta, SqlKind};

    proptest! {
        #[test]
        fn a_token_round_trips_for_every_kind_of_value(
            (field, value) in any_field_value(),
            id in any::<i32>(),
            descending in any::<bool>(),
            after in any::<bool>(),
        ) {
            let terms = [OrderBy::field(field.name, descending), OrderBy::field("id", false)];
            let direction = if after { Direction::After } else { Direction::Before };
            let values = vec![value, Value::Integer(id)];
            let token = encode(direction, &terms, &values);
            prop_assert_eq!(decode(&EVERY, &terms, &token), Ok(Position { direction, values }));
        }

        #[test]
        fn any_token_is_read_or_refused(token in ".*") {
            let _ = decode(&META, &terms(), &token);
        }

        #[test]
        fn any_sealed_payload_is_read_or_refused_and_what_it_reads_round_trips(
            texts in prop::collection::vec(prop_oneof![".*", "[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}", " ?-?[0-9]{1,11} ?"], 0..3),
            tail in prop_oneof![Just(String::new()), ".*"],
        ) {
            let payload = format!("{}{tail}", serde_json::json!([VERSION, "a", "-day,id", texts]));
            if let Ok(position) = decode(&META, &terms(), &seal(payload.as_bytes())) {
                let token = encode(position.direction, &terms(), &position.values);
                prop_assert_eq!(decode(&META, &terms(), &token), Ok(position));
            }
        }
    }

    static FIELDS: [FieldMeta; 2] =
        [FieldMeta::for_tests("id", SqlKind::Integer, false), FieldMeta::for_tests("day", SqlKind::Date, false)];
    static META: ModelMeta = ModelMeta {
        name: "Row",
        slug: "row",
        table: "row",
        primary_key: &FIELDS[0],
        fields: &FIELDS,
        relations: &[],
        verbose_name: "Row",
        verbose_name_plural: "Rows",
        display: None,
    };

    fn terms() -> Vec<OrderBy> {
        vec![OrderBy::field("day", true), OrderBy::field("id", false)]
    }

    #[test]
    fn a_token_round_trips_and_names_its_ordering() {
        let values = vec![Value::Date(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()), Value::Integer(7)];
        let token = encode(Direction::Before, &terms(), &values);
        assert_eq!(decode(&META, &terms(), &token), Ok(Position { direction: Direction::Before, values }));
        let other = decode(&META, &[OrderBy::field("id", false)], &token).unwrap_err().to_string();
        assert_eq!(other, "`cursor` was made for the ordering `-day,id`, not `id`; start again with `cursor=`");
    }

    #[test]
    fn damaged_tokens_are_refused() {
        let token = encode(Direction::After, &terms(), &[Value::Date(chrono::NaiveDate::MIN), Value::Integer(1)]);
        let mut flipped = token.clone().into_bytes();
        flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
        for bad in ["", "x", "x.y", &token[..token.len() - 1], std::str::from_utf8(&flipped).unwrap()] {
            assert_eq!(decode(&META, &terms(), bad), Err(invalid()), "{bad}");
        }
    }
}
