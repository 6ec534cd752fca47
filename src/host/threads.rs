//! The threads that analyse and expand projects: their stack size has one home here, so the
//! server's runtime and the command line give the recursive parsers and tree walks the same
//! known room.

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
    fn work_runs_on_a_named_thread_and_returns() {
        let name = on_work_thread(|| std::thread::current().name().map(str::to_owned)).unwrap();
        assert_eq!(name.as_deref(), Some(WORK_THREAD_NAME));
    }
}
