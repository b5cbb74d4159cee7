/**
 * What the Snowflake command modules share: the connection, the read-only documents, the
 * profile (cleanrooms.json) in effect, the API generation and side, and the pickers.
 */
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { ProfileLocator, type Api } from '../../../core/src/index.js';
import type { DocumentTemplatesResult } from '../../../server/src/shared/customMessages.js';
import type * as Gateway from '../../../gateway/src/index.js';
import { gateway, type SnowflakeConnection } from './connection.js';
import type { SnowflakeDocuments } from './documents.js';

export type Side = 'consumer' | 'provider';
export const commandId = (name: string) => `cleanRoomTemplates.snowflake.${name}`;

/** What the commands report back when run programmatically (the real-editor tests read it). */
export interface SnowflakeCommandsApi {
  /** The last submit's outcome. */
  lastSubmit?: { ok: boolean; message: string };
  /** The connection status bar item's text. */
  connectionStatus(): string;
}

export interface LoadedProfile {
  uri: vscode.Uri;
  profile: Gateway.Profile;
  doc: vscode.TextDocument;
}

export class CommandContext {
  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly conn: SnowflakeConnection,
    readonly docs: SnowflakeDocuments,
    readonly api: SnowflakeCommandsApi,
    /** The templates the language server found in a document: the client has no engine of its own. */
    readonly documentTemplates: (uri: string) => Promise<DocumentTemplatesResult>,
  ) {}

  register(name: string, fn: (...args: any[]) => unknown): void {
    this.extension.subscriptions.push(vscode.commands.registerCommand(commandId(name), fn));
  }

  private cfg() {
    return vscode.workspace.getConfiguration('cleanRoomTemplates');
  }

  side(): Side {
    return this.cfg().get<string>('snowflake.role') === 'provider' ? 'provider' : 'consumer';
  }

  error(message: string): void {
    void vscode.window.showErrorMessage(`Clean Room: ${message}`);
  }

  /** The cleanrooms.json nearest the active file, else the first in the workspace. */
  async profileUri(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === 'file') {
      // The same walk as the language server and dcr (core's ProfileLocator), asking VS Code's file system.
      const locator = new ProfileLocator(async path => {
        try {
          return (await vscode.workspace.fs.stat(vscode.Uri.file(path))).type === vscode.FileType.File;
        } catch {
          return false;
        }
      });
      const found = await locator.find(dirname(active.fsPath));
      if (found) return vscode.Uri.file(found);
    }
    return (await vscode.workspace.findFiles('**/cleanrooms.json', '**/node_modules/**', 1))[0];
  }

  async loadProfile(g: typeof Gateway): Promise<LoadedProfile | undefined> {
    const uri = await this.profileUri();
    if (!uri) return undefined;
    const doc = await vscode.workspace.openTextDocument(uri);
    return { uri, doc, profile: g.parseProfile(doc.getText(), vscode.workspace.asRelativePath(uri)) };
  }

  /** The profile's "api", else the setting. */
  async apiSetting(): Promise<Api> {
    const g = await gateway();
    const p = await this.loadProfile(g).catch(() => undefined);
    return p?.profile.api ?? (this.cfg().get<string>('api') === 'collaboration' ? 'collaboration' : 'legacy');
  }

  async askCleanroom(given?: string, collaboration = false): Promise<string | undefined> {
    if (given) return given;
    const g = await gateway();
    const names = Object.keys((await this.loadProfile(g).catch(() => undefined))?.profile.cleanrooms ?? {});
    const label = collaboration ? 'collaboration' : 'clean room';
    if (names.length) {
      const other = `$(edit) Another ${label}…`;
      const pick = await vscode.window.showQuickPick([...names, other], { placeHolder: `Which ${label}?` });
      if (pick !== other) return pick;
    }
    return vscode.window.showInputBox({ prompt: `Name of the ${label}`, ignoreFocusOut: true });
  }

  async ask(prompt: string, given?: string, value?: string): Promise<string | undefined> {
    return given ?? vscode.window.showInputBox({ prompt, value, ignoreFocusOut: true });
  }

  showRows(title: string, g: typeof Gateway, r: Gateway.QueryResult): Promise<vscode.TextEditor> {
    return this.docs.open(`${title}.txt`, `-- ${title}\n${g.formatTable(r, 120)}`);
  }

  /**
   * What will be sent, as a read-only document: the session (connection, role and warehouse
   * from the connection; the API's set-up statement is part of the plan) and each statement
   * with its binds.
   */
  async showPlan(g: typeof Gateway, title: string, statements: readonly Gateway.Statement[], findings = ''): Promise<vscode.TextEditor> {
    let session: string;
    try {
      const s = g.resolveConnection(this.conn.selected, { env: process.env });
      session = `-- session: connection '${s.name}', role ${s.role ?? '(the user default)'}, warehouse ${s.warehouse ?? '(the user default)'}`;
    } catch (err) {
      session = `-- session: connection not resolved (${(err as Error).message.split('\n')[0]})`;
    }
    return this.docs.open(
      `${title}.sql`,
      `-- Clean Room: ${title} (binds are sent as parameters, byte for byte)\n${session}\n${findings}${statements.map(g.formatStatement).join('\n')}\n`,
    );
  }
}
