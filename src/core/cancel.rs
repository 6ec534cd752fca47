//! A cancellation flag for long work in the core (the extension expansion and the checks it
//! runs): the caller owns an `AtomicBool` and sets it when the work is no longer wanted (the
//! editor's document changed again); the work polls it between parts and files and in its
//! loops over the user's entries, and stops early. Plain atomics: no protocol or runtime types.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// See the module documentation. `Copy`: pass it by value.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cancel<'a> {
    flag: Option<&'a AtomicBool>,
    /// Counts the polls; once above `limit`, the work is cancelled (for tests, which check
    /// that loops poll and stop).
    polls: Option<(&'a AtomicUsize, usize)>,
}

impl<'a> Cancel<'a> {
    /// Never cancelled (the command line, tests).
    pub const NEVER: Cancel<'static> = Cancel {
        flag: None,
        polls: None,
    };

    /// Cancelled once `flag` is set.
    #[must_use]
    pub fn new(flag: &'a AtomicBool) -> Self {
        Self {
            flag: Some(flag),
            polls: None,
        }
    }

    /// Counts every poll in `polls` and is cancelled from poll `limit + 1` on: proves that a
    /// piece of work polls where it should and stops soon after.
    #[must_use]
    pub fn after_polls(polls: &'a AtomicUsize, limit: usize) -> Self {
        Self {
            flag: None,
            polls: Some((polls, limit)),
        }
    }

    /// Whether the work should stop now.
    #[must_use]
    pub fn is_cancelled(self) -> bool {
        if let Some((polls, limit)) = self.polls
            && polls.fetch_add(1, Ordering::Relaxed) >= limit
        {
            return true;
        }
        self.flag.is_some_and(|f| f.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_poll_limits() {
        assert!(!Cancel::NEVER.is_cancelled());
        let flag = AtomicBool::new(false);
        let c = Cancel::new(&flag);
        assert!(!c.is_cancelled());
        flag.store(true, Ordering::Relaxed);
        assert!(c.is_cancelled());
        let polls = AtomicUsize::new(0);
        let c = Cancel::after_polls(&polls, 2);
        assert!(!c.is_cancelled() && !c.is_cancelled());
        assert!(c.is_cancelled());
        assert_eq!(polls.load(Ordering::Relaxed), 3);
    }
}
