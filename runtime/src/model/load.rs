//! Loading a model through its `Selectable` implementation.

use diesel::dsl::AsSelect;
use diesel::query_builder::QueryId;
use diesel::query_dsl::methods::SelectDsl;
use diesel::query_dsl::LoadQuery;
use diesel::{QueryResult, RunQueryDsl, Selectable, SelectableHelper};

use super::{BoxedQuery, Model};
use crate::db::{AnyConnection, MultiBackend};

/// A model Diesel can load: it derives `Queryable` and `Selectable`.
///
/// `derive(Model)` loads rows through this trait, so that a model missing
/// Diesel's derives gets one error that names them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be loaded by Diesel",
    label = "add #[derive(Queryable, Selectable)] to `{Self}`",
    note = "hangar reads rows with `Selectable`, so a model derives diesel's `Queryable` and `Selectable` beside `hangar::Model`"
)]
pub trait SelectableModel: Sized {
    /// Runs `query`, selecting the model's fields.
    fn load_selected(query: BoxedQuery<Self>, conn: &mut AnyConnection) -> QueryResult<Vec<Self>>
    where
        Self: Model;
}

impl<M> SelectableModel for M
where
    M: Model + Selectable<MultiBackend>,
    M::SelectExpression: QueryId,
    BoxedQuery<M>: SelectDsl<AsSelect<M, MultiBackend>>,
    <BoxedQuery<M> as SelectDsl<AsSelect<M, MultiBackend>>>::Output: for<'q> LoadQuery<'q, AnyConnection, M>,
{
    fn load_selected(query: BoxedQuery<Self>, conn: &mut AnyConnection) -> QueryResult<Vec<Self>> {
        SelectDsl::select(query, M::as_select()).load(conn)
    }
}
