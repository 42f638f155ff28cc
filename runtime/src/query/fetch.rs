//! Reading a list request's page: counted, or paged by cursor.

use diesel::QueryDsl;

use super::cursor::{self, Direction};
use super::list::ListQuery;
use super::ordering::with_tiebreak;
use super::pagination::clamp;
use super::{Count, Counted, Cursors, Page};
use crate::db::AnyConnection;
use crate::model::{BoxedQuery, Model};

impl<M: Model> ListQuery<M> {
    /// Reads the requested page of the model's rows.
    pub fn fetch(&self, conn: &mut AnyConnection) -> Result<Page<M>, crate::Error> {
        self.fetch_from(conn, || Ok(M::all()))
    }

    /// Reads the requested page of the rows `base` selects (a scoped query,
    /// such as active users only), filtered and ordered: one query to count
    /// (unless the list's [`Count`] says otherwise) and one to read; a list
    /// paged by `cursor` reads only.
    pub fn fetch_from(
        &self,
        conn: &mut AnyConnection,
        base: impl Fn() -> Result<BoxedQuery<M>, crate::Error>,
    ) -> Result<Page<M>, crate::Error> {
        if let Some(token) = &self.cursor {
            return self.fetch_by_cursor(conn, base, token);
        }
        let dialect = conn.dialect();
        let filtered = || -> Result<BoxedQuery<M>, crate::Error> { Ok(self.filter(base()?, dialect)?) };
        let counted = match self.count {
            Count::Exact => Some(M::count(filtered()?, conn)?),
            Count::Capped(cap) => Some(M::count(filtered()?.limit(clamp(cap.saturating_add(1))), conn)?),
            Count::None => None,
        };
        let counted = counted.map(|n| u64::try_from(n).unwrap_or(0));
        let exact = self.count == Count::Exact;
        let mut query = self.order(filtered()?)?;
        if let Some(size) = self.per_page {
            let offset = (self.page - 1).saturating_mul(size);
            // Without an exact count, one more row says whether a next page exists.
            query = query.limit(clamp(size.saturating_add(u64::from(!exact)))).offset(clamp(offset));
        }
        let mut objects = M::load(query, conn)?;
        if exact {
            return Ok(Page::new(objects, self.page, self.per_page, counted.unwrap_or(0)));
        }
        let has_more = keep_page(&mut objects, self.per_page);
        Ok(match (self.count, counted) {
            (Count::Capped(cap), Some(n)) if n > cap => {
                Page::uncounted(objects, self.page, self.per_page, Counted::AtLeast, cap, has_more)
            }
            (_, Some(n)) => Page::new(objects, self.page, self.per_page, n),
            (_, None) => Page::uncounted(objects, self.page, self.per_page, Counted::NotCounted, 0, has_more),
        })
    }

    /// Whether the list is paged by `cursor` rather than by page number.
    pub fn by_cursor(&self) -> bool {
        self.cursor.is_some()
    }

    /// The page after or before the row the cursor marks, or the first:
    /// a keyset query, so its cost does not depend on how deep it is.
    fn fetch_by_cursor(
        &self,
        conn: &mut AnyConnection,
        base: impl Fn() -> Result<BoxedQuery<M>, crate::Error>,
        token: &str,
    ) -> Result<Page<M>, crate::Error> {
        let meta = M::meta();
        let terms = with_tiebreak(meta, &self.ordering);
        cursor::check_ordering(meta, &terms)?;
        let position = match token.trim() {
            "" => None,
            token => Some(cursor::decode(meta, &terms, token)?),
        };
        let dialect = conn.dialect();
        let mut query = self.filter(base()?, dialect)?;
        let backwards = position.as_ref().is_some_and(|p| p.direction == Direction::Before);
        if let Some(position) = &position {
            query = query.filter(cursor::keyset::<M>(&terms, position, dialect)?);
        }
        let order = if backwards { cursor::reversed(&terms) } else { terms.clone() };
        query = order.iter().try_fold(query, |q, term| term.apply::<M>(q))?;
        if let Some(size) = self.per_page {
            query = query.limit(clamp(size.saturating_add(1)));
        }
        let mut objects = M::load(query, conn)?;
        let more_that_way = keep_page(&mut objects, self.per_page);
        if backwards {
            objects.reverse();
        }
        let mark =
            |direction, row: Option<&M>| row.map(|r| cursor::encode(direction, &terms, &cursor::values_of(r, &terms)));
        let (after, before) = (mark(Direction::After, objects.last()), mark(Direction::Before, objects.first()));
        let cursors = if backwards {
            Cursors { next: after, previous: before.filter(|_| more_that_way) }
        } else {
            Cursors { next: after.filter(|_| more_that_way), previous: before.filter(|_| position.is_some()) }
        };
        let has_more = cursors.next.is_some();
        let mut page = Page::uncounted(objects, 1, self.per_page, Counted::NotCounted, 0, has_more);
        page.cursors = Some(cursors);
        Ok(page)
    }
}

/// Drops the extra row read past a page of `per_page`, answering whether
/// there was one.
fn keep_page<T>(objects: &mut Vec<T>, per_page: Option<u64>) -> bool {
    let Some(size) = per_page.and_then(|s| usize::try_from(s).ok()) else {
        return false;
    };
    let more = objects.len() > size;
    objects.truncate(size);
    more
}
