//! The six registered extensions with their base dispatch (V1/V2), experimental flags and the
//! names of the parts and services they generate.

use crate::core::facts::{APP_DIR, DJANGO_APP_DIR, FLASK_APP_DIR};

/// One registered extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionInfo {
    /// The name written in `extensions:` (`flask-framework`).
    pub name: &'static str,
    /// The framework's short name, used for the generated service (`flask`).
    pub service: &'static str,
    /// The prefix every `prime`/`stage` entry of the install-app part must start with.
    pub app_prefix: &'static str,
    /// Bases of the first generation (picked when the build base is one of them).
    pub v1_bases: &'static [&'static str],
    pub v1_experimental: bool,
    /// Bases of the second generation (experimental).
    pub v2_bases: &'static [&'static str],
    pub v2_experimental: bool,
    /// Part names the extension generates, without the `<name>/` prefix.
    pub parts: &'static [&'static str],
    /// Services the extension generates.
    pub services: &'static [&'static str],
}

const V2: &[&str] = &["ubuntu@26.04"];

/// All registered extensions, sorted by name.
pub const EXTENSIONS: &[ExtensionInfo] = &[
    ExtensionInfo {
        name: "django-framework",
        service: "django",
        app_prefix: DJANGO_APP_DIR,
        v1_bases: &["bare", "ubuntu@22.04", "ubuntu:22.04", "ubuntu@24.04"],
        v1_experimental: false,
        v2_bases: V2,
        v2_experimental: true,
        parts: &[
            "dependencies",
            "install-app",
            "config-files",
            "statsd-exporter",
            "logging",
            "runtime",
            "runtime-libs",
        ],
        services: &["django", "statsd-exporter"],
    },
    ExtensionInfo {
        name: "expressjs-framework",
        service: "expressjs",
        app_prefix: APP_DIR,
        v1_bases: &["bare", "ubuntu@24.04"],
        v1_experimental: false,
        v2_bases: V2,
        v2_experimental: true,
        parts: &["install-app", "runtime", "logging"],
        services: &["expressjs"],
    },
    ExtensionInfo {
        name: "fastapi-framework",
        service: "fastapi",
        app_prefix: APP_DIR,
        v1_bases: &["bare", "ubuntu@24.04"],
        v1_experimental: false,
        v2_bases: V2,
        v2_experimental: true,
        parts: &["dependencies", "install-app", "runtime", "logging"],
        services: &["fastapi"],
    },
    ExtensionInfo {
        name: "flask-framework",
        service: "flask",
        app_prefix: FLASK_APP_DIR,
        v1_bases: &["bare", "ubuntu@22.04", "ubuntu:22.04", "ubuntu@24.04"],
        v1_experimental: false,
        v2_bases: V2,
        v2_experimental: true,
        parts: &[
            "dependencies",
            "install-app",
            "config-files",
            "statsd-exporter",
            "logging",
            "runtime",
            "runtime-libs",
        ],
        services: &["flask", "statsd-exporter"],
    },
    ExtensionInfo {
        name: "go-framework",
        service: "go",
        app_prefix: APP_DIR,
        v1_bases: &["bare", "ubuntu@24.04"],
        v1_experimental: false,
        v2_bases: V2,
        v2_experimental: true,
        parts: &["base-layout", "install-app", "runtime", "logging", "assets"],
        services: &["go"],
    },
    ExtensionInfo {
        name: "spring-boot-framework",
        service: "spring-boot",
        app_prefix: APP_DIR,
        v1_bases: &["bare", "ubuntu@24.04"],
        v1_experimental: true,
        v2_bases: V2,
        v2_experimental: true,
        parts: &["install-app", "runtime", "assets"],
        services: &["spring-boot"],
    },
];

/// Looks an extension up by the name written in `extensions:`.
#[must_use]
pub fn find(name: &str) -> Option<&'static ExtensionInfo> {
    EXTENSIONS.iter().find(|e| e.name == name)
}

/// The extension a part name belongs to (`flask-framework/install-app` → flask-framework).
#[must_use]
pub fn owner_of_part(part: &str) -> Option<&'static ExtensionInfo> {
    let (prefix, _) = part.split_once('/')?;
    find(prefix)
}

/// Whether rockcraft expands `ext` on `base` only with the experimental opt-in (the first
/// generation's bases take precedence over the second's).
#[must_use]
pub fn experimental_on(ext: &ExtensionInfo, base: &str) -> bool {
    if ext.v1_bases.contains(&base) {
        ext.v1_experimental
    } else {
        ext.v2_bases.contains(&base) && ext.v2_experimental
    }
}

/// Whether rockcraft expands `ext` on `base` without the experimental opt-in.
#[must_use]
pub fn stable_on(ext: &ExtensionInfo, base: &str) -> bool {
    (ext.v1_bases.contains(&base) || ext.v2_bases.contains(&base)) && !experimental_on(ext, base)
}

/// The generation of `ext` rockcraft applies when the build base (else the base) reads as
/// `project_base` ([`crate::core::facts::project_base`]): its bases, whether it is
/// experimental, and whether it is the first generation.
#[must_use]
pub fn generation(
    ext: &ExtensionInfo,
    project_base: Option<&str>,
) -> (&'static [&'static str], bool, bool) {
    if project_base.is_some_and(|b| ext.v1_bases.contains(&b)) {
        (ext.v1_bases, ext.v1_experimental, true)
    } else {
        (ext.v2_bases, ext.v2_experimental, false)
    }
}

/// Whether rockcraft expands `ext` in a project with this `base` and `build_base` (as
/// written): the build base picks the generation, the base must be one of its bases, and an
/// experimental generation needs `experimental`.
#[must_use]
pub fn expands_on(
    ext: &ExtensionInfo,
    base: &str,
    build_base: Option<&str>,
    experimental: bool,
) -> bool {
    let picked = crate::core::facts::project_base(build_base.unwrap_or(base));
    let (bases, is_experimental, _) = generation(ext, picked.as_deref());
    bases.contains(&base) && (experimental || !is_experimental)
}

/// Every supported base of an extension, sorted and without duplicates, as
/// `rockcraft list-extensions` prints them.
#[must_use]
pub fn all_bases(ext: &ExtensionInfo) -> Vec<&'static str> {
    let mut v: Vec<&str> = ext.v1_bases.iter().chain(ext.v2_bases).copied().collect();
    v.sort_unstable();
    v.dedup();
    v
}
