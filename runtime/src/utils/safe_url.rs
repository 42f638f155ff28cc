//! Redirect targets that cannot leave the site.

use rocket::http::uri::{Origin, Reference};

use crate::forms::Params;

/// Whether `url` is a same-site relative URL, safe to redirect to.
///
/// Safe: `/`, `/admin/`, `/a/b/?x=1`, `relative/path`. Unsafe: the empty
/// string, anything with a scheme (`http:`, `javascript:`), protocol-relative
/// URLs (`//evil.com`), and anything with a backslash, control character or
/// leading space, which browsers may rewrite into one of those.
///
/// ```
/// use hangar::utils::is_safe_url;
/// assert!(is_safe_url("/notes/?page=2"));
/// assert!(!is_safe_url("//evil.com"));
/// assert!(!is_safe_url("javascript:alert(1)"));
/// ```
pub fn is_safe_url(url: &str) -> bool {
    if url.is_empty() || url.starts_with(char::is_whitespace) || url.starts_with("//") {
        return false;
    }
    if url.chars().any(|c| c.is_control() || c == '\\') {
        return false;
    }
    let before_path = url.split(['/', '?', '#']).next().unwrap_or_default();
    !before_path.contains(':')
}

/// `candidate` when it is safe to redirect to, else `fallback`. A character
/// a `Location` cannot hold (`/users/josé/`, `／`) is percent-encoded, as
/// Django's `iri_to_uri` does, so the redirect can always be sent.
pub fn safe_next(candidate: Option<&str>, fallback: &str) -> String {
    candidate
        .filter(|c| is_safe_url(c))
        .map(iri_to_uri)
        .filter(|uri| Reference::parse(uri).is_ok())
        .unwrap_or_else(|| fallback.to_owned())
}

/// `url` with every byte outside RFC 3986's unreserved and reserved
/// characters (and `%`, taken as an escape already) percent-encoded.
fn iri_to_uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// The request's `?next=` when it is safe to redirect to, else `fallback`:
/// flask-peewee's `get_next`. `Origin` is a Rocket request guard:
///
/// ```
/// use rocket::http::uri::{Origin, Reference};
/// use rocket::response::Redirect;
///
/// #[rocket::get("/done")]
/// fn done(uri: &Origin<'_>) -> Redirect {
///     Redirect::to(hangar::utils::get_next(uri, "/"))
/// }
/// ```
pub fn get_next(uri: &Origin<'_>, fallback: &str) -> String {
    safe_next(Params::of_query(uri).get("next"), fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_relative_urls_are_safe() {
        for url in ["/", "/admin/", "/a/b/?x=1", "relative/path", "/x?next=http://a", "/p#frag", "/time/12:30"] {
            assert!(is_safe_url(url), "{url}");
        }
    }

    #[test]
    fn anything_that_can_leave_the_site_is_not() {
        for url in [
            "",
            "http://evil.com",
            "https://evil.com/x",
            "//evil.com",
            "///evil.com",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "/\\evil.com",
            "\\\\evil.com",
            " //evil.com",
            "\t/x",
            "/x\n",
            "data:text/html,hi",
        ] {
            assert!(!is_safe_url(url), "{url:?}");
        }
    }

    #[test]
    fn get_next_reads_the_decoded_query() {
        let next = |uri: &str| Origin::parse(uri).map(|o| get_next(&o, "/home/")).ok();
        assert_eq!(next("/login?next=%2Fprivate%2F%3Fpage%3D2").as_deref(), Some("/private/?page=2"));
        assert_eq!(next("/login?next=%2F%2Fevil.com").as_deref(), Some("/home/"));
        assert_eq!(next("/login?next=https://evil.com").as_deref(), Some("/home/"));
        assert_eq!(next("/login").as_deref(), Some("/home/"));
    }

    #[test]
    fn safe_next_falls_back() {
        assert_eq!(safe_next(Some("/private/"), "/"), "/private/");
        assert_eq!(safe_next(Some("//evil.com/"), "/"), "/");
        assert_eq!(safe_next(None, "/home/"), "/home/");
    }

    #[test]
    fn a_next_a_location_cannot_hold_is_percent_encoded_not_a_500() {
        assert_eq!(safe_next(Some("/users/josé/?q=a b"), "/"), "/users/jos%C3%A9/?q=a%20b");
        assert_eq!(safe_next(Some("\u{FF0F}\u{FF0F}evil.com"), "/"), "%EF%BC%8F%EF%BC%8Fevil.com");
        assert_eq!(safe_next(Some("/a/%2F/b"), "/"), "/a/%2F/b");
        for next in ["/\"<x>\"", "/{a}|^`"] {
            let target = safe_next(Some(next), "/");
            assert!(Reference::parse(&target).is_ok(), "{next} -> {target}");
        }
    }
}
