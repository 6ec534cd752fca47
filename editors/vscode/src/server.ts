// Finding the `rockcraft-lsp` executable.
//
// Order: the `ROCKCRAFT_LSP_PATH` environment variable, the `rockcraft.server.path` setting,
// the binary bundled in a platform-specific VSIX (`server/rockcraft-lsp[.exe]`), `PATH`
// (then `~/.cargo/bin`, where `cargo install` puts it and which GUI sessions often lack on
// their PATH). An explicitly configured path that does not work is an error, not a reason to
// look elsewhere.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expandPath } from './paths';


export const ENV_VAR = 'ROCKCRAFT_LSP_PATH';

export type ServerSource = 'env' | 'setting' | 'bundled' | 'path';

export interface ResolvedServer {
  path: string;
  source: ServerSource;
  /** First line of `rockcraft-lsp --version`. */
  version: string;
}

/** A server that could not be found or does not run; `message` says how to fix it. */
export class ServerNotFoundError extends Error {
  constructor(
    message: string,
    /** Whether pointing `rockcraft.server.path` elsewhere is the fix (offer "Open Settings"). */
    readonly settingRelated: boolean,
  ) {
    super(message);
    this.name = 'ServerNotFoundError';
  }
}

export const EXECUTABLE = process.platform === 'win32' ? 'rockcraft-lsp.exe' : 'rockcraft-lsp';

const INSTALL_HINT =
  'Install the build of this extension for your platform, which bundles the server; or put ' +
  '`rockcraft-lsp` on PATH (`pipx install rockcraft-lsp`, `cargo install --locked ' +
  'rockcraft-lsp`, or a release archive) or set `rockcraft.server.path` to it.';

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Gives the bundled binary back its executable bits if the VSIX was unpacked without them (the
 * extension's folder belongs to the user). A failure is left to the `--version` probe to report.
 */
export function ensureExecutable(p: string, log: (line: string) => void): void {
  if (process.platform === 'win32') {
    return;
  }
  try {
    fs.accessSync(p, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(p, fs.statSync(p).mode | 0o755);
      log(`made ${p} executable`);
    } catch (e) {
      log(`cannot make ${p} executable: ${(e as Error).message}`);
    }
  }
}

/** Runs `<path> --version`; returns its first line, or throws with what went wrong. */
export function probeVersion(p: string): string {
  const out = spawnSync(p, ['--version'], { encoding: 'utf8', timeout: 10_000, windowsHide: true });
  if (out.error) {
    throw new Error(`cannot run it: ${out.error.message}`);
  }
  if (out.status !== 0) {
    const stderr = (out.stderr ?? '').trim().split('\n')[0] ?? '';
    throw new Error(
      `\`${path.basename(p)} --version\` exited with ${out.status ?? out.signal}` +
        (stderr ? `: ${stderr}` : ''),
    );
  }
  return (out.stdout ?? '').trim().split('\n')[0] ?? '';
}

/** Looks `name` up in the directories of `PATH`. */
export function searchPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === '') {
      continue;
    }
    const candidate = path.join(dir, name);
    if (isFile(candidate)) {
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not executable: keep looking
      }
    }
  }
  return undefined;
}

export interface FindOptions {
  /** The extension's directory (for the bundled `server/` binary). */
  extensionPath: string;
  /** The `rockcraft.server.path` setting, already expanded (undefined when empty). */
  settingPath: string | undefined;
  /** Receives the steps, for the output channel. */
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Finds the server. Throws ServerNotFoundError with a message that says how to fix it. */
export function findServer(opts: FindOptions): ResolvedServer {
  const { extensionPath, log } = opts;
  const env = opts.env ?? process.env;
  const home = opts.home ?? os.homedir();
  const explicit = (source: 'env' | 'setting', raw: string, where: string): ResolvedServer => {
    const p = source === 'env' ? (expandPath(raw, { home }) ?? raw) : raw;
    if (!isFile(p)) {
      throw new ServerNotFoundError(
        `${where} is \`${raw}\`, but there is no file \`${p}\`. Correct it, or unset it to use ` +
          `the bundled server or \`rockcraft-lsp\` on PATH.`,
        source === 'setting',
      );
    }
    try {
      return { path: p, source, version: probeVersion(p) };
    } catch (e) {
      throw new ServerNotFoundError(
        `${where} points to \`${p}\`, which does not work as rockcraft-lsp: ` +
          `${(e as Error).message}. Correct it, or unset it.`,
        source === 'setting',
      );
    }
  };

  const fromEnv = (env[ENV_VAR] ?? '').trim();
  if (fromEnv !== '') {
    log(`using ${ENV_VAR}=${fromEnv}`);
    return explicit('env', fromEnv, `The environment variable ${ENV_VAR}`);
  }
  const setting = opts.settingPath;
  if (setting !== undefined) {
    log(`using rockcraft.server.path=${setting}`);
    return explicit('setting', setting, 'The setting `rockcraft.server.path`');
  }

  const tried: string[] = [];
  const candidate = (p: string, source: 'bundled' | 'path'): ResolvedServer | undefined => {
    try {
      return { path: p, source, version: probeVersion(p) };
    } catch (e) {
      log(`${p} does not run: ${(e as Error).message}`);
      tried.push(`${p} (${(e as Error).message})`);
      return undefined;
    }
  };

  const bundled = path.join(extensionPath, 'server', EXECUTABLE);
  if (isFile(bundled)) {
    ensureExecutable(bundled, log);
    const found = candidate(bundled, 'bundled');
    if (found) {
      return found;
    }
  }
  const cargoBin = path.join(home, '.cargo', 'bin');
  for (const p of [searchPath(EXECUTABLE, env.PATH ?? ''), searchPath(EXECUTABLE, cargoBin)]) {
    if (p !== undefined) {
      const found = candidate(p, 'path');
      if (found) {
        return found;
      }
    }
  }
  const triedText = tried.length > 0 ? ` Tried and failed: ${tried.join('; ')}.` : '';
  throw new ServerNotFoundError(
    `Cannot find the rockcraft-lsp language server: not bundled with this extension and not on ` +
      `PATH.${triedText} ${INSTALL_HINT}`,
    true,
  );
}
