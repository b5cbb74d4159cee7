/**
 * `<template>.args.json` beside a template: the arguments a preview uses when no analysis of
 * the profile runs the template. These files are not documents the client syncs, so their
 * folders are watched while a template there is previewed.
 */
import { promises as fs, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArgsFileInput } from '../../../core/src/index.js';

export class ArgsFiles {
  private readonly watchers = new Map<string, { watcher: FSWatcher; uris: Set<string> }>();

  /** `changed` is told the template URI whose args file changed. */
  constructor(private readonly changed: (templateUri: string) => void) {}

  /** The args file of a template URI, or null when the template is not a file. */
  pathOf(uri: string): string | null {
    if (!uri.startsWith('file:')) return null;
    try {
      return fileURLToPath(uri) + '.args.json';
    } catch {
      return null;
    }
  }

  /** Its text, or why it could not be read; null when there is none. */
  async read(uri: string): Promise<ArgsFileInput | null> {
    const path = this.pathOf(uri);
    if (!path) return null;
    try {
      return { label: basename(path), text: await fs.readFile(path, 'utf8') };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      return { label: basename(path), error: `could not read ${basename(path)}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  watch(uri: string): void {
    const path = this.pathOf(uri);
    if (!path) return;
    const dir = dirname(path);
    let entry = this.watchers.get(dir);
    if (!entry) {
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, { persistent: false });
      } catch {
        return; // folder gone or not watchable: previews still refresh on every request
      }
      const created = { watcher, uris: new Set<string>() };
      watcher.on('change', (_event, file) => {
        const name = file === null ? null : String(file);
        for (const u of created.uris) if (name === null || name === basename(this.pathOf(u) ?? '')) this.changed(u);
      });
      watcher.on('error', () => undefined);
      this.watchers.set(dir, created);
      entry = created;
    }
    entry.uris.add(uri);
  }

  unwatch(uri: string): void {
    const path = this.pathOf(uri);
    if (!path) return;
    const dir = dirname(path);
    const entry = this.watchers.get(dir);
    if (!entry) return;
    entry.uris.delete(uri);
    if (!entry.uris.size) {
      entry.watcher.close();
      this.watchers.delete(dir);
    }
  }

  get size(): number {
    return this.watchers.size;
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.watcher.close();
    this.watchers.clear();
  }
}
