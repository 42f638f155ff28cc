//! The query engine: query-string filters, ordering and pagination turned
//! into typed, boxed Diesel queries.
//!
//! [`ListQuery`] reads a list request's query string (decoded by
//! [`hangar::forms::Params`](crate::forms::Params)) as the REST contract
//! describes it, into the typed conditions of [`hangar::model`](crate::model);
//! [`PaginatedQuery`] pages any query, as flask-peewee's utility does. Each
//! rejected parameter is a [`QueryError`] that renders as one sentence naming
//! it.
//!
//! Operators, as `?field__op=value`:
//!
//! | operator | meaning |
//! |---|---|
//! | `eq` (default), `ne` | equal, not equal |
//! | `lt`, `lte`, `gt`, `gte` | ordered comparisons |
//! | `in`, `not_in` | one of / none of a comma-separated list |
//! | `between` | between two comma-separated bounds, inclusive |
//! | `is`, `is_not` | `null` or `notnull` |
//! | `like`, `ilike` | SQL pattern (`%`, `_`, `\` escapes), case-sensitive / not |
//! | `contains`, `startswith`, `endswith` | text, ignoring case |
//! | `within_days`, `older_days` | a date or datetime within the last N days / older than N days |
//! | `year`, `month` | a date or datetime in the year / in the month (1 to 12) of any year |
//!
//! Negation (`-field=v`, `ne`, `not_in`, `is_not`) selects the complement:
//! rows where the column is NULL count as not matching, so they are kept.

mod calendar;
mod cursor;
mod error;
mod fetch;
mod list;
mod lookup;
mod operator;
mod options;
mod ordering;
mod pagination;

pub use cursor::Cursors;
#[cfg(feature = "fuzzing")]
pub(crate) use cursor::{check_ordering, decode, encode, keyset, seal, Direction};
pub use error::QueryError;
pub use list::ListQuery;
pub(crate) use lookup::escape_like;
pub use lookup::{Filter, MAX_HOPS, MAX_PATTERN};
pub use operator::Operator;
pub use options::{
    ListOptions, DEFAULT_MAX_PAGINATE_BY, DEFAULT_PAGINATE_BY, MAX_CONDITIONS, MAX_ORDERING, MAX_VALUES,
};
#[cfg(feature = "fuzzing")]
pub(crate) use ordering::with_tiebreak;
pub use ordering::OrderBy;
pub use pagination::{parse_page, Count, Counted, Page, PaginatedQuery, Pagination};
