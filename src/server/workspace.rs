//! The workspace folders and the `rockcraft.yaml` files under them that are not open: found
//! by the same walk as `rockcraft-lsp check` (`host::walk`), checked like `check` checks them
//! (every stage of `core::pipeline`, the project directory read through `host::fs::RealFs`),
//! off the async threads and in parallel, with `$/progress` work-done reports.
//!
//! Two consumers: `workspace/diagnostic` (clients that pull), and, for clients that only take
//! pushed diagnostics, the `checkClosedFiles` setting, whose results go to the publisher as
//! [`Event::Checked`] and are re-checked when files change.
//!
//! Bounds: at most [`MAX_FILES`] files per run; a file is read only when it is a regular file
//! inside its workspace folder (links resolved) and at most `pipeline::MAX_TEXT_BYTES` long.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use tokio::task::JoinSet;
use tower_lsp_server::ls_types::{
    self as lsp, FileChangeType, FileEvent, ProgressToken, Uri, WorkDoneProgressCreateParams,
};
use tower_lsp_server::{Bounded, Client, NotCancellable, OngoingProgress};

use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
use crate::core::facts::PROJECT_FILE;
use crate::core::pipeline::{self, Inputs};
use crate::core::text::Encoding;
use crate::host::files;
use crate::host::fs::RealFs;
use crate::host::walk;

use super::convert::{self, LineMap};
use super::diagnostics::capped;
use super::events::{Event, Events};
use super::guard::guarded;
use super::packages::{Loaded, Packages};
use super::pull::Pull;
use super::session::Session;

/// The most `rockcraft.yaml` files one run checks (a home directory opened as a workspace
/// must not keep the server busy for minutes).
pub const MAX_FILES: usize = 10_000;

/// How many files one blocking job checks before progress is reported.
const CHUNK: usize = 32;

/// A `rockcraft.yaml` found under a workspace folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub folder: PathBuf,
}

impl Found {
    /// The file's URI, as an editor names it.
    #[must_use]
    pub fn uri(&self) -> Option<Uri> {
        Uri::from_file_path(&self.path)
    }
}

/// One file's findings as LSP diagnostics.
pub type Checked = (Uri, Vec<lsp::Diagnostic>);

/// The workspace state shared by the handlers, the settings and the background jobs. Cloning
/// is cheap and shares it.
#[derive(Clone, Debug)]
pub struct Workspace {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: Client,
    session: Session,
    events: Events,
    packages: Packages,
    pull: Pull,
    encoding: Arc<OnceLock<Encoding>>,
    folders: RwLock<Vec<PathBuf>>,
    /// The client shows progress for tokens the server creates.
    progress: AtomicBool,
    /// `checkClosedFiles` is on (and the client does not pull).
    check_closed: AtomicBool,
    /// Which full background check is the latest (an older one stops publishing).
    run: AtomicU64,
}

impl Workspace {
    #[must_use]
    pub fn new(
        client: Client,
        session: Session,
        events: Events,
        packages: Packages,
        pull: Pull,
        encoding: Arc<OnceLock<Encoding>>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                session,
                events,
                packages,
                pull,
                encoding,
                folders: RwLock::default(),
                progress: AtomicBool::new(false),
                check_closed: AtomicBool::new(false),
                run: AtomicU64::new(0),
            }),
        }
    }

    /// Records the client's folders and whether it shows server-created progress
    /// (`initialize`).
    pub fn configure(&self, folders: Vec<PathBuf>, progress: bool) {
        self.set_folders(folders);
        self.inner.progress.store(progress, Ordering::SeqCst);
    }

    /// The workspace folders.
    #[must_use]
    pub fn folders(&self) -> Vec<PathBuf> {
        self.inner
            .folders
            .read()
            .map_or_else(|e| e.into_inner().clone(), |f| f.clone())
    }

    fn set_folders(&self, folders: Vec<PathBuf>) {
        let mut unique: Vec<PathBuf> = Vec::new();
        for f in folders {
            if !unique.contains(&f) {
                unique.push(f);
            }
        }
        match self.inner.folders.write() {
            Ok(mut f) => *f = unique,
            Err(e) => *e.into_inner() = unique,
        }
    }

    /// `workspace/didChangeWorkspaceFolders`: the folder set changes; closed files are checked
    /// again when the setting asks for it, and a client that pulls is asked to pull again.
    pub fn change_folders(&self, added: Vec<PathBuf>, removed: &[PathBuf], experimental: bool) {
        let mut folders = self.folders();
        folders.retain(|f| !removed.contains(f));
        folders.extend(added);
        self.set_folders(folders);
        self.inner.pull.changed();
        self.inner.pull.refresh_workspace(&self.inner.client);
        if self.checks_closed() {
            self.events().send(Event::UncheckedAll);
            self.check_all_in_background(experimental);
        }
    }

    fn events(&self) -> &Events {
        &self.inner.events
    }

    fn checks_closed(&self) -> bool {
        self.inner.check_closed.load(Ordering::SeqCst) && !self.inner.pull.is_on()
    }

    /// Puts the `checkClosedFiles` setting in force: turning it on checks every closed file
    /// in the background, turning it off clears what it published.
    pub fn set_check_closed(&self, on: bool, experimental: bool) {
        let was = self.inner.check_closed.swap(on, Ordering::SeqCst);
        if self.inner.pull.is_on() || was == on {
            return;
        }
        if on {
            self.check_all_in_background(experimental);
        } else {
            self.inner.run.fetch_add(1, Ordering::SeqCst);
            self.events().send(Event::UncheckedAll);
        }
    }

    /// Every `rockcraft.yaml` under the folders (at most [`MAX_FILES`]), each once (blocking).
    #[must_use]
    pub fn find(folders: &[PathBuf]) -> Vec<Found> {
        let mut out: Vec<Found> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for folder in folders {
            let left = MAX_FILES.saturating_sub(out.len());
            for path in walk::project_files(folder, left) {
                if seen.insert(path.clone()) {
                    out.push(Found {
                        path,
                        folder: folder.clone(),
                    });
                }
            }
        }
        out
    }

    /// Whether the document is open (its diagnostics then come from the session).
    #[must_use]
    pub fn is_open(&self, uri: &Uri) -> bool {
        self.inner.session.get(uri).is_some()
    }

    /// Checks `files` in parallel on blocking threads, reporting progress on `progress`;
    /// `each` gets every file's findings as its batch finishes (files that cannot be read are
    /// left out).
    pub async fn check_files(
        &self,
        files: Vec<Found>,
        experimental: bool,
        progress: Option<&Reporter>,
        mut each: impl FnMut(Checked),
    ) {
        let total = files.len();
        let packages = self.inner.packages.snapshot();
        let enc = self.inner.encoding.get().copied().unwrap_or_default();
        let parallel = std::thread::available_parallelism().map_or(2, usize::from);
        let mut chunks = files
            .chunks(CHUNK)
            .map(<[Found]>::to_vec)
            .collect::<Vec<_>>()
            .into_iter();
        let mut running = JoinSet::new();
        let mut done = 0;
        loop {
            while running.len() < parallel {
                let Some(chunk) = chunks.next() else { break };
                let packages = Arc::clone(&packages);
                running.spawn_blocking(move || {
                    let n = chunk.len();
                    let out: Vec<Checked> = chunk
                        .iter()
                        .filter_map(|f| check_one(f, &packages, experimental, enc))
                        .collect();
                    (n, out)
                });
            }
            let Some(joined) = running.join_next().await else {
                break;
            };
            let Ok((n, out)) = joined else {
                tracing::error!("a workspace check job failed");
                continue;
            };
            done += n;
            out.into_iter().for_each(&mut each);
            if let Some(p) = progress {
                p.report(done, total).await;
            }
        }
    }

    /// A progress reporter on the client's `token`, or on one the server creates when the
    /// client shows server-created progress; `None` when neither.
    pub async fn progress(&self, token: Option<ProgressToken>, title: &str) -> Option<Reporter> {
        Reporter::begin(
            &self.inner.client,
            token,
            self.inner.progress.load(Ordering::SeqCst),
            title,
        )
        .await
    }

    /// Checks every closed file under the folders and has the publisher publish them (the
    /// `checkClosedFiles` setting), in a spawned task.
    pub fn check_all_in_background(&self, experimental: bool) {
        let run = self.inner.run.fetch_add(1, Ordering::SeqCst) + 1;
        let this = self.clone();
        tokio::spawn(async move {
            let folders = this.folders();
            let Ok(found) = tokio::task::spawn_blocking(move || Self::find(&folders)).await else {
                return;
            };
            let closed: Vec<Found> = found
                .into_iter()
                .filter(|f| f.uri().is_some_and(|u| !this.is_open(&u)))
                .collect();
            let progress = this.progress(None, "Checking rockcraft.yaml files").await;
            let count = closed.len();
            this.check_files(closed, experimental, progress.as_ref(), |(uri, diags)| {
                if this.inner.run.load(Ordering::SeqCst) == run && this.checks_closed() {
                    this.events().send(Event::Checked(uri, diags.into()));
                }
            })
            .await;
            if let Some(p) = progress {
                p.end(count).await;
            }
        });
    }

    /// Checks one closed file again (the setting is on; it was just closed), in a spawned
    /// task.
    pub fn check_one_in_background(&self, path: PathBuf, experimental: bool) {
        if !self.checks_closed() {
            return;
        }
        let folders = self.folders();
        let Some(folder) = folders.into_iter().find(|f| path.starts_with(f)) else {
            return;
        };
        let found = vec![Found { path, folder }];
        let this = self.clone();
        tokio::spawn(async move {
            this.check_files(found, experimental, None, |(uri, diags)| {
                if !this.is_open(&uri) {
                    this.events().send(Event::Checked(uri, diags.into()));
                }
            })
            .await;
        });
    }

    /// Files changed on disk: a client that pulls is asked to pull again; with the setting on,
    /// the closed project files whose directory holds a changed file are checked again and
    /// deleted ones cleared.
    pub fn files_changed(&self, changes: &[FileEvent], experimental: bool) {
        let folders = self.folders();
        let inside = |p: &Path| folders.iter().any(|f| p.starts_with(f));
        let paths: Vec<(PathBuf, FileChangeType)> = changes
            .iter()
            .filter_map(|c| Some((c.uri.to_file_path()?.into_owned(), c.typ)))
            .filter(|(p, _)| inside(p))
            .collect();
        if paths.is_empty() {
            return;
        }
        self.inner.pull.changed();
        self.inner.pull.refresh_workspace(&self.inner.client);
        if !self.checks_closed() {
            return;
        }
        let mut projects: Vec<PathBuf> = Vec::new();
        for (path, typ) in paths {
            let own = path.file_name().is_some_and(|n| n == PROJECT_FILE);
            if own && typ == FileChangeType::DELETED {
                if let Some(uri) = Uri::from_file_path(&path) {
                    self.events().send(Event::Unchecked(uri));
                }
                continue;
            }
            // The project files of the directories above the change, up to its folder.
            let start = if own {
                path.parent()
            } else {
                Some(path.as_path())
            };
            for dir in start.into_iter().flat_map(Path::ancestors) {
                if !inside(dir) {
                    break;
                }
                let candidate = dir.join(PROJECT_FILE);
                if !projects.contains(&candidate) {
                    projects.push(candidate);
                }
            }
        }
        let this = self.clone();
        tokio::spawn(async move {
            let found = tokio::task::spawn_blocking(move || {
                projects
                    .into_iter()
                    .filter(|p| p.is_file())
                    .collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
            for path in found {
                this.check_one_in_background(path, experimental);
            }
        });
    }
}

/// Checks one file found under a folder (blocking): `None` when it is outside its folder once
/// links are resolved, is not a regular file, is too large or cannot be read.
#[must_use]
pub fn check_one(
    found: &Found,
    packages: &Loaded,
    experimental: bool,
    enc: Encoding,
) -> Option<Checked> {
    let uri = found.uri()?;
    let (real, bytes) = read_found(found)?;
    let dir = real.parent()?.to_path_buf();
    guarded("checking a closed project file", || {
        let fs = RealFs::new(dir);
        let inputs = Inputs {
            fs: &fs,
            packages,
            experimental,
            extensions_dir: DEFAULT_EXTENSIONS_DIR,
        };
        let findings = pipeline::run_bytes(bytes, &inputs);
        let doc = &findings.analysis.doc;
        let map = LineMap::new(&doc.text, &doc.lines, enc);
        let diags = capped(findings.diagnostics)
            .iter()
            .map(|d| convert::diagnostic(&map, &uri, 0, d))
            .collect();
        (uri.clone(), diags)
    })
}

/// The bytes of a file found under a folder, with its path once links are resolved (blocking):
/// `None` when it is outside its folder, is not a regular file, is too large or cannot be read.
#[must_use]
pub fn read_found(found: &Found) -> Option<(PathBuf, Vec<u8>)> {
    let folder = std::fs::canonicalize(&found.folder).ok()?;
    let real = std::fs::canonicalize(&found.path).ok()?;
    if !real.starts_with(&folder) {
        tracing::debug!(path = %found.path.display(), "project file outside its folder");
        return None;
    }
    match files::read_regular(&real, pipeline::MAX_TEXT_BYTES as u64) {
        Ok(b) => Some((real, b)),
        Err(e) => {
            tracing::debug!(path = %found.path.display(), "not read: {e}");
            None
        }
    }
}

/// `$/progress` work-done reports on one token.
pub struct Reporter {
    ongoing: OngoingProgress<Bounded, NotCancellable>,
}

/// The source of the tokens the server creates.
static TOKENS: AtomicU64 = AtomicU64::new(1);

impl Reporter {
    /// Sends `begin` on `token`, or on a token created with `window/workDoneProgress/create`
    /// when `create` (the client shows server-created progress) and there is none.
    pub async fn begin(
        client: &Client,
        token: Option<ProgressToken>,
        create: bool,
        title: &str,
    ) -> Option<Self> {
        let token = match token {
            Some(t) => t,
            None if create => {
                let n = TOKENS.fetch_add(1, Ordering::Relaxed);
                let token = ProgressToken::String(format!("rockcraft-lsp/check/{n}"));
                let params = WorkDoneProgressCreateParams {
                    token: token.clone(),
                };
                let created = client
                    .send_request::<lsp::request::WorkDoneProgressCreate>(params)
                    .await;
                if let Err(e) = created {
                    tracing::debug!("window/workDoneProgress/create failed: {e}");
                    return None;
                }
                token
            }
            None => return None,
        };
        let ongoing = client
            .progress(token, title)
            .with_percentage(0)
            .with_message("finding rockcraft.yaml files")
            .begin()
            .await;
        Some(Self { ongoing })
    }

    /// Reports `done` of `total` files checked.
    pub async fn report(&self, done: usize, total: usize) {
        let percent = done.saturating_mul(100).checked_div(total).unwrap_or(100);
        let percent = u32::try_from(percent.min(100)).unwrap_or(100);
        self.ongoing
            .report_with_message(format!("{done}/{total} files"), percent)
            .await;
    }

    /// Sends `end`.
    pub async fn end(self, count: usize) {
        let s = if count == 1 { "" } else { "s" };
        self.ongoing
            .finish_with_message(format!("{count} rockcraft.yaml file{s} checked"))
            .await;
    }
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reporter").finish_non_exhaustive()
    }
}

/// The folders named in `initialize`: `workspaceFolders`, else `rootUri`, else `rootPath`
/// (those that are local directories).
#[must_use]
#[allow(deprecated)] // `rootUri` and `rootPath` are how older clients name their folder
pub fn initial_folders(params: &lsp::InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = params.workspace_folders.as_ref().filter(|f| !f.is_empty()) {
        return folders.iter().filter_map(|f| folder_path(&f.uri)).collect();
    }
    if let Some(root) = params.root_uri.as_ref() {
        return folder_path(root).into_iter().collect();
    }
    params
        .root_path
        .as_ref()
        .map(PathBuf::from)
        .into_iter()
        .collect()
}

/// A folder URI's local path.
#[must_use]
pub fn folder_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BROKEN: &str = "name: x\nbogus-key: 1\n";

    fn check(folder: &Path, path: PathBuf) -> Option<Checked> {
        let found = Found {
            path,
            folder: folder.to_path_buf(),
        };
        check_one(&found, &Loaded::default(), false, Encoding::Utf16)
    }

    #[test]
    fn only_regular_files_inside_their_folder_are_checked() {
        let root = tempfile::tempdir().unwrap();
        let (folder, outside) = (root.path().join("ws"), root.path().join("outside"));
        std::fs::create_dir_all(folder.join("in")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        let own = folder.join("in").join(PROJECT_FILE);
        std::fs::write(&own, BROKEN).unwrap();
        let (uri, diags) = check(&folder, own).expect("checked");
        assert!(uri.as_str().ends_with("/ws/in/rockcraft.yaml"), "{uri:?}");
        assert!(
            diags.iter().any(|d| d.message.contains("bogus-key")),
            "{diags:?}"
        );

        #[cfg(unix)]
        {
            let elsewhere = outside.join(PROJECT_FILE);
            std::fs::write(&elsewhere, BROKEN).unwrap();
            let link = folder.join("linked");
            std::fs::create_dir_all(&link).unwrap();
            std::os::unix::fs::symlink(&elsewhere, link.join(PROJECT_FILE)).unwrap();
            assert!(check(&folder, link.join(PROJECT_FILE)).is_none(), "outside");
            let fifo = folder.join("fifo");
            std::fs::create_dir_all(&fifo).unwrap();
            let made = std::process::Command::new("mkfifo")
                .arg(fifo.join(PROJECT_FILE))
                .status();
            if made.is_ok_and(|s| s.success()) {
                assert!(check(&folder, fifo.join(PROJECT_FILE)).is_none(), "a FIFO");
            }
        }
        assert!(check(&folder, folder.join("missing").join(PROJECT_FILE)).is_none());
    }
}
