/**
 * The CLI reads the editor's settings: the `cleanRoomTemplates.*` keys of the nearest
 * `.vscode/settings.json` walking up from the working folder, so `dcr check` in CI reports
 * what the editor shows. Flags given on the command line win.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ancestorDirs, DEFAULT_SETTINGS, settingsFromVscodeJson, type Settings } from '../../core/src/index.js';

export interface WorkspaceSettings {
  settings: Settings;
  /** The file read, if any. */
  path: string | null;
  /** Why the file was not used, when it exists but cannot be read as settings. */
  problem?: string;
}

export function loadWorkspaceSettings(cwd: string): WorkspaceSettings {
  for (const dir of ancestorDirs(cwd)) {
    const path = join(dir, '.vscode', 'settings.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const read = settingsFromVscodeJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return { settings: read.settings, path, ...(read.problem ? { problem: `${path}: ${read.problem}; using the defaults` } : {}) };
  }
  return { settings: { ...DEFAULT_SETTINGS, severities: {} }, path: null };
}
