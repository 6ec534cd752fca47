//! Completion tests: one `check_completion!` helper renders the items at `$0` as text.

use std::fmt::Write as _;

use crate::core::document::Document;
use crate::core::extensions::MemoryFs;
use crate::core::packages::{
    DebIndex, PackageIndexes, ReleaseIndexes, SliceIndex, SliceOrigin, SlicePackage, Slices,
    StaticIndexes,
};

use super::{Rank, Sources, complete};

fn render(src: &str) -> String {
    let debs = DebIndex::from_texts([
        "Package: libpq-dev\nDescription: header files for libpq5\n more\n\nPackage: libpq5\nDescription: PostgreSQL C client library\n\nPackage: curl\nDescription: command line URL tool\n",
    ]);
    render_with(src, &StaticIndexes { debs: vec![&debs] })
}

fn render_with(src: &str, indexes: &dyn PackageIndexes) -> String {
    let offset = src.find("$0").expect("no $0 in the test text");
    let text = src.replacen("$0", "", 1);
    let doc = Document::parse(&text);
    let mut fs = MemoryFs::new();
    for f in [
        "app.py",
        "requirements.txt",
        "templates/index.html",
        "static/app.css",
        "node_modules/x.js",
        "my_1.0_amd64.rock",
        ".git/HEAD",
    ] {
        fs = fs.file(f, "");
    }
    let sources = Sources {
        fs: Some(&fs),
        packages: indexes,
        experimental: false,
        expanded: None,
    };
    let items = complete(&doc, u32::try_from(offset).unwrap(), &sources);
    let mut s = String::new();
    for i in items {
        let r = i.edit_range;
        let _ = write!(
            s,
            "{} [{:?}] {}..{} {:?}{}",
            i.label,
            i.kind,
            u32::from(r.start()),
            u32::from(r.end()),
            i.insert_text,
            i.detail
                .map(|d| format!(" ({})", d.lines().next().unwrap_or_default()))
                .unwrap_or_default()
        );
        if i.rank != Rank::Normal {
            let _ = write!(s, " <{:?}>", i.rank);
        }
        if i.preselect {
            s.push_str(" <preselect>");
        }
        for e in &i.additional_edits {
            let _ = write!(
                s,
                " + {}..{} {:?}",
                u32::from(e.range.start()),
                u32::from(e.range.end()),
                e.text
            );
        }
        s.push('\n');
    }
    s
}

macro_rules! check_completion {
    ($src:expr, @$snap:literal) => {
        insta::assert_snapshot!(render($src), @$snap)
    };
    ($src:expr, $indexes:expr, @$snap:literal) => {
        insta::assert_snapshot!(render_with($src, $indexes), @$snap)
    };
}

const FLASK: &str =
    "name: x\nbase: ubuntu@22.04\nplatforms:\n  amd64:\nextensions:\n  - flask-framework\n";

#[test]
fn blank_line_level_comes_from_the_column() {
    check_completion!("name: x\nbase: ubuntu@24.04\nplatforms:\n  amd64:\n$0\n", @r#"
    title [Key] 47..47 "title: $0" (string)
    version [Key] 47..47 "version: $0" (string)
    summary [Key] 47..47 "summary: $0" (string)
    description [Key] 47..47 "description: $0" (string)
    build-base [Key] 47..47 "build-base: $0" (one of: ubuntu@20.04, ubuntu@22.04, ubuntu@24.04, ubuntu@25.10, ubuntu@26.04, devel)
    contact [Key] 47..47 "contact: $0" (string)
    issues [Key] 47..47 "issues: $0" (string)
    source-code [Key] 47..47 "source-code: $0" (string)
    license [Key] 47..47 "license: $0" (string)
    adopt-info [Key] 47..47 "adopt-info: $0" (string)
    parts [Key] 47..47 "parts:\n  $0" (mapping)
    package-repositories [Key] 47..47 "package-repositories:\n  - $0" (list)
    environment [Key] 47..47 "environment:\n  $0" (mapping)
    run-user [Key] 47..47 "run-user: $0" (one of: _daemon_)
    services [Key] 47..47 "services:\n  $0" (mapping)
    checks [Key] 47..47 "checks:\n  $0" (mapping)
    entrypoint-service [Key] 47..47 "entrypoint-service: $0" (string)
    entrypoint-command [Key] 47..47 "entrypoint-command: $0" (string)
    extensions [Key] 47..47 "extensions:\n  - $0" (list of extensions)
    "#);
    check_completion!("name: x\nplatforms:\n  amd64:\n    $0\n", @r#"
    build-on [Key] 32..32 "build-on: $0" (array)
    build-for [Key] 32..32 "build-for: $0" (array)
    "#);
}

#[test]
fn half_typed_key_in_broken_yaml() {
    check_completion!("name: x\nparts:\n  p:\n    plugin: go\n    go-b$0\n", @r#"
    source [Key] 39..43 "source: $0" (string)
    source-checksum [Key] 39..43 "source-checksum: $0" (string)
    source-channel [Key] 39..43 "source-channel: $0" (string)
    source-branch [Key] 39..43 "source-branch: $0" (string)
    source-commit [Key] 39..43 "source-commit: $0" (string)
    source-depth [Key] 39..43 "source-depth: $0" (integer)
    source-subdir [Key] 39..43 "source-subdir: $0" (string)
    source-submodules [Key] 39..43 "source-submodules:\n      - $0" (list)
    source-tag [Key] 39..43 "source-tag: $0" (string)
    source-type [Key] 39..43 "source-type: $0" (string)
    disable-parallel [Key] 39..43 "disable-parallel: $0" (one of: true, false)
    after [Key] 39..43 "after:\n      - $0" (list)
    overlay-packages [Key] 39..43 "overlay-packages:\n      - $0" (list)
    stage-snaps [Key] 39..43 "stage-snaps:\n      - $0" (list)
    stage-packages [Key] 39..43 "stage-packages:\n      - $0" (list)
    build-snaps [Key] 39..43 "build-snaps:\n      - $0" (list)
    build-packages [Key] 39..43 "build-packages:\n      - $0" (list)
    build-environment [Key] 39..43 "build-environment:\n      - $0" (list)
    build-attributes [Key] 39..43 "build-attributes:\n      - $0" (list)
    organize [Key] 39..43 "organize:\n      $0" (mapping)
    overlay [Key] 39..43 "overlay:\n      - $0" (list)
    stage [Key] 39..43 "stage:\n      - $0" (list)
    prime [Key] 39..43 "prime:\n      - $0" (list)
    override-pull [Key] 39..43 "override-pull: $0" (string)
    overlay-script [Key] 39..43 "overlay-script: $0" (string)
    override-overlay [Key] 39..43 "override-overlay: $0" (string)
    override-build [Key] 39..43 "override-build: $0" (string)
    override-stage [Key] 39..43 "override-stage: $0" (string)
    override-prime [Key] 39..43 "override-prime: $0" (string)
    permissions [Key] 39..43 "permissions:\n      - $0" (list)
    go-buildtags [Key] 39..43 "go-buildtags:\n      - $0" (list)
    go-generate [Key] 39..43 "go-generate:\n      - $0" (list)
    "#);
}

#[test]
fn flow_list_that_does_not_parse() {
    check_completion!("base: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [libpq5_libs, libpq$0", @r#"
    libpq5_copyright [Slice] 98..103 "libpq5_copyright" (Chisel slice (ubuntu-24.04)) <Unlikely>
    "#);
}

#[test]
fn enum_values() {
    check_completion!("base: $0\n", @r#"
    bare [Value] 6..6 "bare" (adds `build-base: ubuntu@24.04`) + 7..7 "build-base: ubuntu@24.04\n"
    ubuntu@20.04 [Value] 6..6 "ubuntu@20.04"
    ubuntu@22.04 [Value] 6..6 "ubuntu@22.04"
    ubuntu@24.04 [Value] 6..6 "ubuntu@24.04"
    ubuntu@25.10 [Value] 6..6 "ubuntu@25.10"
    ubuntu@26.04 [Value] 6..6 "ubuntu@26.04"
    ubuntu@26.10 [Value] 6..6 "ubuntu@26.10" (adds `build-base: devel`) + 7..7 "build-base: devel\n"
    "#);
    check_completion!("services:\n  s:\n    startup: $0\n", @r#"
    enabled [Value] 28..28 "enabled"
    disabled [Value] 28..28 "disabled"
    "#);
    check_completion!("services:\n  s:\n    on-failure: $0\n", @r#"
    restart [Value] 31..31 "restart"
    shutdown [Value] 31..31 "shutdown"
    success-shutdown [Value] 31..31 "success-shutdown"
    ignore [Value] 31..31 "ignore"
    "#);
    check_completion!("checks:\n  c:\n    level: $0\n", @r#"
    alive [Value] 24..24 "alive"
    ready [Value] 24..24 "ready"
    "#);
}

#[test]
fn plugins_depend_on_the_build_base() {
    check_completion!("base: ubuntu@22.04\nparts:\n  p:\n    plugin: $0\n", @r#"
    ant [Plugin] 43..43 "ant" (plugin available on ubuntu@22.04)
    autotools [Plugin] 43..43 "autotools" (plugin available on ubuntu@22.04)
    cargo-use [Plugin] 43..43 "cargo-use" (plugin available on ubuntu@22.04)
    cmake [Plugin] 43..43 "cmake" (plugin available on ubuntu@22.04)
    dotnet [Plugin] 43..43 "dotnet" (plugin available on ubuntu@22.04)
    dump [Plugin] 43..43 "dump" (plugin available on ubuntu@22.04)
    go [Plugin] 43..43 "go" (plugin available on ubuntu@22.04)
    go-use [Plugin] 43..43 "go-use" (plugin available on ubuntu@22.04)
    gradle [Plugin] 43..43 "gradle" (plugin available on ubuntu@22.04)
    jlink [Plugin] 43..43 "jlink" (plugin available on ubuntu@22.04)
    make [Plugin] 43..43 "make" (plugin available on ubuntu@22.04)
    maven [Plugin] 43..43 "maven" (plugin available on ubuntu@22.04)
    maven-use [Plugin] 43..43 "maven-use" (plugin available on ubuntu@22.04)
    meson [Plugin] 43..43 "meson" (plugin available on ubuntu@22.04)
    nil [Plugin] 43..43 "nil" (plugin available on ubuntu@22.04)
    npm [Plugin] 43..43 "npm" (plugin available on ubuntu@22.04)
    poetry [Plugin] 43..43 "poetry" (plugin available on ubuntu@22.04)
    python [Plugin] 43..43 "python" (plugin available on ubuntu@22.04)
    qmake [Plugin] 43..43 "qmake" (plugin available on ubuntu@22.04)
    rust [Plugin] 43..43 "rust" (plugin available on ubuntu@22.04)
    scons [Plugin] 43..43 "scons" (plugin available on ubuntu@22.04)
    uv [Plugin] 43..43 "uv" (plugin available on ubuntu@22.04)
    "#);
    check_completion!("base: bare\nbuild-base: ubuntu@26.04\nparts:\n  p:\n    plugin: $0\n", @r#"
    ant [Plugin] 60..60 "ant" (plugin available on ubuntu@26.04)
    autotools [Plugin] 60..60 "autotools" (plugin available on ubuntu@26.04)
    bazel [Plugin] 60..60 "bazel" (plugin available on ubuntu@26.04)
    cargo-use [Plugin] 60..60 "cargo-use" (plugin available on ubuntu@26.04)
    cmake [Plugin] 60..60 "cmake" (plugin available on ubuntu@26.04)
    dotnet [Plugin] 60..60 "dotnet" (plugin available on ubuntu@26.04)
    dump [Plugin] 60..60 "dump" (plugin available on ubuntu@26.04)
    go [Plugin] 60..60 "go" (plugin available on ubuntu@26.04)
    go-use [Plugin] 60..60 "go-use" (plugin available on ubuntu@26.04)
    gradle [Plugin] 60..60 "gradle" (plugin available on ubuntu@26.04)
    jlink [Plugin] 60..60 "jlink" (plugin available on ubuntu@26.04)
    make [Plugin] 60..60 "make" (plugin available on ubuntu@26.04)
    maven [Plugin] 60..60 "maven" (plugin available on ubuntu@26.04)
    maven-use [Plugin] 60..60 "maven-use" (plugin available on ubuntu@26.04)
    meson [Plugin] 60..60 "meson" (plugin available on ubuntu@26.04)
    nil [Plugin] 60..60 "nil" (plugin available on ubuntu@26.04)
    npm [Plugin] 60..60 "npm" (plugin available on ubuntu@26.04)
    python [Plugin] 60..60 "python" (plugin available on ubuntu@26.04)
    qmake [Plugin] 60..60 "qmake" (plugin available on ubuntu@26.04)
    rust [Plugin] 60..60 "rust" (plugin available on ubuntu@26.04)
    scons [Plugin] 60..60 "scons" (plugin available on ubuntu@26.04)
    "#);
}

#[test]
fn platforms() {
    check_completion!("platforms:\n  amd64:\n  $0\n", @r#"
    arm64 [Platform] 22..22 "arm64:\n    $0" (architecture)
    armhf [Platform] 22..22 "armhf:\n    $0" (architecture)
    i386 [Platform] 22..22 "i386:\n    $0" (architecture)
    ppc64el [Platform] 22..22 "ppc64el:\n    $0" (architecture)
    riscv64 [Platform] 22..22 "riscv64:\n    $0" (architecture)
    s390x [Platform] 22..22 "s390x:\n    $0" (architecture)
    "#);
    check_completion!("platforms:\n  amd64:\n    build-on: [$0]\n", @r#"
    amd64 [Platform] 35..35 "amd64" (architecture)
    arm64 [Platform] 35..35 "arm64" (architecture)
    armhf [Platform] 35..35 "armhf" (architecture)
    i386 [Platform] 35..35 "i386" (architecture)
    ppc64el [Platform] 35..35 "ppc64el" (architecture)
    riscv64 [Platform] 35..35 "riscv64" (architecture)
    s390x [Platform] 35..35 "s390x" (architecture)
    "#);
}

#[test]
fn extensions_with_bases() {
    check_completion!("base: ubuntu@24.04\nextensions:\n  - flask-framework\n  - $0\n", @r#"
    django-framework [Extension] 55..55 "django-framework" (bases: bare, ubuntu:22.04, ubuntu@22.04, ubuntu@24.04, ubuntu@26.04)
    expressjs-framework [Extension] 55..55 "expressjs-framework" (bases: bare, ubuntu@24.04, ubuntu@26.04)
    fastapi-framework [Extension] 55..55 "fastapi-framework" (bases: bare, ubuntu@24.04, ubuntu@26.04)
    go-framework [Extension] 55..55 "go-framework" (bases: bare, ubuntu@24.04, ubuntu@26.04)
    "#);
}

#[test]
fn part_and_service_names() {
    check_completion!(&format!("{FLASK}parts:\n  a:\n    plugin: nil\n  b:\n    after: [$0]\n"), @r#"
    a [Part] 124..124 "a" (part)
    flask-framework/dependencies [Part] 124..124 "flask-framework/dependencies" (part)
    flask-framework/install-app [Part] 124..124 "flask-framework/install-app" (part)
    flask-framework/config-files [Part] 124..124 "flask-framework/config-files" (part)
    flask-framework/statsd-exporter [Part] 124..124 "flask-framework/statsd-exporter" (part)
    flask-framework/logging [Part] 124..124 "flask-framework/logging" (part)
    flask-framework/runtime [Part] 124..124 "flask-framework/runtime" (part)
    flask-framework/runtime-libs [Part] 124..124 "flask-framework/runtime-libs" (part)
    "#);
    check_completion!("services:\n  web:\n    command: x\n  db:\n    after:\n      - $0\nchecks:\n  up:\n    tcp:\n      port: 1\n", @r#"web [Service] 57..57 "web" (service)"#);
    check_completion!("services:\n  web:\n    on-check-failure:\n      $0\nchecks:\n  up:\n    tcp:\n      port: 1\n", @r#"up [Check] 45..45 "up: $0" (health check)"#);
    check_completion!("services:\n  web:\n    command: x\nentrypoint-service: $0\n", @r#"web [Service] 52..52 "web" (service)"#);
}

#[test]
fn install_app_paths() {
    check_completion!(&format!("{FLASK}parts:\n  flask-framework/install-app:\n    prime:\n      - flask/app/app.py\n      - $0\n"), @r#"
    flask/app/static [Folder] 161..161 "flask/app/static" (project directory `static`)
    flask/app/templates [Folder] 161..161 "flask/app/templates" (project directory `templates`)
    flask/app/requirements.txt [File] 161..161 "flask/app/requirements.txt" (project file `requirements.txt`) <Unlikely>
    "#);
    check_completion!(&format!("{FLASK}parts:\n  flask-framework/install-app:\n    prime: [flask/app/templates/$0"), @r#"flask/app/templates/index.html [File] 129..149 "flask/app/templates/index.html" (project file `templates/index.html`)"#);
    check_completion!(&format!("{FLASK}parts:\n  flask-framework/install-app:\n    prime:\n      - -fl$0\n"), @r#"
    -flask/app/app.py [File] 136..139 "-flask/app/app.py" (exclude project file `app.py`)
    -flask/app/static [Folder] 136..139 "-flask/app/static" (exclude project directory `static`)
    -flask/app/templates [Folder] 136..139 "-flask/app/templates" (exclude project directory `templates`)
    -flask/app/requirements.txt [File] 136..139 "-flask/app/requirements.txt" (exclude project file `requirements.txt`) <Unlikely>
    "#);
}

#[test]
fn assets_and_dump_part_paths() {
    // go-framework/assets `stage` entries live under `app/`.
    check_completion!("base: ubuntu@24.04\nextensions: [go-framework]\nparts:\n  go-framework/assets:\n    stage:\n      - $0\n", @r#"
        app/app.py [File] 95..95 "app/app.py" (project file `app.py`)
        app/static [Folder] 95..95 "app/static" (project directory `static`)
        app/templates [Folder] 95..95 "app/templates" (project directory `templates`)
        app/requirements.txt [File] 95..95 "app/requirements.txt" (project file `requirements.txt`) <Unlikely>
        "#);
    // A dump part installs its source directory as is: its files, without a prefix.
    check_completion!("base: ubuntu@24.04\nparts:\n  web:\n    plugin: dump\n    source: static\n    stage:\n      - $0\n", @r#"app.css [File] 88..88 "app.css" (project file `static/app.css`)"#);
    check_completion!("base: ubuntu@24.04\nparts:\n  web:\n    plugin: dump\n    source: .\n    prime: [templates/$0]\n", @r#"templates/index.html [File] 76..86 "templates/index.html" (project file `templates/index.html`)"#);
    // `organize` keys name paths of the source tree.
    check_completion!("base: ubuntu@24.04\nparts:\n  web:\n    plugin: dump\n    source: ./\n    organize:\n      $0\n", @r#"
        app.py [File] 85..85 "app.py: $0" (project file `app.py`)
        requirements.txt [File] 85..85 "requirements.txt: $0" (project file `requirements.txt`)
        static [Folder] 85..85 "static: $0" (project directory `static`)
        templates [Folder] 85..85 "templates: $0" (project directory `templates`)
        "#);
    // Remote, absolute and parent sources are not listed.
    for source in ["https://example.com/x.tar.gz", "/srv", "../other"] {
        let src = format!(
            "parts:\n  web:\n    plugin: dump\n    source: {source}\n    stage:\n      - $0\n"
        );
        assert_eq!(render(&src), "", "{source}");
    }
    // Other plugins: what they install is not known.
    assert_eq!(
        render("parts:\n  web:\n    plugin: nil\n    source: .\n    stage:\n      - $0\n"),
        ""
    );
}

#[test]
fn only_the_lists_that_choose_app_files_offer_project_paths() {
    // expressjs copies its app/ directory whole: its npm part's `prime` names files of the
    // build, and `app/...` there would drop the installed packages.
    for src in [
        "base: bare\nbuild-base: ubuntu@24.04\nextensions: [expressjs-framework]\nparts:\n  expressjs-framework/install-app:\n    prime:\n      - $0\n",
        "base: bare\nbuild-base: ubuntu@24.04\nextensions: [flask-framework]\nparts:\n  flask-framework/install-app:\n    stage:\n      - $0\n",
        "base: bare\nbuild-base: ubuntu@24.04\nextensions: [go-framework]\nparts:\n  go-framework/assets:\n    prime:\n      - $0\n",
    ] {
        assert_eq!(render(src), "", "{src}");
    }
    // fastapi's install-app `prime`, under `app/`, directories without a trailing slash.
    let fastapi = render(
        "base: bare\nbuild-base: ubuntu@24.04\nextensions: [fastapi-framework]\nparts:\n  fastapi-framework/install-app:\n    prime:\n      - $0\n",
    );
    assert!(fastapi.contains("app/static [Folder]"), "{fastapi}");
    assert!(!fastapi.contains("app/static/"), "{fastapi}");
}

#[test]
fn overlay_packages_are_debs() {
    check_completion!("base: ubuntu@24.04\nparts:\n  p:\n    overlay-packages: [cu$0]\n", @r#"curl [Package] 54..56 "curl" (command line URL tool)"#);
}

#[test]
fn packages_and_slices() {
    check_completion!("base: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    stage-packages:\n      - libpq$0\n", @r#"
    libpq5_libs [Slice] 76..81 "libpq5_libs" (Chisel slice (ubuntu-24.04))
    libpq5_copyright [Slice] 76..81 "libpq5_copyright" (Chisel slice (ubuntu-24.04)) <Unlikely>
    "#);
    check_completion!("base: ubuntu@24.04\nparts:\n  p:\n    build-packages: [cu$0]\n", @r#"curl [Package] 52..54 "curl" (command line URL tool)"#);
}

/// Per-release indexes as the server holds them: host lists for noble only, a user checkout
/// for 25.10.
struct PerRelease {
    noble: DebIndex,
    checkout: Slices,
}

impl PackageIndexes for PerRelease {
    fn for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
        let slices = match release {
            Some("ubuntu-25.10") => Some((&self.checkout, SliceOrigin::Checkout)),
            Some(r) => SliceIndex::bundled()
                .release(r)
                .map(|s| (s, SliceOrigin::Bundled)),
            None => None,
        };
        ReleaseIndexes {
            release: release.map(str::to_owned),
            slices,
            debs: if release == Some("ubuntu-24.04") {
                vec![&self.noble]
            } else {
                Vec::new()
            },
        }
    }
}

#[test]
fn packages_per_release() {
    let idx = PerRelease {
        noble: DebIndex::from_texts([
            "Package: python3\nDescription: interactive high-level language\n\nPackage: python3-pip\nDescription: Python package installer\n",
        ]),
        checkout: Slices::new([SlicePackage::new("python3.13", ["core", "standard"])]),
    };
    // Host lists of the release: their debs.
    check_completion!("base: ubuntu@24.04\nparts:\n  p:\n    stage-packages: [python3$0]\n", &idx, @r#"
    python3 [Package] 52..59 "python3" (interactive high-level language)
    python3-pip [Package] 52..59 "python3-pip" (Python package installer)
    "#);
    // No list loaded for jammy: the packages the slice index knows stand in.
    check_completion!("base: ubuntu@22.04\nparts:\n  p:\n    stage-packages: [python3.10-m$0]\n", &idx, @r#"python3.10-minimal [Package] 52..64 "python3.10-minimal" (Ubuntu package (ubuntu-22.04, has Chisel slices))"#);
    check_completion!("base: ubuntu@22.04\nparts:\n  p:\n    build-packages:\n      - libss$0\n", &idx, @r#"
    libssh-4 [Package] 59..64 "libssh-4" (Ubuntu package (ubuntu-22.04, has Chisel slices))
    libssl3 [Package] 59..64 "libssl3" (Ubuntu package (ubuntu-22.04, has Chisel slices))
    "#);
    // A user's chisel-releases checkout replaces the bundled slices of its release.
    check_completion!("base: bare\nbuild-base: ubuntu@25.10\nparts:\n  p:\n    stage-packages: [python3.13_$0]\n", &idx, @r#"
    python3.13_core [Slice] 69..80 "python3.13_core" (Chisel slice (ubuntu-25.10, your chisel-releases))
    python3.13_standard [Slice] 69..80 "python3.13_standard" (Chisel slice (ubuntu-25.10, your chisel-releases))
    "#);
    // No base: no release, nothing to offer.
    check_completion!("parts:\n  p:\n    stage-packages: [py$0]\n", &idx, @"");
}

#[test]
fn carriage_returns_end_lines() {
    // Inside a `\r\n` line break, and after it.
    assert_eq!(render("x\r$0\n"), render("x$0\r\n"));
    let _ = render("x\r\n$0");
    // A lone `\r` ends a line as `\n` does: the same items at the same offsets.
    for src in [
        "name: x\nparts:\n  p:\n    plu$0",
        "name: x\nparts:\n  p:\n    plugin: $0\n",
        "name: x\nbase: $0\nplatforms:\n  amd64:\n",
    ] {
        let want = render(src);
        assert!(!want.is_empty(), "{src:?}");
        assert_eq!(render(&src.replace('\n', "\r")), want, "{src:?}");
        assert!(!render(&src.replace('\n', "\r\n")).is_empty(), "{src:?}");
    }
}

/// Only values the rest of the project accepts: no part that would close an `after` circle, a
/// platform named after an architecture builds for that one, nothing after a closing quote,
/// and experimental extensions only when they are enabled.
#[test]
fn values_the_project_accepts() {
    check_completion!("parts:\n  a:\n    plugin: nil\n    after: [b]\n  b:\n    plugin: nil\n    after: [c]\n  c:\n    plugin: nil\n    after: [$0]\n", @"");
    check_completion!("parts:\n  a:\n    plugin: nil\n    after: [b]\n  b:\n    plugin: nil\n  c:\n    plugin: nil\n    after: [$0]\n", @r#"
    a [Part] 97..97 "a" (part)
    b [Part] 97..97 "b" (part)
    "#);
    check_completion!("platforms:\n  arm64:\n    build-on: [amd64]\n    build-for: [$0]\n", @r#"arm64 [Platform] 58..58 "arm64" (architecture)"#);
    check_completion!("parts:\n  p:\n    prime:\n      - \"a b\"$0\n", @"");
    check_completion!("base: ubuntu@26.04\nextensions:\n  - $0\n", @"");
}

#[test]
fn key_blocks_follow_the_file_indentation() {
    // A 4-space file with sequences indented under their key.
    let four = "name: x\nbase: ubuntu@24.04\nplatforms:\n    amd64:\nextensions:\n    - flask-framework\nparts:\n    p:\n        $0\n";
    let got = render(four);
    assert!(
        got.contains(r#""build-environment:\n            - $0""#),
        "{got}"
    );
    let got = render("name: x\nplatforms:\n    amd64:\n$0\n");
    assert!(got.contains(r#""parts:\n    $0""#), "{got}");
    // An "indentless" file: list items in their key's column.
    let indentless =
        "name: x\nbase: ubuntu@24.04\nextensions:\n- flask-framework\nplatforms:\n  amd64:\n$0\n";
    let got = render(indentless);
    assert!(got.contains(r#""package-repositories:\n- $0""#), "{got}");
    assert!(got.contains(r#""services:\n  $0""#), "{got}");
    // A list's first item written from its key's line: in the file's sequence column too.
    let got = render(
        "base: ubuntu@24.04\nextensions:\n- flask-framework\nparts:\n  p:\n    plugin: nil\n    build-packages: cu$0\n",
    );
    assert!(got.contains(r#""\n    - curl""#), "{got}");
    let got = render(
        "base: ubuntu@24.04\nparts:\n    p:\n        plugin: nil\n        build-packages: cu$0\n",
    );
    assert!(got.contains(r#""\n            - curl""#), "{got}");
}

#[test]
fn stage_packages_follow_the_generated_list() {
    // Go on Ubuntu: its runtime part holds `ca-certificates_data`, so only slices fit there.
    let text = "name: x\nbase: ubuntu@24.04\nextensions:\n  - go-framework\nparts:\n  go-framework/runtime:\n    stage-packages:\n      - libpq\n";
    let doc = Document::parse(text);
    let expanded = serde_json::json!({"parts": {"go-framework/runtime": {"stage-packages": ["ca-certificates_data", "lib"]}}});
    let debs =
        DebIndex::from_texts(["Package: libpq5\nDescription: PostgreSQL C client library\n"]);
    let indexes = StaticIndexes { debs: vec![&debs] };
    let sources = Sources {
        fs: None,
        packages: &indexes,
        experimental: false,
        expanded: Some(&expanded),
    };
    let at = u32::try_from(text.find("libpq").unwrap() + 5).unwrap();
    let labels: Vec<String> = complete(&doc, at, &sources)
        .into_iter()
        .map(|i| i.label)
        .collect();
    assert!(labels.contains(&"libpq5_libs".to_owned()), "{labels:?}");
    assert!(!labels.contains(&"libpq5".to_owned()), "{labels:?}");
}

/// The first `n` lines of the rendered items.
fn first(src: &str, n: usize) -> String {
    render(src).lines().take(n).collect::<Vec<_>>().join("\n")
}

#[test]
fn likely_keys_of_extension_parts_come_first() {
    insta::assert_snapshot!(first(&format!("{FLASK}parts:\n  flask-framework/install-app:\n    $0\n"), 3), @r#"
    prime [Key] 121..121 "prime:\n      - $0" (list) <Likely> <preselect>
    stage-packages [Key] 121..121 "stage-packages:\n      - $0" (list) <Likely>
    plugin [Key] 121..121 "plugin: $0" (one of: dump, nil, ant, autotools, bazel, cargo-use, cmake, dotnet, go, go-use, gradle, gradle-use, jlink, make, maven, maven-use, meson, npm, npm-use, poetry, python, qmake, ruby, rust, scons, uv)
    "#);
    insta::assert_snapshot!(first("base: ubuntu@24.04\nextensions: [go-framework]\nparts:\n  go-framework/assets:\n    $0\n", 1), @r#"stage [Key] 80..80 "stage:\n      - $0" (list) <Likely> <preselect>"#);
    insta::assert_snapshot!(first("base: ubuntu@24.04\nextensions: [expressjs-framework]\nparts:\n  expressjs-framework/install-app:\n    $0\n", 1), @r#"stage-packages [Key] 99..99 "stage-packages:\n      - $0" (list) <Likely> <preselect>"#);
    // A part of the project's own: the schema's order.
    assert!(!render("parts:\n  mine:\n    $0\n").contains("<Likely>"));
    // Among the generated parts, install-app first.
    insta::assert_snapshot!(first(&format!("{FLASK}parts:\n  $0\n"), 2), @r#"
    flask-framework/install-app [Part] 88..88 "flask-framework/install-app:\n    $0" (part generated by flask-framework) <Likely>
    flask-framework/dependencies [Part] 88..88 "flask-framework/dependencies:\n    $0" (part generated by flask-framework)
    "#);
}

#[test]
fn values_right_after_the_colon_bring_their_space() {
    check_completion!("name: x\nbase:$0\n", @r#"
    bare [Value] 13..13 " bare" (adds `build-base: ubuntu@24.04`) + 14..14 "build-base: ubuntu@24.04\n"
    ubuntu@20.04 [Value] 13..13 " ubuntu@20.04"
    ubuntu@22.04 [Value] 13..13 " ubuntu@22.04"
    ubuntu@24.04 [Value] 13..13 " ubuntu@24.04"
    ubuntu@25.10 [Value] 13..13 " ubuntu@25.10"
    ubuntu@26.04 [Value] 13..13 " ubuntu@26.04"
    ubuntu@26.10 [Value] 13..13 " ubuntu@26.10" (adds `build-base: devel`) + 14..14 "build-base: devel\n"
    "#);
    check_completion!("services:\n  s:\n    startup:$0 # when\n", @r#"
    enabled [Value] 27..27 " enabled"
    disabled [Value] 27..27 " disabled"
    "#);
    // Not after a value already written.
    assert_eq!(render("base: ubuntu@22.04 $0\n"), "");
    assert_eq!(render("parts:\n  p:\n    build-packages: [curl]$0\n"), "");
    // Not after a colon inside a value, nor before text.
    assert_eq!(render("parts:\n  p:\n    source: https:$0\n"), "");
    assert_eq!(render("base:$0x\n"), "");
}

#[test]
fn lists_are_completed_where_no_item_is_written_yet() {
    let part = "base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n";
    // An indentation-only line among the items, and under a key without items.
    check_completion!(&format!("{part}    build-packages:\n      - curl\n      $0\n"), @r#"
    libpq-dev [Package] 86..86 "- libpq-dev" (header files for libpq5)
    libpq5 [Package] 86..86 "- libpq5" (PostgreSQL C client library)
    "#);
    check_completion!(&format!("{part}    build-packages:\n      cu$0\n"), @r#"curl [Package] 73..75 "- curl" (command line URL tool)"#);
    check_completion!("base: ubuntu@24.04\nextensions:\n  - flask-framework\n\n  $0\n", @r#"
    django-framework [Extension] 54..54 "- django-framework" (bases: bare, ubuntu:22.04, ubuntu@22.04, ubuntu@24.04, ubuntu@26.04)
    expressjs-framework [Extension] 54..54 "- expressjs-framework" (bases: bare, ubuntu@24.04, ubuntu@26.04)
    fastapi-framework [Extension] 54..54 "- fastapi-framework" (bases: bare, ubuntu@24.04, ubuntu@26.04)
    go-framework [Extension] 54..54 "- go-framework" (bases: bare, ubuntu@24.04, ubuntu@26.04)
    "#);
    // On the key's line: a new line with the marker, at the column of the items below.
    check_completion!(&format!("{part}    build-packages: cu$0\n"), @r#"curl [Package] 67..69 "\n      - curl" (command line URL tool)"#);
    check_completion!(&format!("{part}    build-packages:$0\n        - curl\n"), @r#"
    libpq-dev [Package] 66..66 "\n        - libpq-dev" (header files for libpq5)
    libpq5 [Package] 66..66 "\n        - libpq5" (PostgreSQL C client library)
    "#);
    // `build-on` takes one architecture as well as a list.
    check_completion!("platforms:\n  amd64:\n    build-on:$0\n", @r#"
    amd64 [Platform] 33..33 " amd64" (architecture)
    arm64 [Platform] 33..33 " arm64" (architecture)
    armhf [Platform] 33..33 " armhf" (architecture)
    i386 [Platform] 33..33 " i386" (architecture)
    ppc64el [Platform] 33..33 " ppc64el" (architecture)
    riscv64 [Platform] 33..33 " riscv64" (architecture)
    s390x [Platform] 33..33 " s390x" (architecture)
    "#);
    // A mapping's indentation-only line is still a key.
    assert!(render(&format!("{part}    $0\n")).contains("build-packages [Key]"));
}

#[test]
fn licences() {
    insta::assert_snapshot!(first("license: apa$0\n", 4), @r#"
    Apache-1.0 [Value] 9..12 "Apache-1.0" (SPDX licence identifier) <Likely>
    Apache-1.1 [Value] 9..12 "Apache-1.1" (SPDX licence identifier) <Likely>
    Apache-2.0 [Value] 9..12 "Apache-2.0" (SPDX licence identifier) <Likely>
    APAFML [Value] 9..12 "APAFML" (SPDX licence identifier) <Likely>
    "#);
    insta::assert_snapshot!(first("license: mit$0\n", 1), @r#"MIT [Value] 9..12 "MIT" (SPDX licence identifier) <Likely> <preselect>"#);
    insta::assert_snapshot!(first("license: Apache-2.O$0\n", 1), @r#"Apache-2.0 [Value] 9..19 "Apache-2.0" (SPDX licence identifier) <Likely> <preselect>"#);
    insta::assert_snapshot!(first("license:$0\n", 1), @r#"proprietary [Value] 8..8 " proprietary" (not an open-source licence)"#);
}

#[test]
fn source_types() {
    let part = "parts:\n  p:\n    plugin: nil\n";
    check_completion!(&format!("{part}    source: https://example.com/a.tar.gz\n    source-type: $0\n"), @r#"
    tar [Value] 86..86 "tar" (a tarball (`.tar`, `.tar.gz`, `.tar.xz`, `.tgz`, ...)) <Likely> <preselect>
    git [Value] 86..86 "git" (a Git repository)
    snap [Value] 86..86 "snap" (a `.snap` file, unpacked)
    zip [Value] 86..86 "zip" (a `.zip` archive)
    deb [Value] 86..86 "deb" (a `.deb` package, unpacked)
    file [Value] 86..86 "file" (a single file, copied as it is (never inferred: it must be written))
    rpm [Value] 86..86 "rpm" (an `.rpm` package, unpacked)
    7z [Value] 86..86 "7z" (a `.7z` archive)
    local [Value] 86..86 "local" (a directory on the machine that packs the rock) <Unlikely>
    "#);
    // The options the part sets narrow the types down.
    check_completion!(&format!("{part}    source: https://example.com/x\n    source-branch: main\n    source-type: $0\n"), @r#"git [Value] 103..103 "git" (a Git repository)"#);
}

#[test]
fn users_the_rock_has() {
    check_completion!("base: ubuntu@24.04\nextensions: [flask-framework]\nservices:\n  flask:\n    user: $0\n", @r#"
    _daemon_ [Value] 78..78 "_daemon_" (the user rockcraft creates for `run-user`) <preselect>
    root [Value] 78..78 "root" (the Ubuntu base's superuser)
    "#);
    check_completion!("base: bare\nbuild-base: ubuntu@24.04\nrun-user: _daemon_\nchecks:\n  up:\n    exec:\n      user: $0\n", @r#"_daemon_ [Value] 91..91 "_daemon_" (the user rockcraft creates for `run-user`) <preselect>"#);
    check_completion!("base: ubuntu@24.04\nservices:\n  s:\n    user:$0\n", @r#"root [Value] 43..43 " root" (the Ubuntu base's superuser)"#);
    // An environment variable called `user` is not a user.
    assert_eq!(
        render("base: ubuntu@24.04\nservices:\n  s:\n    environment:\n      user: $0\n"),
        ""
    );
}

#[test]
fn snaps_the_project_already_uses() {
    check_completion!("parts:\n  a:\n    plugin: nil\n    build-snaps: [go/1.22/stable, node]\n  b:\n    plugin: nil\n    build-snaps:\n      - node\n      - $0\n", @r#"go/1.22/stable [Package] 127..127 "go/1.22/stable" (snap this project installs)"#);
}

#[test]
fn documentation_of_plugins_architectures_extensions_and_slices() {
    let doc_of = |src: &str, label: &str| -> String {
        let offset = src.find("$0").unwrap();
        let text = src.replacen("$0", "", 1);
        let debs = DebIndex::default();
        let indexes = StaticIndexes { debs: vec![&debs] };
        let sources = Sources {
            fs: None,
            packages: &indexes,
            experimental: false,
            expanded: None,
        };
        complete(
            &Document::parse(&text),
            u32::try_from(offset).unwrap(),
            &sources,
        )
        .into_iter()
        .find(|i| i.label == label)
        .and_then(|i| i.documentation)
        .unwrap_or_else(|| panic!("no documentation for {label}"))
    };
    let go = doc_of("base: ubuntu@24.04\nparts:\n  p:\n    plugin: $0\n", "go");
    assert!(go.contains("`go-buildtags`"), "{go}");
    let arm = doc_of("platforms:\n  amd64:\n    build-for: [$0]\n", "amd64");
    assert!(arm.contains("64-bit x86"), "{arm}");
    let flask = doc_of(
        "base: ubuntu@24.04\nextensions:\n  - $0\n",
        "flask-framework",
    );
    assert!(flask.contains("`ubuntu@26.04` (experimental)"), "{flask}");
    let slice = doc_of(
        "base: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    stage-packages: [libpq5_$0]\n",
        "libpq5_libs",
    );
    assert!(slice.contains("`libpq5_copyright`"), "{slice}");
}
