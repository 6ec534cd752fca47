// Reading the `rockcraft.*` settings.
import * as os from 'os';
import * as vscode from 'vscode';
import { expandPath as expandPathIn } from './paths';

export const SECTION = 'rockcraft';

/** The settings that are sent to the server in `initializationOptions`. */
export interface InitializationOptions {
  experimentalExtensions: boolean;
  packages: {
    indexFiles: string[];
    /** Empty: do not read apt's lists. */
    aptListsDir: string;
  };
  chisel: {
    releasesDir: string | null;
  };
}

/**
 * Settings whose change needs a new server process. The server's own settings need none: the
 * client sends `workspace/didChangeConfiguration` and the server asks for the section again.
 */
export const RESTART_SETTINGS = ['rockcraft.server'];

export function settings(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

function firstWorkspaceFolder(): string | undefined {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 ? folders[0].uri.fsPath : undefined;
}

/** `expandPath` (see paths.ts) for this window: the user's home and the first workspace folder. */
export function expandPath(value: string | undefined | null): string | undefined {
  return expandPathIn(value, { home: os.homedir(), workspaceFolder: firstWorkspaceFolder() });
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function serverPathSetting(): string | undefined {
  return expandPath(settings().get<string>('server.path'));
}

export function extraArgs(): string[] {
  return stringArray(settings().get<unknown>('server.extraArgs'));
}

/**
 * The server's settings, paths expanded: sent as `initializationOptions`, and as the answer to
 * the server's `workspace/configuration` requests for the `rockcraft` section.
 */
export function initializationOptions(scope?: vscode.Uri): InitializationOptions {
  const cfg = settings(scope);
  return {
    experimentalExtensions: cfg.get<boolean>('experimentalExtensions') === true,
    packages: {
      indexFiles: stringArray(cfg.get<unknown>('packages.indexFiles'))
        .map((p) => expandPath(p))
        .filter((p): p is string => p !== undefined),
      aptListsDir: expandPath(cfg.get<string>('packages.aptListsDir')) ?? '',
    },
    chisel: {
      releasesDir: expandPath(cfg.get<string>('chisel.releasesDir')) ?? null,
    },
  };
}
