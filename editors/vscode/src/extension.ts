// The Rockcraft extension: runs rockcraft-lsp for files named rockcraft.yaml (language yaml).
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { RESTART_SETTINGS, SECTION, extraArgs, initializationOptions, serverPathSetting } from './config';
import {
  ExpandedProjectProvider,
  SCHEME,
  isRockcraftYaml,
  pickSource,
  showExpandedProject,
} from './expanded';
import { type ResolvedServer, ServerNotFoundError, findServer } from './server';
import { SELFTEST_ENV, runSelfTest } from './selftest';

export const CLIENT_ID = 'rockcraft';
export const SHOW_EXPANDED_COMMAND = 'rockcraft.showExpandedProject';
export const RESTART_COMMAND = 'rockcraft.restart';

/** What the extension exposes (to the self-test and to other extensions). */
export interface RockcraftApi {
  client(): LanguageClient | undefined;
  server(): ResolvedServer | undefined;
  /** The last start failure, if the server is not running because of one. */
  lastError(): string | undefined;
  /** Starts the server if it is not running (resolves when it is, or when starting failed). */
  ensureStarted(): Promise<void>;
  restart(): Promise<void>;
  readonly provider: ExpandedProjectProvider;
}

class Extension implements RockcraftApi {
  private languageClient: LanguageClient | undefined;
  private resolved: ResolvedServer | undefined;
  private failure: string | undefined;
  private stopping = false;
  /** Serialises start/stop so that overlapping restarts cannot start two servers. */
  private queue: Promise<void> = Promise.resolve();
  /** Our own `rockcraft.showExpandedProject` while no client provides it (see below). */
  private fallbackCommand: vscode.Disposable | undefined;
  readonly provider: ExpandedProjectProvider;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {
    this.provider = new ExpandedProjectProvider(() => this.languageClient);
  }

  client(): LanguageClient | undefined {
    return this.languageClient;
  }

  server(): ResolvedServer | undefined {
    return this.resolved;
  }

  lastError(): string | undefined {
    return this.failure;
  }

  private log(line: string): void {
    this.output.appendLine(`[rockcraft] ${line}`);
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(op, op);
    return this.queue;
  }

  ensureStarted(): Promise<void> {
    return this.enqueue(async () => {
      if (this.languageClient === undefined) {
        await this.start();
      }
    });
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stop();
      await this.start();
      this.provider.refreshAll();
    });
  }

  stopForDeactivate(): Promise<void> {
    return this.enqueue(() => this.stop());
  }

  /**
   * The server advertises `rockcraft.showExpandedProject` in `executeCommandProvider`, so
   * vscode-languageclient registers that command id itself while the server runs; its
   * `executeCommand` middleware (below) routes it to the virtual document. When no server
   * runs (or it does not advertise the command), this fallback keeps the command from being
   * "not found".
   */
  idle(): void {
    if (this.languageClient === undefined) {
      this.setFallbackCommand(true);
    }
  }

  private setFallbackCommand(on: boolean): void {
    if (!on) {
      this.fallbackCommand?.dispose();
      this.fallbackCommand = undefined;
      return;
    }
    if (this.fallbackCommand !== undefined) {
      return;
    }
    try {
      this.fallbackCommand = vscode.commands.registerCommand(SHOW_EXPANDED_COMMAND, async (arg: unknown) => {
        await this.ensureStarted();
        if (this.languageClient?.isRunning()) {
          await this.showExpanded(arg);
        } else {
          void vscode.window.showErrorMessage(
            `Rockcraft: the language server is not running. ${this.failure ?? ''}`.trim(),
          );
        }
      });
    } catch (e) {
      this.log(`cannot register ${SHOW_EXPANDED_COMMAND}: ${String(e)}`);
    }
  }

  async showExpanded(arg: unknown): Promise<vscode.TextEditor | undefined> {
    const source = await pickSource(arg);
    if (source === undefined) {
      void vscode.window.showWarningMessage('Rockcraft: open a rockcraft.yaml to show its expanded project.');
      return undefined;
    }
    return showExpandedProject(this.provider, source);
  }

  private async start(): Promise<void> {
    this.failure = undefined;
    let server: ResolvedServer;
    try {
      server = findServer({
        extensionPath: this.context.extensionPath,
        settingPath: serverPathSetting(),
        log: (l) => this.log(l),
      });
    } catch (e) {
      this.resolved = undefined;
      this.reportFailure(e);
      return;
    }
    this.resolved = server;
    const args = extraArgs();
    this.log(`starting ${server.path} ${args.join(' ')} (${server.version}; found via ${server.source})`);

    const serverOptions: ServerOptions = { command: server.path, args };
    const clientOptions: LanguageClientOptions = {
      // the server decides by file name; language stays yaml (other YAML tools keep working)
      documentSelector: [{ scheme: 'file', language: 'yaml', pattern: '**/rockcraft.yaml' }],
      initializationOptions: initializationOptions(),
      // a change of the `rockcraft` section sends workspace/didChangeConfiguration; the server
      // then asks for the section (workspace/configuration, answered below)
      synchronize: { configurationSection: SECTION },
      outputChannel: this.output,
      middleware: {
        workspace: {
          // answer for the `rockcraft` section as in initializationOptions (paths expanded),
          // not with the raw settings object
          configuration: async (params, token, next) => {
            const answer = await next(params, token);
            if (!Array.isArray(answer)) {
              return answer;
            }
            return params.items.map((item, i) =>
              item.section === SECTION
                ? initializationOptions(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
                : answer[i],
            );
          },
        },
        executeCommand: async (command, args, next) => {
          if (command === SHOW_EXPANDED_COMMAND) {
            return this.showExpanded(args[0]);
          }
          return next(command, args);
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, 'Rockcraft', serverOptions, clientOptions);
    client.onDidChangeState((e) => {
      // the client gave up (the server crashed repeatedly): keep the command usable
      if (e.newState === State.Stopped && !this.stopping && this.languageClient === client) {
        this.setFallbackCommand(true);
      }
    });
    this.setFallbackCommand(false);
    this.languageClient = client;
    try {
      await client.start();
      // a server that does not advertise the command: provide it ourselves
      if (!(await vscode.commands.getCommands(true)).includes(SHOW_EXPANDED_COMMAND)) {
        this.setFallbackCommand(true);
      }
    } catch (e) {
      this.languageClient = undefined;
      try {
        await client.dispose(2000);
      } catch {
        // already down
      }
      this.reportFailure(e);
    }
  }

  private async stop(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    if (client === undefined) {
      return;
    }
    this.stopping = true;
    try {
      if (client.state !== State.Stopped) {
        await client.stop(3000);
      }
      await client.dispose(1000);
    } catch (e) {
      this.log(`stopping the server: ${String(e)}`);
    } finally {
      this.stopping = false;
    }
  }

  private reportFailure(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.failure = message;
    this.log(message);
    this.setFallbackCommand(true);
    const actions = e instanceof ServerNotFoundError && e.settingRelated ? ['Open Settings', 'Show Output'] : ['Show Output'];
    // notifications show no Markdown: `code` becomes "code"
    const plain = message.replace(/`([^`]*)`/g, '"$1"');
    void vscode.window.showErrorMessage(`Rockcraft: ${plain}`, ...actions).then((picked) => {
      if (picked === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'rockcraft.server.path');
      } else if (picked === 'Show Output') {
        this.output.show(true);
      }
    });
  }

  dispose(): void {
    this.fallbackCommand?.dispose();
    this.provider.dispose();
  }
}

let extension: Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<RockcraftApi> {
  const output = vscode.window.createOutputChannel('Rockcraft');
  const ext = new Extension(context, output);
  extension = ext;
  context.subscriptions.push(
    output,
    ext,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, ext.provider),
    vscode.commands.registerCommand(RESTART_COMMAND, () => ext.restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(s)) && (ext.client() !== undefined || ext.lastError() !== undefined)) {
        void ext.restart();
      }
    }),
    // activated by another YAML file: start when the first rockcraft.yaml is opened
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isRockcraftYaml(doc.uri) && ext.client() === undefined && ext.lastError() === undefined) {
        void ext.ensureStarted();
      }
    }),
  );

  const selfTestOut = process.env[SELFTEST_ENV];
  const hasProject =
    vscode.workspace.textDocuments.some((d) => isRockcraftYaml(d.uri)) ||
    (await vscode.workspace.findFiles('**/rockcraft.yaml', '**/{node_modules,.git}/**', 1)).length > 0;
  if (hasProject) {
    await ext.ensureStarted();
  } else {
    // no server until a rockcraft.yaml is opened; the command works (and starts it) meanwhile
    ext.idle();
  }
  if (selfTestOut) {
    void runSelfTest(ext, selfTestOut, output);
  }
  return ext;
}

export async function deactivate(): Promise<void> {
  await extension?.stopForDeactivate();
}
