//! What rockcraft knows, written down once: bases and how rockcraft reads them, plugins per
//! build base, architectures, licences, documentation links, the framework extensions' app
//! directories and the experimental-extensions switch. Plain data and small lookups, so the
//! lint rules, completion, expansion and command line all read the same facts.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::sync::LazyLock;

/// The file rockcraft reads the project from.
pub const PROJECT_FILE: &str = "rockcraft.yaml";

/// Top-level keys in the order of rockcraft's `Project` model fields.
pub const PROJECT_FIELDS: &[&str] = &[
    "name",
    "title",
    "version",
    "summary",
    "description",
    "base",
    "build-base",
    "platforms",
    "contact",
    "issues",
    "source-code",
    "license",
    "adopt-info",
    "parts",
    "package-repositories",
    "environment",
    "run-user",
    "services",
    "checks",
    "entrypoint-service",
    "entrypoint-command",
];

/// The project field a top-level key stands for when it is written with the field's Python
/// name (`run_user` for `run-user`): rockcraft's project model reads fields by name as well as
/// by alias.
#[must_use]
pub fn project_field_of_python_name(key: &str) -> Option<&'static str> {
    if !key.contains('_') {
        return None;
    }
    let alias = key.replace('_', "-");
    PROJECT_FIELDS.iter().copied().find(|f| *f == alias)
}

/// The Python name of a project field whose alias differs from it (`run-user` → `run_user`).
#[must_use]
pub fn python_name_of_project_field(field: &str) -> Option<String> {
    (field.contains('-') && PROJECT_FIELDS.contains(&field)).then(|| field.replace('-', "_"))
}

// ------------------------------------------------------------------------------------ bases

/// The base without an Ubuntu system (it needs a `build-base`).
pub const BARE: &str = "bare";

/// The build base that follows the Ubuntu series in development.
pub const DEVEL: &str = "devel";

/// The Ubuntu series in development, which can only be built with `build-base: devel`.
pub const DEVEL_SERIES: &str = "ubuntu@26.10";

/// The newest released series rockcraft can build on.
pub const NEWEST_BUILD_BASE: &str = "ubuntu@26.04";

/// The build base suggested when one is missing (the current LTS).
pub const DEFAULT_BUILD_BASE: &str = "ubuntu@24.04";

/// The build bases rockcraft has a plugin table for (`rockcraft/plugins/groups.py`); any other
/// build base crashes rockcraft at start-up.
pub const BUILD_BASES: &[&str] = &[
    "ubuntu@20.04",
    "ubuntu@22.04",
    "ubuntu@24.04",
    "ubuntu@25.10",
    NEWEST_BUILD_BASE,
    DEVEL,
];

/// Build bases of the older plugin generation (with the v1 Python plugins).
pub const LEGACY_BUILD_BASES: &[&str] = BUILD_BASES.split_at(3).0;

/// Build bases of the newer plugin generation.
pub const V2_BUILD_BASES: &[&str] = BUILD_BASES.split_at(3).1;

/// The `ubuntu:XX.04` spellings rockcraft still accepts (rewritten to `@` with a warning).
pub const DEPRECATED_COLON_BASES: &[&str] = &["ubuntu:20.04", "ubuntu:22.04"];

/// Whether `base` is one of the [`DEPRECATED_COLON_BASES`].
#[must_use]
pub fn is_deprecated_colon_base(base: &str) -> bool {
    DEPRECATED_COLON_BASES.contains(&base)
}

/// A base with every `:` read as `@` (`ubuntu:22.04` → `ubuntu@22.04`): how the project model
/// rewrites the deprecated spelling, and how the checks compare bases.
#[must_use]
pub fn at_spelling(base: &str) -> String {
    base.replace(':', "@")
}

/// rockcraft's reading of a `distro:series` name when it plans the build: a single `:` in a
/// name without `@` becomes `@`; anything else is kept as written.
#[must_use]
pub fn distro_at_series(base: &str) -> String {
    if base.matches(':').count() == 1 && !base.contains('@') {
        base.replacen(':', "@", 1)
    } else {
        base.to_owned()
    }
}

/// rockcraft's `get_project_base` applied to the build base (when set) or else the base:
/// [`distro_at_series`], with `devel` read as `ubuntu@devel`; `None` for anything that is not
/// a `distro@series` pair (such as `bare`).
#[must_use]
pub fn project_base(build_base_or_base: &str) -> Option<String> {
    let mut base = distro_at_series(build_base_or_base);
    if base == DEVEL {
        base = "ubuntu@devel".into();
    }
    (base.matches('@').count() == 1).then_some(base)
}

/// The release name of a build base: `ubuntu@24.04` (or `ubuntu:24.04`) → `ubuntu-24.04`.
#[must_use]
pub fn release_of_base(base: &str) -> Option<String> {
    let v = base
        .strip_prefix("ubuntu@")
        .or_else(|| base.strip_prefix("ubuntu:"))?;
    (!v.is_empty()).then(|| format!("ubuntu-{v}"))
}

/// Ubuntu codenames of the releases rockcraft has bases for, with their release names.
const CODENAMES: &[(&str, &str)] = &[
    ("focal", "ubuntu-20.04"),
    ("jammy", "ubuntu-22.04"),
    ("noble", "ubuntu-24.04"),
    ("questing", "ubuntu-25.10"),
    ("resolute", "ubuntu-26.04"),
];

/// The release of a codename: `noble` → `ubuntu-24.04`.
#[must_use]
pub fn release_of_codename(codename: &str) -> Option<&'static str> {
    CODENAMES
        .iter()
        .find(|(c, _)| *c == codename)
        .map(|(_, r)| *r)
}

/// The Python version of the build bases a bare project can use with the Python extensions.
pub const BARE_PYTHON_VERSIONS: &[(&str, &str)] =
    &[("ubuntu@22.04", "3.10"), ("ubuntu@24.04", "3.12")];

/// The Python version for a bare project's build base (either spelling), if it has one.
#[must_use]
pub fn bare_python_version(build_base: &str) -> Option<&'static str> {
    let base = at_spelling(build_base);
    BARE_PYTHON_VERSIONS
        .iter()
        .find(|(b, _)| *b == base)
        .map(|(_, v)| *v)
}

// ---------------------------------------------------------------------------------- plugins

/// Plugins every build base has.
pub const PLUGINS_EVERYWHERE: &[&str] = &[
    "ant",
    "autotools",
    "cargo-use",
    "cmake",
    "dotnet",
    "dump",
    "go",
    "go-use",
    "gradle",
    "jlink",
    "make",
    "maven",
    "maven-use",
    "meson",
    "nil",
    "npm",
    "python",
    "qmake",
    "rust",
    "scons",
];

/// Plugins of only one plugin generation, with the build bases that have them.
const GENERATION_PLUGINS: &[(&str, &[&str])] = &[
    ("poetry", LEGACY_BUILD_BASES),
    ("uv", LEGACY_BUILD_BASES),
    ("bazel", V2_BUILD_BASES),
];

/// Whether rockcraft offers `plugin` when building on `build_base` (a build base it has no
/// plugin table for, or none, leaves the plugin's bases unchecked).
#[must_use]
pub fn plugin_offered(plugin: &str, build_base: Option<&str>) -> bool {
    if PLUGINS_NEVER.contains(&plugin) {
        return false;
    }
    match (plugin_bases(plugin), build_base) {
        (Some(bases), Some(b)) if BUILD_BASES.contains(&b) => bases.contains(&b),
        _ => true,
    }
}

/// Plugins craft-parts has but rockcraft never registers.
pub const PLUGINS_NEVER: &[&str] = &["ruby", "npm-use", "gradle-use"];

/// The build bases a plugin exists on, or `None` when rockcraft does not know it at all.
#[must_use]
pub fn plugin_bases(plugin: &str) -> Option<&'static [&'static str]> {
    if PLUGINS_EVERYWHERE.contains(&plugin) {
        return Some(BUILD_BASES);
    }
    GENERATION_PLUGINS
        .iter()
        .find(|(p, _)| *p == plugin)
        .map(|(_, bases)| *bases)
}

/// The plugins rockcraft registers for a build base, sorted (every plugin when the build base
/// is unknown).
#[must_use]
pub fn plugins_for(build_base: Option<&str>) -> Vec<&'static str> {
    let known = build_base.filter(|b| BUILD_BASES.contains(b));
    let mut v: Vec<&str> = PLUGINS_EVERYWHERE
        .iter()
        .chain(GENERATION_PLUGINS.iter().map(|(p, _)| p))
        .copied()
        .filter(|p| known.is_none_or(|b| plugin_bases(p).is_some_and(|bs| bs.contains(&b))))
        .collect();
    v.sort_unstable();
    v
}

// ---------------------------------------------------------------------------- architectures

/// The Debian architectures craft-platforms knows; rockcraft supports all of them.
pub const ARCHITECTURES: &[&str] = &[
    "amd64", "arm64", "armhf", "i386", "ppc64el", "riscv64", "s390x",
];

/// What each of the [`ARCHITECTURES`] is, in a few words, in the same order.
pub const ARCHITECTURE_DESCRIPTIONS: &[(&str, &str)] = &[
    ("amd64", "64-bit x86 (x86-64): most PCs and cloud machines"),
    (
        "arm64",
        "64-bit ARM (AArch64): ARM servers, Raspberry Pi 4 and later, Apple silicon VMs",
    ),
    ("armhf", "32-bit ARM with hardware floating point (ARMv7)"),
    ("i386", "32-bit x86"),
    (
        "ppc64el",
        "64-bit IBM POWER, little-endian (POWER8 and later)",
    ),
    ("riscv64", "64-bit RISC-V"),
    ("s390x", "64-bit IBM Z and LinuxONE mainframes"),
];

/// The few words of [`ARCHITECTURE_DESCRIPTIONS`] for an architecture.
#[must_use]
pub fn architecture_description(arch: &str) -> Option<&'static str> {
    ARCHITECTURE_DESCRIPTIONS
        .iter()
        .find(|(a, _)| *a == arch)
        .map(|(_, d)| *d)
}

/// Whether `s` is one of the [`ARCHITECTURES`].
#[must_use]
pub fn is_architecture(s: &str) -> bool {
    ARCHITECTURES.contains(&s)
}

// ---------------------------------------------------------------------------- stage packages

/// Whether a `stage-packages` entry names a chisel slice (`pkg_slice`) rather than a whole
/// Debian package: craft-parts tells them apart by the underscore, and refuses a list that
/// holds both (`Cannot mix packages and slices in stage-packages`).
#[must_use]
pub fn is_slice_name(entry: &str) -> bool {
    entry.contains('_')
}

// --------------------------------------------------------------------------------- licences

/// The one user rockcraft can create for `run-user` (UID and GID 584792).
pub const DAEMON_USER: &str = "_daemon_";

/// The licence value that is not an SPDX identifier.
pub const PROPRIETARY: &str = "proprietary";

/// The SPDX identifiers rockcraft accepts, in the list's order.
static SPDX_IDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("data/spdx-license-ids.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

static SPDX_BY_LOWER: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    SPDX_IDS
        .iter()
        .map(|id| (id.to_ascii_lowercase(), *id))
        .collect()
});

/// The SPDX licence identifiers rockcraft accepts (the SPDX list 2.5 of its pinned lookup).
#[must_use]
pub fn spdx_ids() -> &'static [&'static str] {
    &SPDX_IDS
}

/// The identifier as rockcraft spells it, found case-insensitively (`apache-2.0` →
/// `Apache-2.0`).
#[must_use]
pub fn spdx_id(id: &str) -> Option<&'static str> {
    SPDX_BY_LOWER.get(&id.to_ascii_lowercase()).copied()
}

// ---------------------------------------------------------------------------- documentation

/// Where rockcraft's documentation lives; slugs below are paths under it.
pub const DOCS_URL: &str = "https://documentation.ubuntu.com/rockcraft/latest";

/// A documentation slug under the extension reference.
macro_rules! extension_doc {
    ($page:literal) => {
        concat!("/reference/extensions/", $page)
    };
}

/// Documentation page of the project file reference.
pub const PROJECT_DOC_SLUG: &str = "/reference/rockcraft-yaml";
/// Documentation page of the extension reference, as rockcraft links it.
pub const EXTENSIONS_DOC_SLUG: &str = extension_doc!("");
pub const FLASK_DOC_SLUG: &str = extension_doc!("flask-framework");
pub const FASTAPI_DOC_SLUG: &str = extension_doc!("fastapi-framework");
pub const GO_DOC_SLUG: &str = extension_doc!("go-framework");
pub const SPRING_BOOT_DOC_SLUG: &str = extension_doc!("spring-boot-framework");
pub const DJANGO_REQUIREMENTS_DOC_SLUG: &str =
    extension_doc!("django-framework/#project-requirements");
pub const FASTAPI_REQUIREMENTS_DOC_SLUG: &str =
    extension_doc!("fastapi-framework/#project-requirements");
pub const GO_REQUIREMENTS_DOC_SLUG: &str = extension_doc!("go-framework/#project-requirements");
pub const SPRING_BOOT_REQUIREMENTS_DOC_SLUG: &str =
    extension_doc!("spring-boot-framework/#project-requirements");
/// rockcraft links the express requirements under `express-framework`.
pub const EXPRESS_REQUIREMENTS_DOC_SLUG: &str =
    extension_doc!("express-framework/#project-requirements");
/// The page rockcraft links when the `FastAPI` extension cannot pick a Python version.
pub const FASTAPI_PYTHON_DOC_SLUG: &str = extension_doc!("fastapi");
/// The page rockcraft links when the Gunicorn extensions cannot pick a Python version.
pub const GUNICORN_DOC_SLUG: &str = extension_doc!("gunicorn");

/// The reference page of one extension (`/reference/extensions/flask-framework`).
#[must_use]
pub fn extension_doc_slug(name: &str) -> String {
    format!("{EXTENSIONS_DOC_SLUG}{name}")
}

/// The full address of a documentation slug.
#[must_use]
pub fn doc_url(slug: &str) -> String {
    format!("{DOCS_URL}{slug}")
}

// ------------------------------------------------------------------------------------- init

/// The profiles `rockcraft init --profile` accepts, in the order its usage error lists them
/// (the template directories of `rockcraft/templates/`, sorted).
pub const INIT_PROFILES: &[&str] = &[
    "django-framework",
    "expressjs-framework",
    "fastapi-framework",
    "flask-framework",
    "go-framework",
    "simple",
    "spring-boot-framework",
    "test",
];

/// The profile `rockcraft init` uses without `--profile`.
pub const INIT_DEFAULT_PROFILE: &str = "simple";

/// The profile that writes spread test files instead of a project file.
pub const INIT_TEST_PROFILE: &str = "test";

/// The name `rockcraft init` gives a project whose directory's name is not a valid name.
pub const INIT_DEFAULT_NAME: &str = "my-rock-name";

/// The longest project name the project model accepts (`ProjectName`'s `max_length`).
/// `rockcraft init` does not check it, so it can write a project `pack` refuses.
pub const PROJECT_NAME_MAX_CHARS: usize = 40;

/// The shortest `title` the project model accepts; the title defaults to the name, so a
/// one-character name without a title is refused.
pub const TITLE_MIN_CHARS: usize = 2;

// --------------------------------------------------------------------- framework app dirs

/// Where the Flask extension copies the application.
pub const FLASK_APP_DIR: &str = "flask/app/";
/// Where the Django extension copies the application.
pub const DJANGO_APP_DIR: &str = "django/app/";
/// The Django part that installs the project. Unlike the other frameworks' install-app
/// parts, a user who declares it replaces it: the extension then adds only its
/// `permissions` (rockcraft's `gunicorn.py`, the Django install-app).
pub const DJANGO_INSTALL_APP: &str = "django-framework/install-app";
/// Where the other framework extensions copy the application.
pub const APP_DIR: &str = "app/";

/// The project-root entries Flask's install-app part primes (as `flask/app/<entry>`, in this
/// order) when the user's part has no `prime` list: those that exist.
pub const FLASK_DEFAULT_PRIME: &[&str] = &[
    "app",
    "app.py",
    "main.py",
    "src",
    "migrate",
    "migrate.sh",
    "migrate.py",
    "static",
    "templates",
];

/// The project-root entries `FastAPI`'s install-app part primes (as `app/<entry>`) when the
/// user's part has no `prime` list: those that exist, then the first path component of the
/// ASGI file unless the user sets the service command.
pub const FASTAPI_DEFAULT_PRIME: &[&str] =
    &["migrate", "migrate.sh", "migrate.py", "static", "templates"];

/// The app directories of the framework extensions.
pub const APP_DIRS: [&str; 3] = [FLASK_APP_DIR, DJANGO_APP_DIR, APP_DIR];

/// A framework's `prime`/`stage` prefix rule: every entry of the user's list must name a path
/// under the directory the extension copies the application to.
pub struct PrefixRule {
    /// The part holding the list (`flask-framework/install-app`).
    pub part: &'static str,
    /// `prime` or `stage`.
    pub key: &'static str,
    /// The prefix rockcraft's `re.match("-? *<prefix>", entry)` requires (`flask/app`, `app/`).
    pub prefix: &'static str,
    /// The directory to suggest (`flask/app/`).
    pub dir: &'static str,
    pub doc_slug: &'static str,
}

/// The prefix rules of the framework extensions.
pub const PREFIX_RULES: &[PrefixRule] = &[
    PrefixRule {
        part: "flask-framework/install-app",
        key: "prime",
        prefix: "flask/app",
        dir: FLASK_APP_DIR,
        doc_slug: FLASK_DOC_SLUG,
    },
    PrefixRule {
        part: "fastapi-framework/install-app",
        key: "prime",
        prefix: APP_DIR,
        dir: APP_DIR,
        doc_slug: FASTAPI_DOC_SLUG,
    },
    PrefixRule {
        part: "go-framework/assets",
        key: "stage",
        prefix: APP_DIR,
        dir: APP_DIR,
        doc_slug: GO_DOC_SLUG,
    },
    PrefixRule {
        part: "spring-boot-framework/assets",
        key: "stage",
        prefix: APP_DIR,
        dir: APP_DIR,
        doc_slug: SPRING_BOOT_DOC_SLUG,
    },
];

/// The prefix rule of an extension part, if it has one.
#[must_use]
pub fn prefix_rule(part: &str) -> Option<&'static PrefixRule> {
    PREFIX_RULES.iter().find(|r| r.part == part)
}

/// An entry split into its exclusion mark (`-` and the spaces after it, as written) and the
/// path after it.
#[must_use]
pub fn split_mark(entry: &str) -> (&str, &str) {
    let bare = entry
        .strip_prefix('-')
        .unwrap_or(entry)
        .trim_start_matches(' ');
    (&entry[..entry.len() - bare.len()], bare)
}

/// How to correct an entry that lacks the prefix.
pub struct Correction<'e> {
    /// The exclusion mark as written (`-`, `- `, or empty).
    pub mark: &'e str,
    /// The path after the mark.
    pub bare: &'e str,
    /// Another framework's prefix that ends the directory (`app/` in `flask/app/`) and starts
    /// the path: either that framework's habit or a real directory of the project.
    pub inner: Option<&'static str>,
    /// Bytes of `bare` the likely fix replaces: the inner prefix, else another framework's
    /// prefix (`flask/app/` in a `FastAPI` entry), else none.
    pub replaced: usize,
}

impl Correction<'_> {
    /// The entry with `dir` put in place of the first `replaced` bytes of the path.
    #[must_use]
    pub fn write(&self, dir: &str, replaced: usize) -> String {
        format!("{}{dir}{}", self.mark, &self.bare[replaced..])
    }
}

impl PrefixRule {
    /// rockcraft's `re.match("-? *<prefix>", entry)`.
    #[must_use]
    pub fn matches(&self, entry: &str) -> bool {
        split_mark(entry).1.starts_with(self.prefix)
    }

    /// The extension owning the part (`flask-framework`).
    #[must_use]
    pub fn extension(&self) -> &'static str {
        self.part.split('/').next().unwrap_or(self.part)
    }

    /// How to correct `entry`.
    #[must_use]
    pub fn correction<'e>(&self, entry: &'e str) -> Correction<'e> {
        let (mark, bare) = split_mark(entry);
        let dir = self.dir;
        let inner = APP_DIRS
            .iter()
            .find(|p| **p != dir && dir.ends_with(**p) && bare.starts_with(**p))
            .copied();
        let other = APP_DIRS
            .iter()
            .find(|p| !dir.ends_with(**p) && bare.starts_with(**p))
            .map_or(0, |p| p.len());
        Correction {
            mark,
            bare,
            inner,
            replaced: inner.map_or(other, str::len),
        }
    }
}

// ------------------------------------------------------------------------------ part names

/// The bases on which a part name written in the project may contain `/`
/// (craft-application 7.1.0's `BASES_ALLOW_SLASH_IN_PART_NAME`, compared with `build-base`,
/// else `base`, exactly as written).
pub const BASES_ALLOWING_SLASH_IN_PART_NAMES: &[&str] = &[
    "core",
    "core18",
    "core20",
    "core22",
    "core24",
    "ubuntu@16.04",
    "ubuntu@18.04",
    "ubuntu@20.04",
    "ubuntu@22.04",
    "ubuntu@24.04",
    "ubuntu@24.10",
    "ubuntu@25.04",
    "ubuntu@25.10",
    "centos@7",
    "almalinux@9",
];

// ------------------------------------------------------------------------ project variables

/// The variables `rockcraft pack` substitutes in the project before it validates it, as
/// `$VAR` or `${VAR}` (craft-parts' global environment with rockcraft's overlay, and
/// craft-application's `CRAFT_PROJECT_VERSION`; craft-parts 2.35.0, craft-application 7.1.0).
/// `rockcraft expand-extensions` substitutes none of them.
pub const PACK_VARIABLES: &[&str] = &[
    "CRAFT_ARCH_TRIPLET_BUILD_FOR",
    "CRAFT_ARCH_TRIPLET_BUILD_ON",
    "CRAFT_PARALLEL_BUILD_COUNT",
    "CRAFT_PROJECT_VERSION",
    "CRAFT_ARCH_BUILD_FOR",
    "CRAFT_ARCH_BUILD_ON",
    "CRAFT_ARCH_TRIPLET",
    "CRAFT_PROJECT_NAME",
    "CRAFT_PROJECT_DIR",
    "CRAFT_TARGET_ARCH",
    "CRAFT_OVERLAY",
    "CRAFT_STAGE",
    "CRAFT_PRIME",
];

/// `value` with the [`PACK_VARIABLES`] replaced as `pack` replaces them (`$VAR` and `${VAR}`
/// as plain text, the longest token first), each by `with`.
#[must_use]
pub fn substitute_pack_variables(value: &str, with: &str) -> String {
    static TOKENS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let mut tokens: Vec<String> = PACK_VARIABLES
            .iter()
            .flat_map(|n| [format!("${n}"), format!("${{{n}}}")])
            .collect();
        tokens.sort_by_key(|t| std::cmp::Reverse(t.len()));
        tokens
    });
    TOKENS
        .iter()
        .fold(value.to_owned(), |out, t| out.replace(t.as_str(), with))
}

// ---------------------------------------------------------------------------- source types

/// A craft-parts source type (`source-type`) and the `source-*` options it takes.
pub struct SourceType {
    pub name: &'static str,
    /// What the source is (for documentation).
    pub what: &'static str,
    /// The options it accepts besides `source` and `source-subdir` (craft-parts refuses a
    /// part whose source handler does not take a non-empty option it has).
    pub options: &'static [&'static str],
}

/// The `source-*` options of Git sources.
const GIT_OPTIONS: &[&str] = &[
    "source-branch",
    "source-commit",
    "source-depth",
    "source-submodules",
    "source-tag",
];

/// The option of the file-based sources.
const FILE_OPTIONS: &[&str] = &["source-checksum"];

/// craft-parts' built-in source types (craft-parts 2.35.0, `sources/sources.py`), in its
/// order.
pub const SOURCE_TYPES: &[SourceType] = &[
    SourceType {
        name: "local",
        what: "a directory on the machine that packs the rock",
        options: &[],
    },
    SourceType {
        name: "tar",
        what: "a tarball (`.tar`, `.tar.gz`, `.tar.xz`, `.tgz`, ...)",
        options: FILE_OPTIONS,
    },
    SourceType {
        name: "git",
        what: "a Git repository",
        options: GIT_OPTIONS,
    },
    SourceType {
        name: "snap",
        what: "a `.snap` file, unpacked",
        options: FILE_OPTIONS,
    },
    SourceType {
        name: "zip",
        what: "a `.zip` archive",
        options: FILE_OPTIONS,
    },
    SourceType {
        name: "deb",
        what: "a `.deb` package, unpacked",
        options: FILE_OPTIONS,
    },
    SourceType {
        name: "file",
        what: "a single file, copied as it is (never inferred: it must be written)",
        options: FILE_OPTIONS,
    },
    SourceType {
        name: "rpm",
        what: "an `.rpm` package, unpacked",
        options: FILE_OPTIONS,
    },
    SourceType {
        name: "7z",
        what: "a `.7z` archive",
        options: FILE_OPTIONS,
    },
];

/// The source options some source type takes; a part with one of them set needs a type that
/// takes it.
#[must_use]
pub fn is_source_option(key: &str) -> bool {
    GIT_OPTIONS.contains(&key) || FILE_OPTIONS.contains(&key) || key == "source-channel"
}

/// The type craft-parts infers from a `source` when `source-type` is not written: the first
/// type whose pattern matches, else `local` for what is not a URL (craft-parts takes an
/// existing directory as local).
#[must_use]
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "craft-parts' patterns are case-sensitive: `a.TGZ` is not a tarball to it"
)]
pub fn inferred_source_type(source: &str) -> Option<&'static str> {
    let tarball = source.rsplit_once(".tar").is_some_and(|(_, ext)| {
        ext.is_empty()
            || ext.strip_prefix('.').is_some_and(|e| {
                !e.is_empty()
                    && e.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    }) || source.ends_with(".tgz");
    let git = source.ends_with(".git")
        || source.strip_prefix("git").is_some_and(|rest| {
            rest.starts_with(['@', ':'])
                || rest
                    .strip_prefix('+')
                    .and_then(|r| r.find(':'))
                    .is_some_and(|i| i > 0)
        });
    let by_suffix = [
        (".snap", "snap"),
        (".zip", "zip"),
        (".deb", "deb"),
        (".rpm", "rpm"),
        (".7z", "7z"),
    ];
    if tarball {
        Some("tar")
    } else if git {
        Some("git")
    } else if let Some((_, t)) = by_suffix.iter().find(|(s, _)| source.ends_with(s)) {
        Some(t)
    } else if !source.contains("://") {
        Some("local")
    } else {
        None
    }
}

// ----------------------------------------------------------------------------- experimental

/// The environment variable rockcraft reads to allow experimental extensions.
pub const EXPERIMENTAL_ENV: &str = "ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS";

/// The editor setting (in the `rockcraft` section) that allows experimental extensions, as the
/// variable does for rockcraft.
pub const EXPERIMENTAL_SETTING: &str = "experimentalExtensions";

/// Whether the value of [`EXPERIMENTAL_ENV`] allows experimental extensions: set and non-empty.
/// The core never reads the environment; `host::env` does.
#[must_use]
pub fn experimental_from(value: Option<&OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_spellings() {
        assert!(is_deprecated_colon_base("ubuntu:22.04"));
        assert!(!is_deprecated_colon_base("ubuntu:24.04"));
        assert_eq!(at_spelling("ubuntu:22.04"), "ubuntu@22.04");
        assert_eq!(distro_at_series("ubuntu:24.04"), "ubuntu@24.04");
        assert_eq!(distro_at_series("a:b:c"), "a:b:c");
        assert_eq!(distro_at_series("a@b:c"), "a@b:c");
        assert_eq!(
            project_base("ubuntu:22.04").as_deref(),
            Some("ubuntu@22.04")
        );
        assert_eq!(project_base(DEVEL).as_deref(), Some("ubuntu@devel"));
        assert_eq!(project_base(BARE), None);
        assert_eq!(project_base("a@b@c"), None);
    }

    #[test]
    fn releases_and_python_versions() {
        assert_eq!(
            release_of_base("ubuntu@24.04").as_deref(),
            Some("ubuntu-24.04")
        );
        assert_eq!(
            release_of_base("ubuntu:22.04").as_deref(),
            Some("ubuntu-22.04")
        );
        assert_eq!(release_of_base(BARE), None);
        assert_eq!(release_of_base("ubuntu@"), None);
        assert_eq!(bare_python_version("ubuntu:24.04"), Some("3.12"));
        assert_eq!(bare_python_version("ubuntu@22.04"), Some("3.10"));
        assert_eq!(bare_python_version("ubuntu@26.04"), None);
        assert_eq!(bare_python_version("ubuntu@22:04"), None);
    }

    #[test]
    fn build_base_generations() {
        assert_eq!(
            LEGACY_BUILD_BASES,
            ["ubuntu@20.04", "ubuntu@22.04", "ubuntu@24.04"]
        );
        assert_eq!(V2_BUILD_BASES, ["ubuntu@25.10", "ubuntu@26.04", "devel"]);
        assert!(DEVEL_SERIES > NEWEST_BUILD_BASE);
    }

    #[test]
    fn plugins_per_build_base() {
        assert_eq!(plugin_bases("nil"), Some(BUILD_BASES));
        assert_eq!(plugin_bases("uv"), Some(LEGACY_BUILD_BASES));
        assert_eq!(plugin_bases("bazel"), Some(V2_BUILD_BASES));
        assert_eq!(plugin_bases("ruby"), None);
        let legacy = plugins_for(Some("ubuntu@24.04"));
        assert!(legacy.contains(&"poetry") && !legacy.contains(&"bazel"));
        let v2 = plugins_for(Some(DEVEL));
        assert!(!v2.contains(&"uv") && v2.contains(&"bazel"));
        let all = plugins_for(Some("ubuntu@30.04"));
        assert!(all.contains(&"uv") && all.contains(&"bazel"));
        assert_eq!(all, plugins_for(None));
        assert!(all.is_sorted());
        assert_eq!(all.len(), PLUGINS_EVERYWHERE.len() + 3);
    }

    #[test]
    fn architectures_and_licences() {
        assert!(is_architecture("riscv64") && !is_architecture("x86_64"));
        let described: Vec<&str> = ARCHITECTURE_DESCRIPTIONS.iter().map(|(a, _)| *a).collect();
        assert_eq!(described, ARCHITECTURES);
        assert!(architecture_description("s390x").is_some_and(|d| d.contains("IBM Z")));
        assert_eq!(architecture_description("x86_64"), None);
        assert_eq!(spdx_id("apache-2.0"), Some("Apache-2.0"));
        assert_eq!(spdx_id("MIT"), Some("MIT"));
        assert_eq!(spdx_id("GPL-3.0-or-later"), None);
        assert_eq!(spdx_id(PROPRIETARY), None);
        assert!(spdx_ids().len() > 300);
    }

    #[test]
    fn documentation_links() {
        assert_eq!(EXTENSIONS_DOC_SLUG, "/reference/extensions/");
        assert_eq!(extension_doc_slug("go-framework"), GO_DOC_SLUG);
        assert_eq!(
            doc_url(PROJECT_DOC_SLUG),
            "https://documentation.ubuntu.com/rockcraft/latest/reference/rockcraft-yaml"
        );
    }

    #[test]
    fn prefix_rules() {
        let flask = prefix_rule("flask-framework/install-app").unwrap();
        assert_eq!(flask.extension(), "flask-framework");
        assert!(flask.matches("- flask/app/x") && !flask.matches("app/x"));
        let c = flask.correction("-app/x");
        assert_eq!((c.mark, c.inner, c.replaced), ("-", Some(APP_DIR), 4));
        assert_eq!(c.write(flask.dir, c.replaced), "-flask/app/x");
        let go = prefix_rule("go-framework/assets").unwrap();
        let c = go.correction("flask/app/x");
        assert_eq!((c.inner, c.replaced), (None, FLASK_APP_DIR.len()));
        assert!(prefix_rule("django-framework/install-app").is_none());
    }

    #[test]
    fn source_types() {
        assert_eq!(inferred_source_type("https://x/a.tar.gz"), Some("tar"));
        assert_eq!(inferred_source_type("https://x/a.tar"), Some("tar"));
        assert_eq!(inferred_source_type("https://x/a.tar.GZ"), None);
        assert_eq!(
            inferred_source_type("https://github.com/a/b.git"),
            Some("git")
        );
        assert_eq!(inferred_source_type("git@github.com:a/b"), Some("git"));
        assert_eq!(inferred_source_type("git+ssh://x/y"), Some("git"));
        assert_eq!(inferred_source_type("https://x/a.deb"), Some("deb"));
        assert_eq!(inferred_source_type("."), Some("local"));
        assert_eq!(inferred_source_type("https://example.com/x"), None);
        assert!(is_source_option("source-branch") && !is_source_option("source-subdir"));
        assert_eq!(SOURCE_TYPES.len(), 9);
    }

    #[test]
    fn experimental_switch() {
        assert!(experimental_from(Some(OsStr::new("1"))));
        assert!(experimental_from(Some(OsStr::new("0"))));
        assert!(!experimental_from(Some(OsStr::new(""))));
        assert!(!experimental_from(None));
    }
}
