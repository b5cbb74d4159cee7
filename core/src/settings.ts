/**
 * The one settings model: which API generation templates target and the severity per rule
 * code. The editor reads it from VS Code's configuration (section `cleanRoomTemplates`), the
 * CLI from the same keys in the workspace's `.vscode/settings.json`, so CI and the editor
 * report the same findings at the same severities. A profile's `"api"` wins over both.
 */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { Severity } from './findings.js';

export type Api = 'legacy' | 'collaboration';
export type SeverityOverride = Severity | 'off';

export interface Settings {
  api: Api;
  severities: Record<string, SeverityOverride>;
  debounceMs: number;
}

export const SETTINGS_SECTION = 'cleanRoomTemplates';
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({ api: 'legacy', severities: {}, debounceMs: 200 });

const LEVELS = new Set<string>(['error', 'warning', 'information', 'hint', 'off']);

export function isSeverityOverride(v: unknown): v is SeverityOverride {
  return typeof v === 'string' && LEVELS.has(v);
}

/**
 * The `cleanRoomTemplates` section as VS Code hands it over (nested objects). Settings are
 * user-edited JSON: anything malformed falls back to the default, never throws.
 */
export function normalizeSettings(raw: unknown): Settings {
  const section = asRecord(raw);
  const api: Api = section.api === 'collaboration' ? 'collaboration' : 'legacy';
  const severities: Record<string, SeverityOverride> = {};
  const sev = asRecord(section.rules).severity;
  for (const [code, level] of Object.entries(asRecord(sev))) if (isSeverityOverride(level)) severities[code] = level;
  const d = asRecord(section.diagnostics).debounceMs;
  const debounceMs = typeof d === 'number' && Number.isFinite(d) ? Math.min(5000, Math.max(0, d)) : DEFAULT_SETTINGS.debounceMs;
  return { api, severities, debounceMs };
}

/**
 * The same settings from the text of a `.vscode/settings.json` (JSON with comments, flat
 * dotted keys as VS Code writes them, or nested). Returns the settings and, when the file
 * cannot be read as JSON, a problem to show.
 */
export function settingsFromVscodeJson(text: string): { settings: Settings; explicit: { api: boolean }; problem?: string } {
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length || !json || typeof json !== 'object') {
    return { settings: { ...DEFAULT_SETTINGS }, explicit: { api: false }, problem: 'not a JSON object' };
  }
  const flat = json as Record<string, unknown>;
  const nested: Record<string, unknown> = { ...asRecord(flat[SETTINGS_SECTION]) };
  const prefix = `${SETTINGS_SECTION}.`;
  for (const [k, v] of Object.entries(flat)) {
    if (!k.startsWith(prefix)) continue;
    const path = k.slice(prefix.length).split('.');
    let at = nested;
    for (const seg of path.slice(0, -1)) at = (at[seg] = { ...asRecord(at[seg]) }) as Record<string, unknown>;
    at[path[path.length - 1]!] = v;
  }
  return { settings: normalizeSettings(nested), explicit: { api: nested.api === 'legacy' || nested.api === 'collaboration' } };
}

/** The API generation a template is checked for: its profile's `"api"` when it says one, else the setting. */
export function effectiveApi(setting: Api | undefined, profile?: { api: Api; apiExplicit?: boolean } | null): Api {
  return profile?.apiExplicit ? profile.api : (setting ?? DEFAULT_SETTINGS.api);
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
