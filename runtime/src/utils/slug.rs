/// Makes `text` fit for a URL: lower case, with every run of characters
/// other than `a-z`, `0-9`, `_` and `-` replaced by one `-`.
///
/// ```
/// assert_eq!(hangar::utils::slugify("This is a url"), "this-is-a-url");
/// assert_eq!(hangar::utils::slugify("Ünïcode & Co."), "-n-code-co-");
/// ```
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
            slug.push(c);
            in_run = false;
        } else if !in_run {
            slug.push('-');
            in_run = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn runs_of_other_characters_become_one_dash() {
        assert_eq!(slugify("Hello,   World!"), "hello-world-");
        assert_eq!(slugify("already-a_slug-42"), "already-a_slug-42");
        assert_eq!(slugify(""), "");
    }
}
