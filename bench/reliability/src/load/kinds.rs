//! The kinds of request in the mixed workload, the seeded message ids each
//! one works on, and the Lua table (`plan`) that tells a wrk script which
//! kind it is.

use std::fmt::Write as _;
use std::ops::RangeInclusive;

use crate::http;

/// One kind of request; each runs in its own wrk process, so each has its
/// own rate and latency distribution while the server sees them all at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `GET /api/message/?limit=20&page=N`.
    List,
    /// `GET /api/message/?user__username=userK&ordering=-pub_date`.
    Filtered,
    /// `GET /api/message/<id>/` of a message that is never deleted.
    Detail,
    /// `POST /api/message/` with a user's Basic credentials.
    Create,
    /// `PUT /api/message/<id>/` of a never-deleted message, by its owner.
    Change,
    /// `DELETE /api/message/<id>/` by its owner, each id of the delete range once.
    Delete,
    /// `GET /admin/message/?page=N` as the logged-in admin.
    AdminList,
    /// `GET /admin/message/<id>/`, the admin's edit page.
    AdminEdit,
}

impl Kind {
    /// Every kind, in the order the table prints them.
    pub(crate) const ALL: [Kind; 8] = [
        Kind::List,
        Kind::Filtered,
        Kind::Detail,
        Kind::Create,
        Kind::Change,
        Kind::Delete,
        Kind::AdminList,
        Kind::AdminEdit,
    ];

    /// The name the Lua script and the table use.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::List => "list",
            Kind::Filtered => "filtered",
            Kind::Detail => "detail",
            Kind::Create => "create",
            Kind::Change => "change",
            Kind::Delete => "delete",
            Kind::AdminList => "admin_list",
            Kind::AdminEdit => "admin_edit",
        }
    }

    /// The kind called `name`.
    pub(crate) fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether its acknowledged answers change the number of messages: it
    /// then goes quiet before wrk stops, so that none is in flight (sent,
    /// perhaps committed, but never acknowledged) when the rows are counted.
    pub(crate) fn counts_rows(self) -> bool {
        matches!(self, Kind::Create | Kind::Delete)
    }
}

/// Which seeded message ids are read and changed, and which are deleted.
/// tweepee's seed gives message `i` (from 0) the id `i + 1` and the owner
/// `user{i % users}`; creates get ids above the seeded ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Seeded users `user0..`.
    pub(crate) users: usize,
    /// Seeded messages.
    pub(crate) messages: usize,
    /// Read by detail and the admin's edit page, changed by change; never deleted.
    pub(crate) kept: RangeInclusive<usize>,
    /// Deleted by delete, each once; never read.
    pub(crate) doomed: RangeInclusive<usize>,
}

impl Layout {
    /// The first half of the messages is kept, the second half deleted.
    pub(crate) fn new(users: usize, messages: usize) -> Result<Layout, String> {
        if users == 0 || messages < 2 * users {
            return Err(format!(
                "the load suite needs at least 1 user and twice as many messages as users (each user's first message is kept): {users} users, {messages} messages"
            ));
        }
        let half = messages / 2;
        Ok(Layout { users, messages, kept: 1..=half, doomed: half + 1..=messages })
    }

    /// The ids `kind` works on, if any.
    fn ids(&self, kind: Kind) -> Option<&RangeInclusive<usize>> {
        match kind {
            Kind::Detail | Kind::Change | Kind::AdminEdit => Some(&self.kept),
            Kind::Delete => Some(&self.doomed),
            _ => None,
        }
    }
}

/// What one wrk script is told: its kind and everything it needs to build
/// requests that should answer 2xx.
#[derive(Debug, Clone)]
pub(crate) struct Plan<'a> {
    pub(crate) kind: Kind,
    pub(crate) layout: &'a Layout,
    /// The logged-in admin's `Cookie` header.
    pub(crate) cookie: &'a str,
    /// When (Unix ms) a kind that counts rows stops issuing requests.
    pub(crate) quiet_from_ms: u128,
}

/// `text` as a Lua string literal.
fn lua_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\{:03}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Plan<'_> {
    /// The Lua that defines the global table `plan`, put before
    /// `tally.lua` and `requests.lua`.
    pub(crate) fn lua(&self) -> String {
        let ids = self.layout.ids(self.kind);
        let (first, count) = ids.map_or((1, 1), |r| (*r.start(), r.end() + 1 - r.start()));
        // Only deletes have a budget: each id of the delete range once.
        let budget = if self.kind == Kind::Delete { count.to_string() } else { "-1".into() };
        let quiet = if self.kind.counts_rows() { self.quiet_from_ms } else { 0 };
        let mut out = format!(
            "plan = {{\n  kind = {},\n  quiet_from_ms = {quiet},\n  budget = {budget},\n  first = {first},\n  count = {count},\n  users = {},\n  cookie = {},\n  auth = {{\n",
            lua_string(self.kind.name()),
            self.layout.users,
            lua_string(self.cookie),
        );
        for i in 0..self.layout.users {
            let name = format!("user{i}");
            let _ = writeln!(out, "    [{i}] = {},", lua_string(&http::basic(&name, &name)));
        }
        out.push_str("  },\n}\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_the_seeded_messages_into_kept_and_deleted() {
        let layout = Layout::new(10, 101).expect("valid");
        assert_eq!(layout.kept, 1..=50);
        assert_eq!(layout.doomed, 51..=101);
        assert!(Layout::new(10, 19).is_err());
        assert!(Layout::new(0, 19).is_err());
    }

    #[test]
    fn every_kind_has_a_name_that_finds_it() {
        for kind in Kind::ALL {
            assert_eq!(Kind::named(kind.name()), Some(kind));
        }
    }

    #[test]
    fn a_plan_gives_deletes_a_budget_and_the_writes_a_quiet_tail() {
        let layout = Layout::new(2, 10).expect("valid");
        let delete = Plan { kind: Kind::Delete, layout: &layout, cookie: "s=\"x\"", quiet_from_ms: 42 }.lua();
        assert!(delete.contains("budget = 5,"), "{delete}");
        assert!(delete.contains("first = 6,"), "{delete}");
        assert!(delete.contains("quiet_from_ms = 42,"), "{delete}");
        assert!(delete.contains(r#"cookie = "s=\"x\"","#), "{delete}");
        assert!(delete.contains(r#"[1] = "Basic dXNlcjE6dXNlcjE=","#), "{delete}");
        let detail = Plan { kind: Kind::Detail, layout: &layout, cookie: "", quiet_from_ms: 42 }.lua();
        assert!(detail.contains("budget = -1,") && detail.contains("quiet_from_ms = 0,"), "{detail}");
        assert!(detail.contains("first = 1,") && detail.contains("count = 5,"), "{detail}");
    }
}
