//! Every diagnostic code the checker reports: its stable name (shown as `error[name]` and sent
//! to editors), its default severity and a one-line description. The README's diagnostics
//! table lists exactly these (a test keeps the two in step).

use std::fmt;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Information => "info",
            Self::Hint => "hint",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident, $doc:literal;)*) => {
        /// A diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name, such as `unknown-key`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The severity the code is reported with unless a rule says otherwise.
            #[must_use]
            pub const fn default_severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// What the code is about, in one line.
            #[must_use]
            pub const fn doc(self) -> &'static str {
                match self {
                    $(Code::$variant => $doc,)*
                }
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax", Error, "invalid YAML, at the place the parser stopped";
    DuplicateKey = "duplicate-key", Error, "a key repeated in one mapping (rockcraft refuses the file)";
    MultipleDocuments = "multiple-documents", Error, "more than one YAML document in the file";
    UnknownAnchor = "unknown-anchor", Error, "an alias to an anchor that does not exist";
    RecursiveAlias = "recursive-alias", Error, "an alias inside the node it refers to";
    AliasBomb = "alias-bomb", Error, "aliases that expand past the loader's budget";
    TooDeep = "too-deep", Error, "values nested deeper than the loader allows, in the text or through aliases";
    UnknownTag = "unknown-tag", Error, "a YAML tag rockcraft's safe loader does not know";
    UnhashableKey = "unhashable-key", Error, "a mapping or list used as a mapping key, which rockcraft's YAML loader refuses";
    EmptyFile = "empty-file", Error, "a file with no project in it";
    NotAMapping = "not-a-mapping", Error, "a document that is not a mapping of keys to values";
    UnknownKey = "unknown-key", Error, "a key the project model does not have";
    RemovedKey = "removed-key", Error, "a key rockcraft no longer accepts (`cmd`, `entrypoint`, `env`)";
    InvalidType = "invalid-type", Error, "a value of the wrong type";
    InvalidValue = "invalid-value", Error, "a value outside the allowed ones";
    MissingKey = "missing-key", Error, "a required key is missing";
    TooShort = "too-short", Error, "a value or list shorter than allowed";
    TooLong = "too-long", Error, "a value or list longer than allowed";
    OutOfRange = "out-of-range", Error, "a number outside its allowed range";
    DuplicateItem = "duplicate-item", Error, "an item repeated in a list that must not repeat";
    ReservedName = "reserved-name", Error, "a name rockcraft reserves for itself";
    VersionNotString = "version-not-string", Warning, "a numeric `version` (rockcraft turns `1.10` into `'1.1'`)";
    UnknownExtension = "unknown-extension", Error, "an extension rockcraft does not have";
    EmptyExtensions = "empty-extensions", Error, "an empty `extensions:` list";
    DuplicateExtension = "duplicate-extension", Warning, "an extension listed twice";
    InvalidName = "invalid-name", Error, "a `name` rockcraft's name syntax refuses";
    NameTooShort = "name-too-short", Error, "a one-character `name` (also the title, which needs two)";
    InvalidVersion = "invalid-version", Error, "a `version` rockcraft's version syntax refuses";
    BareNeedsBuildBase = "bare-needs-build-base", Error, "`base: bare` without a `build-base`";
    DeprecatedBase = "deprecated-base", Warning, "a base written with `:` (`ubuntu:22.04`)";
    DevelBaseNeedsDevelBuildBase = "devel-base-needs-devel-build-base", Error, "a development series as `base` without `build-base: devel`";
    DevelBuildBase = "devel-build-base", Information, "`build-base: devel`, for testing only";
    UnsupportedBuildBase = "unsupported-build-base", Error, "a build base rockcraft cannot build on";
    EnvInterpolation = "env-interpolation", Error, "`$VAR` in `environment` values";
    EnvCraftVariable = "env-craft-variable", Information, "a `CRAFT_*` variable in `environment`: `pack` substitutes it, `expand-extensions` refuses it";
    PartsMissing = "parts-missing", Information, "no `parts`: `pack` accepts it, `expand-extensions` refuses it";
    PlatformLabelMismatch = "platform-label-mismatch", Error, "a platform label that is not what it builds for";
    PlatformNameSlash = "platform-name-slash", Error, "a `/` in a platform name";
    PlatformNeedsBuildFor = "platform-needs-build-for", Error, "a platform with `build-on` and no `build-for`";
    PlatformBuildForImplied = "platform-build-for-implied", Information, "a platform named after an architecture with `build-on` and no `build-for`: `pack` builds for the name, `expand-extensions` refuses it";
    PlatformNeedsBuildOn = "platform-needs-build-on", Error, "a platform that is not an architecture and has no `build-on`";
    BuildOnAll = "build-on-all", Error, "`build-on: all`, which no machine is";
    BuildForSingle = "build-for-single", Error, "more than one `build-for` architecture in one platform";
    InvalidArchitecture = "invalid-architecture", Error, "a name that is not an architecture";
    UnsupportedArchitecture = "unsupported-architecture", Error, "an architecture the base does not support";
    EntrypointCommandSyntax = "entrypoint-command-syntax", Error, "an `entrypoint-command` rockcraft cannot split";
    EntrypointConflict = "entrypoint-conflict", Error, "`entrypoint-service` and `entrypoint-command` together";
    EntrypointNoDefaultArgs = "entrypoint-no-default-args", Error, "an entrypoint service whose command has no `[ ]` default arguments";
    EntrypointUnknownService = "entrypoint-unknown-service", Error, "an `entrypoint-service` that names no service";
    AtypicalEntrypoint = "atypical-entrypoint", Information, "an entrypoint that makes the rock's OCI entrypoint atypical";
    PluginUnavailable = "plugin-unavailable", Error, "a plugin rockcraft does not offer for the build base";
    PluginMissing = "plugin-missing", Error, "a part without `plugin`";
    PartNameSlash = "part-name-slash", Error, "a `/` in a part name on a base that refuses it";
    MixedStagePackages = "mixed-stage-packages", Error, "debs and chisel slices in one `stage-packages` list";
    OverlayOnBare = "overlay-on-bare", Error, "overlay keys on `base: bare`";
    UnknownSlice = "unknown-slice", Error, "a chisel slice the release's slice index lacks";
    UnknownPackage = "unknown-package", Warning, "a Debian package missing from the package lists loaded for the release";
    ServiceCommandSyntax = "service-command-syntax", Warning, "a service or check `command` Pebble refuses when the rock starts: an unclosed quote, a misplaced `[ ... ]` group, an empty command";
    ServiceCommandGluedBracket = "service-command-glued-bracket", Warning, "a `[` or `]` glued to an argument, which Pebble passes to the program instead of opening or closing the default arguments";
    CheckTypeMissing = "check-type-missing", Error, "a Pebble check without `http`, `tcp` or `exec`";
    CheckTypeMultiple = "check-type-multiple", Error, "a Pebble check with more than one of `http`, `tcp`, `exec`";
    UnknownPartRef = "unknown-part-ref", Error, "a part name in `after` that is not a part (`pack` stops before building anything)";
    BuildEnvironmentEntry = "build-environment-entry", Error, "a `build-environment` entry that does not set exactly one variable";
    OverlayScriptConflict = "overlay-script-conflict", Error, "a part with both `overlay-script` and `override-overlay`";
    PartCycle = "part-cycle", Error, "parts whose `after` lists lead back to themselves (`pack` stops before building anything)";
    UnknownServiceRef = "unknown-service-ref", Warning, "a service name in `after`, `before` or `requires` that exists nowhere";
    UnknownCheckRef = "unknown-check-ref", Warning, "a check name in `on-check-failure` that exists nowhere";
    InvalidLicense = "invalid-license", Error, "a `license` that is neither `proprietary` nor an SPDX id";
    LicenseCase = "license-case", Hint, "an SPDX id in other letter case than its canonical one";
    FilesetAbsolute = "fileset-absolute", Error, "an absolute path in `stage` or `prime`";
    FilesetAbsoluteExclusion = "fileset-absolute-exclusion", Error, "an absolute exclusion (`-/usr/share`) in `stage` or `prime` (the build stops at that step)";
    FilesetSyntax = "fileset-syntax", Warning, "a `stage`/`prime` entry starting with `+` or `!`, which filesets read literally";
    PrimePrefix = "prime-prefix", Error, "an extension part's `prime`/`stage` entry outside the application directory";
    ExtensionError = "extension-error", Error, "a project an extension refuses";
    ExtensionExperimental = "extension-experimental", Error, "an experimental extension without the opt-in";
    ExtensionBase = "extension-base", Error, "a base or build base the extensions, or rockcraft, cannot use";
    ExtensionModel = "extension-model", Error, "the expanded project fails rockcraft's project checks";
    PrimeExcludeOnly = "prime-exclude-only", Warning, "a `prime` list of exclusions only, which primes nothing else";
    PrimeMissingFile = "prime-missing-file", Warning, "a `prime` entry naming a file the project does not have";
    MisspelledExtensionPart = "misspelled-extension-part", Warning, "a part name close to one an extension generates";
    MisspelledExtensionService = "misspelled-extension-service", Warning, "a service name one edit away from one an extension generates";
    FrameworkPartWithoutExtension = "framework-part-without-extension", Warning, "a framework part name without its extension";
    RedundantServiceCommand = "redundant-service-command", Warning, "a service `command` equal to the generated one";
    WorkingDirOtherFramework = "working-dir-other-framework", Warning, "a `working-dir` pointing at another framework's directory";
    NotUtf8 = "not-utf8", Error, "a file that is not UTF-8 (`check`)";
    FileTooLarge = "file-too-large", Warning, "a file too large to analyse (editor)";
    TooManyDiagnostics = "too-many-diagnostics", Information, "how many diagnostics past the editor's cap are not shown (editor)";
}

impl Code {
    /// Whether rockcraft checks this on the file as written, before extensions apply (so the
    /// project-model checks of the expanded project leave it out).
    #[must_use]
    pub const fn source_only(self) -> bool {
        matches!(self, Code::PartNameSlash)
    }

    /// Whether `rockcraft pack` refuses this only once the lifecycle runs (when it starts, or at
    /// the step that fails), after loading the project; `rockcraft expand-extensions`, which only
    /// loads it, accepts it.
    #[must_use]
    pub const fn refused_at_lifecycle(self) -> bool {
        matches!(
            self,
            Code::UnknownPartRef | Code::PartCycle | Code::FilesetAbsoluteExclusion
        )
    }

    /// Whether the finding is one `rockcraft pack` accepts but `rockcraft expand-extensions`
    /// refuses (the project model of `expand-extensions` reports it as an error).
    #[must_use]
    pub const fn refused_by_expand_extensions_only(self) -> bool {
        matches!(
            self,
            Code::EnvCraftVariable | Code::PartsMissing | Code::PlatformBuildForImplied
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.name()), "{} twice", c.name());
            assert!(
                c.name().split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{}",
                c.name()
            );
            assert!(!c.doc().is_empty());
        }
    }

    /// The README's diagnostics table names every code once, and only these.
    #[test]
    fn readme_lists_exactly_these_codes() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("| code |")
            .expect("the README has a diagnostics table headed `| code |`");
        let table: Vec<&str> = readme[start..]
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .collect();
        let mut listed = Vec::new();
        for row in &table {
            let first = row.split('|').nth(1).unwrap_or_default();
            for name in first.split('`').skip(1).step_by(2) {
                listed.push(name.to_owned());
            }
        }
        let mut want: Vec<String> = Code::ALL.iter().map(|c| c.name().to_owned()).collect();
        let mut got = listed.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want, "README table codes vs Code::ALL");
        // And each row's severity column names the default severity of its codes.
        for row in &table {
            let cells: Vec<&str> = row.split('|').collect();
            let (names, severities) = (cells[1], cells[2]);
            for name in names.split('`').skip(1).step_by(2) {
                let code = Code::ALL.iter().find(|c| c.name() == name).unwrap();
                assert!(
                    severities.contains(code.default_severity().as_str()),
                    "{name}: README says {severities:?}"
                );
            }
        }
    }
}
