//! The threads that analyse and expand projects: their stack size has one home here, so the
//! server's runtime and the command line give the recursive parsers and tree walks the same
//! known room.

use std::sync::OnceLock;

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

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

/// Applies `f` to every item, on every core (threads with [`WORK_STACK_SIZE`] stacks), and
/// returns the results in the items' order. A single item, or a pool that cannot be started,
/// is done on the calling thread (no threads are started for one project).
pub fn map_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() > 1
        && let Some(pool) = pool()
    {
        return pool.install(|| items.par_iter().map(&f).collect());
    }
    items.iter().map(f).collect()
}

/// How many threads [`map_in_order`] runs on (starting them).
#[must_use]
pub fn workers() -> usize {
    pool().map_or(1, rayon::ThreadPool::current_num_threads)
}

/// The threads of [`map_in_order`], started on first use (as many as cores, or
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
    fn parallel_results_keep_the_items_order() {
        let items: Vec<u32> = (0..500).collect();
        let doubled = map_in_order(&items, |&i| {
            // Uneven work, so the items finish out of order.
            std::thread::sleep(std::time::Duration::from_micros(u64::from(i % 7) * 50));
            i * 2
        });
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(map_in_order(&[3], |&i| i + 1), vec![4]);
        assert!(map_in_order(&[] as &[u32], |&i| i).is_empty());
    }

    #[test]
    fn work_runs_on_a_named_thread_and_returns() {
        let name = on_work_thread(|| std::thread::current().name().map(str::to_owned)).unwrap();
        assert_eq!(name.as_deref(), Some(WORK_THREAD_NAME));
    }
}
