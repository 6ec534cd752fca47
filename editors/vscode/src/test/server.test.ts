// Unit tests of finding the server and expanding path settings (no VS Code needed):
// npm test
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { expandPath } from '../paths';
import { ENV_VAR, EXECUTABLE, ServerNotFoundError, findServer, searchPath } from '../server';

const posix = process.platform !== 'win32';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rockcraft-vscode-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** A fake rockcraft-lsp: prints `version` for --version, or fails with `exit`. */
function fakeServer(dir: string, version: string, exit = 0): string {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, EXECUTABLE);
  fs.writeFileSync(p, `#!/bin/sh\necho "${version}"\necho "broken" >&2\nexit ${exit}\n`, { mode: 0o755 });
  return p;
}

function find(opts: { env?: NodeJS.ProcessEnv; setting?: string; extension?: string; home?: string }) {
  const log: string[] = [];
  const found = findServer({
    extensionPath: opts.extension ?? path.join(root, 'no-extension'),
    settingPath: opts.setting,
    log: (l) => log.push(l),
    env: opts.env ?? { PATH: '' },
    home: opts.home ?? path.join(root, 'no-home'),
  });
  return { found, log };
}

function notFound(fn: () => unknown): ServerNotFoundError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ServerNotFoundError, `not a ServerNotFoundError: ${String(e)}`);
    return e;
  }
  assert.fail('no error');
}

describe('expandPath', () => {
  const ctx = { home: '/home/u', workspaceFolder: '/ws' };
  it('expands ~, ${userHome} and ${workspaceFolder}', () => {
    assert.equal(expandPath('~/bin/rockcraft-lsp', ctx), path.join('/home/u', 'bin/rockcraft-lsp'));
    assert.equal(expandPath('~', ctx), '/home/u');
    assert.equal(expandPath('${userHome}/x', ctx), '/home/u/x');
    assert.equal(expandPath('${workspaceFolder}/target/release/rockcraft-lsp', ctx), '/ws/target/release/rockcraft-lsp');
  });
  it('makes relative paths relative to the workspace, keeps bare names and empties', () => {
    assert.equal(expandPath('./bin/x', ctx), path.join('/ws', 'bin/x'));
    assert.equal(expandPath('rockcraft-lsp', ctx), 'rockcraft-lsp');
    assert.equal(expandPath('  ', ctx), undefined);
    assert.equal(expandPath(undefined, ctx), undefined);
    assert.equal(expandPath('./bin/x', { home: '/h' }), './bin/x');
  });
});

describe('findServer', { skip: !posix && 'fake servers are shell scripts' }, () => {
  const envServer = fakeServer(path.join(root, 'env'), 'rockcraft-lsp 1.0.0-env');
  const settingServer = fakeServer(path.join(root, 'setting'), 'rockcraft-lsp 1.0.0-setting');
  const extension = path.join(root, 'extension');
  fakeServer(path.join(extension, 'server'), 'rockcraft-lsp 1.0.0-bundled');
  const pathDir = path.join(root, 'path');
  const onPath = fakeServer(pathDir, 'rockcraft-lsp 1.0.0-path');
  const broken = fakeServer(path.join(root, 'broken'), 'rockcraft-lsp broken', 3);
  const brokenExtension = path.join(root, 'broken-extension');
  fakeServer(path.join(brokenExtension, 'server'), 'x', 1);

  it(`takes ${ENV_VAR} first`, () => {
    const { found } = find({ env: { [ENV_VAR]: envServer, PATH: pathDir }, setting: settingServer, extension });
    assert.deepEqual(found, { path: envServer, source: 'env', version: 'rockcraft-lsp 1.0.0-env' });
  });
  it('then the setting, then the bundled binary, then PATH', () => {
    assert.equal(find({ env: { PATH: pathDir }, setting: settingServer, extension }).found.source, 'setting');
    const bundled = find({ env: { PATH: pathDir }, extension }).found;
    assert.equal(bundled.source, 'bundled');
    assert.equal(bundled.path, path.join(extension, 'server', EXECUTABLE));
    assert.deepEqual(find({ env: { PATH: `/nonexistent${path.delimiter}${pathDir}` } }).found, {
      path: onPath,
      source: 'path',
      version: 'rockcraft-lsp 1.0.0-path',
    });
  });
  it('falls back to ~/.cargo/bin', () => {
    const home = path.join(root, 'home');
    const cargo = fakeServer(path.join(home, '.cargo', 'bin'), 'rockcraft-lsp 1.0.0-cargo');
    assert.equal(find({ home }).found.path, cargo);
  });
  it('makes a bundled binary unpacked without its executable bits executable', () => {
    const unpacked = path.join(root, 'unpacked-extension');
    const server = fakeServer(path.join(unpacked, 'server'), 'rockcraft-lsp 1.0.0-unpacked');
    fs.chmodSync(server, 0o644);
    const { found, log } = find({ env: { PATH: pathDir }, extension: unpacked });
    assert.deepEqual(found, { path: server, source: 'bundled', version: 'rockcraft-lsp 1.0.0-unpacked' });
    assert.match(log.join('\n'), /made .* executable/);
  });
  it('skips a bundled binary that does not run', () => {
    const { found, log } = find({ env: { PATH: pathDir }, extension: brokenExtension });
    assert.equal(found.source, 'path');
    assert.match(log.join('\n'), /does not run/);
  });
  it('fails on an explicit path that is missing or broken, naming where it came from', () => {
    const missing = notFound(() => find({ env: { [ENV_VAR]: '/nonexistent/rockcraft-lsp', PATH: pathDir } }));
    assert.match(missing.message, new RegExp(`${ENV_VAR}.*/nonexistent/rockcraft-lsp`));
    assert.equal(missing.settingRelated, false);
    const bad = notFound(() => find({ env: { PATH: pathDir }, setting: broken }));
    assert.match(bad.message, /rockcraft\.server\.path/);
    assert.match(bad.message, /--version` exited with 3: broken/);
    assert.equal(bad.settingRelated, true);
  });
  it('says how to fix it when nothing is found', () => {
    const e = notFound(() => find({ env: { PATH: path.join(root, 'empty') } }));
    assert.match(e.message, /Cannot find the rockcraft-lsp language server/);
    assert.match(e.message, /rockcraft\.server\.path/);
    assert.match(e.message, /PATH/);
    assert.equal(e.settingRelated, true);
  });
  it('searchPath ignores non-executable files', () => {
    const dir = path.join(root, 'noexec');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, EXECUTABLE), '', { mode: 0o644 });
    assert.equal(searchPath(EXECUTABLE, dir), undefined);
  });
});
