//! Times native extension expansion (file reads, YAML parsing, expansion, model validation
//! and printing) on the init-template project of each extension. Run: `cargo bench --bench expand`.

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use rockcraft_lsp::cli::expand::run_expand;
use rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR;

fn main() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let cases = [
        "flask-init-template",
        "django-init-template",
        "fastapi-init-template",
        "go-init-template",
        "expressjs-init-template",
        "spring-boot-init-template",
    ];
    let _ = writeln!(std::io::stdout(), "| project | median µs | p90 µs | runs |");
    let _ = writeln!(std::io::stdout(), "|---|---|---|---|");
    for case in cases {
        let dir = golden.join(case).join("input");
        if !dir.is_dir() {
            continue;
        }
        // spring-boot is experimental on every base.
        let experimental = case.starts_with("spring-boot");
        let first = run_expand(&dir, DEFAULT_EXTENSIONS_DIR, experimental);
        assert_eq!(first.exit_code, 0, "{case}: {}", first.stderr);
        let mut times: Vec<Duration> = Vec::with_capacity(500);
        for _ in 0..500 {
            let t = Instant::now();
            let r = run_expand(&dir, DEFAULT_EXTENSIONS_DIR, experimental);
            times.push(t.elapsed());
            std::hint::black_box(r);
        }
        times.sort();
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        let _ = writeln!(
            std::io::stdout(),
            "| {case} | {:.0} | {:.0} | {} |",
            us(times[times.len() / 2]),
            us(times[times.len() * 9 / 10]),
            times.len()
        );
    }
}
