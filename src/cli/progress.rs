//! Progress of long command-line work: a bar on stderr, shown on a terminal only and only once
//! the work has run long enough for one to help, cleared when the work ends (when the
//! [`Progress`] is dropped).

use std::cell::Cell;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its progress shows: most runs end before.
const SHOW_AFTER: Duration = Duration::from_millis(400);

/// How the bar reads: `checking 1200/5000 files [=====>     ] 2s`.
const TEMPLATE: &str = "checking {pos}/{len} files [{bar:30}] {eta}";

/// The progress of going through a known number of files.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    /// Where the bar is drawn once shown; `None` when it never is, or is already.
    target: Cell<Option<fn() -> ProgressDrawTarget>>,
    show_after: Duration,
    /// Whether the bar is drawn.
    shown: Cell<bool>,
}

impl Progress {
    /// Progress over `total` files, drawn on stderr (when it is a terminal: indicatif draws
    /// nothing elsewhere) after [`SHOW_AFTER`], when `shown`.
    #[must_use]
    pub fn files(total: usize, shown: bool) -> Self {
        Self::drawn_on(
            total,
            shown.then_some(ProgressDrawTarget::stderr as fn() -> ProgressDrawTarget),
            SHOW_AFTER,
        )
    }

    /// [`Progress::files`] drawn on `target` after `show_after`.
    fn drawn_on(
        total: usize,
        target: Option<fn() -> ProgressDrawTarget>,
        show_after: Duration,
    ) -> Self {
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(style.progress_chars("=> "));
        }
        Self {
            bar,
            started: Instant::now(),
            target: Cell::new(target),
            show_after,
            shown: Cell::new(false),
        }
    }

    /// Counts `n` more files done, showing the bar once the work has run long enough.
    pub fn advance(&self, n: usize) {
        self.bar.inc(u64::try_from(n).unwrap_or(u64::MAX));
        if self.started.elapsed() >= self.show_after
            && let Some(target) = self.target.take()
        {
            self.bar.set_draw_target(target());
            self.shown.set(true);
        }
    }

    /// Runs `f` (which prints) with the bar taken off the screen, so lines are not mixed with
    /// it; `f` learns whether the bar is drawn (then what it prints must reach the screen
    /// before the bar comes back: flushed).
    pub fn suspend<R>(&self, f: impl FnOnce(bool) -> R) -> R {
        if self.shown.get() {
            self.bar.suspend(|| f(true))
        } else {
            f(false)
        }
    }
}

/// The work ends with its progress: the bar is cleared.
impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex, PoisonError};

    use indicatif::TermLike;

    use super::*;

    /// A terminal that records what is written to it.
    #[derive(Debug, Clone, Default)]
    struct Recorder(Arc<Mutex<String>>);

    impl Recorder {
        fn text(&self) -> String {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone()
        }
        fn push(&self, s: &str) {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push_str(s);
        }
    }

    impl TermLike for Recorder {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.push(s);
            self.push("\n");
            Ok(())
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.push(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            self.push("<clear>");
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    thread_local! {
        static SCREEN: Recorder = Recorder::default();
    }

    fn screen() -> ProgressDrawTarget {
        ProgressDrawTarget::term_like_with_hz(Box::new(SCREEN.with(Clone::clone)), 255)
    }

    #[test]
    fn long_work_shows_how_far_it_is_then_clears() {
        let p = Progress::drawn_on(500, Some(screen), Duration::ZERO);
        p.advance(120);
        p.advance(1);
        p.bar.tick();
        let shown = SCREEN.with(Recorder::text);
        assert!(shown.contains("checking 121/500 files"), "{shown:?}");
        drop(p);
        assert!(SCREEN.with(Recorder::text).ends_with("<clear>"));
    }

    #[test]
    fn short_work_and_other_outputs_show_nothing() {
        let quick = Progress::drawn_on(500, Some(screen), Duration::from_hours(1));
        quick.advance(500);
        drop(quick);
        let off = Progress::drawn_on(500, None, Duration::ZERO);
        off.advance(10);
        off.bar.tick();
        drop(off);
        assert_eq!(SCREEN.with(Recorder::text), "");
    }
}
