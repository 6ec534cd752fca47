// Path settings, without the vscode API (unit-tested with node:test).
import * as path from 'path';

export interface PathContext {
  home: string;
  /** The first workspace folder, if any. */
  workspaceFolder?: string | undefined;
}

/**
 * Expands `~`, `${userHome}` and `${workspaceFolder}`, and makes relative paths that contain a
 * directory (`./bin/rockcraft-lsp`) relative to the workspace folder; a bare name stays as it
 * is. Returns undefined for an empty value.
 */
export function expandPath(value: string | undefined | null, ctx: PathContext): string | undefined {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') {
    return undefined;
  }
  const folder = ctx.workspaceFolder;
  let p = trimmed.replace(/\$\{userHome\}/g, ctx.home);
  if (folder !== undefined) {
    p = p.replace(/\$\{workspaceFolder\}/g, folder);
  }
  if (p === '~') {
    p = ctx.home;
  } else if (p.startsWith('~/') || p.startsWith('~\\')) {
    p = path.join(ctx.home, p.slice(2));
  }
  if (!path.isAbsolute(p) && folder !== undefined && /[\\/]/.test(p)) {
    p = path.join(folder, p);
  }
  return p;
}
