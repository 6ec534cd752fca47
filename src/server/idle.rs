//! Memory freed by edits is handed back to the system once they pause: each replaced version
//! of a document is freed at once (see `session`), but the C allocator keeps the pages for
//! reuse, so without this the server's resident memory stays at the highest it ever reached
//! (after opening a file of a few hundred thousand lines, tens of MiB more than it needs).
//! Giving them back walks the heap, so it waits for a pause instead of costing every edit.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::runtime::Handle;

/// How long nothing must be freed before freed memory is given back.
pub const PAUSE: Duration = Duration::from_secs(1);

/// The server's trimmer.
pub static TRIMMER: Trimmer = Trimmer::new(crate::host::memory::give_back);

/// Gives freed memory back once frees pause: between [`PAUSE`] and twice that after the last.
#[derive(Debug)]
pub struct Trimmer {
    /// Counts the frees, so a waiting task sees whether another came.
    frees: AtomicU64,
    /// Whether a task is waiting for the pause.
    waiting: AtomicBool,
    give_back: fn(),
}

impl Trimmer {
    #[must_use]
    pub const fn new(give_back: fn()) -> Self {
        Self {
            frees: AtomicU64::new(0),
            waiting: AtomicBool::new(false),
            give_back,
        }
    }

    /// Notes that memory was freed; one task on `runtime` waits for the pause, then gives the
    /// memory back on a blocking thread.
    pub fn freed(&'static self, runtime: &Handle) {
        self.frees.fetch_add(1, Ordering::AcqRel);
        if self.waiting.swap(true, Ordering::AcqRel) {
            return;
        }
        runtime.spawn(async move {
            let mut seen = self.frees.load(Ordering::Acquire);
            loop {
                tokio::time::sleep(PAUSE).await;
                let now = self.frees.load(Ordering::Acquire);
                if now == seen {
                    break;
                }
                seen = now;
            }
            // A free from here on starts a new wait (and is given back by it).
            self.waiting.store(false, Ordering::Release);
            if let Err(e) = tokio::task::spawn_blocking(self.give_back).await {
                tracing::debug!("giving freed memory back failed: {e}");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    static GIVEN: AtomicUsize = AtomicUsize::new(0);

    fn count() {
        GIVEN.fetch_add(1, Ordering::SeqCst);
    }

    static COUNTING: Trimmer = Trimmer::new(count);

    /// Lets the runtime run what is ready (paused time moves on only when all is idle).
    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn memory_is_given_back_once_per_pause_and_never_during_frees() {
        let runtime = Handle::current();
        let step = PAUSE / 3;
        // Frees every third of a pause for three pauses: nothing is given back meanwhile.
        for _ in 0..9 {
            COUNTING.freed(&runtime);
            tokio::time::sleep(step).await;
            settle().await;
            assert_eq!(GIVEN.load(Ordering::SeqCst), 0);
        }
        // Once they stop, it is given back once, within two pauses.
        tokio::time::sleep(PAUSE * 2).await;
        settle().await;
        assert_eq!(GIVEN.load(Ordering::SeqCst), 1);
        tokio::time::sleep(PAUSE * 5).await;
        settle().await;
        assert_eq!(GIVEN.load(Ordering::SeqCst), 1);
        // A later free is given back again.
        COUNTING.freed(&runtime);
        tokio::time::sleep(PAUSE * 2 + step).await;
        settle().await;
        assert_eq!(GIVEN.load(Ordering::SeqCst), 2);
    }
}
