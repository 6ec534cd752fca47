//! Rule tests through one `check` helper: the text goes through the full fast analysis and
//! the diagnostics are printed one per line with the underlined source text.

use crate::core::analysis::analyze;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

/// Renders the diagnostics of `text` as `line:col code severity `underlined`: message`.
pub(crate) fn check(text: &str) -> String {
    let a = analyze(text);
    render(&a.doc, &a.diagnostics, false)
}

/// Renders `diags` one per line (`line:col severity code `underlined`: message`), each followed
/// by its fixes (`  fix: title → "text"`) when `fixes` is set.
pub(crate) fn render(doc: &Document, diags: &[Diagnostic], fixes: bool) -> String {
    let mut out = String::new();
    for d in diags {
        let p = doc.lines.position(
            &doc.text,
            u32::from(d.range.start()),
            crate::core::text::Encoding::Utf8,
        );
        out.push_str(&format!(
            "{}:{} {} {} `{}`: {}\n",
            p.line + 1,
            p.col + 1,
            d.severity.as_str(),
            d.code,
            doc.text_at(d.range),
            d.message
        ));
        if fixes {
            for f in &d.fixes {
                out.push_str(&format!("  fix: {} → {:?}\n", f.title, f.edits[0].text));
            }
        }
    }
    out
}

const HEAD: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\n";

#[test]
fn extensions_list_problems() {
    insta::assert_snapshot!(check(&format!("{HEAD}extensions: [flask-framwork, flask-framework, flask-framework]\n")), @"
    8:14 error unknown-extension `flask-framwork`: rockcraft has no extension `flask-framwork`; did you mean `flask-framework`?
    8:47 warning duplicate-extension `flask-framework`: `flask-framework` is listed twice; rockcraft applies it twice, which duplicates what it adds. Remove this one
    ");
    insta::assert_snapshot!(check(&format!("{HEAD}extensions: flask-framework\n")), @"
    1:1 error missing-key `name`: the project is missing the required key `parts`: add a `parts:` section, or declare a 12-factor extension with `extensions:`
    8:13 error invalid-type `flask-framework`: `extensions` must be a list: rockcraft would read `flask-framework` letter by letter. Write `extensions: [flask-framework]`
    ");
    insta::assert_snapshot!(check(&format!("{HEAD}extensions: []\n")), @"
    1:1 error missing-key `name`: the project is missing the required key `parts`: add a `parts:` section, or declare a 12-factor extension with `extensions:`
    8:1 error empty-extensions `extensions`: `extensions: []` is rejected by rockcraft: list at least one extension or remove the key
    ");
}

const TOP: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\n";
const BASE: &str = "base: ubuntu@24.04\n";
const PLATFORMS: &str = "platforms:\n  amd64:\n";
const PARTS: &str = "parts:\n  my-part:\n    plugin: nil\n";

/// A valid project with `extra` appended.
fn rock(extra: &str) -> String {
    format!("{TOP}{BASE}{PLATFORMS}{PARTS}{extra}")
}

/// The text after applying the first fix of the first diagnostic with `code`.
fn fixed(text: &str, code: &str) -> String {
    let a = analyze(text);
    let Some(fix) = a
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .and_then(|d| d.fixes.first())
    else {
        return format!("no fix for {code}");
    };
    let mut out = text.to_owned();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    for e in edits {
        out.replace_range(
            usize::from(e.range.start())..usize::from(e.range.end()),
            &e.text,
        );
    }
    format!("{}\n{out}", fix.title)
}

#[test]
fn name_rule() {
    let with_name =
        |n: &str| format!("name: {n}\nsummary: s\ndescription: d\n{BASE}{PLATFORMS}{PARTS}");
    insta::assert_snapshot!(check(&with_name("My_App")), @"1:7 error invalid-name `My_App`: invalid rock name `My_App`: it contains the uppercase letter `M` (use `m`). A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit");
    insta::assert_snapshot!(check(&with_name("my--app")), @"1:7 error invalid-name `my--app`: invalid rock name `my--app`: it has two hyphens in a row. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit");
    insta::assert_snapshot!(check(&with_name("-app")), @"1:7 error invalid-name `-app`: invalid rock name `-app`: it starts with a hyphen. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit");
    insta::assert_snapshot!(check(&with_name("app-")), @"1:7 error invalid-name `app-`: invalid rock name `app-`: it ends with a hyphen. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit");
    insta::assert_snapshot!(check(&with_name("'123'")), @"1:7 error invalid-name `'123'`: invalid rock name `123`: it has no letter. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit");
    insta::assert_snapshot!(check(&with_name("x")), @"1:7 error name-too-short `x`: the name `x` is a single character: rockcraft uses the name as the `title` when no `title` is set, and a title needs at least 2 characters. Use a longer name or add a `title:`");
    insta::assert_snapshot!(fixed(&with_name("My_App"), "invalid-name"), @"
    Rename to `my-app`
    name: my-app
    summary: s
    description: d
    base: ubuntu@24.04
    platforms:
      amd64:
    parts:
      my-part:
        plugin: nil
    ");
    // Clean: a title makes a one-letter name possible; digits and single hyphens are fine.
    insta::assert_snapshot!(check(&format!("{}title: Xylophone\n", with_name("x"))), @"");
    insta::assert_snapshot!(check(&with_name("1-my-app-2")), @"");
}

#[test]
fn version_rule() {
    let with_version = |v: &str| {
        format!("name: my-rock\nsummary: s\ndescription: d\nversion: {v}\n{BASE}{PLATFORMS}{PARTS}")
    };
    insta::assert_snapshot!(check(&with_version("'1.0-'")), @"4:10 error invalid-version `'1.0-'`: invalid version `1.0-`: it ends with `-`. A version may use letters, digits and `.` `:` `+` `~` `-`, must start with a letter or digit and must not end with `.`, `:` or `-`");
    insta::assert_snapshot!(check(&with_version("'.1'")), @"4:10 error invalid-version `'.1'`: invalid version `.1`: it starts with `.`. A version may use letters, digits and `.` `:` `+` `~` `-`, must start with a letter or digit and must not end with `.`, `:` or `-`");
    insta::assert_snapshot!(check(&with_version("'1 0'")), @"4:10 error invalid-version `'1 0'`: invalid version `1 0`: it contains a space. A version may use letters, digits and `.` `:` `+` `~` `-`, must start with a letter or digit and must not end with `.`, `:` or `-`");
    insta::assert_snapshot!(fixed(&with_version("'1.0-'"), "invalid-version"), @r#"
    Change to `1.0`
    name: my-rock
    summary: s
    description: d
    version: "1.0"
    base: ubuntu@24.04
    platforms:
      amd64:
    parts:
      my-part:
        plugin: nil
    "#);
    insta::assert_snapshot!(check(&with_version("v1.2+git~ab")), @"");
}

#[test]
fn base_rule() {
    let with_base = |b: &str| format!("{TOP}{b}{PLATFORMS}{PARTS}");
    insta::assert_snapshot!(check(&with_base("base: bare\n")), @"5:7 error bare-needs-build-base `bare`: a `bare` base has no system to build on: add a `build-base` (for example `build-base: ubuntu@24.04`) that rockcraft uses to build the parts");
    insta::assert_snapshot!(fixed(&with_base("base: bare\n"), "bare-needs-build-base"), @"
    Add `build-base: ubuntu@24.04`
    name: my-rock
    summary: s
    description: d
    version: '1'
    base: bare
    build-base: ubuntu@24.04
    platforms:
      amd64:
    parts:
      my-part:
        plugin: nil
    ");
    insta::assert_snapshot!(fixed(&with_base("base: bare\nbuild-base:\n"), "bare-needs-build-base"), @"
    Add `build-base: ubuntu@24.04`
    name: my-rock
    summary: s
    description: d
    version: '1'
    base: bare
    build-base: ubuntu@24.04
    platforms:
      amd64:
    parts:
      my-part:
        plugin: nil
    ");
    insta::assert_snapshot!(check(&with_base("base: ubuntu:22.04\nbuild-base: ubuntu:20.04\n")), @"
    5:7 warning deprecated-base `ubuntu:22.04`: the `ubuntu:XX.04` spelling is deprecated: rockcraft reads `base: ubuntu:22.04` as `ubuntu@22.04` and prints a warning; write `ubuntu@22.04`
    6:13 warning deprecated-base `ubuntu:20.04`: the `ubuntu:XX.04` spelling is deprecated: rockcraft reads `build-base: ubuntu:20.04` as `ubuntu@20.04` and prints a warning; write `ubuntu@20.04`
    ");
    insta::assert_snapshot!(fixed(&with_base("base: ubuntu:22.04\n"), "deprecated-base"), @"
    Replace with `ubuntu@22.04`
    name: my-rock
    summary: s
    description: d
    version: '1'
    base: ubuntu@22.04
    platforms:
      amd64:
    parts:
      my-part:
        plugin: nil
    ");
    insta::assert_snapshot!(check(&with_base("base: ubuntu@26.10\n")), @"5:7 error devel-base-needs-devel-build-base `ubuntu@26.10`: `ubuntu@26.10` is still in development: add `build-base: devel` (without it rockcraft stops with a traceback because no build base `ubuntu@26.10` exists)");
    insta::assert_snapshot!(fixed(&with_base("base: ubuntu@26.10\n"), "devel-base-needs-devel-build-base"), @"
    Use `build-base: devel`
    name: my-rock
    summary: s
    description: d
    version: '1'
    base: ubuntu@26.10
    build-base: devel
    platforms:
      amd64:
    parts:
      my-part:
        plugin: nil
    ");
    insta::assert_snapshot!(check(&with_base("base: ubuntu@26.10\nbuild-base: ubuntu@26.04\n")), @"6:13 error devel-base-needs-devel-build-base `ubuntu@26.04`: `ubuntu@26.10` is still in development and can only be built with `build-base: devel`, not `ubuntu@26.04`");
    insta::assert_snapshot!(check(&with_base("base: ubuntu@26.10\nbuild-base: devel\n")), @"6:13 info devel-build-base `devel`: the `devel` build base follows the Ubuntu release in development: its contents change without notice when a new series opens, so use it for testing only");
    // Unknown values are the schema's; the rule adds nothing.
    insta::assert_snapshot!(check(&with_base("base: ubuntu@18.04\n")), @"5:7 error invalid-value `ubuntu@18.04`: `ubuntu@18.04` is not a valid `base`. Allowed values: `bare`, `ubuntu@20.04`, `ubuntu@22.04`, `ubuntu@24.04`, `ubuntu@25.10`, `ubuntu@26.04`, `ubuntu@26.10`");
    // Clean.
    insta::assert_snapshot!(check(&with_base("base: bare\nbuild-base: ubuntu@22.04\n")), @"");
    insta::assert_snapshot!(check(&with_base("base: ubuntu@25.10\n")), @"");
}

#[test]
fn environment_rule() {
    insta::assert_snapshot!(check(&rock("environment:\n  PATH: /usr/bin:$PATH\n  HOME_DIR: \"${HOME}/x\"\n")), @r#"
    12:9 error env-interpolation `/usr/bin:$PATH`: rockcraft does not expand variables in `environment`, so it refuses the `$PATH` in `PATH` (a `$` is only allowed as the last character): write the complete value instead
    13:13 error env-interpolation `"${HOME}/x"`: rockcraft does not expand variables in `environment`, so it refuses the `$HOME` in `HOME_DIR` (a `$` is only allowed as the last character): write the complete value instead
    "#);
    // Clean: a trailing `$` is allowed, other values untouched.
    insta::assert_snapshot!(check(&rock("environment:\n  PRICE: cost$\n  MODE: production\n")), @"");
}

#[test]
fn platforms_rule() {
    let with = |p: &str| format!("{TOP}{BASE}platforms:\n{p}{PARTS}");
    insta::assert_snapshot!(check(&with("  mips:\n  x86/64:\n    build-on: [amd64]\n    build-for: [amd64]\n")), @"
    7:3 error platform-needs-build-for `mips`: `mips` is not an architecture, so this platform needs `build-on` and `build-for` (for example `build-on: [amd64]` and `build-for: [amd64]`); a platform can be left empty only when its name is one of `amd64`, `arm64`, `armhf`, `i386`, `ppc64el`, `riscv64` and `s390x`
    8:3 error platform-name-slash `x86/64`: platform names cannot contain `/`: rename `x86/64` (for example to `x86-64`)
    ");
    insta::assert_snapshot!(check(&with("  amd46:\n")), @"7:3 error platform-needs-build-for `amd46`: `amd46` is not an architecture, so this platform needs `build-on` and `build-for`; did you mean `amd64`?");
    insta::assert_snapshot!(check(&with("  my-amd64:\n")), @"7:3 error platform-needs-build-for `my-amd64`: `my-amd64` is not an architecture, so this platform needs `build-on` and `build-for` (for example `build-on: [amd64]` and `build-for: [amd64]`); a platform can be left empty only when its name is one of `amd64`, `arm64`, `armhf`, `i386`, `ppc64el`, `riscv64` and `s390x`");
    insta::assert_snapshot!(check(&with("  all:\n")), @"7:3 error platform-needs-build-for `all`: `all:` alone would build on `all`, which is not a machine: give the platform `build-on: [amd64]` (the machines to build on) and `build-for: [all]`");
    insta::assert_snapshot!(check(&with("  amd64:\n    build-on: [all, amd46]\n    build-for: [amd64]\n")), @"
    8:16 error build-on-all `all`: `all` is only valid in `build-for` (for architecture-independent rocks); `build-on` must list the machines that build, such as `amd64`
    8:21 error invalid-architecture `amd46`: `amd46` is not a Debian architecture; did you mean `amd64`?
    ");
    insta::assert_snapshot!(check(&with("  amd64:\n    build-on: [amd64]\n    build-for: [arm64]\n")), @"9:17 error platform-label-mismatch `arm64`: the platform is named after the architecture `amd64` but builds for `arm64`: when a platform's name is an architecture, `build-for` must be that architecture. Build for `amd64` or rename the platform (for example to `arm64` or a custom name)");
    insta::assert_snapshot!(fixed(&with("  amd64:\n    build-on: [amd64]\n    build-for: [arm64]\n"), "platform-label-mismatch"), @"
    Build for `amd64`
    name: my-rock
    summary: s
    description: d
    version: '1'
    base: ubuntu@24.04
    platforms:
      amd64:
        build-on: [amd64]
        build-for: [amd64]
    parts:
      my-part:
        plugin: nil
    ");
    insta::assert_snapshot!(check(&with("  multi:\n    build-on: [amd64]\n    build-for: [amd64, arm64]\n")), @"9:16 error build-for-single `[amd64, arm64]`: `build-for` takes exactly one architecture, but 2 are listed: make one platform per target architecture");
    insta::assert_snapshot!(check(&with("  indep:\n    build-on: amd64\n    build-for: all\n")), @"9:16 error unsupported-architecture `all`: rockcraft does not support `all` (architecture-independent) as a target: use one of `amd64`, `arm64`, `armhf`, `i386`, `ppc64el`, `riscv64` and `s390x`");
    insta::assert_snapshot!(check(&with("  arm64:\n    build-on: [amd64]\n")), @"7:3 error platform-needs-build-for `arm64`: platform `arm64` has `build-on` but no `build-for`: rockcraft requires both when the platform is not empty; add `build-for: [arm64]`");
    insta::assert_snapshot!(check(&with("  custom:\n    build-on: [amd64]\n")), @"7:3 error missing-key `custom`: `platforms.custom` is missing the required key `build-for`");
    insta::assert_snapshot!(check(&with("  custom:\n    build-for: [amd64]\n")), @"7:3 error missing-key `custom`: `platforms.custom` is missing the required key `build-on`");
    insta::assert_snapshot!(check(&with("  custom:\n    build-on: [ubuntu@24.04:amd64]\n    build-for: [amd64]\n")), @"8:15 error unsupported-architecture `[ubuntu@24.04:amd64]`: rockcraft needs at least one plain architecture in `build-on` (such as `amd64`); entries with a base prefix (`ubuntu@24.04:amd64`) are not supported");
    insta::assert_snapshot!(check(&with("  custom:\n    build-on: [noble:amd64, amd64]\n    build-for: [amd64]\n")), @"8:16 error invalid-architecture `noble:amd64`: `noble` before the `:` is not a base: write `<distribution>@<series>:<architecture>` (such as `ubuntu@24.04:amd64`), or just the architecture");
    insta::assert_snapshot!(check(&with("  custom:\n    build-on: []\n    build-for: [amd64]\n")), @"8:15 error platform-needs-build-on `[]`: `build-on` is empty: list at least one architecture to build on");
    // Clean: arch shorthand, custom labels with scalar or list values.
    insta::assert_snapshot!(check(&with("  amd64:\n  arm64:\n    build-on: [amd64, arm64]\n    build-for: [arm64]\n  my-x86:\n    build-on: amd64\n    build-for: amd64\n  cross:\n    build-on: [amd64, ubuntu@24.04:arm64]\n    build-for: riscv64\n")), @"");
}

#[test]
fn entrypoint_rule() {
    let svc = "services:\n  web:\n    override: replace\n    command: /usr/bin/web --port 8080\n  api:\n    override: replace\n    command: /usr/bin/api [ --port 80 ]\n";
    insta::assert_snapshot!(check(&rock(&format!("entrypoint-service: wbe\n{svc}"))), @"11:21 error entrypoint-unknown-service `wbe`: `entrypoint-service` names `wbe`, which is not a service of this project; did you mean `web`?");
    insta::assert_snapshot!(check(&rock("entrypoint-service: web\n")), @"11:21 error entrypoint-unknown-service `web`: `entrypoint-service` names `web`, but the project defines no services: add it under `services:`");
    insta::assert_snapshot!(check(&rock(&format!("entrypoint-service: web\n{svc}"))), @"11:21 error entrypoint-no-default-args `web`: service `web` cannot be the entrypoint: its command has no `[ ... ]` group of default arguments (which become the image's CMD); write it as for example `/usr/bin/web --port 8080 [ ]`");
    insta::assert_snapshot!(check(&rock(&format!("entrypoint-service: api\nentrypoint-command: /bin/sh [ -c 'echo hi' ]\n{svc}"))), @"
    11:1 info atypical-entrypoint `entrypoint-service`: `entrypoint-service` makes `api` the entrypoint; the rock gets an atypical OCI entrypoint: fine for testing and personal use, but publishing it in a Canonical registry namespace needs prior approval
    12:1 error entrypoint-conflict `entrypoint-command`: `entrypoint-command` and `entrypoint-service` cannot be used together: keep `entrypoint-service` to start a Pebble service, or remove it to run this command instead
    ");
    insta::assert_snapshot!(check(&rock("entrypoint-command: /bin/sh [ -c 'echo hi ]\n")), @"11:21 error entrypoint-command-syntax `/bin/sh [ -c 'echo hi ]`: rockcraft cannot read `entrypoint-command`: a `'` quote is not closed");
    insta::assert_snapshot!(check(&rock("entrypoint-command: /bin/sh [ -c x ] extra\n")), @"11:21 error entrypoint-command-syntax `/bin/sh [ -c x ] extra`: rockcraft cannot read `entrypoint-command`: `extra` comes after the `[ ... ]` group, which must be the last part of the command");
    // Clean (apart from the notice): a service with default args, an extension's service.
    insta::assert_snapshot!(check(&rock(&format!("entrypoint-service: api\n{svc}"))), @"11:1 info atypical-entrypoint `entrypoint-service`: `entrypoint-service` makes `api` the entrypoint; the rock gets an atypical OCI entrypoint: fine for testing and personal use, but publishing it in a Canonical registry namespace needs prior approval");
    insta::assert_snapshot!(check(&format!("{TOP}{BASE}{PLATFORMS}extensions: [flask-framework]\nentrypoint-service: flask\n")), @"9:1 info atypical-entrypoint `entrypoint-service`: `entrypoint-service` makes `flask` the entrypoint; the rock gets an atypical OCI entrypoint: fine for testing and personal use, but publishing it in a Canonical registry namespace needs prior approval");
}

#[test]
fn plugins_rule() {
    let part = |base: &str, plugin: &str| {
        format!("{TOP}{base}{PLATFORMS}parts:\n  my-part:\n    plugin: {plugin}\n    source: .\n")
    };
    insta::assert_snapshot!(check(&part(BASE, "bazel")), @"10:13 error plugin-unavailable `bazel`: the `bazel` plugin is not available when building on `ubuntu@24.04` (the `base`); rockcraft offers it only on `ubuntu@25.10`, `ubuntu@26.04` and `devel`. Change the base or use another plugin");
    insta::assert_snapshot!(check(&part("base: bare\nbuild-base: ubuntu@26.04\n", "poetry")), @"11:13 error plugin-unavailable `poetry`: the `poetry` plugin is not available when building on `ubuntu@26.04` (the `build-base`); rockcraft offers it only on `ubuntu@20.04`, `ubuntu@22.04` and `ubuntu@24.04`. Change the build-base or use another plugin");
    insta::assert_snapshot!(check(&part(BASE, "ruby")), @"10:13 error plugin-unavailable `ruby`: rockcraft does not provide the `ruby` plugin (craft-parts has it, but rockcraft never registers it), so part `my-part` cannot use it; pick another plugin, for example `nil` with an `override-build` script");
    insta::assert_snapshot!(check(&part(BASE, "npm-use")), @"10:13 error plugin-unavailable `npm-use`: rockcraft does not provide the `npm-use` plugin (craft-parts has it, but rockcraft never registers it), so part `my-part` cannot use it; pick another plugin, for example `nil` with an `override-build` script");
    // Clean.
    insta::assert_snapshot!(check(&part("base: ubuntu:22.04\n", "uv")), @"5:7 warning deprecated-base `ubuntu:22.04`: the `ubuntu:XX.04` spelling is deprecated: rockcraft reads `base: ubuntu:22.04` as `ubuntu@22.04` and prints a warning; write `ubuntu@22.04`");
    insta::assert_snapshot!(check(&part("base: ubuntu@26.10\nbuild-base: devel\n", "bazel")), @"6:13 info devel-build-base `devel`: the `devel` build base follows the Ubuntu release in development: its contents change without notice when a new series opens, so use it for testing only");
    insta::assert_snapshot!(check(&part(BASE, "python")), @"");
}

#[test]
fn packages_rule() {
    insta::assert_snapshot!(check(&rock("  debs:\n    plugin: nil\n    stage-packages: [libpq5_libs, libssl3_libs, curl]\n")), @"13:49 error mixed-stage-packages `curl`: `stage-packages` of part `debs` mixes chisel slices (names with `_`, such as `libpq5_libs`) and whole Debian packages (such as `curl`), which rockcraft refuses: use only slices (`curl_<slice>`) or only packages, or move `curl` to a separate part");
    let bare = |part: &str| {
        format!(
            "{TOP}base: bare\nbuild-base: ubuntu@24.04\n{PLATFORMS}parts:\n  my-part:\n    plugin: nil\n{part}"
        )
    };
    insta::assert_snapshot!(check(&bare("    overlay-packages: [curl]\n    override-overlay: echo hi\n    overlay: [usr/bin]\n")), @"
    12:5 error overlay-on-bare `overlay-packages`: part `my-part` uses `overlay-packages`, but the base is `bare`: there is no base system to overlay. Remove `overlay-packages`, or use an Ubuntu base such as `base: ubuntu@24.04`
    13:5 error overlay-on-bare `override-overlay`: part `my-part` uses `override-overlay`, but the base is `bare`: there is no base system to overlay. Remove `override-overlay`, or use an Ubuntu base such as `base: ubuntu@24.04`
    14:5 error overlay-on-bare `overlay`: part `my-part` uses `overlay`, but the base is `bare`: there is no base system to overlay. Remove `overlay`, or use an Ubuntu base such as `base: ubuntu@24.04`
    ");
    // Clean: overlay defaults and empty values, separate parts, an Ubuntu base.
    insta::assert_snapshot!(check(&bare("    overlay: ['*']\n    overlay-packages: []\n    stage-packages: [base-files_base]\n")), @"");
    insta::assert_snapshot!(check(&rock("    overlay-script: echo hi\n    stage-packages: [curl, git]\n  slices:\n    plugin: nil\n    stage-packages: [libc6_libs]\n")), @"");
}

#[test]
fn checks_rule() {
    insta::assert_snapshot!(check(&rock("checks:\n  none:\n    override: replace\n    period: 10s\n")), @"12:3 error check-type-missing `none`: check `none` does not say what to probe: add exactly one of `http:` (with `url`), `tcp:` (with `port`) or `exec:` (with `command`)");
    insta::assert_snapshot!(check(&rock("checks:\n  all:\n    override: replace\n    http:\n      url: http://localhost/\n    tcp:\n      port: 80\n    exec:\n      command: true\n")), @"16:5 error check-type-multiple `tcp`: check `all` has 3 types (http, tcp, exec), but a check runs exactly one kind of probe: keep one, or split it into separate checks");
    // Clean.
    insta::assert_snapshot!(check(&rock("checks:\n  up:\n    override: replace\n    tcp:\n      port: 80\n")), @"");
}

#[test]
fn references_rule() {
    insta::assert_snapshot!(check(&rock("  second:\n    plugin: nil\n    after: [my-prat, second, flask-framework/install-app]\n")), @"
    13:13 warning unknown-part-ref `my-prat`: part `second` is to be built after `my-prat`, but the project has no part `my-prat`; rockcraft will stop when it builds. Did you mean `my-part`?
    13:22 warning unknown-part-ref `second`: part `second` cannot come after itself: remove `second` from its `after`
    13:30 warning unknown-part-ref `flask-framework/install-app`: part `second` is to be built after `flask-framework/install-app`, but the project has no part `flask-framework/install-app`; rockcraft will stop when it builds
    ");
    let svc = "services:\n  web:\n    override: replace\n    command: /usr/bin/web\n    after: [db]\n    requires: [dbb]\n    on-check-failure:\n      web-up: restart\n  db:\n    override: replace\n    command: /usr/bin/db\n    before: [db]\n";
    insta::assert_snapshot!(check(&rock(svc)), @"
    16:16 warning unknown-service-ref `dbb`: service `web` lists `dbb` in `requires`, but there is no service `dbb`; Pebble will fail to start `web`. Did you mean `db`?
    18:7 warning unknown-check-ref `web-up`: service `web` reacts to check `web-up`, but the project defines no checks, so this never triggers: add the check under `checks:`
    22:14 warning unknown-service-ref `db`: service `db` lists itself in `before`; remove it
    ");
    // Clean: extension parts and services, declared checks, pebble's part.
    insta::assert_snapshot!(check(&format!("{TOP}{BASE}{PLATFORMS}extensions: [flask-framework]\nparts:\n  extra:\n    plugin: nil\n    after: [flask-framework/install-app, pebble]\nservices:\n  worker:\n    override: replace\n    command: /bin/worker\n    after: [flask, statsd-exporter]\n    on-check-failure:\n      up: restart\nchecks:\n  up:\n    override: replace\n    tcp:\n      port: 80\n")), @"");
}

#[test]
fn license_rule() {
    insta::assert_snapshot!(check(&rock("license: Not-A-License\n")), @"11:10 error invalid-license `Not-A-License`: `Not-A-License` is not a license rockcraft accepts: use `proprietary` or a single SPDX license identifier such as `Apache-2.0`, `MIT` or `GPL-3.0`");
    insta::assert_snapshot!(check(&rock("license: MTI\n")), @"11:10 error invalid-license `MTI`: `MTI` is not an SPDX license identifier rockcraft knows; did you mean `MIT`? (or use `proprietary`)");
    insta::assert_snapshot!(check(&rock("license: MIT OR Apache-2.0\n")), @"11:10 error invalid-license `MIT OR Apache-2.0`: `MIT OR Apache-2.0` is an SPDX expression, but rockcraft accepts only `proprietary` or a single SPDX license identifier; pick the main license (e.g. `Apache-2.0`)");
    insta::assert_snapshot!(check(&rock("license: GPL-3.0-or-later\n")), @"11:10 error invalid-license `GPL-3.0-or-later`: rockcraft checks licenses against an older SPDX list (2.5) that does not have `GPL-3.0-or-later`; the nearest identifier it knows is `GPL-3.0`");
    insta::assert_snapshot!(check(&rock("license: apache-2.0\n")), @"11:10 hint license-case `apache-2.0`: rockcraft records this license as `Apache-2.0`");
    // Clean.
    insta::assert_snapshot!(check(&rock("license: Apache-2.0\n")), @"");
    insta::assert_snapshot!(check(&rock("license: proprietary\n")), @"");
}

#[test]
fn prime_entries_need_the_framework_prefix() {
    let flask = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nextensions: [flask-framework]\nparts:\n  flask-framework/install-app:\n    prime:\n      - flask/app/app.py\n      - app/templates\n      - \"static\"\n      - -flask/app/secret\n      - '- notes.txt'\n      - flask/apple.py\n";
    insta::assert_snapshot!(check(flask), @r#"
    13:9 error prime-prefix `app/templates`: `app/templates` does not start with `flask/app/`: flask-framework copies the application to `flask/app/`, so every `prime` entry of `flask-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `flask/app/templates`, or `flask/app/app/templates` if `app/` is a directory of the project
    14:9 error prime-prefix `"static"`: `static` does not start with `flask/app/`: flask-framework copies the application to `flask/app/`, so every `prime` entry of `flask-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `flask/app/static`
    16:9 error prime-prefix `'- notes.txt'`: `- notes.txt` does not start with `flask/app/`: flask-framework copies the application to `flask/app/`, so every `prime` entry of `flask-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `- flask/app/notes.txt`
    "#);
    let fastapi = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nextensions: [fastapi-framework]\nparts:\n  fastapi-framework/install-app:\n    prime: [app/main.py, flask/app/x, app]\n";
    insta::assert_snapshot!(check(fastapi), @"
    11:26 error prime-prefix `flask/app/x`: `flask/app/x` does not start with `app/`: fastapi-framework copies the application to `app/`, so every `prime` entry of `fastapi-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `app/x`
    11:39 error prime-prefix `app`: `app` does not start with `app/`: fastapi-framework copies the application to `app/`, so every `prime` entry of `fastapi-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `app/app`
    ");
    // `app/templates`: replacing `app/` comes first, keeping it as a directory second.
    let a = analyze(flask);
    let d = a
        .diagnostics
        .iter()
        .find(|d| a.doc.text_at(d.range) == "app/templates")
        .unwrap();
    let fixes: Vec<(&str, &str)> = d
        .fixes
        .iter()
        .map(|f| (f.title.as_str(), f.edits[0].text.as_str()))
        .collect();
    assert_eq!(
        fixes,
        [
            ("Replace `app/` with `flask/app/`", "flask/app/"),
            ("Prefix with `flask/app/`", "flask/app/")
        ]
    );
    assert!(fixed(flask, "prime-prefix").contains("      - flask/app/templates\n"));
    assert_eq!(d.fixes[1].edits[0].range.len(), 0.into());
    // Without the extension the part is the user's own and nothing is required.
    let plain = flask.replace("extensions: [flask-framework]\n", "");
    assert!(!check(&plain).contains("prime-prefix"));
}

#[test]
fn snapcraft_app_keys_in_services_are_explained() {
    let text = format!(
        "{HEAD}parts:\n  p:\n    plugin: nil\nservices:\n  web:\n    override: replace\n    command: srv\n    daemon: simple\n    restart-delay: 5s\n"
    );
    insta::assert_snapshot!(check(&text), @r#"
        15:5 error unknown-key `daemon`: `daemon` is a snapcraft app key, but services here are Pebble services, which have no `daemon`: Pebble runs every service as a long-running process; `startup: enabled` starts it with the container
        16:5 error unknown-key `restart-delay`: `restart-delay` is a snapcraft app key, but services here are Pebble services, which have no `restart-delay`: the wait before a restart is `backoff-delay`
        "#);
    let only_delay = text.replace("    daemon: simple\n", "");
    assert!(fixed(&only_delay, "unknown-key").contains("    backoff-delay: 5s\n"));
}
