//! The language server: the only part of the crate that knows about LSP, JSON-RPC and tokio.
//!
//! Architecture invariant: `crate::core` speaks byte offsets and plain data; every conversion to
//! and from protocol types happens in [`convert`]. Each LSP method lives in its own file under
//! [`handlers`], and [`Backend`]'s `LanguageServer` methods are one-line delegates to them.
//!
//! Module graph (what each module uses; there are no cycles):
//! - leaves: `guard`, [`edits`], [`events`] (the publisher's queue), [`framing`] (the frames of
//!   the client's byte stream); [`convert`] uses `edits`; `protocol`, [`raw_reply`] (replies
//!   written as JSON text) and [`transport`] (the message loop) use `framing`;
//! - [`idle`] (a leaf: freed memory given back to the system when edits pause);
//! - [`session`] (open documents, their snapshots and job handles): `edits`, `guard`, `idle`;
//! - background jobs: [`analysis`] (`session`, `events`), [`expansion`] (`analysis`, `session`,
//!   `events`), [`packages`] (`session`, `events`); [`settings`] (`expansion`, `packages`);
//! - [`diagnostics`] (`session`, `packages`, `convert`) and [`publisher`] (`session`,
//!   `packages`, `events`, `diagnostics`): the only sender of `publishDiagnostics`; the jobs
//!   reach it only through `events`, never by calling it;
//! - [`pull`] (a leaf: whether the client pulls, result ids) and [`workspace`] (the folders
//!   and the checks of closed files: `session`, `packages`, `events`, `pull`, `diagnostics`,
//!   `convert`), used by `publisher` and `expansion`'s context;
//! - this module (the [`Backend`], which spawns the publisher), then [`snippet_edit`] (code
//!   actions applied by the server, to place the cursor: `convert`, `session`) and
//!   [`handlers`].

pub mod analysis;
pub mod convert;
pub mod diagnostics;
pub mod edits;
pub mod events;
pub mod expansion;
pub mod framing;
mod guard;
pub mod handlers;
pub mod idle;
pub mod packages;
mod protocol;
pub mod publisher;
pub mod pull;
pub mod raw_reply;
pub mod session;
pub mod settings;
pub mod snippet_edit;
pub mod transport;
pub mod workspace;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, CodeLens, CodeLensParams, CompletionParams,
    CompletionResponse, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, InitializeParams, InitializeResult,
    InitializedParams,
};
use tower_lsp_server::ls_types::{
    DidChangeConfigurationParams, DidChangeWatchedFilesParams, DocumentHighlight,
    DocumentHighlightParams, DocumentLink, DocumentLinkParams, DocumentSymbolParams,
    DocumentSymbolResponse, ExecuteCommandParams, FoldingRange, FoldingRangeParams,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverParams, InlayHint, InlayHintParams,
    LSPAny, Location, PrepareRenameResponse, ReferenceParams, RenameParams, SelectionRange,
    SelectionRangeParams, SemanticTokensParams, SemanticTokensResult, TextDocumentPositionParams,
    WorkspaceEdit, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use tower_lsp_server::ls_types::{
    DidChangeWorkspaceFoldersParams, DocumentDiagnosticParams, DocumentDiagnosticReportResult,
    WorkspaceDiagnosticParams, WorkspaceDiagnosticReportResult,
};
use tower_lsp_server::{Client, LanguageServer, LspService};

use crate::core::text::Encoding;
use events::Events;
use session::Session;

/// How a server is built: the defaults for editors; tests change when expansions run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// How long after the last edit (or file change) a slow document's extension expansion
    /// starts.
    pub debounce: Duration,
    /// Expansions that took less than this run with each new version, which is published once
    /// with their findings; zero: never (every expansion waits for the debounce).
    pub inline_below: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            debounce: expansion::DEBOUNCE,
            inline_below: expansion::INLINE_BELOW,
        }
    }
}

impl Options {
    /// These options with another debounce (tests use none, and wait on publishes).
    #[must_use]
    pub fn with_debounce(self, debounce: Duration) -> Self {
        Self { debounce, ..self }
    }

    /// These options with expansions run with each new version only below `inline_below`
    /// (zero: every expansion is debounced, the fast findings published first).
    #[must_use]
    pub fn with_inline_below(self, inline_below: Duration) -> Self {
        Self {
            inline_below,
            ..self
        }
    }
}

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServeExit {
    /// The client sent `shutdown` before `exit` (or closed the stream after `shutdown`).
    Clean,
    /// The stream ended or `exit` arrived without a prior `shutdown`.
    WithoutShutdown,
}

/// What the client told us in `initialize`, fixed for the rest of the session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Negotiated {
    /// Column unit of every position exchanged with the client.
    pub encoding: Encoding,
    /// The client accepts `documentChanges` (versioned edits) in a `WorkspaceEdit`.
    pub document_changes: bool,
    /// The client accepts a dynamic `workspace/didChangeWatchedFiles` registration.
    pub watch_files: bool,
    /// The client answers `workspace/configuration` requests.
    pub configuration: bool,
    /// The client takes LSP 3.18 snippet edits in `workspace/applyEdit`
    /// (`workspace.workspaceEdit.snippetEditSupport`).
    pub snippet_edits: bool,
    /// The client opens documents the server names, with a selection (`window/showDocument`).
    pub show_document: bool,
    /// The client re-asks for inlay hints on `workspace/inlayHint/refresh`.
    pub inlay_hint_refresh: bool,
    /// The client pulls diagnostics (`textDocument.diagnostic`): none are pushed for open
    /// documents.
    pub pull_diagnostics: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    pub diagnostic_refresh: bool,
    /// The client shows progress on tokens the server creates (`window.workDoneProgress`).
    pub work_done_progress: bool,
    /// The most folding ranges the client takes (`textDocument.foldingRange.rangeLimit`).
    pub folding_range_limit: Option<u32>,
}

/// Server state shared by all handlers.
#[derive(Debug)]
pub struct Backend {
    pub(crate) client: Client,
    pub(crate) session: Session,
    /// The publisher's queue.
    pub(crate) events: Events,
    pub(crate) options: Options,
    pub(crate) completion: handlers::completion::State,
    pub(crate) packages: packages::Packages,
    pub(crate) settings: settings::Shared,
    /// Whether the client pulls diagnostics, and what it was answered.
    pub(crate) pull: pull::Pull,
    /// The workspace folders and the checks of their closed project files.
    pub(crate) workspace: workspace::Workspace,
    /// Where the documents the server shows are written (never inside a project).
    pub(crate) scratch: Arc<crate::host::scratch::Scratch>,
    negotiated: OnceLock<Negotiated>,
    /// What `initialize` offered beyond the protocol types, read from the raw request.
    pub(crate) extras: Arc<protocol::ClientExtras>,
    /// The negotiated encoding, shared with the publisher.
    encoding: Arc<OnceLock<Encoding>>,
    shutdown_requested: Arc<AtomicBool>,
}

impl Backend {
    /// A backend and its publisher task (spawned: call it inside the runtime).
    fn new(
        client: Client,
        shutdown_requested: Arc<AtomicBool>,
        options: Options,
        extras: Arc<protocol::ClientExtras>,
    ) -> Self {
        let session = Session::default();
        let packages = packages::Packages::default();
        let encoding = Arc::new(OnceLock::new());
        let (events, queue) = Events::channel();
        let pull = pull::Pull::default();
        let publisher = publisher::Publisher::new(
            client.clone(),
            session.clone(),
            packages.clone(),
            events.clone(),
            Arc::clone(&encoding),
            pull.clone(),
        );
        let workspace = workspace::Workspace::new(
            client.clone(),
            session.clone(),
            events.clone(),
            packages.clone(),
            pull.clone(),
            Arc::clone(&encoding),
        );
        tokio::spawn(publisher.run(queue));
        Self {
            client,
            session,
            events,
            options,
            completion: handlers::completion::State::default(),
            packages,
            settings: settings::Shared::default(),
            pull,
            workspace,
            scratch: Arc::default(),
            negotiated: OnceLock::new(),
            extras,
            encoding,
            shutdown_requested,
        }
    }

    /// The settings negotiated in `initialize` (UTF-16 and plain edits before that).
    pub(crate) fn negotiated(&self) -> Negotiated {
        self.negotiated.get().copied().unwrap_or_default()
    }

    pub(crate) fn encoding(&self) -> Encoding {
        self.negotiated().encoding
    }

    pub(crate) fn set_negotiated(&self, n: Negotiated) {
        if self.negotiated.set(n).is_err() {
            tracing::warn!("initialize received twice; keeping the first negotiation");
        } else {
            let _ = self.encoding.set(n.encoding);
        }
    }

    /// What a background expansion job needs, owned.
    pub(crate) fn expansion_ctx(&self) -> expansion::Ctx {
        expansion::Ctx {
            session: self.session.clone(),
            events: self.events.clone(),
            experimental: self.settings.experimental(),
            debounce: self.options.debounce,
            inline_below: self.options.inline_below,
            client: self.client.clone(),
            refresh_hints: self.negotiated().inlay_hint_refresh,
            workspace: self.workspace.clone(),
        }
    }

    /// `rockcraft/expandedProject`: the expanded YAML of an open document, for virtual documents.
    async fn expanded_project(
        &self,
        params: handlers::expanded_project::Params,
    ) -> Result<handlers::expanded_project::Response> {
        handlers::expanded_project::handle(self, params).await
    }

    pub(crate) fn note_shutdown(&self) {
        self.shutdown_requested.store(true, Ordering::SeqCst);
    }
}

impl Drop for Backend {
    /// The session is over: stop the documents' workers and jobs, and the publisher.
    fn drop(&mut self) {
        self.session.close_all();
        self.events.send(events::Event::Stop);
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::initialize::handle(self, &params)
    }

    async fn initialized(&self, params: InitializedParams) {
        handlers::initialized::handle(self, params);
    }

    async fn shutdown(&self) -> Result<()> {
        handlers::shutdown::handle(self)
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::did_open::handle(self, params).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::did_change::handle(self, params).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        handlers::did_save::handle(self, params).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        handlers::did_close::handle(self, params).await;
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::handle(self, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        handlers::completion::handle(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        handlers::hover::handle(self, params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        handlers::document_symbol::handle(self, params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        handlers::definition::handle(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        handlers::references::handle(self, params).await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        handlers::document_highlight::handle(self, params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        handlers::prepare_rename::handle(self, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        handlers::rename::handle(self, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        handlers::document_link::handle(self, params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        handlers::inlay_hint::handle(self, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        handlers::code_lens::handle(self, params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        handlers::semantic_tokens::handle(self, params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        handlers::workspace_symbol::handle(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        handlers::folding_range::handle(self, params).await
    }

    async fn formatting(
        &self,
        params: tower_lsp_server::ls_types::DocumentFormattingParams,
    ) -> Result<Option<Vec<tower_lsp_server::ls_types::TextEdit>>> {
        handlers::formatting::handle(self, params).await
    }

    async fn range_formatting(
        &self,
        params: tower_lsp_server::ls_types::DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<tower_lsp_server::ls_types::TextEdit>>> {
        handlers::range_formatting::handle(self, params).await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        handlers::selection_range::handle(self, params).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        handlers::did_change_watched_files::handle(self, &params);
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        handlers::diagnostic::handle(self, params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        handlers::workspace_diagnostic::handle(self, params).await
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        handlers::did_change_workspace_folders::handle(self, &params);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::did_change_configuration::handle(self, params);
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        handlers::execute_command::handle(self, params).await
    }
}

/// Serves one LSP session over a byte stream pair (stdin/stdout, or pipes in tests) until the
/// client sends `exit` or closes `input`.
pub async fn serve<I, O>(input: I, output: O) -> ServeExit
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    serve_with(input, output, Options::default()).await
}

/// [`serve`] with a server built with `options`.
pub async fn serve_with<I, O>(input: I, output: O, options: Options) -> ServeExit
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shutdown_requested = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&shutdown_requested);
    let extras = Arc::new(protocol::ClientExtras::default());
    let backend_extras = Arc::clone(&extras);
    let (service, socket) =
        LspService::build(move |client| Backend::new(client, flag, options, backend_extras))
            .custom_method(
                handlers::expanded_project::METHOD,
                Backend::expanded_project,
            )
            .finish();
    let replies = raw_reply::Replies::default();
    let output = raw_reply::Spliced::new(Box::pin(output), replies.clone());
    transport::serve(
        input,
        output,
        socket,
        protocol::Protocol(service, extras, replies),
    )
    .await;
    if shutdown_requested.load(Ordering::SeqCst) {
        ServeExit::Clean
    } else {
        ServeExit::WithoutShutdown
    }
}

/// Runs the language server on stdin/stdout: installs a `tracing` subscriber writing to stderr
/// (filter from `RUST_LOG`, default `warn`), builds a small multi-thread runtime and serves one
/// session. Exit code 0 after `shutdown` + `exit`, 1 otherwise (as the LSP specification asks).
#[must_use]
pub fn run_stdio() -> ExitCode {
    init_logging();
    crate::host::memory::limit_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("rockcraft-lsp")
        // Analysis and expansion run on the blocking pool, which this sizes too.
        .thread_stack_size(crate::host::threads::WORK_STACK_SIZE)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let exit = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Tokio reads stdin on a blocking thread that may still be parked in `read`; don't wait on it.
    runtime.shutdown_background();
    match exit {
        ServeExit::Clean => ExitCode::SUCCESS,
        ServeExit::WithoutShutdown => ExitCode::FAILURE,
    }
}

/// Logs to stderr only: stdout carries the protocol.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // `try_init` fails only if a subscriber is already installed (e.g. by an embedding binary).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
