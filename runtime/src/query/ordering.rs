//! `?ordering=`: fields of the model, or of related models through up to
//! three relations, each ascending or descending.

use diesel::query_builder::{AstPass, QueryFragment};
use diesel::sql_types::{Nullable, Text};
use diesel::{QueryDsl, QueryResult};

use super::{QueryError, MAX_HOPS};
use crate::db::{Dialect, MultiBackend};
use crate::model::{
    column_of, free_expression, BoxedQuery, FieldMeta, Model, ModelMeta, RelationMeta, SortKey, SqlKind,
};

/// One `ordering` term: a field of the model, or of a related model through
/// `hops`, ascending or descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy {
    /// The field, on the last model of the path.
    pub field: &'static str,
    /// Whether it was given as `-path`.
    pub descending: bool,
    /// The relations the path goes through, from the listed model.
    pub hops: Vec<&'static RelationMeta>,
}

impl OrderBy {
    /// `field` of the listed model itself.
    pub fn field(field: &'static str, descending: bool) -> OrderBy {
        OrderBy { field, descending, hops: Vec::new() }
    }

    /// Parses one term, `path` or `-path`, where the path is a field, or
    /// relations then a field: `-user__username`.
    pub fn parse(meta: &'static ModelMeta, term: &str) -> Result<OrderBy, QueryError> {
        let (descending, path) = match term.strip_prefix('-') {
            Some(path) => (true, path),
            None => (false, term),
        };
        let unknown = |model: &'static ModelMeta, name: &str| QueryError::UnknownOrdering {
            model: model.slug,
            name: name.to_owned(),
            fields: model.field_names().collect(),
        };
        let segments: Vec<&str> = path.split("__").collect();
        let mut model = meta;
        let mut hops = Vec::new();
        for (i, segment) in segments.iter().enumerate() {
            if i + 1 == segments.len() {
                let field = model.field(segment).ok_or_else(|| unknown(model, segment))?;
                return Ok(OrderBy { field: field.name, descending, hops });
            }
            let relation = model.relation(segment).ok_or_else(|| unknown(model, segment))?;
            if hops.len() == MAX_HOPS {
                return Err(QueryError::TooManyHops { param: "ordering".to_owned() });
            }
            hops.push(relation);
            model = relation.target;
        }
        Err(unknown(meta, path))
    }

    /// The model the field belongs to, at the end of the path.
    pub fn model(&self, listed: &'static ModelMeta) -> &'static ModelMeta {
        self.hops.last().map_or(listed, |r| r.target)
    }

    /// The field's description.
    pub fn field_meta(&self, listed: &'static ModelMeta) -> Option<&'static FieldMeta> {
        self.model(listed).field(self.field)
    }

    /// The term as written: `-user__username`.
    pub fn term(&self) -> String {
        let mut segments: Vec<&str> = self.hops.iter().map(|r| r.name).collect();
        segments.push(self.field);
        format!("{}{}", if self.descending { "-" } else { "" }, segments.join("__"))
    }

    /// Adds this term to the query's `ORDER BY`.
    pub fn apply<M: Model>(&self, query: BoxedQuery<M>) -> Result<BoxedQuery<M>, QueryError> {
        if !self.hops.is_empty() {
            let listed = M::meta();
            let column = self.field_meta(listed).map(|f| f.column).ok_or_else(|| {
                QueryError::Internal(format!("`{}` has no field `{}`", self.model(listed).name, self.field))
            })?;
            let related = Related { base: listed, hops: self.hops.clone(), column };
            let term = Term { key: Box::new(related), descending: self.descending, nullable: true };
            return Ok(query.then_order_by(term));
        }
        let column = column_of(M::meta(), self.field).map_err(|e| QueryError::Internal(e.to_string()))?;
        let field = M::meta().field(self.field);
        let numeric = field.is_some_and(|f| f.kind == SqlKind::Numeric);
        let key = SortKey { column, numeric };
        let nullable = field.is_none_or(|f| f.nullable);
        Ok(query.then_order_by(Term { key: Box::new(key), descending: self.descending, nullable }))
    }
}

/// `terms`, then the primary key ascending unless it is already there, so
/// that pages never overlap or skip rows whatever the backend.
pub(crate) fn with_tiebreak(meta: &'static ModelMeta, terms: &[OrderBy]) -> Vec<OrderBy> {
    let mut all = terms.to_vec();
    if !all.iter().any(|t| t.hops.is_empty() && t.field == meta.primary_key.name) {
        all.push(OrderBy::field(meta.primary_key.name, false));
    }
    all
}

/// The value of a related row's column, as a correlated subquery:
/// `(SELECT h1.c FROM t1 AS h1 WHERE h1.pk = base.fk)`, nested once per
/// hop: `(SELECT (SELECT h2.c FROM t2 AS h2 WHERE h2.pk = h1.fk) FROM t1 AS
/// h1 WHERE h1.pk = base.fk)`. Each hop has its own alias, so a model
/// related to itself works.
#[derive(Debug, Clone)]
struct Related {
    base: &'static ModelMeta,
    hops: Vec<&'static RelationMeta>,
    column: &'static str,
}

impl Related {
    fn walk<'b>(&'b self, out: &mut AstPass<'_, 'b, MultiBackend>, level: usize) -> QueryResult<()> {
        let Some(hop) = self.hops.get(level) else {
            return Ok(());
        };
        let owner = if level == 0 { self.base } else { self.hops[level - 1].target };
        let foreign_key = owner.field(hop.field).map_or(hop.field, |f| f.column);
        let alias = format!("hangar_h{}", level + 1);
        out.push_sql("(SELECT ");
        if level + 1 == self.hops.len() {
            out.push_sql(&alias);
            out.push_sql(".");
            out.push_identifier(self.column)?;
        } else {
            self.walk(out, level + 1)?;
        }
        out.push_sql(" FROM ");
        out.push_identifier(hop.target.table)?;
        out.push_sql(" AS ");
        out.push_sql(&alias);
        out.push_sql(" WHERE ");
        out.push_sql(&alias);
        out.push_sql(".");
        out.push_identifier(hop.target.primary_key.column)?;
        out.push_sql(" = ");
        if level == 0 {
            out.push_identifier(self.base.table)?;
        } else {
            out.push_sql(&format!("hangar_h{level}"));
        }
        out.push_sql(".");
        out.push_identifier(foreign_key)?;
        out.push_sql(")");
        Ok(())
    }
}

free_expression!(Related, Nullable<Text>);

/// One `ORDER BY` term, with NULLs where SQLite and MariaDB put them on
/// every backend: first when ascending, last when descending. PostgreSQL
/// puts them the other way unless told, and is told only for a column that
/// may hold NULL: a plain `ASC` or `DESC` lets it read a column's index in
/// order, which `NULLS FIRST` on an ascending index would not.
struct Term {
    key: Box<dyn QueryFragment<MultiBackend> + Send>,
    descending: bool,
    nullable: bool,
}

free_expression!(Term, Nullable<Text>);

impl QueryFragment<MultiBackend> for Term {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.key.walk_ast(out.reborrow())?;
        let postgres = self.nullable && Dialect::of(&out) == Dialect::Postgres;
        out.push_sql(match (self.descending, postgres) {
            (false, false) => " ASC",
            (true, false) => " DESC",
            (false, true) => " ASC NULLS FIRST",
            (true, true) => " DESC NULLS LAST",
        });
        Ok(())
    }
}

impl QueryFragment<MultiBackend> for Related {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.walk(&mut out, 0)
    }
}
