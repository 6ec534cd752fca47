//! The `rockcraft-lsp` binary: the language server (default) and the command-line checker.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use rockcraft_lsp::cli::{self, Command};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse_args(&args) {
        Ok(c) => c,
        Err(e) => {
            let _ = write!(std::io::stderr(), "{e}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    match command {
        Command::Print(text) => {
            // Styled help: the styles are dropped when stdout is not a terminal or NO_COLOR is
            // set.
            drop(stdout);
            let mut out = anstream::stdout();
            let _ = write!(out, "{text}");
            let _ = out.flush();
            ExitCode::SUCCESS
        }
        Command::Check {
            paths,
            format,
            packages,
            fix,
            color,
        } => {
            // Findings and the summary go out from the work thread as they are found (the lock
            // is released for it); the report keeps I/O errors for stderr.
            drop(stdout);
            let color = use_color(color);
            let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
            on_work_thread(&mut std::io::sink(), || {
                let mut out = std::io::BufWriter::new(std::io::stdout());
                cli::check::run_mode_to(&paths, format, &packages, fix, color, progress, &mut out)
            })
        }
        Command::ExpandExtensions {
            project_dir,
            extensions_dir,
        } => {
            let experimental = rockcraft_lsp::host::env::experimental_extensions();
            let dir = extensions_dir
                .as_deref()
                .unwrap_or(rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR);
            on_work_thread(&mut stdout, || {
                cli::expand::run_expand(std::path::Path::new(&project_dir), dir, experimental)
            })
        }
        Command::ListExtensions => {
            let report = cli::expand::run_list();
            emit_report(&mut stdout, &report)
        }
        Command::Init(args) => match std::env::current_dir() {
            Ok(cwd) => emit_report(&mut stdout, &cli::init::run_init(&args, &cwd)),
            Err(e) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: cannot read the current directory: {e}"
                );
                ExitCode::from(1)
            }
        },
        Command::Serve { bare } => {
            drop(stdout);
            if bare && std::io::stdin().is_terminal() {
                let _ = writeln!(std::io::stderr(), "{}", cli::SERVE_HINT);
            }
            rockcraft_lsp::server::run_stdio()
        }
    }
}

/// Whether `check`'s text is styled: as `--color` says; for `auto`, only for a terminal, never
/// with `NO_COLOR` set (nor `TERM=dumb`), and `CLICOLOR_FORCE` forces it (anstream's reading of
/// the conventions).
fn use_color(choice: clap::ColorChoice) -> bool {
    match choice {
        clap::ColorChoice::Always => true,
        clap::ColorChoice::Never => false,
        clap::ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// Runs a command on the work thread (its stack is sized for deep input) and prints its
/// report.
fn on_work_thread(
    stdout: &mut impl Write,
    work: impl FnOnce() -> cli::check::Report + Send,
) -> ExitCode {
    match rockcraft_lsp::host::threads::on_work_thread(work) {
        Ok(report) => emit_report(stdout, &report),
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot start the work thread: {e}"
            );
            ExitCode::from(2)
        }
    }
}

fn emit_report(stdout: &mut impl Write, report: &cli::check::Report) -> ExitCode {
    let _ = stdout.write_all(report.stdout.as_bytes());
    let _ = stdout.flush();
    let _ = std::io::stderr().write_all(report.stderr.as_bytes());
    ExitCode::from(u8::try_from(report.exit_code).unwrap_or(2))
}
