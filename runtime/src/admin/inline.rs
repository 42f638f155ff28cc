//! Inlines: rows of a model that refers to another, shown and edited on
//! the page of the row they refer to (Django's `InlineModelAdmin`). An
//! [`Inline`] names the child model, its foreign key to the parent, and how
//! its rows show; it carries the typed operations on the child's rows, so
//! the pages can use them without the child's type.

use diesel::QueryDsl;

use crate::auth::Caller;
use crate::db::AnyConnection;
use crate::model::{
    check_inline_fk, check_path, delete_with_dependents, display, load_by_keys, rows_where, save, BoxedQuery, Data,
    ForeignKeyTo, Model, ModelMeta, PathEnd, Value,
};
use crate::query::OrderBy;
use crate::Error;

/// How an inline's rows are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlineLayout {
    /// A table: a row per child, a column per field (the default).
    Tabular,
    /// A block per child, its fields one under another.
    Stacked,
}

/// One child row as an inline shows it: its key, its values (in the order
/// of the child's fields) and its display line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChildRow {
    pub(crate) pk: Value,
    pub(crate) values: Vec<Value>,
    pub(crate) display: String,
}

/// The children of one parent: `(conn, fk, parent key, ordering)`.
pub(crate) type LoadChildren = fn(&mut AnyConnection, &'static str, &Value, &[&str]) -> Result<Vec<ChildRow>, Error>;

/// The children of one parent among those a registered admin shows:
/// `(conn, caller, fk, parent key, ordering)`.
pub(crate) type ScopedChildren =
    fn(&mut AnyConnection, &Caller, &'static str, &Value, &[&str]) -> Result<Vec<ChildRow>, Error>;

/// Inserts `data` as a new child, or updates the child with key `pk`;
/// answers the row as saved.
pub(crate) type WriteChild = fn(&mut AnyConnection, &Data, Option<&Value>) -> Result<ChildRow, Error>;

/// Deletes the children with these keys, and what depends on them.
pub(crate) type DeleteChildren = fn(&mut AnyConnection, &[Value]) -> Result<usize, Error>;

/// The rows of a child model shown on its parent's page: `#[admin(inlines(Message))]`
/// on the parent, or built with [`Inline::of`] for
/// [`ModelAdmin::inlines`](super::ModelAdmin::inlines).
///
/// ```
/// # use diesel::prelude::*;
/// # diesel::table! { author (id) { id -> Integer, name -> Text } }
/// # diesel::table! { book (id) { id -> Integer, author_id -> Integer, title -> Text } }
/// # diesel::joinable!(book -> author (author_id));
/// # diesel::allow_tables_to_appear_in_same_query!(author, book);
/// # #[derive(Queryable, Selectable, hangar::Model)]
/// # #[diesel(table_name = author)]
/// # struct Author { id: i32, name: String }
/// # #[derive(Queryable, Selectable, hangar::Model)]
/// # #[diesel(table_name = book, belongs_to(Author))]
/// # struct Book { id: i32, author_id: i32, title: String }
/// use hangar::admin::{Inline, InlineLayout};
///
/// // Checked while compiling: `Book` refers to `Author`, and has a `title`.
/// const BOOKS: Inline = Inline::of::<Book, Author>().layout(InlineLayout::Stacked).extra(1).ordering(&["title"]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Inline {
    pub(crate) model: &'static ModelMeta,
    pub(crate) fk: &'static str,
    pub(crate) layout: InlineLayout,
    pub(crate) extra: u32,
    pub(crate) max_num: u32,
    pub(crate) readonly_fields: &'static [&'static str],
    pub(crate) ordering: &'static [&'static str],
    pub(crate) load: LoadChildren,
    pub(crate) write: WriteChild,
    pub(crate) delete: DeleteChildren,
}

/// The most rows an inline shows when `max_num` is not given: Django's.
pub const DEFAULT_MAX_NUM: u32 = 1000;

impl Inline {
    /// The rows of `C` that refer to `P`, through `C`'s one foreign key to
    /// `P`: tabular, three blank rows, at most 1000 rows. A `C` with several
    /// foreign keys to `P` needs [`Inline::by`].
    pub const fn of<C: Model + ForeignKeyTo<P>, P: Model>() -> Inline {
        check_inline_fk(C::FIELDS, None, C::META.name, P::META.name);
        Inline::__derived::<C, P>(C::FIELDS[0])
    }

    /// The rows of `C` whose foreign key `fk` refers to `P`.
    pub const fn by<C: Model + ForeignKeyTo<P>, P: Model>(fk: &'static str) -> Inline {
        check_inline_fk(C::FIELDS, Some(fk), C::META.name, P::META.name);
        Inline::__derived::<C, P>(fk)
    }

    /// What `derive(AdminModel)` builds, having checked the names itself,
    /// each at its token.
    #[doc(hidden)]
    pub const fn __derived<C: Model, P: Model>(fk: &'static str) -> Inline {
        Inline {
            model: C::META,
            fk,
            layout: InlineLayout::Tabular,
            extra: 3,
            max_num: DEFAULT_MAX_NUM,
            readonly_fields: &[],
            ordering: &[],
            load: load_children::<C>,
            write: write_child::<C>,
            delete: delete_with_dependents::<C>,
        }
    }

    /// Sets the readonly fields and the ordering `derive(AdminModel)` has
    /// checked, each at its token.
    #[doc(hidden)]
    #[must_use]
    pub const fn __names(
        mut self,
        readonly_fields: &'static [&'static str],
        ordering: &'static [&'static str],
    ) -> Self {
        self.readonly_fields = readonly_fields;
        self.ordering = ordering;
        self
    }

    /// Tabular (the default) or stacked.
    #[must_use]
    pub const fn layout(mut self, layout: InlineLayout) -> Self {
        self.layout = layout;
        self
    }

    /// How many blank rows to add children with (default 3).
    #[must_use]
    pub const fn extra(mut self, extra: u32) -> Self {
        self.extra = extra;
        self
    }

    /// The most rows in all, existing and new (default 1000).
    #[must_use]
    pub const fn max_num(mut self, max_num: u32) -> Self {
        self.max_num = max_num;
        self
    }

    /// Fields shown but never written; checked against the child model.
    #[must_use]
    pub const fn readonly_fields(mut self, fields: &'static [&'static str]) -> Self {
        let mut i = 0;
        while i < fields.len() {
            check_path(self.model, &[fields[i]], PathEnd::Field, "readonly_fields");
            i += 1;
        }
        self.readonly_fields = fields;
        self
    }

    /// The rows' order: fields of the child, `-` for descending; checked
    /// against the child model.
    #[must_use]
    pub const fn ordering(mut self, terms: &'static [&'static str]) -> Self {
        let mut i = 0;
        while i < terms.len() {
            let term = terms[i];
            let field = match term.as_bytes() {
                [b'-', rest @ ..] => match core::str::from_utf8(rest) {
                    Ok(field) => field,
                    Err(_) => term,
                },
                _ => term,
            };
            check_path(self.model, &[field], PathEnd::Field, "ordering");
            i += 1;
        }
        self.ordering = terms;
        self
    }

    /// The child model.
    pub fn model(&self) -> &'static ModelMeta {
        self.model
    }

    /// The child's foreign key to the parent.
    pub fn fk(&self) -> &'static str {
        self.fk
    }
}

/// The child rows `query` holds whose `fk` is `parent`, in `ordering` then
/// by key: one statement.
pub(crate) fn children_in<M: Model>(
    query: BoxedQuery<M>,
    conn: &mut AnyConnection,
    fk: &'static str,
    parent: &Value,
    ordering: &[&str],
) -> Result<Vec<ChildRow>, Error> {
    let meta = M::META;
    let mut query = query.filter(rows_where::<M>(fk, std::slice::from_ref(parent), conn.dialect())?);
    for term in ordering {
        let order = OrderBy::parse(meta, term).map_err(|e| Error::BadRequest(e.to_string()))?;
        query = order.apply::<M>(query).map_err(|e| Error::BadRequest(e.to_string()))?;
    }
    query =
        OrderBy::field(meta.primary_key.name, false).apply::<M>(query).map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok(M::load(query, conn)?.iter().map(child_row).collect())
}

pub(crate) fn child_row<M: Model>(row: &M) -> ChildRow {
    let values = M::META.fields.iter().map(|f| row.value(f.name).unwrap_or(Value::Null)).collect();
    ChildRow { pk: row.pk(), values, display: display(row) }
}

fn load_children<M: Model>(
    conn: &mut AnyConnection,
    fk: &'static str,
    parent: &Value,
    ordering: &[&str],
) -> Result<Vec<ChildRow>, Error> {
    children_in::<M>(M::all(), conn, fk, parent, ordering)
}

fn write_child<M: Model>(conn: &mut AnyConnection, data: &Data, pk: Option<&Value>) -> Result<ChildRow, Error> {
    let existing = match pk {
        Some(pk) => Some(load_by_keys::<M>(conn, std::slice::from_ref(pk))?.pop().ok_or(Error::NotFound)?),
        None => None,
    };
    let key = save::<M>(conn, data, existing.as_ref())?;
    let saved = load_by_keys::<M>(conn, std::slice::from_ref(&key))?.pop().ok_or(Error::NotFound)?;
    Ok(child_row(&saved))
}
