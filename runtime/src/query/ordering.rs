use diesel::{ExpressionMethods, QueryDsl};

use super::QueryError;
use crate::model::{with_column, BoxedQuery, Model, ModelMeta};

/// One `ordering` term: a field of the model, ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderBy {
    /// The field.
    pub field: &'static str,
    /// Whether it was given as `-field`.
    pub descending: bool,
}

impl OrderBy {
    /// Parses one term, `field` or `-field`.
    pub fn parse(meta: &'static ModelMeta, term: &str) -> Result<OrderBy, QueryError> {
        let (descending, name) = match term.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, term),
        };
        match meta.field(name) {
            Some(field) => Ok(OrderBy { field: field.name, descending }),
            None => Err(QueryError::UnknownOrdering {
                model: meta.slug,
                name: name.to_owned(),
                fields: meta.field_names().collect(),
            }),
        }
    }

    /// Adds this term to the query's `ORDER BY`.
    pub fn apply<M: Model>(self, query: BoxedQuery<M>) -> Result<BoxedQuery<M>, QueryError> {
        let column = M::column(self.field).ok_or_else(|| {
            QueryError::Internal(format!("`{}` has no column for field `{}`", M::meta().name, self.field))
        })?;
        Ok(with_column!(column, c => if self.descending {
            query.then_order_by(c().desc())
        } else {
            query.then_order_by(c().asc())
        }))
    }
}

/// `terms`, then the primary key ascending unless it is already there, so
/// that pages never overlap or skip rows whatever the backend.
pub(crate) fn with_tiebreak(meta: &'static ModelMeta, terms: &[OrderBy]) -> Vec<OrderBy> {
    let mut all = terms.to_vec();
    if !all.iter().any(|t| t.field == meta.primary_key.name) {
        all.push(OrderBy { field: meta.primary_key.name, descending: false });
    }
    all
}
