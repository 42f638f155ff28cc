//! "Did you mean" suggestions for misspelt names, shared by every floor that
//! rejects a name: filters, ordering, body keys and form fields.

/// `; did you mean `x`?` when some candidate is close to `name`.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(distance, c)| *distance > 0 && *distance <= (c.len().max(name.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance);
    best.map(|(_, c)| format!("; did you mean `{c}`?")).unwrap_or_default()
}

/// A value from a request as an error shows it: at most 60 characters, so
/// that a huge value is not sent back whole.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 60;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        assert_eq!(did_you_mean("usrname", ["username", "id"]), "; did you mean `username`?");
        assert_eq!(did_you_mean("zzz", ["username", "id"]), "");
        assert_eq!(did_you_mean("id", ["id"]), "", "an exact match is not a suggestion");
    }

    #[test]
    fn long_values_are_shown_cut_short() {
        assert_eq!(super::shown("short"), "short");
        assert_eq!(super::shown(&"é".repeat(100)), format!("{}…", "é".repeat(60)));
    }
}
