//! Query strings: decoding pairs, and rewriting `page` for next/previous links.

use rocket::http::RawStr;

/// Decodes an `application/x-www-form-urlencoded` query string into
/// `(key, value)` pairs, in order. `+` is a space; invalid UTF-8 becomes
/// U+FFFD; a segment without `=` has an empty value.
pub fn parse_query_string(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let (key, value) = segment.split_once('=').unwrap_or((segment, ""));
            (RawStr::new(key).url_decode_lossy().into_owned(), RawStr::new(value).url_decode_lossy().into_owned())
        })
        .collect()
}

/// `path?query` with `page` set to `page`: replaced where it stood, or
/// appended. Every other parameter keeps its place and its encoding.
pub fn with_page(path: &str, query: Option<&str>, page: u64) -> String {
    let mut segments: Vec<String> = Vec::new();
    let mut replaced = false;
    for segment in query.unwrap_or("").split('&').filter(|s| !s.is_empty()) {
        let key = segment.split_once('=').map_or(segment, |(k, _)| k);
        if RawStr::new(key).url_decode_lossy() == "page" {
            if !replaced {
                segments.push(format!("page={page}"));
                replaced = true;
            }
        } else {
            segments.push(segment.to_owned());
        }
    }
    if !replaced {
        segments.push(format!("page={page}"));
    }
    format!("{path}?{}", segments.join("&"))
}

/// The page number in `raw`: digits only, at least 1; anything else is page 1.
pub fn parse_page(raw: Option<&str>) -> u64 {
    raw.filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|r| r.parse().ok())
        .filter(|&page| page > 0)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded_in_order_with_repeats() {
        let pairs = parse_query_string("message__ilike=%25hello%25&id=1&id=2&q=a+b&flag");
        let expected = [("message__ilike", "%hello%"), ("id", "1"), ("id", "2"), ("q", "a b"), ("flag", "")];
        assert_eq!(pairs, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
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
    }

    #[test]
    fn a_bad_page_falls_back_to_one() {
        for raw in [None, Some(""), Some("abc"), Some("0"), Some("-2"), Some("1.5"), Some("99999999999999999999999")] {
            assert_eq!(parse_page(raw), 1, "{raw:?}");
        }
        assert_eq!(parse_page(Some("7")), 7);
    }
}
