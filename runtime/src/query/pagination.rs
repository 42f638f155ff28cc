//! Pages of results: flask-peewee's `PaginatedQuery`.

use std::fmt;
use std::marker::PhantomData;

use diesel::QueryDsl;
use serde::Serialize;

use super::Cursors;
use crate::db::AnyConnection;
use crate::model::{BoxedQuery, Model};

/// How many pages `object_count` rows fill.
fn page_count(object_count: u64, per_page: Option<u64>) -> u64 {
    match per_page {
        Some(size) if size > 0 => object_count.div_ceil(size),
        _ => u64::from(object_count > 0),
    }
}

/// How a list counts its rows, for its page numbers.
///
/// An exact `COUNT(*)` reads every matching row, so on a large table it
/// costs more than the page itself; the other two trade the total for a
/// cost that does not grow with the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Count {
    /// Count every matching row: exact totals and page counts.
    #[default]
    Exact,
    /// Count at most this many rows (`SELECT COUNT(*) FROM (... LIMIT N+1)`):
    /// exact up to it, "more than N" beyond.
    Capped(u64),
    /// Do not count: a page knows only whether another follows.
    None,
}

/// How a [`Page`]'s `object_count` was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Counted {
    /// It is the exact number of rows.
    #[default]
    Exact,
    /// There are more rows than it: the cap of [`Count::Capped`].
    AtLeast,
    /// The rows were not counted; it is 0 and means nothing.
    NotCounted,
}

/// One page of results, with the numbers to link to the others.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows on this page.
    pub objects: Vec<T>,
    /// This page's number, from 1.
    pub page: u64,
    /// How many pages there are; 0 when there are no rows.
    pub page_count: u64,
    /// How many rows there are on all pages.
    pub object_count: u64,
    /// The page size, or `None` when everything is on one page.
    pub per_page: Option<u64>,
    /// Whether `object_count` (and so `page_count`) is exact, a lower bound,
    /// or not counted at all.
    pub counted: Counted,
    /// Whether rows follow this page.
    pub has_more: bool,
    /// For a list paged by `cursor`, the tokens of the pages around this
    /// one; page numbers then mean nothing.
    pub cursors: Option<Cursors>,
}

impl<T> Page<T> {
    /// A page of `objects` out of `object_count` rows.
    pub fn new(objects: Vec<T>, page: u64, per_page: Option<u64>, object_count: u64) -> Self {
        let page_count = page_count(object_count, per_page);
        let has_more = page < page_count;
        Page { objects, page, page_count, object_count, per_page, counted: Counted::Exact, has_more, cursors: None }
    }

    /// A page whose total is a lower bound (`Counted::AtLeast`) or unknown
    /// (`Counted::NotCounted`); `has_more` says whether rows follow it.
    pub fn uncounted(
        objects: Vec<T>,
        page: u64,
        per_page: Option<u64>,
        counted: Counted,
        object_count: u64,
        has_more: bool,
    ) -> Self {
        let page_count = page_count(object_count, per_page);
        Page { objects, page, page_count, object_count, per_page, counted, has_more, cursors: None }
    }

    /// The next page's number, if there is one.
    pub fn next_page(&self) -> Option<u64> {
        self.has_more.then(|| self.page + 1)
    }

    /// The previous page's number, if there is one. Past the end of an
    /// exactly counted list, that is the last page.
    pub fn previous_page(&self) -> Option<u64> {
        let last = match self.counted {
            Counted::Exact => self.page_count.max(1),
            Counted::AtLeast | Counted::NotCounted => u64::MAX,
        };
        (self.page > 1).then(|| (self.page - 1).min(last))
    }

    /// The same page with each object mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            objects: self.objects.into_iter().map(f).collect(),
            page: self.page,
            page_count: self.page_count,
            object_count: self.object_count,
            per_page: self.per_page,
            counted: self.counted,
            has_more: self.has_more,
            cursors: self.cursors,
        }
    }

    /// The numbers a template needs to draw pagination links.
    pub fn pagination(&self) -> Pagination {
        Pagination {
            page: self.page,
            page_count: self.page_count,
            object_count: self.object_count,
            per_page: self.per_page,
            has_next: self.next_page().is_some(),
            has_previous: self.previous_page().is_some(),
            next_page: self.next_page(),
            previous_page: self.previous_page(),
            count_capped: self.counted == Counted::AtLeast,
            counted: self.counted != Counted::NotCounted,
        }
    }
}

/// The pagination numbers of a [`Page`], as templates see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// This page, from 1.
    pub page: u64,
    /// How many pages there are.
    pub page_count: u64,
    /// How many rows in all.
    pub object_count: u64,
    /// The page size.
    pub per_page: Option<u64>,
    /// Whether there is a next page.
    pub has_next: bool,
    /// Whether there is a previous page.
    pub has_previous: bool,
    /// The next page's number.
    pub next_page: Option<u64>,
    /// The previous page's number.
    pub previous_page: Option<u64>,
    /// Whether `object_count` is a cap the rows go past ("more than N").
    pub count_capped: bool,
    /// Whether the rows were counted at all; when not, `object_count` and
    /// `page_count` mean nothing.
    pub counted: bool,
}

/// A query split into pages, as flask-peewee's `PaginatedQuery`.
///
/// The query is given as a function that builds it, since a boxed Diesel
/// query is used twice: once to count and once to read the page. Counting
/// wraps the query in a subquery, so an `ORDER BY` in it is fine on every
/// backend.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # diesel::table! { note (id) { id -> Integer, message -> Text } }
/// # #[derive(Queryable, Selectable, hangar::Model)]
/// # #[diesel(table_name = note)]
/// # struct Note { id: i32, message: String }
/// use hangar::forms::Params;
/// use hangar::query::PaginatedQuery;
/// use hangar::Model as _;
///
/// # fn demo(conn: &mut hangar::db::AnyConnection) -> diesel::QueryResult<()> {
/// // For `/notes/?page=3`:
/// let pq = PaginatedQuery::<Note, _>::new(|| Note::all().order(note::id.desc()), 20).page_from(&Params::parse("page=3"));
/// let notes = pq.get_list(conn)?; // the third page of 20
/// assert_eq!(pq.get_page(), 3);
/// let pages = pq.get_pages(conn)?; // ceil(count / 20)
/// # Ok(()) }
/// ```
pub struct PaginatedQuery<M, F> {
    query: F,
    paginate_by: u64,
    page: u64,
    model: PhantomData<fn() -> M>,
}

impl<M: Model, F: Fn() -> BoxedQuery<M>> PaginatedQuery<M, F> {
    /// Pages of `paginate_by` rows of `query`, starting on page 1. A page
    /// size of 0 is taken as 1.
    pub fn new(query: F, paginate_by: u64) -> Self {
        PaginatedQuery { query, paginate_by: paginate_by.max(1), page: 1, model: PhantomData }
    }

    /// Reads the page from the last `page` of a query string's decoded
    /// parameters; a missing or malformed one means page 1.
    #[must_use]
    pub fn page_from(mut self, params: &[(String, String)]) -> Self {
        let raw = params.iter().rev().find(|(k, _)| k == "page").map(|(_, v)| v.as_str());
        self.page = parse_page(raw);
        self
    }

    /// Goes to page `page` (at least 1).
    #[must_use]
    pub fn with_page(mut self, page: u64) -> Self {
        self.page = page.max(1);
        self
    }

    /// The current page number.
    pub fn get_page(&self) -> u64 {
        self.page
    }

    /// The page size.
    pub fn paginate_by(&self) -> u64 {
        self.paginate_by
    }

    /// The rows on the current page.
    pub fn get_list(&self, conn: &mut AnyConnection) -> diesel::QueryResult<Vec<M>> {
        let offset = (self.page - 1).saturating_mul(self.paginate_by);
        let query = (self.query)().limit(clamp(self.paginate_by)).offset(clamp(offset));
        M::load(query, conn)
    }

    /// How many rows there are in all.
    pub fn count(&self, conn: &mut AnyConnection) -> diesel::QueryResult<u64> {
        M::count((self.query)(), conn).map(|n| u64::try_from(n).unwrap_or(0))
    }

    /// How many pages there are: the count divided by the page size, rounded
    /// up; 0 when there are no rows.
    pub fn get_pages(&self, conn: &mut AnyConnection) -> diesel::QueryResult<u64> {
        Ok(self.count(conn)?.div_ceil(self.paginate_by))
    }

    /// The current page with its rows and counts, in two queries.
    pub fn fetch(&self, conn: &mut AnyConnection) -> diesel::QueryResult<Page<M>> {
        let object_count = self.count(conn)?;
        let objects = self.get_list(conn)?;
        Ok(Page::new(objects, self.page, Some(self.paginate_by), object_count))
    }
}

impl<M, F> fmt::Debug for PaginatedQuery<M, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginatedQuery").field("paginate_by", &self.paginate_by).field("page", &self.page).finish()
    }
}

/// The page number in `raw`: digits only, at least 1; anything else is page 1.
pub fn parse_page(raw: Option<&str>) -> u64 {
    raw.filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|r| r.parse().ok())
        .filter(|&page| page > 0)
        .unwrap_or(1)
}

/// SQL `LIMIT`/`OFFSET` are signed 64-bit.
pub(crate) fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_page_falls_back_to_one() {
        for raw in [None, Some(""), Some("abc"), Some("0"), Some("-2"), Some("1.5"), Some("99999999999999999999999")] {
            assert_eq!(parse_page(raw), 1, "{raw:?}");
        }
        assert_eq!(parse_page(Some("7")), 7);
    }

    #[test]
    fn page_counts_round_up_and_are_zero_when_empty() {
        assert_eq!(Page::<()>::new(vec![], 1, Some(20), 95).page_count, 5);
        assert_eq!(Page::<()>::new(vec![], 1, Some(20), 100).page_count, 5);
        assert_eq!(Page::<()>::new(vec![], 1, Some(20), 0).page_count, 0);
        assert_eq!(Page::<()>::new(vec![], 1, None, 3).page_count, 1);
    }

    #[test]
    fn next_and_previous() {
        let page = Page::<()>::new(vec![], 2, Some(10), 30);
        assert_eq!((page.previous_page(), page.next_page()), (Some(1), Some(3)));
        let last = Page::<()>::new(vec![], 3, Some(10), 30);
        assert_eq!(last.next_page(), None);
        let past_the_end = Page::<()>::new(vec![], 9, Some(10), 30);
        assert_eq!((past_the_end.previous_page(), past_the_end.next_page()), (Some(3), None));
        let first = Page::<()>::new(vec![], 1, Some(10), 0);
        assert_eq!((first.previous_page(), first.next_page()), (None, None));
        let last_possible = Page::<()>::new(vec![], u64::MAX, Some(10), 30);
        assert_eq!((last_possible.previous_page(), last_possible.next_page()), (Some(3), None));
    }
}
