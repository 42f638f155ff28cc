//! tweepee's mounted routes, enumerated from Rocket rather than listed, with
//! their path parameters filled from the seeded database.

use rocket::http::Method;

use crate::probe::Probe;

/// One mounted route: its method and path, as Rocket has them.
#[derive(Debug, Clone)]
pub(crate) struct Mounted {
    pub(crate) method: Method,
    pub(crate) path: String,
}

/// Every route mounted with one of `methods`, sorted by path.
pub(crate) fn mounted(probe: &Probe, methods: &[Method]) -> Vec<Mounted> {
    let mut routes: Vec<Mounted> = probe
        .client
        .rocket()
        .routes()
        .filter(|r| methods.contains(&r.method))
        .map(|r| Mounted { method: r.method, path: r.uri.path().to_string() })
        .collect();
    routes.sort_by(|a, b| (&a.path, a.method.as_str()).cmp(&(&b.path, b.method.as_str())));
    routes.dedup_by(|a, b| a.path == b.path && a.method == b.method);
    routes
}

/// Which rows the parameters name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    /// Rows that exist.
    Real,
    /// Rows that do not (id 999999, user `nobody`).
    Missing,
}

impl Mounted {
    /// The path with every `<param>` filled, and a trailing slash as
    /// tweepee's links have; panics naming a parameter it cannot fill, so
    /// a new kind of route cannot slip past the sweep.
    pub(crate) fn uri(&self, probe: &Probe, rows: Rows) -> String {
        let segments: Vec<&str> = self.path.split('/').collect();
        let mut filled = Vec::with_capacity(segments.len());
        for (i, segment) in segments.iter().enumerate() {
            let Some(param) = segment.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
                filled.push((*segment).to_owned());
                continue;
            };
            // The model's slug is the segment before its key: `/admin/message/<pk>`.
            let slug = i.checked_sub(1).map_or("", |j| segments[j]);
            let value = match (param, rows) {
                ("pk", Rows::Real) => probe.first_id(slug).to_string(),
                ("id", Rows::Real) => probe.first_id("message").to_string(),
                ("pk" | "id", Rows::Missing) => "999999".to_owned(),
                ("username", Rows::Real) => "user1".to_owned(),
                ("username", Rows::Missing) => "nobody".to_owned(),
                // The picker's foreign keys; tweepee has no file to download.
                ("field", _) => match segments.get(2).copied() {
                    Some("message" | "note") => "user".to_owned(),
                    Some("relationship") => "from_user".to_owned(),
                    _ => "content".to_owned(),
                },
                _ => panic!(
                    "the sweep cannot fill `<{param}>` in {} {}: teach `Mounted::uri` it",
                    self.method, self.path
                ),
            };
            filled.push(value);
        }
        let path = filled.join("/");
        if path.ends_with('/') || path.rsplit('/').next().is_some_and(|last| last.contains('.')) {
            path
        } else {
            format!("{path}/")
        }
    }
}
