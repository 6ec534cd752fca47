//! End-to-end completion tests: real JSON-RPC against the server, with a project on disk.

use std::time::Duration;

use crate::client::{Enc, PUBLISH, TestClient, WAIT, position};
use serde_json::{Value, json};

/// A temporary project directory, removed on drop.
struct TempDir(tempfile::TempDir);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("rockcraft-lsp-completion-{name}-"))
            .tempdir()
            .unwrap();
        Self(dir)
    }

    fn path(&self) -> &std::path::Path {
        self.0.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}", self.path().join(rel).display())
    }
}

async fn client(options: Value) -> TestClient {
    client_with(options, json!({}), None).await
}

/// A client with extra `workspace` capabilities that answers `workspace/configuration` with
/// `configuration` when given.
async fn client_with(options: Value, workspace: Value, configuration: Option<Value>) -> TestClient {
    let mut c = TestClient::start();
    if let Some(answer) = configuration {
        c.answer("workspace/configuration", answer);
    }
    c.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "capabilities": {
                "general": { "positionEncodings": ["utf-8"] },
                "textDocument": { "completion": { "completionItem": { "snippetSupport": true } } },
                "workspace": workspace,
            },
            "initializationOptions": options,
        }),
    )
    .await;
    c.notify("initialized", json!({})).await;
    c
}

/// Opens `src` (with `$0` marking the cursor) and returns the cursor position.
async fn open_at(c: &mut TestClient, uri: &str, src: &str) -> (u32, u32) {
    let offset = src.find("$0").unwrap();
    let text = src.replacen("$0", "", 1);
    c.open(uri, 1, &text).await;
    position(&text, offset, Enc::Utf8)
}

async fn complete(c: &mut TestClient, uri: &str, (line, character): (u32, u32)) -> Vec<Value> {
    let res = c
        .request(
            "textDocument/completion",
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": character },
            }),
        )
        .await;
    res["items"].as_array().cloned().unwrap_or_default()
}

/// Opens `src` (with `$0` marking the cursor) and returns the completion items there.
async fn complete_at(c: &mut TestClient, uri: &str, src: &str) -> Vec<Value> {
    let at = open_at(c, uri, src).await;
    complete(c, uri, at).await
}

/// Asks for completions at `at` until `done(items)` (package indexes load in the background);
/// fails when [`WAIT`] passes first.
async fn complete_until(
    c: &mut TestClient,
    uri: &str,
    at: (u32, u32),
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let items = complete(c, uri, at).await;
        if done(&items) {
            return items;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "completion never gave what the test waits for: {:?}",
            labels(&items)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The first diagnostics published for `uri` that satisfy `done`.
async fn diagnostics_until(
    c: &mut TestClient,
    uri: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let params = c
        .notification(
            PUBLISH,
            |p| p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| done(d)),
            WAIT,
        )
        .await
        .unwrap_or_else(|| panic!("no matching diagnostics for {uri}"));
    params["diagnostics"].as_array().unwrap().clone()
}

fn with_code<'a>(diags: &'a [Value], code: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

/// The extensions rockcraft expands on the project's base: spring-boot-framework is
/// experimental on ubuntu@24.04, so it comes only with the experimental setting on.
#[tokio::test]
async fn extensions_list_offers_what_the_base_supports() {
    let text = "name: x\nbase: ubuntu@24.04\nextensions:\n  - $0\n";
    let stable = [
        "django-framework",
        "expressjs-framework",
        "fastapi-framework",
        "flask-framework",
        "go-framework",
    ];
    let mut c = client(json!(null)).await;
    let items = complete_at(&mut c, "file:///tmp/ext/rockcraft.yaml", text).await;
    assert_eq!(labels(&items), stable);
    c.shutdown_and_exit().await;

    let mut c = client(json!({"experimentalExtensions": true})).await;
    let items = complete_at(&mut c, "file:///tmp/ext/rockcraft.yaml", text).await;
    let mut all = stable.to_vec();
    all.push("spring-boot-framework");
    assert_eq!(labels(&items), all);
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn flask_install_app_prime_offers_project_files() {
    let dir = TempDir::new("flask");
    dir.write("app.py", "");
    dir.write("templates/index.html", "");
    dir.write("node_modules/x.js", "");
    let src = "name: x\nbase: ubuntu@22.04\nplatforms:\n  amd64:\nextensions:\n  - flask-framework\nparts:\n  flask-framework/install-app:\n    prime:\n      - $0\n";
    dir.write("rockcraft.yaml", &src.replace("$0", ""));
    let mut c = client(json!(null)).await;
    let items = complete_at(&mut c, &dir.uri("rockcraft.yaml"), src).await;
    let l = labels(&items);
    assert!(l.contains(&"flask/app/app.py"), "{l:?}");
    assert!(l.contains(&"flask/app/templates"), "{l:?}");
    assert!(!l.iter().any(|x| x.contains("node_modules")), "{l:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn stage_packages_on_bare_offer_slices() {
    let mut c = client(json!(null)).await;
    let items = complete_at(
        &mut c,
        "file:///tmp/bare/rockcraft.yaml",
        "name: x\nbase: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages:\n      - libpq$0\n",
    )
    .await;
    assert!(labels(&items).contains(&"libpq5_libs"), "{items:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn configured_packages_index_offers_debs_with_descriptions() {
    let dir = TempDir::new("debs");
    dir.write(
        "Packages",
        "Package: curl\nVersion: 8\nDescription: command line tool for transferring data\n curl is a client.\n\nPackage: cups\nDescription: printing system\n",
    );
    let index = dir.path().join("Packages").display().to_string();
    let mut c = client(json!({ "packages": { "indexFiles": [index], "aptListsDir": "" } })).await;
    let uri = "file:///tmp/debs/rockcraft.yaml";
    let at = open_at(
        &mut c,
        uri,
        "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [cur$0]\n",
    )
    .await;
    // Until the configured list has loaded, `curl` comes from the bundled slice index.
    let items = complete_until(&mut c, uri, at, |l| {
        l.iter()
            .any(|i| i["detail"] == "command line tool for transferring data")
    })
    .await;
    assert_eq!(labels(&items), ["curl"]);
    let doc = items[0]["documentation"]["value"].as_str().unwrap();
    assert!(doc.contains("curl is a client."), "{doc}");
    c.shutdown_and_exit().await;
}

fn gzip(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap()
}

/// An apt lists directory like the host's: noble lists (plain and gzip), a Debian list, and
/// files that are not package lists.
fn apt_lists(dir: &TempDir) -> String {
    let lists = dir.path().join("lists");
    std::fs::create_dir_all(&lists).unwrap();
    std::fs::write(
        lists.join("archive.ubuntu.com_ubuntu_dists_noble_main_binary-amd64_Packages"),
        "Package: zzfix-hello\nDescription: greets the noble world\n\nPackage: zzfix-tool\nDescription: a tool\n",
    )
    .unwrap();
    std::fs::write(
        lists.join(
            "archive.ubuntu.com_ubuntu_dists_noble-updates_universe_binary-amd64_Packages.gz",
        ),
        gzip("Package: zzfix-updated\nDescription: from noble-updates\n"),
    )
    .unwrap();
    std::fs::write(
        lists.join("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"),
        "Package: zzfix-debian\nDescription: not Ubuntu\n",
    )
    .unwrap();
    std::fs::write(
        lists.join("archive.ubuntu.com_ubuntu_dists_noble_InRelease"),
        "junk",
    )
    .unwrap();
    std::fs::write(lists.join("lock"), "").unwrap();
    lists.display().to_string()
}

#[tokio::test]
async fn host_apt_lists_give_debs_for_their_release_only() {
    let dir = TempDir::new("apt-lists");
    let lists = apt_lists(&dir);
    let mut c = client(json!({ "packages": { "aptListsDir": lists } })).await;
    let noble = "file:///tmp/apt-noble/rockcraft.yaml";
    let at = open_at(
        &mut c,
        noble,
        "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [zzfix$0]\n",
    )
    .await;
    let items = complete_until(&mut c, noble, at, |l| !l.is_empty()).await;
    assert_eq!(
        labels(&items),
        ["zzfix-hello", "zzfix-tool", "zzfix-updated"],
        "noble: both noble lists, not the Debian one"
    );
    assert_eq!(items[0]["detail"], "greets the noble world");

    // Jammy has no lists in the directory: no debs from noble's (and the noble index, once
    // loaded, stays shared and unchanged).
    let jammy = "file:///tmp/apt-jammy/rockcraft.yaml";
    let items = complete_at(
        &mut c,
        jammy,
        "name: x\nbase: ubuntu@22.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [zzfix$0]\n",
    )
    .await;
    assert_eq!(labels(&items), Vec::<&str>::new());
    // Without a list for jammy, the packages of its slice index stand in.
    let items = complete_at(
        &mut c,
        "file:///tmp/apt-jammy2/rockcraft.yaml",
        "name: x\nbase: ubuntu@22.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [libssl$0]\n",
    )
    .await;
    assert_eq!(labels(&items), ["libssl3"]);
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn unknown_debs_are_warned_only_where_a_list_is_loaded() {
    let dir = TempDir::new("apt-warn");
    let lists = apt_lists(&dir);
    let mut c = client(json!({ "packages": { "aptListsDir": lists } })).await;
    let text = "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [zzfix-hello, zzfix-helo]\n";
    let noble = "file:///tmp/warn-noble/rockcraft.yaml";
    c.open(noble, 1, text).await;
    let diags = diagnostics_until(&mut c, noble, |d| {
        d.iter().any(|x| x["code"] == "unknown-package")
    })
    .await;
    let unknown = with_code(&diags, "unknown-package");
    assert_eq!(unknown.len(), 1, "{diags:?}");
    assert_eq!(unknown[0]["severity"], 2);
    let msg = unknown[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("`zzfix-helo`") && msg.contains("Did you mean `zzfix-hello`?"),
        "{msg}"
    );

    // The same on jammy: no list loaded, so nothing is said about the names.
    let jammy = "file:///tmp/warn-jammy/rockcraft.yaml";
    c.open(jammy, 1, &text.replace("24.04", "22.04")).await;
    let diags = c.diagnostics(jammy, Some(1)).await;
    assert!(with_code(&diags, "unknown-package").is_empty(), "{diags:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn unknown_slice_error_and_unknown_deb_warning_are_published() {
    let dir = TempDir::new("names");
    dir.write("Packages", "Package: curl\nDescription: URL tool\n");
    let index = dir.path().join("Packages").display().to_string();
    let mut c = client(json!({ "packages": { "indexFiles": [index], "aptListsDir": "" } })).await;
    let uri = "file:///tmp/names/rockcraft.yaml";
    let text = "name: x\nbase: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [libpq5_lib]\n    build-packages: [curll]\n";
    c.open(uri, 1, text).await;
    let diags = diagnostics_until(&mut c, uri, |d| {
        d.iter().any(|x| x["code"] == "unknown-slice")
            && d.iter().any(|x| x["code"] == "unknown-package")
    })
    .await;
    let slice = with_code(&diags, "unknown-slice")[0];
    assert_eq!(slice["severity"], 1);
    assert_eq!(
        slice["range"],
        crate::client::range_of(text, "libpq5_lib", 0, Enc::Utf8)
    );
    assert!(
        slice["message"]
            .as_str()
            .unwrap()
            .contains("Did you mean `libpq5_libs`?"),
        "{slice}"
    );
    let deb = with_code(&diags, "unknown-package")[0];
    assert_eq!(deb["severity"], 2);
    assert_eq!(
        deb["range"],
        crate::client::range_of(text, "curll", 0, Enc::Utf8)
    );

    // The "did you mean" is a quick fix.
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": slice["range"],
                "context": { "diagnostics": [], "only": ["quickfix"] },
            }),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Replace with `libpq5_libs`"), "{titles:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn workspace_configuration_answer_sets_the_index() {
    let dir = TempDir::new("config");
    dir.write("first", "Package: zzconf-first\nDescription: one\n");
    dir.write("second", "Package: zzconf-second\nDescription: two\n");
    let settings = |file: &str| {
        json!([{ "packages": {
            "indexFiles": [dir.path().join(file).display().to_string()],
            "aptListsDir": "",
        } }])
    };
    let mut c = client_with(
        json!(null),
        json!({ "configuration": true, "didChangeConfiguration": { "dynamicRegistration": false } }),
        Some(settings("first")),
    )
    .await;
    let request = c
        .server_request("workspace/configuration", WAIT)
        .await
        .expect("the server asks for its configuration after initialized");
    assert_eq!(request["params"]["items"][0]["section"], "rockcraft");

    let uri = "file:///tmp/config/rockcraft.yaml";
    let at = open_at(
        &mut c,
        uri,
        "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    build-packages: [zzconf$0]\n",
    )
    .await;
    let items = complete_until(&mut c, uri, at, |l| !l.is_empty()).await;
    assert_eq!(labels(&items), ["zzconf-first"]);

    // The settings change: the server asks again and reloads.
    c.answer("workspace/configuration", settings("second"));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    )
    .await;
    let items = complete_until(&mut c, uri, at, |l| labels(l) == ["zzconf-second"]).await;
    assert_eq!(labels(&items), ["zzconf-second"]);
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn chisel_releases_checkout_replaces_the_bundled_slices() {
    let dir = TempDir::new("checkout");
    dir.write(
        "chisel-releases/chisel.yaml",
        "format: v1\narchives:\n  ubuntu:\n    version: 24.04\n    suites: [noble]\n",
    );
    dir.write(
        "chisel-releases/slices/zzmine.yaml",
        "package: zzmine\nslices:\n  bins:\n    contents:\n      /usr/bin/zzmine:\n  config: {}\n",
    );
    dir.write("chisel-releases/slices/broken.yaml", "package: [\n");
    let checkout = dir.path().join("chisel-releases").display().to_string();
    let mut c = client(json!({
        "packages": { "aptListsDir": "" },
        "chisel": { "releasesDir": checkout },
    }))
    .await;
    let uri = "file:///tmp/checkout/rockcraft.yaml";
    let at = open_at(
        &mut c,
        uri,
        "name: x\nbase: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [zzmine_$0]\n",
    )
    .await;
    let items = complete_until(&mut c, uri, at, |l| !l.is_empty()).await;
    assert_eq!(labels(&items), ["zzmine_bins", "zzmine_config"]);
    // The bundled slices of 24.04 are replaced: `libpq5_libs` is unknown to this checkout.
    c.change_full(
        uri,
        2,
        "name: x\nbase: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [zzmine_bins, libpq5_libs]\n",
    )
    .await;
    let diags = c.diagnostics(uri, Some(2)).await;
    let unknown = with_code(&diags, "unknown-slice");
    assert_eq!(unknown.len(), 1, "{diags:?}");
    assert!(
        unknown[0]["message"]
            .as_str()
            .unwrap()
            .contains("your chisel-releases checkout"),
        "{diags:?}"
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn settings_pushed_with_did_change_configuration_apply_without_a_pull() {
    let dir = TempDir::new("push");
    dir.write("Packages", "Package: zzpush-deb\nDescription: pushed\n");
    let mut c = client(json!({ "packages": { "aptListsDir": "" } })).await;
    let uri = "file:///tmp/push/rockcraft.yaml";
    let at = open_at(
        &mut c,
        uri,
        "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    build-packages: [zzpush$0]\n",
    )
    .await;
    assert!(labels(&complete(&mut c, uri, at).await).is_empty());
    // This client does not answer workspace/configuration: the payload is the settings.
    let index = dir.path().join("Packages").display().to_string();
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "rockcraft": { "packages": { "indexFiles": [index] } } } }),
    )
    .await;
    let items = complete_until(&mut c, uri, at, |l| !l.is_empty()).await;
    assert_eq!(labels(&items), ["zzpush-deb"]);
    assert!(
        c.server_request("workspace/configuration", crate::client::QUIET)
            .await
            .is_none()
    );
    c.shutdown_and_exit().await;
}

/// `bare` needs a build base: the item brings one as an additional edit, on the next line.
#[tokio::test]
async fn bare_base_comes_with_its_build_base() {
    let mut c = client(json!(null)).await;
    let items = complete_at(
        &mut c,
        "file:///tmp/bare/rockcraft.yaml",
        "name: x\nbase: $0\nversion: '1'\n",
    )
    .await;
    let bare = items
        .iter()
        .find(|i| i["label"] == "bare")
        .expect("bare offered");
    assert_eq!(
        bare["additionalTextEdits"],
        json!([{
            "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
            "newText": "build-base: ubuntu@24.04\n"
        }])
    );
    let plain = items
        .iter()
        .find(|i| i["label"] == "ubuntu@22.04")
        .expect("22.04 offered");
    assert!(plain.get("additionalTextEdits").is_none_or(Value::is_null));
    c.shutdown_and_exit().await;
}

#[cfg(unix)]
#[tokio::test]
async fn index_files_that_are_devices_streams_or_fifos_are_skipped() {
    let dir = TempDir::new("hostile-index");
    dir.write("Packages", "Package: zzgood\nDescription: read\n");
    let fifo = dir.path().join("fifo_Packages");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let lists = dir.path().join("lists");
    std::fs::create_dir(&lists).unwrap();
    std::os::unix::fs::symlink(
        "/dev/zero",
        lists.join("x_ubuntu_dists_noble_main_binary-amd64_Packages"),
    )
    .unwrap();
    let index_files = json!([
        "/dev/zero",
        "/dev/stdin",
        "/proc/self/fd/0",
        fifo.display().to_string(),
        dir.path().join("Packages").display().to_string(),
    ]);
    let mut c = client(json!({ "packages": {
        "indexFiles": index_files,
        "aptListsDir": lists.display().to_string(),
    } }))
    .await;
    let uri = "file:///tmp/hostile-index/rockcraft.yaml";
    let at = open_at(
        &mut c,
        uri,
        "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [zz$0]\n",
    )
    .await;
    // Loading ends (nothing blocks on the devices), the regular file is read, and the host
    // list of the document's release (a link to /dev/zero) is refused when asked for.
    let items = complete_until(&mut c, uri, at, |l| labels(l) == ["zzgood"]).await;
    assert_eq!(labels(&items), ["zzgood"]);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let res = c
            .request(
                "textDocument/completion",
                json!({ "textDocument": { "uri": uri }, "position": { "line": at.0, "character": at.1 } }),
            )
            .await;
        if res["isIncomplete"] == false {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the host lists never finish loading: {res}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn prime_paths_in_a_directory_of_100000_files_are_capped_and_narrowed() {
    let dir = TempDir::new("many-files");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for i in 0..100_000 {
        std::fs::File::create(data.join(format!("f{i:06}"))).unwrap();
    }
    let src = "name: x\nbase: ubuntu@22.04\nplatforms:\n  amd64:\nextensions:\n  - flask-framework\nparts:\n  flask-framework/install-app:\n    prime:\n      - flask/app/data/$0\n";
    dir.write("rockcraft.yaml", &src.replace("$0", ""));
    let mut c = client(json!(null)).await;
    let uri = dir.uri("rockcraft.yaml");
    let at = open_at(&mut c, &uri, src).await;
    let ask = |at: (u32, u32)| json!({ "textDocument": { "uri": uri }, "position": { "line": at.0, "character": at.1 } });
    let res = c.request("textDocument/completion", ask(at)).await;
    let items = res["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 500, "{}", items.len());
    assert_eq!(res["isIncomplete"], true);
    // Typing narrows the listing to the names starting with what is typed, whichever part of
    // the directory the first listing covered.
    let typed = src.replace("$0", "f09999$0");
    c.change_full(&uri, 2, &typed.replace("$0", "")).await;
    let at = position(
        &typed.replace("$0", ""),
        typed.find("$0").unwrap(),
        Enc::Utf8,
    );
    let res = c.request("textDocument/completion", ask(at)).await;
    let l = labels(res["items"].as_array().unwrap());
    assert_eq!(l.len(), 10, "{l:?}");
    assert!(l.contains(&"flask/app/data/f099999"), "{l:?}");
    assert_eq!(res["isIncomplete"], false);
    c.shutdown_and_exit().await;
}

/// A `stage-packages` list holds debs or slices, never both: on `bare` it is completed with
/// slices, or with debs when it already holds debs; elsewhere with debs, or with slices when it
/// already holds slices.
#[tokio::test]
async fn package_completion_follows_the_kind_of_the_list() {
    let mut c = client(json!(null)).await;
    let bare = "name: x\nbase: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages:\n";
    let on_bare = complete_at(
        &mut c,
        "file:///tmp/kind/a/rockcraft.yaml",
        &format!("{bare}      - libpq$0\n"),
    )
    .await;
    let l = labels(&on_bare);
    assert!(l.contains(&"libpq5_libs"), "{l:?}");
    assert!(!l.contains(&"libpq5"), "{l:?}");
    let with_debs = complete_at(
        &mut c,
        "file:///tmp/kind/b/rockcraft.yaml",
        &format!("{bare}      - curl\n      - libpq$0\n"),
    )
    .await;
    let l = labels(&with_debs);
    assert!(l.contains(&"libpq5"), "{l:?}");
    assert!(l.iter().all(|i| !i.contains('_')), "{l:?}");
    let ubuntu = "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [ca-certificates_data, libpq$0]\n";
    let l = complete_at(&mut c, "file:///tmp/kind/c/rockcraft.yaml", ubuntu).await;
    let l = labels(&l);
    assert!(l.contains(&"libpq5_libs"), "{l:?}");
    assert!(l.iter().all(|i| i.contains('_')), "{l:?}");
    c.shutdown_and_exit().await;
}

/// Django's install-app is replaced, not extended, when it is declared: completion does not
/// lead there (no part name, no `django/app/` paths), and a declared one is explained.
#[tokio::test]
async fn django_install_app_is_not_suggested_and_explained_when_declared() {
    let dir = TempDir::new("django");
    dir.write("requirements.txt", "Django\n");
    dir.write("my_app/my_app/wsgi.py", "application = object()\n");
    let head = "name: my-app\nbase: ubuntu@22.04\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nextensions:\n  - django-framework\nparts:\n";
    let mut c = client(json!(null)).await;
    let keys = complete_at(&mut c, &dir.uri("rockcraft.yaml"), &format!("{head}  $0\n")).await;
    let l = labels(&keys);
    assert!(l.contains(&"django-framework/dependencies"), "{l:?}");
    assert!(!l.contains(&"django-framework/install-app"), "{l:?}");
    c.shutdown_and_exit().await;

    let declared = format!("{head}  django-framework/install-app:\n    prime:\n      - $0\n");
    dir.write(
        "rockcraft.yaml",
        &declared.replace("$0", "django/app/my_app"),
    );
    let mut c = client(json!(null)).await;
    let paths = complete_at(&mut c, &dir.uri("rockcraft.yaml"), &declared).await;
    assert!(
        labels(&paths).iter().all(|p| !p.starts_with("django/app/")),
        "{paths:?}"
    );
    // The declared part is explained once the project is expanded.
    let uri = dir.uri("rockcraft.yaml");
    let diags = diagnostics_until(&mut c, &uri, |d| {
        d.iter().any(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("replaces the part django-framework generates"))
        })
    })
    .await;
    // Said once (the item left empty by the completion request is the other error).
    let about_the_part = diags
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("`plugin`"))
        })
        .count();
    assert_eq!(about_the_part, 1, "{diags:#?}");
    c.shutdown_and_exit().await;
}

/// Only the parts an extension really generates for the project are offered: `FastAPI` has no
/// assets part, and Flask on an Ubuntu base no runtime-libs (known once the project is
/// expanded).
#[tokio::test]
async fn only_generated_parts_are_offered() {
    let mut c = client(json!(null)).await;
    let fastapi = "name: x\nbase: ubuntu@24.04\nextensions:\n  - fastapi-framework\nparts:\n  $0\n";
    let l = complete_at(&mut c, "file:///tmp/generated/a/rockcraft.yaml", fastapi).await;
    let l = labels(&l);
    assert!(l.contains(&"fastapi-framework/install-app"), "{l:?}");
    assert!(!l.contains(&"fastapi-framework/assets"), "{l:?}");
    c.shutdown_and_exit().await;

    let dir = TempDir::new("generated");
    dir.write("requirements.txt", "flask\n");
    dir.write("app.py", "from flask import Flask\napp = Flask(__name__)\n");
    let src = "name: my-app\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nextensions:\n  - flask-framework\nparts:\n  extra:\n    plugin: nil\n    after: [$0]\n";
    dir.write("rockcraft.yaml", &src.replace("$0", ""));
    let mut c = client(json!(null)).await;
    let uri = dir.uri("rockcraft.yaml");
    let at = open_at(&mut c, &uri, src).await;
    let items = complete_until(&mut c, &uri, at, |items| {
        let l = labels(items);
        l.contains(&"flask-framework/install-app") && !l.contains(&"flask-framework/runtime-libs")
    })
    .await;
    let l = labels(&items);
    assert!(!l.contains(&"flask-framework/runtime-libs"), "{l:?}");
    c.shutdown_and_exit().await;
}

/// The labels in the order the client shows them: by `sortText`.
fn by_sort_text(items: &[Value]) -> Vec<&str> {
    let mut sorted: Vec<&Value> = items.iter().collect();
    sorted.sort_by_key(|i| i["sortText"].as_str().unwrap_or_default().to_owned());
    labels_of(&sorted)
}

fn labels_of<'a>(items: &[&'a Value]) -> Vec<&'a str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

fn preselected(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .filter(|i| i["preselect"] == true)
        .map(|i| i["label"].as_str().unwrap())
        .collect()
}

fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {:?}", labels(items)))
}

fn documentation(item: &Value) -> &str {
    item["documentation"]["value"].as_str().unwrap_or_default()
}

/// The likely item comes first: `prime` and `stage-packages` under an install-app part (`prime`
/// preselected), a package's `libs` slice before its `copyright` slice, the application's
/// files before `rockcraft.yaml` and `requirements.txt` in a prime list.
#[tokio::test]
async fn likely_items_are_sorted_first_and_preselected() {
    let dir = TempDir::new("ranking");
    dir.write("app.py", "");
    dir.write("requirements.txt", "flask\n");
    dir.write("templates/index.html", "");
    let head = "name: x\nbase: ubuntu@22.04\nplatforms:\n  amd64:\nextensions:\n  - flask-framework\nparts:\n  flask-framework/install-app:\n";
    let src = format!("{head}    $0\n");
    dir.write("rockcraft.yaml", &src.replace("$0", ""));
    let mut c = client(json!(null)).await;
    let uri = dir.uri("rockcraft.yaml");
    let keys = complete_at(&mut c, &uri, &src).await;
    assert_eq!(by_sort_text(&keys)[..2], ["prime", "stage-packages"]);
    assert_eq!(preselected(&keys), ["prime"]);

    let src = format!("{head}    prime:\n      - $0\n");
    c.change_full(&uri, 2, &src.replace("$0", "")).await;
    let at = position(&src.replace("$0", ""), src.find("$0").unwrap(), Enc::Utf8);
    let paths = complete(&mut c, &uri, at).await;
    let order = by_sort_text(&paths);
    let last_app = ["flask/app/app.py", "flask/app/templates"]
        .iter()
        .map(|l| order.iter().position(|x| x == l).unwrap())
        .max()
        .unwrap();
    for build_file in ["flask/app/rockcraft.yaml", "flask/app/requirements.txt"] {
        let at = order.iter().position(|x| *x == build_file).unwrap();
        assert!(at > last_app, "{order:?}");
    }
    c.shutdown_and_exit().await;

    let mut c = client(json!(null)).await;
    let slices = complete_at(
        &mut c,
        "file:///tmp/ranking/bare/rockcraft.yaml",
        "name: x\nbase: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages:\n      - libpq5_$0\n",
    )
    .await;
    assert_eq!(by_sort_text(&slices), ["libpq5_libs", "libpq5_copyright"]);
    let doc = documentation(item(&slices, "libpq5_libs"));
    assert!(
        doc.contains("`libpq5`") && doc.contains("`libpq5_copyright`"),
        "{doc}"
    );
    c.shutdown_and_exit().await;
}

/// Plugins, architectures and extensions come with documentation; an extension that is
/// experimental on a base says so.
#[tokio::test]
async fn items_are_documented() {
    let mut c = client(json!({"experimentalExtensions": true})).await;
    let plugins = complete_at(
        &mut c,
        "file:///tmp/docs/a/rockcraft.yaml",
        "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: $0\n",
    )
    .await;
    let go = documentation(item(&plugins, "go"));
    assert!(go.contains("`go-buildtags`"), "{go}");
    let arches = complete_at(
        &mut c,
        "file:///tmp/docs/b/rockcraft.yaml",
        "name: x\nplatforms:\n  amd64:\n    build-for: [$0]\n",
    )
    .await;
    assert!(documentation(item(&arches, "amd64")).contains("64-bit x86"));
    let extensions = complete_at(
        &mut c,
        "file:///tmp/docs/c/rockcraft.yaml",
        "name: x\nbase: ubuntu@24.04\nextensions:\n  - $0\n",
    )
    .await;
    let spring = documentation(item(&extensions, "spring-boot-framework"));
    assert!(
        spring.contains(
            "`bare` (experimental), `ubuntu@24.04` (experimental), `ubuntu@26.04` (experimental)"
        ),
        "{spring}"
    );
    let flask = documentation(item(&extensions, "flask-framework"));
    assert!(flask.contains("`ubuntu@26.04` (experimental)"), "{flask}");
    c.shutdown_and_exit().await;
}

/// The edit of the first item (by `sortText`): its range and text.
fn first_edit(items: &[Value]) -> (Value, String) {
    let first = by_sort_text(items)[0];
    let edit = &item(items, first)["textEdit"];
    (
        edit["range"].clone(),
        edit["newText"].as_str().unwrap().to_owned(),
    )
}

/// Where completion used to give nothing: right after `base:` (the space comes with the
/// value), an indentation-only line of a list (the `- ` too), `build-packages` and
/// `build-snaps`, `license`, `source-type` and a service's `user`.
#[tokio::test]
async fn places_that_gave_nothing_now_give_valid_values() {
    let mut c = client(json!(null)).await;
    let uri = |n: &str| format!("file:///tmp/empty-places/{n}/rockcraft.yaml");

    let bases = complete_at(&mut c, &uri("base"), "name: x\nbase:$0\n").await;
    let jammy = item(&bases, "ubuntu@22.04");
    assert_eq!(jammy["textEdit"]["newText"], " ubuntu@22.04");

    let part = "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n";
    let debs = complete_at(
        &mut c,
        &uri("line"),
        &format!("{part}    build-packages:\n      - libpq5\n      $0\n"),
    )
    .await;
    assert!(!debs.is_empty());
    assert!(
        debs.iter()
            .all(|i| i["textEdit"]["newText"].as_str().unwrap().starts_with("- ")),
        "{debs:?}"
    );
    assert!(!labels(&debs).contains(&"libpq5"), "already listed");

    let debs = complete_at(
        &mut c,
        &uri("key"),
        &format!("{part}    build-packages: libss$0\n"),
    )
    .await;
    assert!(labels(&debs).contains(&"libssl3t64"), "{debs:?}");
    assert_eq!(
        item(&debs, "libssl3t64")["textEdit"]["newText"],
        "\n      - libssl3t64"
    );

    let snaps = complete_at(
        &mut c,
        &uri("snaps"),
        &format!("{part}    build-snaps: [node/22/stable]\n  q:\n    plugin: nil\n    build-snaps:\n      - $0\n"),
    )
    .await;
    assert_eq!(labels(&snaps), ["node/22/stable"]);
    assert!(documentation(&snaps[0]).contains("No list of snaps is bundled"));
    // Right after `build-snaps:`: the item on a new line of its own.
    let snaps = complete_at(
        &mut c,
        &uri("snaps-key"),
        &format!(
            "{part}    build-snaps: [node/22/stable]\n  q:\n    plugin: nil\n    build-snaps:$0\n"
        ),
    )
    .await;
    assert_eq!(snaps[0]["textEdit"]["newText"], "\n      - node/22/stable");

    let licences = complete_at(&mut c, &uri("license"), "name: x\nlicense: apache-2$0\n").await;
    let (range, text) = first_edit(&licences);
    assert_eq!(text, "Apache-2.0");
    assert_eq!(range["start"]["character"], 9);
    assert_eq!(preselected(&licences), Vec::<&str>::new());

    let types = complete_at(
        &mut c,
        &uri("source-type"),
        &format!("{part}    source: https://github.com/canonical/x.git\n    source-type: $0\n"),
    )
    .await;
    assert_eq!(first_edit(&types).1, "git");
    assert_eq!(preselected(&types), ["git"]);
    assert_eq!(by_sort_text(&types).last(), Some(&"local"));

    let users = complete_at(
        &mut c,
        &uri("user"),
        "name: x\nbase: ubuntu@24.04\nextensions: [flask-framework]\nservices:\n  flask:\n    user: $0\n",
    )
    .await;
    assert_eq!(by_sort_text(&users), ["_daemon_", "root"]);
    assert_eq!(preselected(&users), ["_daemon_"]);
    c.shutdown_and_exit().await;
}
