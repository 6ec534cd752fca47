//! `check --format sarif`: a SARIF 2.1.0 log for code scanning (GitHub's `upload-sarif`): the
//! tool with one rule per diagnostic code, and one result per finding with its location, its
//! related locations and its fixes. The whole log is one JSON document, written at the end.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::core::code::Code;
use crate::core::diagnostic::Severity;
use crate::core::document::Document;
use crate::core::text::TextRange;

use super::{Columns, FileFindings, Writer, line_column};

/// Where the log's schema is published (OASIS, SARIF 2.1.0 errata 01).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base that relative artifact URIs are resolved against: the directory `check` ran in.
pub const SRCROOT: &str = "%SRCROOT%";

/// What a URI path segment keeps as it is: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The SARIF writer: the results gathered so far.
#[derive(Debug)]
pub struct Sarif {
    /// The working directory, that relative paths start from (`None` when it cannot be read:
    /// then relative paths are still given relative, without a known base).
    cwd: Option<PathBuf>,
    /// The tool's home page, also the base of the rules' help (the README documents the
    /// codes); from the package's `repository` or `homepage`, none when neither is set.
    information_uri: Option<String>,
    results: Vec<SarifResult>,
}

impl Sarif {
    /// A writer for paths relative to `cwd`.
    #[must_use]
    pub fn new(cwd: Option<PathBuf>) -> Self {
        let information_uri = [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
            .into_iter()
            .find(|u| !u.is_empty())
            .map(str::to_owned);
        Self {
            cwd,
            information_uri,
            results: Vec::new(),
        }
    }

    /// The same writer with another home page for the tool (`None`: none).
    #[must_use]
    pub fn with_information_uri(mut self, uri: Option<&str>) -> Self {
        self.information_uri = uri.map(str::to_owned);
        self
    }

    /// Where a file is, as SARIF names it: relative to the working directory with
    /// [`SRCROOT`] when it is below it, else an absolute `file:` URI.
    fn artifact(&self, path: &Path) -> ArtifactLocation {
        let relative = if path.is_absolute() {
            self.cwd
                .as_deref()
                .and_then(|cwd| path.strip_prefix(cwd).ok())
        } else {
            Some(path)
        };
        match relative {
            Some(rel) => ArtifactLocation {
                uri: uri_path(rel),
                uri_base_id: self.cwd.as_ref().map(|_| SRCROOT),
            },
            None => ArtifactLocation {
                uri: file_uri(path, false),
                uri_base_id: None,
            },
        }
    }
}

/// The path of a URI for `path`: its components percent-encoded, joined with `/`.
fn uri_path(path: &Path) -> String {
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir | Component::RootDir => {}
            Component::ParentDir => parts.push("..".to_owned()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::Normal(s) => {
                parts.push(utf8_percent_encode(&s.to_string_lossy(), SEGMENT).to_string());
            }
        }
    }
    parts.join("/")
}

/// The `file:` URI of an absolute path; `dir` adds the final `/` a base URI needs.
fn file_uri(path: &Path, dir: bool) -> String {
    let mut uri = format!("file:///{}", uri_path(path));
    if dir && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// A 1-based region, its columns in UTF-16 code units. SARIF counts columns in the unit the
/// run's `columnKind` names, and `utf16CodeUnits` is the one it assumes when none is given; the
/// log names it anyway. `endColumn` is the column just past the region, so an empty region
/// (an insertion point) has `startColumn == endColumn`.
fn region(doc: &Document, range: TextRange) -> Region {
    let (start_line, start_column) = line_column(doc, u32::from(range.start()), Columns::Utf16);
    let (end_line, end_column) = line_column(doc, u32::from(range.end()), Columns::Utf16);
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

/// SARIF's level for a severity: it has no "hint" or "information", only `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

impl Writer for Sarif {
    fn file(&mut self, f: FileFindings<'_>) -> String {
        let artifact = self.artifact(f.path);
        for d in f.diagnostics {
            let location = |range: TextRange, message: Option<&str>| Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact.clone(),
                    region: region(f.doc, range),
                },
                message: message.map(Message::new),
            };
            self.results.push(SarifResult {
                rule_id: d.code.name(),
                rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Message::new(&d.message),
                locations: vec![location(d.range, None)],
                related_locations: d
                    .related
                    .iter()
                    .map(|r| location(r.range, Some(&r.message)))
                    .collect(),
                fixes: d
                    .fixes
                    .iter()
                    .map(|fix| SarifFix {
                        description: Message::new(&fix.title),
                        artifact_changes: vec![ArtifactChange {
                            artifact_location: artifact.clone(),
                            replacements: fix
                                .edits
                                .iter()
                                .map(|e| Replacement {
                                    deleted_region: region(f.doc, e.range),
                                    inserted_content: Content {
                                        text: e.text.clone(),
                                    },
                                })
                                .collect(),
                        }],
                    })
                    .collect(),
            });
        }
        String::new()
    }

    fn finish(&mut self) -> String {
        let help_base = self.information_uri.clone();
        let rules = Code::ALL
            .iter()
            .map(|c| Rule {
                id: c.name(),
                short_description: Message::new(c.doc()),
                help_uri: help_base.as_ref().map(|u| format!("{u}#what-it-checks")),
                default_configuration: Configuration {
                    level: level(c.default_severity()),
                },
            })
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: env!("CARGO_PKG_NAME"),
                        version: env!("CARGO_PKG_VERSION"),
                        information_uri: self.information_uri.clone(),
                        rules,
                    },
                },
                original_uri_base_ids: self.cwd.as_ref().map(|cwd| {
                    BTreeMap::from([(
                        SRCROOT,
                        ArtifactLocation {
                            uri: file_uri(cwd, true),
                            uri_base_id: None,
                        },
                    )])
                }),
                column_kind: "utf16CodeUnits",
                results: std::mem::take(&mut self.results),
            }],
        };
        let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, ArtifactLocation>>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize, Debug)]
struct Message {
    text: String,
}

impl Message {
    fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
        }
    }
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Content,
}

#[derive(Serialize, Debug)]
struct Content {
    text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris_relative_to_the_working_directory() {
        let s = Sarif::new(Some("/work/repo".into()));
        let a = s.artifact(Path::new("./sub dir/rockcraft.yaml"));
        assert_eq!(a.uri, "sub%20dir/rockcraft.yaml");
        assert_eq!(a.uri_base_id, Some(SRCROOT));
        let a = s.artifact(Path::new("/work/repo/é/rockcraft.yaml"));
        assert_eq!(a.uri, "%C3%A9/rockcraft.yaml");
        assert_eq!(a.uri_base_id, Some(SRCROOT));
        let a = s.artifact(Path::new("/elsewhere/a#b%/rockcraft.yaml"));
        assert_eq!(a.uri, "file:///elsewhere/a%23b%25/rockcraft.yaml");
        assert_eq!(a.uri_base_id, None);
        assert_eq!(
            file_uri(Path::new("/work/repo"), true),
            "file:///work/repo/"
        );
    }
}
