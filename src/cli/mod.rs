//! The command line: argument parsing (with `clap`) and the commands. Output goes to stdout only
//! from here, never from the server.

pub mod check;
pub mod expand;
pub mod fix;
pub mod format;
pub mod init;
pub mod progress;
pub mod render;

use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::host::packages::PackageSettings;

pub use check::Format;
pub use fix::FixMode;

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the language server on stdin/stdout; `bare` when no argument at all was given (a
    /// person typing the name at a terminal gets a hint).
    Serve {
        bare: bool,
    },
    /// Text to print on stdout before exiting with 0: `--help` or `--version` of a command.
    Print(String),
    Check {
        paths: Vec<String>,
        format: Format,
        /// Package lists and slices to check package names against (the editor's settings).
        packages: PackageSettings,
        /// Whether the fixes are applied, shown or neither.
        fix: FixMode,
        /// Whether the text is styled: `auto` for a terminal without `NO_COLOR` set.
        color: clap::ColorChoice,
    },
    ExpandExtensions {
        project_dir: String,
        extensions_dir: Option<String>,
    },
    ListExtensions,
    Init(init::InitArgs),
}

/// The hint printed on stderr when the server is started without arguments from a terminal:
/// without it, the program seems to hang.
pub const SERVE_HINT: &str = "rockcraft-lsp: a language server, waiting for LSP messages on stdin (Ctrl-D ends it; `rockcraft-lsp --help` lists the commands)";

/// The command line as `clap` sees it.
#[derive(Debug, Parser)]
#[command(
    name = "rockcraft-lsp",
    version,
    about = "Language server and checker for rockcraft.yaml",
    long_about = "Language server and checker for rockcraft.yaml.\n\nWithout a command (or with \
                  `--stdio`), speaks the Language Server Protocol on stdin/stdout.",
    args_conflicts_with_subcommands = true,
    after_help = "Exit status of check: 0 no errors, 1 errors found, 2 usage or I/O error."
)]
struct Cli {
    /// Run the language server on stdin/stdout (the default)
    #[arg(long)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Sub>,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Check rockcraft.yaml files as the editor does, extension expansion included
    #[command(
        after_help = "Exit status: 0 no errors (warnings allowed), 1 errors found (with --diff: \
                      something to fix), 2 usage or I/O error."
    )]
    Check(CheckArgs),
    /// Print the project with its extensions expanded, exactly as `rockcraft expand-extensions`
    /// does
    ExpandExtensions(ExpandArgs),
    /// List the extensions and their bases
    ListExtensions,
    /// Create DIR/rockcraft.yaml exactly as `rockcraft init` does
    #[command(
        after_help = "Exit status (rockcraft's): 0 created, 1 invalid name or cannot write, 64 unknown \
                      profile, 73 a file it would write exists (it never overwrites one); 2 for an \
                      unknown option, as with every command."
    )]
    Init(InitCli),
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files, or directories searched for rockcraft.yaml [default: the current directory]
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// How findings are printed
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Apply the fixes that need no choice, in place, then report what remains (a file the
    /// fixes would make worse is left as it is)
    #[arg(long)]
    fix: bool,
    /// Print what --fix would change as a unified diff, and write nothing (exit 1 when there
    /// is something to fix)
    #[arg(long, conflicts_with_all = ["fix", "format"])]
    diff: bool,
    /// When to colour the text: auto (on a terminal, unless `NO_COLOR` is set), always, never
    #[arg(long, value_name = "WHEN", default_value_t = clap::ColorChoice::Auto)]
    color: clap::ColorChoice,
    /// A Debian `Packages` index (plain, .gz, .lz4 or .xz) to check package names against;
    /// repeatable
    #[arg(long = "packages", value_name = "FILE")]
    packages: Vec<PathBuf>,
    /// apt's lists (e.g. /var/lib/apt/lists), read for the project's release
    #[arg(long, value_name = "DIR")]
    apt_lists: Option<PathBuf>,
    /// A chisel-releases checkout to check slice names against, instead of the bundled index
    #[arg(long, value_name = "DIR")]
    chisel_releases: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ExpandArgs {
    /// The project directory
    #[arg(long, short = 'p', value_name = "DIR", default_value = ".")]
    project_dir: String,
    /// The data directory printed in the `config-files` parts
    /// [default: /snap/rockcraft/current/share/rockcraft/extensions]
    #[arg(long, value_name = "PATH")]
    extensions_dir: Option<String>,
}

#[derive(Debug, Args)]
struct InitCli {
    /// The profile: simple (default), django-framework, expressjs-framework,
    /// fastapi-framework, flask-framework, go-framework, spring-boot-framework, test
    #[arg(long, value_name = "P")]
    profile: Option<String>,
    /// The project's name [default: DIR's name]
    #[arg(long, value_name = "N")]
    name: Option<String>,
    /// Where to create rockcraft.yaml [default: the current directory]
    #[arg(value_name = "DIR")]
    project_dir: Option<String>,
}

/// Parses the arguments (without the program name).
///
/// # Errors
/// A usage error, as the message to print on stderr: one line saying what is wrong, and one
/// pointing at the `--help` of the command concerned.
pub fn parse_args(args: &[String]) -> Result<Command, String> {
    let argv = std::iter::once("rockcraft-lsp").chain(args.iter().map(String::as_str));
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let mut text = e.render().ansi().to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            return Ok(Command::Print(text));
        }
        Err(e) => return Err(usage_error(&e, args)),
    };
    Ok(match cli.command {
        None => Command::Serve {
            bare: args.is_empty(),
        },
        Some(Sub::Check(c)) => Command::Check {
            paths: if c.paths.is_empty() {
                vec![".".into()]
            } else {
                c.paths
            },
            format: c.format,
            packages: PackageSettings {
                index_files: c.packages,
                apt_lists_dir: c.apt_lists,
                chisel_releases_dir: c.chisel_releases,
            },
            fix: match (c.fix, c.diff) {
                (_, true) => FixMode::Diff,
                (true, false) => FixMode::Fix,
                (false, false) => FixMode::Report,
            },
            color: c.color,
        },
        Some(Sub::ExpandExtensions(e)) => Command::ExpandExtensions {
            project_dir: e.project_dir,
            extensions_dir: e.extensions_dir,
        },
        Some(Sub::ListExtensions) => Command::ListExtensions,
        Some(Sub::Init(i)) => Command::Init(init::InitArgs {
            profile: i.profile,
            name: i.name,
            project_dir: i.project_dir,
        }),
    })
}

/// A usage error in two lines: clap's first line (what is wrong), with its tip when it has one
/// (a similar subcommand or option), and which `--help` to read.
fn usage_error(e: &clap::Error, args: &[String]) -> String {
    let rendered = e.render().to_string();
    let mut lines = rendered.lines().map(str::trim);
    let mut message = lines
        .find(|l| !l.is_empty())
        .unwrap_or("error: invalid arguments")
        .to_owned();
    for l in lines {
        // What clap adds that helps: a similar name, the values allowed.
        if let Some(tip) = l.strip_prefix("tip: ") {
            message.push_str(" (");
            message.push_str(tip);
            message.push(')');
        } else if l.starts_with("[possible values:") {
            message.push(' ');
            message.push_str(l);
        }
    }
    // The command whose `--help` to read: the subcommand, when the first argument names one.
    let command = match args.first() {
        Some(sub) if Cli::command().find_subcommand(sub).is_some() => {
            format!("rockcraft-lsp {sub}")
        }
        _ => "rockcraft-lsp".to_owned(),
    };
    format!("{message}\nFor more information, try '{command} --help'.\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_commands() {
        assert_eq!(parse_args(&args("")), Ok(Command::Serve { bare: true }));
        assert_eq!(
            parse_args(&args("--stdio")),
            Ok(Command::Serve { bare: false })
        );
        assert_eq!(
            parse_args(&args("check")),
            Ok(Command::Check {
                paths: vec![".".into()],
                format: Format::Text,
                packages: PackageSettings::default(),
                fix: FixMode::Report,
                color: clap::ColorChoice::Auto,
            })
        );
        assert_eq!(
            parse_args(&args("check a b --format json")),
            Ok(Command::Check {
                paths: vec!["a".into(), "b".into()],
                format: Format::Json,
                packages: PackageSettings::default(),
                fix: FixMode::Report,
                color: clap::ColorChoice::Auto,
            })
        );
        for (line, format, fix) in [
            ("check --fix", Format::Text, FixMode::Fix),
            ("check --fix --format sarif", Format::Sarif, FixMode::Fix),
            ("check --diff", Format::Text, FixMode::Diff),
            ("check --format github", Format::Github, FixMode::Report),
        ] {
            assert_eq!(
                parse_args(&args(line)),
                Ok(Command::Check {
                    paths: vec![".".into()],
                    format,
                    packages: PackageSettings::default(),
                    fix,
                    color: clap::ColorChoice::Auto,
                }),
                "{line}"
            );
        }
        assert!(parse_args(&args("check --diff --fix")).is_err());
        assert!(parse_args(&args("check --diff --format json")).is_err());
        assert_eq!(
            parse_args(&args(
                "check --packages p1 --packages=p2 --apt-lists /l --chisel-releases c x"
            )),
            Ok(Command::Check {
                paths: vec!["x".into()],
                format: Format::Text,
                packages: PackageSettings {
                    index_files: vec!["p1".into(), "p2".into()],
                    apt_lists_dir: Some("/l".into()),
                    chisel_releases_dir: Some("c".into()),
                },
                fix: FixMode::Report,
                color: clap::ColorChoice::Auto,
            })
        );
        assert!(matches!(
            parse_args(&args("check --color never")),
            Ok(Command::Check {
                color: clap::ColorChoice::Never,
                ..
            })
        ));
        assert!(parse_args(&args("check --color sometimes")).is_err());
        assert!(parse_args(&args("check --packages")).is_err());
        assert!(parse_args(&args("check --format")).is_err());
        assert!(parse_args(&args("check --bogus")).is_err());
        assert!(parse_args(&args("frobnicate")).is_err());
        assert_eq!(
            parse_args(&args(
                "expand-extensions --project-dir x --extensions-dir=/e"
            )),
            Ok(Command::ExpandExtensions {
                project_dir: "x".into(),
                extensions_dir: Some("/e".into())
            })
        );
        assert_eq!(
            parse_args(&args("expand-extensions")),
            Ok(Command::ExpandExtensions {
                project_dir: ".".into(),
                extensions_dir: None
            })
        );
        assert!(parse_args(&args("expand-extensions --project-dir")).is_err());
        assert_eq!(
            parse_args(&args("list-extensions")),
            Ok(Command::ListExtensions)
        );
        assert_eq!(
            parse_args(&args("init")),
            Ok(Command::Init(init::InitArgs::default()))
        );
        assert_eq!(
            parse_args(&args("init --profile=go-framework --name my-app some/dir")),
            Ok(Command::Init(init::InitArgs {
                profile: Some("go-framework".into()),
                name: Some("my-app".into()),
                project_dir: Some("some/dir".into()),
            }))
        );
        assert!(parse_args(&args("init --name")).is_err());
        assert!(parse_args(&args("init --bogus")).is_err());
        assert!(parse_args(&args("init a b")).is_err());
    }

    #[test]
    fn every_command_has_help_and_version_is_printed() {
        for cmd in ["", "check", "expand-extensions", "list-extensions", "init"] {
            for flag in ["--help", "-h"] {
                let line = format!("{cmd} {flag}");
                let Ok(Command::Print(text)) = parse_args(&args(&line)) else {
                    panic!("`{line}` does not print help");
                };
                let text = anstream::adapter::strip_str(&text).to_string();
                assert!(text.contains("Usage: rockcraft-lsp"), "{line}: {text}");
            }
        }
        let Ok(Command::Print(check)) = parse_args(&args("check --help")) else {
            panic!()
        };
        let check = anstream::adapter::strip_str(&check).to_string();
        for option in [
            "--format",
            "--packages",
            "--apt-lists",
            "--chisel-releases",
            "--fix",
            "--diff",
        ] {
            assert!(check.contains(option), "{check}");
        }
        let Ok(Command::Print(help)) = parse_args(&args("help init")) else {
            panic!()
        };
        assert!(help.contains("--profile"), "{help}");
        for flag in ["--version", "-V"] {
            assert_eq!(
                parse_args(&args(flag)),
                Ok(Command::Print(format!(
                    "rockcraft-lsp {}\n",
                    env!("CARGO_PKG_VERSION")
                )))
            );
        }
    }

    #[test]
    fn usage_errors_are_one_line_and_a_pointer_to_help() {
        let cases = [
            ("check --bogus", "rockcraft-lsp check --help"),
            ("check --format yaml", "rockcraft-lsp check --help"),
            ("init a b", "rockcraft-lsp init --help"),
            ("list-extensions x", "rockcraft-lsp list-extensions --help"),
            ("frobnicate", "rockcraft-lsp --help"),
            ("--stdio check", "rockcraft-lsp --help"),
        ];
        for (line, help) in cases {
            let Err(e) = parse_args(&args(line)) else {
                panic!("`{line}` is accepted");
            };
            let lines: Vec<&str> = e.lines().collect();
            assert_eq!(lines.len(), 2, "{line}: {e}");
            assert!(lines[0].starts_with("error: "), "{line}: {e}");
            assert_eq!(
                lines[1],
                format!("For more information, try '{help}'."),
                "{line}"
            );
            assert!(!e.contains('\u{1b}'), "{e:?}");
        }
        let e = parse_args(&args("check --format yaml")).unwrap_err();
        assert!(e.contains("[possible values: text, json"), "{e}");
        let e = parse_args(&args("chek")).unwrap_err();
        assert!(e.contains("'check'"), "a similar command is suggested: {e}");
    }
}
