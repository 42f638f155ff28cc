//! The entry points of hangar's fuzz targets (`tests/fuzz`), compiled with
//! the `fuzzing` feature. **Not public API**: they change whenever the
//! parsers behind them do.
//!
//! Each runs a parser the crate keeps to itself the way a request runs it,
//! without a database: what the view or the endpoint adds around it (a
//! connection, a session, a CSRF check) is left out. An `Err` is the answer
//! a client would get, unless its entry says it is a bug; a panic is
//! always one.

use chrono::{DateTime, Utc};
use serde_json::Value as Json;

use crate::admin::{active_filters, builder_target, posted, search, sidebar, AdminModel, ChangeList, Posted};
use crate::db::Dialect;
use crate::forms::{FormErrors, Object, Params, Upload};
use crate::model::{Data, Model, Value};
use crate::query::{check_ordering, decode, encode, keyset, seal, with_tiebreak, Direction, OrderBy, QueryError};
use crate::rest::{Payload, RestModel};
use crate::Error;

/// Every SQL dialect: conditions are built for each.
pub const DIALECTS: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

/// A decoded cursor: whether it pages forwards, and the marked row's
/// ordering values.
pub type Mark = (bool, Vec<Value>);

/// Reads `token` as a list of `M` ordered by `ordering` reads `?cursor=`:
/// the ordering with its primary-key tiebreak, checked; the token decoded
/// into typed values; the keyset condition built for each dialect. A
/// failure to build the condition is a [`QueryError::Internal`]: a bug.
pub fn cursor<M: Model>(ordering: &[OrderBy], token: &str) -> Result<Mark, QueryError> {
    let meta = M::meta();
    let terms = with_tiebreak(meta, ordering);
    check_ordering(meta, &terms)?;
    let position = decode(meta, &terms, token)?;
    for dialect in DIALECTS {
        keyset::<M>(&terms, &position, dialect)?;
    }
    Ok((position.direction == Direction::After, position.values))
}

/// The token a list of `M` ordered by `ordering` gives out for `mark`.
pub fn cursor_token<M: Model>(ordering: &[OrderBy], mark: &Mark) -> String {
    let terms = with_tiebreak(M::meta(), ordering);
    let direction = if mark.0 { Direction::After } else { Direction::Before };
    encode(direction, &terms, &mark.1)
}

/// A token whose checksum holds over `payload`, so that any payload reaches
/// the parser behind the checksum.
pub fn sealed_cursor(payload: &[u8]) -> String {
    seal(payload)
}

/// A REST body typed against `M`'s fields, as a create or an edit reads it
/// (nested objects for included relations are kept, not typed: their own
/// resource types them).
pub fn rest_body<M: RestModel>(body: Object) -> Result<Data, Error> {
    Payload::parse::<M>(body, "").map(|payload| payload.data)
}

/// What the admin's list page shows of its query string.
#[derive(Debug)]
pub struct AdminList {
    /// The notices: parameters ignored, and why.
    pub notices: Vec<String>,
    /// The filters in effect, each a sentence with a link that removes it.
    pub active_filters: Vec<Json>,
    /// The sidebar's quick filters.
    pub sidebar: Vec<Json>,
}

/// The admin's list of `M` reading `params` at the time `now`: the filter
/// builder's form followed to the list it redirects to, then the filters,
/// ordering, page and search read, their conditions and ordering built for
/// each dialect, and the active filters and the sidebar written. An `Err`
/// is a failure the page would show as a server error: a bug.
pub fn admin_list<M: AdminModel>(params: &Params, now: DateTime<Utc>) -> Result<AdminList, QueryError> {
    let (meta, config) = (M::meta(), M::admin());
    let url = format!("/admin/{}/", meta.slug);
    let redirected = builder_target(params, &url).map(|target| {
        let query = target.split_once('?').map_or("", |(_, query)| query);
        Params::parse(query)
    });
    let params = redirected.as_ref().unwrap_or(params);
    let ChangeList { list, q, mut notices } = ChangeList::<M>::parse(params);
    for dialect in DIALECTS {
        if let Err(e) = search::<M>(&q, dialect) {
            notices.push(e.to_string());
        }
        list.predicate(dialect)?;
    }
    list.order(M::all())?;
    Ok(AdminList {
        notices,
        active_filters: active_filters(meta, config, list.filters(), params, &url),
        sidebar: sidebar(meta, config, params, &url, now),
    })
}

/// A form posted to the admin of `M`, adding a row or changing one: its
/// editable fields typed as the form view types them, with an error per
/// field.
pub fn admin_form<M: AdminModel>(params: Params, files: Vec<Upload>, adding: bool) -> Result<Data, FormErrors> {
    let editable = M::admin().editable_fields(M::meta(), !adding);
    posted::<M>(&Posted { params, files }, &editable, adding)
}
