//! The C allocator's tunables, in one place: glibc keeps freed memory in its heap for reuse,
//! which a long-lived server with large transient allocations (an analysis of a big document)
//! notices as resident memory that never goes down.

/// Limits glibc to one malloc arena. glibc gives each thread that allocates under contention
/// its own arena and keeps freed memory in it, so a server that parses a large file on a few
/// different threads over its life ends up with several copies' worth of resident memory. One
/// arena is enough for a language server (allocation is not its bottleneck). Call it before
/// any thread starts. Elsewhere it does nothing.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` only sets an allocator tunable; it is called before the runtime
        // starts its threads, and `M_ARENA_MAX` with a positive value is always valid.
        #[allow(unsafe_code)]
        let ok = unsafe { libc::mallopt(libc::M_ARENA_MAX, 1) };
        if ok != 1 {
            tracing::debug!("mallopt(M_ARENA_MAX) was refused");
        }
    }
}

/// Hands the free pages of glibc's heap back to the system (`malloc_trim`). It walks the
/// heap, so it costs about a millisecond per few tens of MiB: call it when nothing waits, not
/// on every free. Elsewhere it does nothing.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `malloc_trim` only releases memory the allocator holds free; it takes the
        // allocator's own locks and is safe to call from any thread at any time.
        #[allow(unsafe_code)]
        unsafe {
            libc::malloc_trim(0);
        }
    }
}
