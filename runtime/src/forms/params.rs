//! Query strings and form bodies (`application/x-www-form-urlencoded`):
//! decoding them into pairs, and rewriting `page` for next/previous links.

use std::ops::Deref;

use rocket::http::RawStr;

/// The decoded `(key, value)` pairs of a query string or a form body, in
/// order, repeats kept.
///
/// ```
/// use hangar::forms::Params;
///
/// let params = Params::parse("q=a+b&id=1&id=2&next=%2Fhome%2F");
/// assert_eq!(params.get("q"), Some("a b"));
/// assert_eq!(params.get("id"), Some("1"), "the first of several");
/// assert_eq!(params.get_all("id").collect::<Vec<_>>(), ["1", "2"]);
/// assert_eq!(params.get("next"), Some("/home/"));
/// assert_eq!(params.get("page"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes `raw`: pairs split on `&`, `+` is a space, percent-escapes
    /// are decoded and invalid UTF-8 becomes U+FFFD; a segment without `=`
    /// has an empty value.
    pub fn parse(raw: &str) -> Self {
        let pairs = raw
            .split('&')
            .filter(|segment| !segment.is_empty())
            .map(|segment| {
                let (key, value) = segment.split_once('=').unwrap_or((segment, ""));
                (RawStr::new(key).url_decode_lossy().into_owned(), RawStr::new(value).url_decode_lossy().into_owned())
            })
            .collect();
        Params(pairs)
    }

    /// Decodes a form body, whatever bytes it holds.
    pub fn parse_bytes(raw: &[u8]) -> Self {
        Self::parse(&String::from_utf8_lossy(raw))
    }

    /// Decodes the query string of `uri`; none is no parameters.
    pub fn of_query(uri: &rocket::http::uri::Origin<'_>) -> Self {
        Self::parse(uri.query().map_or("", |q| q.as_str()))
    }

    /// The first value of `name`, as werkzeug's `MultiDict.get`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Whether `name` is given at all.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// The pairs but those named in `drop`, then `extra`, as a query
    /// string, each key and value encoded.
    ///
    /// ```
    /// use hangar::forms::Params;
    ///
    /// let params = Params::parse("q=a+b&page=3&ordering=id");
    /// assert_eq!(params.query_without(&["page"], &[("page", "4")]), "q=a%20b&ordering=id&page=4");
    /// ```
    pub fn query_without(&self, drop: &[&str], extra: &[(&str, &str)]) -> String {
        let kept = self.0.iter().filter(|(k, _)| !drop.contains(&k.as_str())).map(|(k, v)| (k.as_str(), v.as_str()));
        query_string(kept.chain(extra.iter().copied()))
    }

    /// `path` with [`query_without`](Self::query_without) as its query,
    /// and no `?` when that is empty.
    ///
    /// ```
    /// use hangar::forms::Params;
    ///
    /// let params = Params::parse("page=2");
    /// assert_eq!(params.url_without("/admin/note/", &["page"], &[]), "/admin/note/");
    /// assert_eq!(params.url_without("/admin/note/", &[], &[("q", "x")]), "/admin/note/?page=2&q=x");
    /// ```
    pub fn url_without(&self, path: &str, drop: &[&str], extra: &[(&str, &str)]) -> String {
        url_with_query(path, &self.query_without(drop, extra))
    }
}

impl Deref for Params {
    type Target = [(String, String)];

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl IntoIterator for Params {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Vec<(String, String)>> for Params {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Params(pairs)
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so that
/// any text (a path with its query, say) survives as one parameter.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `pairs` as a query string, each key and value encoded.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let encoded: Vec<String> =
        pairs.into_iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect();
    encoded.join("&")
}

/// `path?query`, or `path` alone when `query` is empty.
pub fn url_with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

fn has_key(segment: &str, key: &str) -> bool {
    let name = segment.split_once('=').map_or(segment, |(k, _)| k);
    RawStr::new(name).url_decode_lossy() == key
}

/// `query` (raw) without its `page` parameters; the others keep their order
/// and their encoding.
pub fn without_page(query: Option<&str>) -> String {
    let segments: Vec<&str> = query.unwrap_or("").split('&').filter(|s| !s.is_empty() && !has_key(s, "page")).collect();
    segments.join("&")
}

/// `path?query` with `page` set to `page`: replaced where it stood, or
/// appended. Every other parameter keeps its place and its encoding, so a
/// filtered, sorted list's links keep their filters and sort.
pub fn with_page(path: &str, query: Option<&str>, page: u64) -> String {
    with_param(path, query, "page", &page.to_string(), &[])
}

/// `path?query` with `key` set to `value` (encoded): replaced where it
/// first stood, or appended; the parameters named in `drop` are left out,
/// and every other one keeps its place and its encoding.
pub fn with_param(path: &str, query: Option<&str>, key: &str, value: &str, drop: &[&str]) -> String {
    let mut segments: Vec<String> = Vec::new();
    let mut replaced = false;
    let pair = format!("{}={}", encode_component(key), encode_component(value));
    for segment in query.unwrap_or("").split('&').filter(|s| !s.is_empty()) {
        if has_key(segment, key) {
            if !replaced {
                segments.push(pair.clone());
                replaced = true;
            }
        } else if !drop.iter().any(|d| has_key(segment, d)) {
            segments.push(segment.to_owned());
        }
    }
    if !replaced {
        segments.push(pair);
    }
    format!("{path}?{}", segments.join("&"))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_pairs_written_as_a_query_string_read_back(pairs in prop::collection::vec((".*", ".*"), 0..6)) {
            let query = query_string(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            prop_assert_eq!(&*Params::parse(&query), pairs.as_slice());
        }

        #[test]
        fn any_bytes_decode(raw in prop::collection::vec(any::<u8>(), 0..64)) {
            let params = Params::parse_bytes(&raw);
            prop_assert!(params.len() <= raw.len());
        }
    }

    #[test]
    fn pairs_are_decoded_in_order_with_repeats() {
        let params = Params::parse("message__ilike=%25hello%25&id=1&id=2&q=a+b&flag");
        let expected = [("message__ilike", "%hello%"), ("id", "1"), ("id", "2"), ("q", "a b"), ("flag", "")];
        assert_eq!(&*params, expected.map(|(k, v)| (k.to_owned(), v.to_owned())).as_slice());
    }

    #[test]
    fn invalid_utf8_is_replaced_not_refused() {
        let params = Params::parse_bytes(b"name=%FF%FE&raw=\xff");
        assert_eq!(params.get("name"), Some("\u{fffd}\u{fffd}"));
        assert_eq!(params.get("raw"), Some("\u{fffd}"));
    }

    #[test]
    fn page_is_replaced_in_place_or_appended() {
        assert_eq!(
            with_page("/api/note/", Some("ordering=id&page=1&limit=10"), 2),
            "/api/note/?ordering=id&page=2&limit=10"
        );
        assert_eq!(with_page("/api/note/", Some("ordering=id&limit=10"), 2), "/api/note/?ordering=id&limit=10&page=2");
        assert_eq!(with_page("/api/note/", None, 3), "/api/note/?page=3");
        assert_eq!(with_page("/n/", Some("q=a%26b&page=4&page=5"), 1), "/n/?q=a%26b&page=1");
        assert_eq!(with_page("", Some("user__username=a+b&p%61ge=9"), 2), "?user__username=a+b&page=2");
    }

    #[test]
    fn components_are_encoded_whole() {
        assert_eq!(
            encode_component("/admin/message/?page=2&ordering=-pub_date"),
            "%2Fadmin%2Fmessage%2F%3Fpage%3D2%26ordering%3D-pub_date"
        );
        assert_eq!(encode_component("/é"), "%2F%C3%A9");
        assert_eq!(query_string([("q", "a b"), ("user__username", "x&y")]), "q=a%20b&user__username=x%26y");
    }

    #[test]
    fn without_page_keeps_the_rest_in_order() {
        assert_eq!(without_page(Some("a=1&page=2&b=%26&page=3")), "a=1&b=%26");
        assert_eq!(without_page(Some("page=2")), "");
        assert_eq!(without_page(None), "");
    }
}
