// In-editor self-test, run only when ROCKCRAFT_LSP_SELFTEST_OUT names a directory (see
// test/run.sh). It drives VS Code's own commands (`vscode.execute*Provider`,
// `languages.getDiagnostics`), which go through vscode-languageclient to the real server, on
// the flask project in the workspace, writes OUT/results.json after every check and OUT/done at
// the end, and leaves the window arranged for a screenshot: rockcraft.yaml with the error and a
// hover, the expanded project beside it, the Problems panel below.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RockcraftApi } from './extension';
import type { InitializationOptions } from './config';
import { SCHEME } from './expanded';

export const SELFTEST_ENV = 'ROCKCRAFT_LSP_SELFTEST_OUT';

// The frameworks the sample's base supports without the experimental opt-in
// (spring-boot-framework is experimental on ubuntu@24.04, so it is not offered).
const FRAMEWORKS = [
  'django-framework',
  'expressjs-framework',
  'fastapi-framework',
  'flask-framework',
  'go-framework',
];
const QUICK_FIX = 'Prefix with `flask/app/`';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function poll<T>(what: () => Promise<T> | T, done: (v: T) => boolean, timeoutMs: number, stepMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (done(v) || Date.now() >= deadline) {
      return v;
    }
    await sleep(stepMs);
  }
}

function expect(cond: unknown, message: string): asserts cond {
  if (!cond) {
    throw new Error(message);
  }
}

function code(d: vscode.Diagnostic): string | undefined {
  if (d.code === undefined) {
    return undefined;
  }
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

function describe(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${r.start.line + 1}:${r.start.character + 1} ${code(d)}: ${d.message}`;
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
    .join('\n');
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Position of the first character of `needle` (optionally after `offset` chars) on the line matching `line`. */
function positionOf(doc: vscode.TextDocument, line: RegExp, needle: string): vscode.Position {
  for (let i = 0; i < doc.lineCount; i++) {
    const text = doc.lineAt(i).text;
    if (line.test(text)) {
      const col = text.indexOf(needle);
      if (col >= 0) {
        return new vscode.Position(i, col);
      }
    }
  }
  throw new Error(`no line matching ${line} with \`${needle}\``);
}

/** Puts the cursor on `needle` in rockcraft.yaml (focused, scrolled to the top) and shows the hover there. */
async function arrange(doc: vscode.TextDocument, line: RegExp, needle: string): Promise<void> {
  const at = positionOf(doc, line, needle);
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.One,
    preserveFocus: false,
    selection: new vscode.Range(at, at),
  });
  editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
  await sleep(500);
  await vscode.commands.executeCommand('editor.action.showHover');
  await sleep(500);
}

/**
 * Asks the driver (test/drive.js) for a screenshot now: writes OUT/NAME.request and waits for
 * OUT/NAME.png. Without a driver it gives up after a few seconds.
 */
async function snapshot(outDir: string, name: string, log: (l: string) => void): Promise<void> {
  const request = path.join(outDir, `${name}.request`);
  const png = path.join(outDir, `${name}.png`);
  fs.writeFileSync(request, '');
  const got = await poll(() => fs.existsSync(png), (v) => v, 15_000, 200);
  log(got ? `screenshot ${png}` : `no screenshot ${name} (no driver?)`);
  try {
    fs.rmSync(request, { force: true });
  } catch {
    // the driver removed it
  }
}

export async function runSelfTest(api: RockcraftApi, outDir: string, output: vscode.OutputChannel): Promise<void> {
  const checks: Check[] = [];
  const results: Record<string, unknown> = { checks };
  const write = () => fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2));
  const log = (line: string) => output.appendLine(`[selftest] ${line}`);

  async function check(name: string, body: () => Promise<string>): Promise<boolean> {
    const t0 = Date.now();
    let ok = false;
    let detail: string;
    try {
      detail = await body();
      ok = true;
    } catch (e) {
      detail = e instanceof Error ? e.message : String(e);
    }
    checks.push({ name, ok, detail, ms: Date.now() - t0 });
    log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
    write();
    return ok;
  }

  try {
    fs.mkdirSync(outDir, { recursive: true });
    const files = await vscode.workspace.findFiles('**/rockcraft.yaml', '**/node_modules/**', 1);
    if (files.length === 0) {
      throw new Error('no rockcraft.yaml in the workspace');
    }
    const uri = files[0];
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const original = doc.getText();
    results.file = uri.toString();
    await api.ensureStarted();

    const primePrefix = () => vscode.languages.getDiagnostics(uri).filter((d) => code(d) === 'prime-prefix');

    await check('server starts', async () => {
      const client = api.client();
      const server = api.server();
      expect(client !== undefined && client.isRunning(), `not running: ${api.lastError() ?? 'no client'}`);
      const info = client.initializeResult?.serverInfo;
      results.server = { ...server, serverInfo: info };
      expect(info?.name === 'rockcraft-lsp', `serverInfo is ${JSON.stringify(info)}`);
      const wantSource = process.env.ROCKCRAFT_LSP_SELFTEST_EXPECT_SOURCE;
      expect(!wantSource || server?.source === wantSource, `found via ${server?.source}, expected ${wantSource}`);
      return `${info.name} ${info.version ?? ''} at ${server?.path} (found via ${server?.source})`;
    });

    await check('diagnostics: prime entry without flask/app/ (prime-prefix)', async () => {
      const diags = await poll(primePrefix, (d) => d.length > 0, 30_000);
      results.diagnostics = vscode.languages.getDiagnostics(uri).map(describe);
      expect(diags.length === 1, `prime-prefix diagnostics: ${diags.length}; all: ${JSON.stringify(results.diagnostics)}`);
      const d = diags[0];
      const where = doc.getText(d.range);
      expect(where === 'static', `on \`${where}\`, expected \`static\``);
      expect(d.severity === vscode.DiagnosticSeverity.Error, `severity ${d.severity}`);
      return describe(d);
    });

    await check('completion in extensions: offers the *-framework names the base supports', async () => {
      const at = positionOf(doc, /^\s*-\s*flask-framework\s*$/, 'flask-framework');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        uri,
        at,
      );
      const labels = (list?.items ?? []).map(labelOf);
      results.completion = labels;
      const names = [...new Set(labels.filter((l) => l.endsWith('-framework')))].sort();
      expect(JSON.stringify(names) === JSON.stringify(FRAMEWORKS), `got ${JSON.stringify(labels)}`);
      return names.join(', ');
    });

    await check(`quick fix "${QUICK_FIX}" applied to the buffer`, async () => {
      const diag = primePrefix()[0];
      expect(diag !== undefined, 'no prime-prefix diagnostic to fix');
      const actions =
        (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diag.range,
          vscode.CodeActionKind.QuickFix.value,
        )) ?? [];
      results.code_actions = actions.map((a) => a.title);
      const fix = actions.find((a): a is vscode.CodeAction => a.title.includes(QUICK_FIX) && 'edit' in a);
      const fixEdit = fix?.edit;
      expect(fix !== undefined && fixEdit !== undefined, `no "${QUICK_FIX}" fix with an edit among ${JSON.stringify(results.code_actions)}`);
      expect(await vscode.workspace.applyEdit(fixEdit), 'applyEdit returned false');
      const text = doc.getText();
      const line = text.split('\n').find((l) => l.includes('static')) ?? '';
      expect(line.trim() === '- flask/app/static', `line after the fix: \`${line}\``);
      const left = await poll(primePrefix, (d) => d.length === 0, 20_000);
      expect(left.length === 0, `prime-prefix still reported after the fix: ${left.map(describe).join('; ')}`);
      return `${fix.title} → \`${line.trim()}\`, diagnostic gone`;
    });

    await check('hover on the flask service shows the gunicorn command', async () => {
      const at = positionOf(doc, /^ {2}flask:\s*$/, 'flask');
      const text = await poll(
        async () =>
          hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at)),
        (t) => t.includes('gunicorn'),
        30_000,
        300,
      );
      results.hover = text;
      expect(text.includes('gunicorn'), `hover: ${JSON.stringify(text)}`);
      const command = text.split('\n').find((l) => l.includes('gunicorn')) ?? '';
      return command.trim();
    });

    await check('"Add Debian packages" is offered once, adds a valid list and puts the cursor in it', async () => {
      // A command the server runs: it applies a plain edit (VS Code's languageclient 9 takes no
      // snippet edits) and moves the cursor with window/showDocument.
      const start = new vscode.Range(0, 0, 0, 0);
      const adds = await poll(
        async () =>
          (
            (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
              'vscode.executeCodeActionProvider',
              uri,
              start,
              vscode.CodeActionKind.Refactor.value,
            )) ?? []
          ).filter((a) => a.title.startsWith('Add ')),
        (a) => a.length > 0,
        15_000,
        300,
      );
      expect(adds.length === 1, `offered ${JSON.stringify(adds.map((a) => a.title))}`);
      const add = adds[0] as vscode.CodeAction;
      const command = add.command;
      expect(command !== undefined && add.edit === undefined, `"${add.title}" carries no command`);
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
      const line = await poll(
        () => doc.getText().split('\n').findIndex((l) => l.trim() === 'stage-packages: []'),
        (i) => i >= 0,
        10_000,
      );
      expect(line >= 0, `no empty list added: ${doc.getText()}`);
      const col = doc.lineAt(line).text.indexOf(']');
      const at = await poll(
        () => vscode.window.activeTextEditor?.selection.active,
        (p) => p !== undefined && p.line === line && p.character === col,
        5000,
      );
      expect(at?.line === line && at.character === col, `cursor at ${at?.line}:${at?.character}, want ${line}:${col}`);
      return `${add.title} → line ${line + 1} \`${doc.lineAt(line).text.trim()}\`, cursor inside the brackets`;
    });

    await check('Show Expanded Project opens the expanded YAML (read-only, yaml)', async () => {
      await vscode.commands.executeCommand('rockcraft.showExpandedProject', uri);
      const shown = await poll(
        () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === SCHEME),
        (d) => d !== undefined && d.getText().includes('gunicorn'),
        15_000,
      );
      expect(shown !== undefined, `no ${SCHEME}: document opened`);
      const text = shown.getText();
      results.expanded_head = text.split('\n').slice(0, 40).join('\n');
      expect(shown.languageId === 'yaml', `language ${shown.languageId}`);
      expect(text.includes('flask-framework/install-app:'), 'no flask-framework/install-app part');
      expect(text.includes('- flask/app/static'), 'the fixed prime entry is not in the expansion');
      expect(text.includes('gunicorn'), 'no gunicorn command');
      const visible = vscode.window.visibleTextEditors.some((e) => e.document === shown);
      expect(visible, 'not visible in an editor');
      return `${shown.uri.toString(true)}: ${text.split('\n').length} lines`;
    });

    // screenshot of the fixed project: hover on the service, expanded project beside
    await arrange(doc, /^ {2}flask:\s*$/, 'flask');
    await snapshot(outDir, 'hover', log);

    await check('settings reach the server: a deb from rockcraft.packages.indexFiles is completed', async () => {
      const options = api.client()?.clientOptions.initializationOptions as InitializationOptions | undefined;
      results.initializationOptions = options;
      expect(options !== undefined, 'no initializationOptions');
      expect(
        typeof options.experimentalExtensions === 'boolean' &&
          Array.isArray(options.packages?.indexFiles) &&
          'aptListsDir' in options.packages &&
          'releasesDir' in (options.chisel ?? {}),
        `initializationOptions: ${JSON.stringify(options)}`,
      );
      const index = options.packages.indexFiles[0] ?? '';
      expect(path.isAbsolute(index) && !index.includes('${'), `indexFiles[0] not expanded: ${index}`);
      const text = doc.getText();
      const edit = new vscode.WorkspaceEdit();
      edit.insert(
        uri,
        doc.positionAt(text.length),
        `${text.endsWith('\n') ? '' : '\n'}  runtime-debs:\n    plugin: nil\n    stage-packages:\n      - rockcraft-fix`,
      );
      expect(await vscode.workspace.applyEdit(edit), 'applyEdit returned false');
      const at = doc.positionAt(doc.getText().length);
      let attempts = 0;
      const labels = await poll(
        async () => {
          attempts++;
          const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
          return (list?.items ?? []).map(labelOf);
        },
        (l) => l.includes('rockcraft-fixture-deb'),
        5000,
        500,
      );
      results.deb_completion_attempts = attempts;
      expect(labels.includes('rockcraft-fixture-deb'), `completion: ${JSON.stringify(labels.slice(0, 30))}`);
      return `rockcraft-fixture-deb from ${index}; initializationOptions ${JSON.stringify(options)}`;
    });

    await check('a changed setting reaches the running server (workspace/configuration, no restart)', async () => {
      const before = api.client();
      const cfg = vscode.workspace.getConfiguration('rockcraft');
      const old = cfg.get<string[]>('packages.indexFiles') ?? [];
      const second = old.map((p) => p.replace(/Packages$/, 'Packages2'));
      await cfg.update('packages.indexFiles', [...old, ...second], vscode.ConfigurationTarget.Global);
      try {
        const at = doc.positionAt(doc.getText().length);
        const labels = await poll(
          async () => {
            const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
            return (list?.items ?? []).map(labelOf);
          },
          (l) => l.includes('rockcraft-fixture-deb-two'),
          10_000,
          500,
        );
        expect(labels.includes('rockcraft-fixture-deb-two'), `completion: ${JSON.stringify(labels.slice(0, 30))}`);
        expect(api.client() === before, 'the client was restarted');
        return `rockcraft-fixture-deb-two offered after adding ${second.join(', ')}`;
      } finally {
        await cfg.update('packages.indexFiles', old, vscode.ConfigurationTarget.Global);
      }
    });

    await check('restart command brings the server back', async () => {
      const before = api.client();
      await vscode.commands.executeCommand('rockcraft.restart');
      const after = api.client();
      expect(after !== undefined && after !== before && after.isRunning(), `client after restart: ${after?.state}`);
      // the restored original text gets its prime-prefix error again from the new server
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      expect(await vscode.workspace.applyEdit(edit), 'applyEdit (restore) returned false');
      await doc.save();
      const back = await poll(primePrefix, (d) => d.length > 0, 30_000);
      expect(back.length === 1, 'no prime-prefix diagnostic from the restarted server');
      return `new server answered: ${describe(back[0])}`;
    });

    await check('the expanded project follows edits (now: why it cannot be expanded)', async () => {
      const shown = await poll(
        () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === SCHEME),
        (d) => d !== undefined && d.getText().includes('cannot be expanded'),
        15_000,
      );
      const text = shown?.getText() ?? '(closed)';
      expect(text.includes('cannot be expanded') && text.includes('static'), `expanded document: ${text.slice(0, 300)}`);
      return text.split('\n').slice(0, 3).join(' ').slice(0, 160);
    });

    // final screenshot (taken by run.sh after `done`): the error in the editor, its hover
    // with the quick fix, the Problems panel; the expanded project (now an error) closed
    try {
      for (const group of vscode.window.tabGroups.all) {
        for (const tab of group.tabs) {
          if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === SCHEME) {
            await vscode.window.tabGroups.close(tab);
          }
        }
      }
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await arrange(doc, /^\s*-\s*static\s*$/, 'static');
    } catch (e) {
      log(`arranging the screenshot: ${String(e)}`);
    }
  } catch (e) {
    checks.push({ name: 'self-test', ok: false, detail: e instanceof Error ? e.stack ?? e.message : String(e), ms: 0 });
  } finally {
    write();
    fs.writeFileSync(path.join(outDir, 'done'), '');
  }
}
