/**
 * Per-resource settings, read through workspace/configuration and cached per document URI
 * until the client says the configuration changed. Never a server-wide global: two folders
 * of one workspace may target different APIs.
 */
import type { Connection } from 'vscode-languageserver';
import type { Api, SeverityOverride } from '../../core/src/analyze.js';
import { ConfigurationSection } from './shared/customMessages.js';

export interface DocumentSettings {
  api: Api;
  severities: Record<string, SeverityOverride>;
  debounceMs: number;
}

export const DEFAULT_SETTINGS: Readonly<DocumentSettings> = Object.freeze({ api: 'legacy', severities: {}, debounceMs: 200 });

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Settings come from user-edited JSON: anything malformed falls back to the default. */
export function normalizeSettings(raw: unknown): DocumentSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const api: Api = section.api === 'collaboration' ? 'collaboration' : 'legacy';
  const severities: Record<string, SeverityOverride> = {};
  const rules = section.rules as Record<string, unknown> | undefined;
  const sev = rules && typeof rules === 'object' ? rules.severity : undefined;
  if (sev && typeof sev === 'object') {
    for (const [code, level] of Object.entries(sev as Record<string, unknown>)) {
      if (typeof level === 'string' && LEVELS.has(level)) severities[code] = level as SeverityOverride;
    }
  }
  const diagnostics = section.diagnostics as Record<string, unknown> | undefined;
  const d = diagnostics && typeof diagnostics === 'object' ? diagnostics.debounceMs : undefined;
  const debounceMs = typeof d === 'number' && Number.isFinite(d) ? Math.min(5000, Math.max(0, d)) : DEFAULT_SETTINGS.debounceMs;
  return { api, severities, debounceMs };
}

export class SettingsStore {
  private readonly cache = new Map<string, Promise<DocumentSettings>>();
  /** Used when the client cannot answer workspace/configuration (pushed via didChangeConfiguration). */
  private fallback: DocumentSettings = { ...DEFAULT_SETTINGS };

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
    private readonly log: (msg: string) => void,
  ) {}

  get(uri: string): Promise<DocumentSettings> {
    if (!this.canPull()) return Promise.resolve(this.fallback);
    let p = this.cache.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: ConfigurationSection })
        .then(normalizeSettings, err => {
          this.log(`could not read settings for ${uri}: ${err instanceof Error ? err.message : String(err)}`);
          this.cache.delete(uri);
          return { ...DEFAULT_SETTINGS };
        });
      this.cache.set(uri, p);
    }
    return p;
  }

  /** didChangeConfiguration: pull-capable clients are asked again; others pushed the value. */
  changed(pushed: unknown): void {
    this.cache.clear();
    if (!this.canPull()) {
      const section = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>)[ConfigurationSection] : undefined;
      this.fallback = normalizeSettings(section);
    }
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
