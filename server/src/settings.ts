/**
 * Per-resource settings, read through workspace/configuration and cached per document URI
 * until the client says the configuration changed. Never a server-wide global: two folders
 * of one workspace may target different APIs.
 */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from '../../core/src/index.js';
import { ConfigurationSection } from './shared/customMessages.js';

export type DocumentSettings = Settings;
export { DEFAULT_SETTINGS, normalizeSettings };

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
      p = this.connection.workspace.getConfiguration({ scopeUri: uri, section: ConfigurationSection }).then(normalizeSettings, err => {
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

  get size(): number {
    return this.cache.size;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
