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

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        assert_eq!(did_you_mean("usrname", ["username", "id"]), "; did you mean `username`?");
        assert_eq!(did_you_mean("zzz", ["username", "id"]), "");
        assert_eq!(did_you_mean("id", ["id"]), "", "an exact match is not a suggestion");
    }
}
