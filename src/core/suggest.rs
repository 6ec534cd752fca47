//! "Did you mean" suggestions by edit distance.

/// Levenshtein distance over characters.
#[must_use]
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
#[must_use]
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase().replace('_', "-");
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = distance(&lower, c);
        // Allow about one typo per four characters, at least one.
        let limit = (c.chars().count() / 4).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_unrelated_words() {
        assert_eq!(
            closest("stage-package", ["stage-packages", "stage-snaps", "prime"]),
            Some("stage-packages")
        );
        assert_eq!(closest("run_user", ["run-user", "parts"]), Some("run-user"));
        assert_eq!(closest("colour", ["license", "name", "contact"]), None);
        assert_eq!(closest("enabeld", ["enabled", "disabled"]), Some("enabled"));
    }
}
