//! Keeps panics away from the client: synchronous handler work runs under `catch_unwind`.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`, turning a panic into `None` and an error log (the panic message itself has already
/// gone to stderr through the panic hook). Nothing `f` touches may be left half-updated: callers
/// only build new values inside it and publish them afterwards.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".to_owned());
            tracing::error!("internal error while {what}: {msg}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::guarded;

    #[test]
    fn panics_become_none() {
        assert_eq!(guarded("testing", || 2 + 2), Some(4));
        let r: Option<()> = guarded("testing", || panic!("boom"));
        assert_eq!(r, None);
    }
}
