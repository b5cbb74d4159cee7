/** What every request-handling module of the server is given by server.ts. */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelCache } from './modelCache.js';
import type { Logger } from './runner.js';
import type { SettingsStore } from './settings.js';

export interface ServerDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  models: ModelCache;
  settings: SettingsStore;
  logger: Logger;
  /** Read per request: nothing renders in an untrusted workspace. */
  isTrusted: () => boolean;
  /** What the client said it can do, read per request (known after initialize). */
  client?: () => { canCreateFiles: boolean; canResolveEdit?: boolean; openBesideCommand?: string };
}
