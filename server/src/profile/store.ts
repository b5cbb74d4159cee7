/**
 * Finds the profile (`cleanrooms.json`) of each template: the nearest one walking up from
 * the template's folder. An open buffer of a profile is the source of truth (unsaved edits
 * apply at once); otherwise the file on disk, cached until the client reports a change
 * (workspace/didChangeWatchedFiles). File access lives here, never in core.
 */
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Emitter, FileChangeType, type Disposable, type FileEvent, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isProfilePath, parseProfile, pathFromProfile, ProfileLocator, type Profile } from '../../../core/src/index.js';

export interface ProfileForDocument {
  profile: Profile;
  /** The profile's text as parsed (the analysis thread parses it again from this). */
  text: string;
  profileUri: string;
  /** The document's path relative to the profile's folder, with forward slashes. */
  templatePath: string;
}

export interface ProfileStoreDeps {
  documents: TextDocuments<TextDocument>;
  /** Reads a file, or null when it does not exist (injectable for tests). */
  readFile?: (path: string) => Promise<string | null>;
  exists?: (path: string) => Promise<boolean>;
}

interface Parsed {
  text: string;
  profile: Profile;
}

export const isProfileUri = isProfilePath;

function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

export class ProfileStore {
  private readonly emitter = new Emitter<{ profileUri: string }>();
  /** Folder -> the profile file governing it; an open buffer counts as existing. */
  private readonly locator = new ProfileLocator(async p => !!this.openDocument(p) || (await this.exists(p)));
  /** Profile file path -> the parse of its saved text. */
  private readonly onDisk = new Map<string, Promise<Parsed | null>>();
  /** Parses of open buffers, by uri and version. */
  private readonly buffers = new Map<string, { version: number; parsed: Parsed }>();
  private readonly readFile: (path: string) => Promise<string | null>;
  private readonly exists: (path: string) => Promise<boolean>;

  constructor(private readonly deps: ProfileStoreDeps) {
    this.readFile =
      deps.readFile ??
      (async p => {
        try {
          const t = await fs.readFile(p, 'utf8');
          return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
        } catch {
          return null;
        }
      });
    this.exists =
      deps.exists ??
      (async p => {
        try {
          return (await fs.stat(p)).isFile();
        } catch {
          return false;
        }
      });
  }

  /** Fires when a profile's content may have changed (buffer edit, file created, changed or deleted). */
  onDidChange(listener: () => void): Disposable {
    return this.emitter.event(() => listener());
  }

  async forDocument(uri: string): Promise<ProfileForDocument | null> {
    const path = uriToPath(uri);
    if (!path || isProfileUri(uri)) return null;
    const profilePath = await this.locator.find(dirname(path));
    if (!profilePath) return null;
    const parsed = await this.parsedAt(profilePath);
    if (!parsed) return null;
    return { profile: parsed.profile, text: parsed.text, profileUri: this.uriOf(profilePath), templatePath: pathFromProfile(profilePath, path) };
  }

  /** The text of a file as the user sees it: the open buffer, else the disk. */
  async textOf(path: string): Promise<string | null> {
    const open = this.openDocument(path);
    return open ? open.getText() : this.readFile(path);
  }

  /** The client reported file events: drop what they make stale and tell listeners. */
  filesChanged(events: FileEvent[]): void {
    for (const e of events) {
      if (!isProfileUri(e.uri)) continue;
      const path = uriToPath(e.uri);
      if (!path) continue;
      // A profile that appears or disappears changes which one governs every folder below it.
      if (e.type !== FileChangeType.Changed) this.locator.forget();
      this.onDisk.delete(path);
      this.emitter.fire({ profileUri: e.uri });
    }
  }

  /** An open profile buffer was edited (or opened/closed): its text is now the truth. */
  bufferChanged(uri: string): void {
    if (!isProfileUri(uri)) return;
    this.buffers.delete(uri);
    // An unsaved new profile governs its folder even before it exists on disk.
    this.locator.forget();
    this.emitter.fire({ profileUri: uri });
  }

  dispose(): void {
    this.emitter.dispose();
  }

  /** What it keeps, for the server's stats. */
  get counts(): { buffers: number; onDisk: number } {
    return { buffers: this.buffers.size, onDisk: this.onDisk.size };
  }

  private uriOf(path: string): string {
    return this.openDocument(path)?.uri ?? pathToFileURL(path).toString();
  }

  private openDocument(path: string): TextDocument | undefined {
    return this.deps.documents.all().find(d => uriToPath(d.uri) === path);
  }

  private async parsedAt(path: string): Promise<Parsed | null> {
    const open = this.openDocument(path);
    if (open) {
      const hit = this.buffers.get(open.uri);
      if (hit && hit.version === open.version) return hit.parsed;
      const text = open.getText();
      const parsed = { text, profile: parseProfile(text) };
      this.buffers.set(open.uri, { version: open.version, parsed });
      return parsed;
    }
    let p = this.onDisk.get(path);
    if (!p) {
      p = this.readFile(path).then(text => (text === null ? null : { text, profile: parseProfile(text) }));
      this.onDisk.set(path, p);
    }
    return p;
  }
}

/** The texts of the templates a profile's analyses name (open buffers first), by their path as written. */
export async function analysisTemplateTexts(store: ProfileStore, profileUri: string, profile: Profile): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const base = uriToPath(profileUri);
  if (!base) return out;
  await Promise.all(
    [...new Set([...profile.analyses.values()].map(a => a.template))].map(async t => {
      const text = await store.textOf(join(dirname(base), t));
      if (text !== null) out.set(t, text);
    }),
  );
  return out;
}
