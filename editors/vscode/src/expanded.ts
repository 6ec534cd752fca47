// "Show Expanded Project": the project with its extensions expanded (what
// `rockcraft expand-extensions` prints), as a read-only virtual YAML document that follows
// edits of its rockcraft.yaml.
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const SCHEME = 'rockcraft-expanded';
export const REQUEST = 'rockcraft/expandedProject';

/** `rockcraft/expandedProject` result: exactly one of the two is a string. */
interface ExpandedProjectResult {
  yaml?: string | null;
  error?: string | null;
}

/** The virtual document for a rockcraft.yaml: `rockcraft-expanded:<dir>/rockcraft (expanded).yaml?<source uri>`. */
export function expandedUri(source: vscode.Uri): vscode.Uri {
  const dir = path.posix.dirname(source.path);
  return vscode.Uri.from({
    scheme: SCHEME,
    path: path.posix.join(dir, 'rockcraft (expanded).yaml'),
    query: source.toString(),
  });
}

export function sourceUri(expanded: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(expanded.query, true);
}

export function isRockcraftYaml(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && path.basename(uri.fsPath) === 'rockcraft.yaml';
}

function errorDocument(message: string): string {
  const lines = message.split(/\r?\n/).map((l) => `# ${l}`.trimEnd());
  return ['# The project cannot be expanded:', '#', ...lines, ''].join('\n');
}

export class ExpandedProjectProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: () => LanguageClient | undefined) {
    // follow edits and saves of the source file, and of the files the extensions read
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.sourceChanged(e.document.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => this.sourceChanged(d.uri)),
    );
  }

  private openExpandedDocs(): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === SCHEME && !d.isClosed);
  }

  private sourceChanged(changed: vscode.Uri): void {
    if (changed.scheme === SCHEME) {
      return;
    }
    for (const doc of this.openExpandedDocs()) {
      const source = sourceUri(doc.uri);
      // the rockcraft.yaml itself, or a file in its project (requirements.txt, app.py, …)
      const projectDir = path.posix.dirname(source.path) + '/';
      if (changed.toString() === source.toString() || (changed.scheme === source.scheme && changed.path.startsWith(projectDir))) {
        this.refreshSoon(doc.uri);
      }
    }
  }

  /** Re-reads the document after a pause in typing (the server expands in the background). */
  refreshSoon(uri: vscode.Uri, delayMs = 600): void {
    const key = uri.toString();
    const old = this.timers.get(key);
    if (old !== undefined) {
      clearTimeout(old);
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.changed.fire(uri);
      }, delayMs),
    );
  }

  refreshAll(): void {
    for (const doc of this.openExpandedDocs()) {
      this.changed.fire(doc.uri);
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const client = this.client();
    if (client === undefined || !client.isRunning()) {
      return errorDocument('The Rockcraft language server is not running (see the Rockcraft output channel).');
    }
    const source = sourceUri(uri);
    try {
      const result = await client.sendRequest<ExpandedProjectResult>(
        REQUEST,
        { uri: client.code2ProtocolConverter.asUri(source) },
        token,
      );
      if (typeof result?.yaml === 'string') {
        return result.yaml;
      }
      return errorDocument(typeof result?.error === 'string' ? result.error : 'The server returned no result.');
    } catch (e) {
      return errorDocument(`${REQUEST} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) {
      clearTimeout(t);
    }
    this.timers.clear();
    this.changed.dispose();
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

/** Which rockcraft.yaml the command is about: its argument, the active editor, or the only one. */
export async function pickSource(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    return arg.scheme === SCHEME ? sourceUri(arg) : arg;
  }
  if (typeof arg === 'string' && arg !== '') {
    return vscode.Uri.parse(arg, true);
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active !== undefined) {
    if (active.scheme === SCHEME) {
      return sourceUri(active);
    }
    if (isRockcraftYaml(active)) {
      return active;
    }
  }
  const found = await vscode.workspace.findFiles('**/rockcraft.yaml', '**/{node_modules,.git,target}/**', 20);
  if (found.length === 1) {
    return found[0];
  }
  if (found.length > 1) {
    const picked = await vscode.window.showQuickPick(
      found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { placeHolder: 'Which rockcraft.yaml?' },
    );
    return picked?.uri;
  }
  return undefined;
}

/** Opens (or refreshes) the expanded project of `source` beside the current editor. */
export async function showExpandedProject(
  provider: ExpandedProjectProvider,
  source: vscode.Uri,
): Promise<vscode.TextEditor> {
  const uri = expandedUri(source);
  const alreadyOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  if (alreadyOpen) {
    provider.refreshSoon(uri, 0);
  }
  let doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'yaml') {
    doc = await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  }
  return vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.Beside,
    preview: false,
    preserveFocus: true,
  });
}
