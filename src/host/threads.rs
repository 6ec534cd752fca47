//! The threads that analyse and expand projects: their stack size has one home here, so the
//! server's runtime and the command line give the recursive parsers and tree walks the same
//! known room.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

/// The stack of every thread that parses, analyses or expands a project (the server's
/// runtime threads, blocking pool included, and the command line's work thread). The depth
/// limits on input (`core::yaml::MAX_DEPTH`, `core::extensions::frameworks::python::depth`)
/// bound every recursion; at those limits the whole analysis, expansion and the editor
/// features run on a 1 MiB thread in a debug build (measured). Eight times that is room for
/// what sits below them (the runtime, the request guard) and for walks added later; pages are
/// only committed when touched, so the reserve costs address space, not memory.
pub const WORK_STACK_SIZE: usize = 8 << 20;

/// The name of the command line's work thread.
const WORK_THREAD_NAME: &str = "rockcraft-lsp-work";

/// Applies `f` to every item on every core and hands the results to `sink`, with their
/// items, on the calling thread in the items' order, each as soon as it and those before it
/// are done. The calling thread is one of the workers (with the pool's threads but one): it
/// hands a result over when the next one is done and works on the next item otherwise, so no
/// core waits for a whole batch and no thread waits for another to wake it for each item. At
/// most `ahead` items (at least one) past the next to hand over are started, so that is all
/// that is held at once. A single item, or a pool that cannot be started, is done on the
/// calling thread alone. A panic in `f` or `sink` resumes on the calling thread once the
/// items being worked on are done.
pub fn for_each_in_order<T: Sync, R: Send>(
    items: &[T],
    ahead: usize,
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(&T, R),
) {
    let pool = if items.len() > 1 { pool() } else { None };
    let Some(pool) = pool else {
        for item in items {
            sink(item, f(item));
        }
        return;
    };
    let order = Order {
        state: Mutex::new(State {
            taken: 0,
            handed: 0,
            done: BTreeMap::new(),
            stop: false,
            sleepers: 0,
        }),
        changed: Condvar::new(),
        ahead: ahead.max(1),
        len: items.len(),
    };
    let helpers = pool
        .current_num_threads()
        .saturating_sub(1)
        .min(items.len() - 1);
    let mut panicked = None;
    pool.in_place_scope(|scope| {
        for _ in 0..helpers {
            let (order, f) = (&order, &f);
            scope.spawn(move |_| order.help(items, f));
        }
        // However this thread leaves (a panic in `f` or `sink` included), the helpers stop
        // starting items, so the scope can end.
        let _stop = Stop(&order);
        let mut state = order.lock();
        loop {
            let next = state.handed;
            if let Some(result) = state.done.remove(&next) {
                match result {
                    Ok(r) => {
                        state.handed += 1;
                        order.wake(&state);
                        drop(state);
                        sink(&items[next], r);
                        state = order.lock();
                    }
                    Err(payload) => {
                        panicked = Some(payload);
                        return;
                    }
                }
            } else if state.handed == order.len {
                return;
            } else if let Some(i) = order.take(&mut state) {
                drop(state);
                let r = f(&items[i]);
                state = order.lock();
                state.done.insert(i, Ok(r));
            } else {
                state = order.sleep(state);
            }
        }
    });
    if let Some(payload) = panicked {
        std::panic::resume_unwind(payload);
    }
}

/// The items of a [`for_each_in_order`] run: which are started, done and handed over.
struct Order<R> {
    state: Mutex<State<R>>,
    changed: Condvar,
    ahead: usize,
    len: usize,
}

struct State<R> {
    /// Items `0..taken` are started.
    taken: usize,
    /// Items `0..handed` are handed over.
    handed: usize,
    /// Results done and not handed over yet (a panic's payload in place of a result).
    done: BTreeMap<usize, std::thread::Result<R>>,
    /// No item is started any more.
    stop: bool,
    /// Threads waiting for a change.
    sleepers: usize,
}

impl<R> Order<R> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<R>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next item to start, if one may be started.
    fn take(&self, state: &mut State<R>) -> Option<usize> {
        let i = state.taken;
        if state.stop || i >= self.len || i >= state.handed + self.ahead {
            return None;
        }
        state.taken += 1;
        Some(i)
    }

    /// Waits for a change.
    fn sleep<'a>(
        &self,
        mut state: std::sync::MutexGuard<'a, State<R>>,
    ) -> std::sync::MutexGuard<'a, State<R>> {
        state.sleepers += 1;
        let mut state = self
            .changed
            .wait(state)
            .unwrap_or_else(PoisonError::into_inner);
        state.sleepers -= 1;
        state
    }

    /// Wakes the threads waiting, if any.
    fn wake(&self, state: &State<R>) {
        if state.sleepers > 0 {
            self.changed.notify_all();
        }
    }

    /// A helper's work: items, as long as one may be started.
    fn help<T>(&self, items: &[T], f: &(impl Fn(&T) -> R + Sync)) {
        let mut state = self.lock();
        loop {
            if state.stop || state.taken >= self.len {
                return;
            }
            let Some(i) = self.take(&mut state) else {
                state = self.sleep(state);
                continue;
            };
            drop(state);
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&items[i])));
            state = self.lock();
            let next = i == state.handed;
            state.done.insert(i, r);
            if next {
                self.wake(&state);
            }
        }
    }
}

/// Stops the work of an [`Order`] when dropped.
struct Stop<'a, R>(&'a Order<R>);

impl<R> Drop for Stop<'_, R> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.stop = true;
        self.0.changed.notify_all();
    }
}

/// How many threads [`for_each_in_order`] runs on (starting them).
#[must_use]
pub fn workers() -> usize {
    pool().map_or(1, rayon::ThreadPool::current_num_threads)
}

/// The threads of [`for_each_in_order`], started on first use (as many as cores, or
/// `RAYON_NUM_THREADS`).
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(WORK_STACK_SIZE)
            .thread_name(|i| format!("{WORK_THREAD_NAME}-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `work` on a thread with a [`WORK_STACK_SIZE`] stack and returns its result. A panic
/// in `work` resumes on the caller's thread.
///
/// # Errors
/// The thread could not be started.
pub fn on_work_thread<T: Send>(work: impl FnOnce() -> T + Send) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name(WORK_THREAD_NAME.to_owned())
            .stack_size(WORK_STACK_SIZE)
            .spawn_scoped(scope, work)?;
        Ok(handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_handed_over_in_order_with_few_held_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let items: Vec<u32> = (0..300).collect();
        let started = AtomicUsize::new(0);
        let mut handed = Vec::new();
        for_each_in_order(
            &items,
            3,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_micros(u64::from(i % 5) * 40));
                i * 2
            },
            |_, r| {
                // No item more than `ahead` past the next one to hand over has been started.
                assert!(started.load(Ordering::SeqCst) <= handed.len() + 1 + 3);
                handed.push(r);
            },
        );
        assert_eq!(handed, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        let mut one = Vec::new();
        for_each_in_order(&[5], 4, |&i| i + 1, |&i, r| one.push((i, r)));
        assert_eq!(one, [(5, 6)]);
    }

    #[test]
    fn a_panicking_item_resumes_on_the_caller_without_hanging() {
        let items: Vec<u32> = (0..100).collect();
        let caught = std::panic::catch_unwind(|| {
            for_each_in_order(
                &items,
                2,
                |&i| {
                    assert!(i != 7, "item seven");
                    i
                },
                |_, _| {},
            );
        });
        assert!(caught.is_err());
        // The sink panicking ends the work too.
        let caught = std::panic::catch_unwind(|| {
            for_each_in_order(&items, 2, |&i| i, |_, i| assert!(i != 3, "sink"));
        });
        assert!(caught.is_err());
    }

    #[test]
    fn work_runs_on_a_named_thread_and_returns() {
        let name = on_work_thread(|| std::thread::current().name().map(str::to_owned)).unwrap();
        assert_eq!(name.as_deref(), Some(WORK_THREAD_NAME));
    }
}
