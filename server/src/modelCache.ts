/**
 * One parsed model per document version, shared by every feature (diagnostics now; hover,
 * completion and preview later). Modelled on VS Code's languageModelCache: keyed by
 * uri + version + languageId, small LRU so closed or idle documents do not pin memory.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument, type DocumentModel } from '../../core/src/index.js';

interface Entry {
  version: number;
  languageId: string;
  model: DocumentModel;
}

export class ModelCache {
  // Map iteration order is insertion order: re-inserting on use makes the first key the LRU.
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 16) {}

  get(document: TextDocument): DocumentModel {
    const hit = this.entries.get(document.uri);
    if (hit && hit.version === document.version && hit.languageId === document.languageId) {
      this.entries.delete(document.uri);
      this.entries.set(document.uri, hit);
      return hit.model;
    }
    const model = parseDocument({ text: document.getText(), path: document.uri, languageId: document.languageId });
    this.entries.delete(document.uri);
    this.entries.set(document.uri, { version: document.version, languageId: document.languageId, model });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return model;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  get size(): number {
    return this.entries.size;
  }
}
