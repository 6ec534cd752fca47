//! The command line: argument parsing and the `check` command. Output goes to stdout only
//! from here, never from the server.

pub mod check;
pub mod expand;
pub mod init;

use std::path::PathBuf;

use crate::host::packages::PackageSettings;

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    Version,
    Help,
    Check {
        paths: Vec<String>,
        json: bool,
        /// Package lists and slices to check package names against (the editor's settings).
        packages: PackageSettings,
    },
    ExpandExtensions {
        project_dir: String,
        extensions_dir: Option<String>,
    },
    ListExtensions,
    Init(init::InitArgs),
}

pub const USAGE: &str = "\
rockcraft-lsp: language server and checker for rockcraft.yaml

Usage:
  rockcraft-lsp [--stdio]                      run the language server on stdin/stdout
  rockcraft-lsp check [PATH...] [--format text|json] [--packages FILE]...
                    [--apt-lists DIR] [--chisel-releases DIR]
                                               check rockcraft.yaml files (PATH: files or
                                               directories searched for rockcraft.yaml;
                                               default: the current directory); package
                                               names against `Packages` files, apt's lists
                                               (e.g. /var/lib/apt/lists) and a
                                               chisel-releases checkout
  rockcraft-lsp expand-extensions [--project-dir DIR] [--extensions-dir PATH]
                                               print the project with its extensions
                                               expanded, exactly as `rockcraft
                                               expand-extensions` does
  rockcraft-lsp list-extensions                the extensions and their bases
  rockcraft-lsp init [--profile P] [--name N] [DIR]
                                               create DIR/rockcraft.yaml (default: the
                                               current directory) exactly as `rockcraft
                                               init` does; P: simple (default),
                                               django-framework, expressjs-framework,
                                               fastapi-framework, flask-framework,
                                               go-framework, spring-boot-framework, test;
                                               N defaults to DIR's name
  rockcraft-lsp --version | --help

Exit status of check: 0 no errors, 1 errors found, 2 usage or I/O error.
Exit status of init (rockcraft's): 0 created, 1 invalid name or cannot write, 64 unknown
profile, 73 a file it would write exists (it never overwrites one); 2 for an unknown option,
as with every command.
";

/// Parses the arguments (without the program name).
///
/// # Errors
/// Returns a message for unknown options or missing values.
pub fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut it = args.iter();
    let Some(first) = it.next() else {
        return Ok(Command::Serve);
    };
    match first.as_str() {
        "--stdio" => Ok(Command::Serve),
        "--version" | "-V" => Ok(Command::Version),
        "--help" | "-h" | "help" => Ok(Command::Help),
        "check" => {
            let mut paths = Vec::new();
            let mut json = false;
            // Unlike the editor, nothing is read unless asked for, so results do not depend on
            // the machine.
            let mut packages = PackageSettings::default();
            while let Some(a) = it.next() {
                let (flag, inline) = split_flag(a);
                let mut value = || value_of(flag, inline.clone(), &mut it);
                match flag {
                    "--format" => match value()?.as_str() {
                        "json" => json = true,
                        "text" => json = false,
                        other => {
                            return Err(format!("unknown format `{other}`: use `text` or `json`"));
                        }
                    },
                    "--packages" => packages.index_files.push(PathBuf::from(value()?)),
                    "--apt-lists" => packages.apt_lists_dir = Some(PathBuf::from(value()?)),
                    "--chisel-releases" => {
                        packages.chisel_releases_dir = Some(PathBuf::from(value()?));
                    }
                    s if s.starts_with('-') && s != "-" => {
                        return Err(format!("unknown option `{s}` for `check`"));
                    }
                    s => paths.push(s.to_owned()),
                }
            }
            if paths.is_empty() {
                paths.push(".".into());
            }
            Ok(Command::Check {
                paths,
                json,
                packages,
            })
        }
        "expand-extensions" => {
            let mut project_dir = ".".to_owned();
            let mut extensions_dir = None;
            while let Some(a) = it.next() {
                let (flag, inline) = split_flag(a);
                let mut value = || value_of(flag, inline.clone(), &mut it);
                match flag {
                    "--project-dir" | "-p" => project_dir = value()?,
                    "--extensions-dir" => extensions_dir = Some(value()?),
                    other => {
                        return Err(format!("unknown option `{other}` for `expand-extensions`"));
                    }
                }
            }
            Ok(Command::ExpandExtensions {
                project_dir,
                extensions_dir,
            })
        }
        "init" => {
            let mut args = init::InitArgs::default();
            while let Some(a) = it.next() {
                let (flag, inline) = split_flag(a);
                let mut value = || value_of(flag, inline.clone(), &mut it);
                match flag {
                    "--profile" => args.profile = Some(value()?),
                    "--name" => args.name = Some(value()?),
                    s if s.starts_with('-') => {
                        return Err(format!("unknown option `{s}` for `init`"));
                    }
                    s if args.project_dir.is_none() => args.project_dir = Some(s.to_owned()),
                    s => return Err(format!("unexpected argument `{s}` for `init`")),
                }
            }
            Ok(Command::Init(args))
        }
        "list-extensions" => match it.next() {
            None => Ok(Command::ListExtensions),
            Some(a) => Err(format!("unexpected argument `{a}` for `list-extensions`")),
        },
        other => Err(format!("unknown command `{other}`")),
    }
}

/// An option written `--flag=value` as the flag and its value; anything else as it is.
fn split_flag(arg: &str) -> (&str, Option<String>) {
    match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with('-') => (flag, Some(value.to_owned())),
        _ => (arg, None),
    }
}

/// The value of `flag`: the one written after `=`, else the next argument.
fn value_of(
    flag: &str,
    inline: Option<String>,
    rest: &mut std::slice::Iter<'_, String>,
) -> Result<String, String> {
    inline
        .or_else(|| rest.next().cloned())
        .ok_or(format!("`{flag}` needs a value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_commands() {
        assert_eq!(parse_args(&args("")), Ok(Command::Serve));
        assert_eq!(parse_args(&args("--stdio")), Ok(Command::Serve));
        assert_eq!(
            parse_args(&args("check")),
            Ok(Command::Check {
                paths: vec![".".into()],
                json: false,
                packages: PackageSettings::default(),
            })
        );
        assert_eq!(
            parse_args(&args("check a b --format json")),
            Ok(Command::Check {
                paths: vec!["a".into(), "b".into()],
                json: true,
                packages: PackageSettings::default(),
            })
        );
        assert_eq!(
            parse_args(&args(
                "check --packages p1 --packages=p2 --apt-lists /l --chisel-releases c x"
            )),
            Ok(Command::Check {
                paths: vec!["x".into()],
                json: false,
                packages: PackageSettings {
                    index_files: vec!["p1".into(), "p2".into()],
                    apt_lists_dir: Some("/l".into()),
                    chisel_releases_dir: Some("c".into()),
                },
            })
        );
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
}
