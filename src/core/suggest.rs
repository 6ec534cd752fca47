//! "Did you mean" suggestions by edit distance.

/// Edit distance over characters, counting a swap of two neighbours as one edit (optimal
/// string alignment), so `enabeld` is one typo away from `enabled`.
#[must_use]
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The length of the longer of `a` and `b` once their common prefix and suffix are removed.
fn differing_len(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len().max(b.len()) - suffix
}

/// `word` as candidates are compared with it.
fn normalize(word: &str) -> String {
    word.to_lowercase().replace('_', "-")
}

/// The most edits a candidate may be away from the word before the differing-part clamp of
/// [`closest`] (so never less than the limit it applies).
fn allowance(candidate: &str) -> usize {
    (candidate.chars().count() / 4).max(1)
}

/// [`closest`] over a very large list (package names): the candidates are narrowed down
/// cheaply first, by length and by the letters they share, to those that could be within
/// [`closest`]'s limit, so only a handful get a full edit-distance comparison.
#[must_use]
pub fn closest_in_many<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = normalize(word);
    let len = lower.chars().count();
    let mut letters = lower.is_ascii().then(|| Letters::new(&lower));
    let mut near: Vec<&str> = candidates
        .into_iter()
        .filter(|c| {
            let limit = allowance(c);
            c.chars().count().abs_diff(len) <= limit
                && match letters.as_mut() {
                    Some(l) if c.is_ascii() => l.distance(c) <= limit,
                    _ => true,
                }
        })
        .collect();
    near.sort_unstable();
    near.dedup();
    closest(word, near)
}

/// Byte counts of an ASCII word, to bound its edit distance to other ASCII words from below.
struct Letters {
    counts: [i32; 256],
    distinct: Vec<u8>,
    len: usize,
}

impl Letters {
    fn new(word: &str) -> Self {
        let mut counts = [0i32; 256];
        let mut distinct = Vec::new();
        for b in word.bytes() {
            if counts[usize::from(b)] == 0 {
                distinct.push(b);
            }
            counts[usize::from(b)] += 1;
        }
        Self {
            counts,
            distinct,
            len: word.len(),
        }
    }

    /// The larger of the bytes the word has and `c` lacks, and the other way round: an edit
    /// changes at most one of each (swapping two neighbours changes neither), so this never
    /// exceeds the edit distance.
    fn distance(&mut self, c: &str) -> usize {
        for b in c.bytes() {
            self.counts[usize::from(b)] -= 1;
        }
        let extra: usize = self
            .distinct
            .iter()
            .map(|&b| usize::try_from(self.counts[usize::from(b)].max(0)).unwrap_or(0))
            .sum();
        for b in c.bytes() {
            self.counts[usize::from(b)] += 1;
        }
        // Counts sum to the length difference, so what `c` has in excess follows.
        let missing = (extra + c.len()).saturating_sub(self.len);
        extra.max(missing)
    }
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
#[must_use]
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = normalize(word);
    let len = lower.chars().count();
    let mut best: Option<(usize, &str)> = None;
    let mut tied = false;
    for c in candidates {
        // The distance is at least the difference in length: most candidates stop here.
        if c.chars().count().abs_diff(len) > allowance(c) {
            continue;
        }
        let d = distance(&lower, c);
        // Allow about one typo per four characters, at least one, and no more than half of
        // the part that differs: `nope-framework` is not a typo of `go-framework`.
        let limit = allowance(c).min(differing_len(&lower, c) / 2).max(1);
        if d > limit {
            continue;
        }
        match best {
            Some((bd, _)) if d == bd => tied = true,
            Some((bd, _)) if d > bd => {}
            _ => {
                best = Some((d, c));
                tied = false;
            }
        }
    }
    // Two equally close candidates: guessing would mislead.
    if tied { None } else { best.map(|(_, c)| c) }
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
        assert_eq!(
            closest("ubuntu@23.04", ["ubuntu@22.04", "ubuntu@20.04"]),
            None
        );
        // Narrowing a large list first gives what `closest` gives on all of it.
        let many: Vec<String> = (0..5000).map(|i| format!("pkg{i}")).collect();
        let names = || {
            many.iter()
                .map(String::as_str)
                .chain(["libssl-dev", "libss-dev"])
        };
        for word in [
            "libssl_dv",
            "libsl-dev",
            "pkg12",
            "pkg1234x",
            "nothing-like-it",
            "été",
        ] {
            assert_eq!(
                closest_in_many(word, names()),
                closest(word, names()),
                "{word}"
            );
        }
        let extensions = ["flask-framework", "go-framework", "django-framework"];
        assert_eq!(closest("nope-framework", extensions), None);
        assert_eq!(
            closest("flaks-framework", extensions),
            Some("flask-framework")
        );
        assert_eq!(
            closest("djnago-framework", extensions),
            Some("django-framework")
        );
    }
}
