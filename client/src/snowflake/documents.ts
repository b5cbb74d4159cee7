/**
 * Read-only documents for what comes back from Snowflake: result tables, template
 * definitions, and template requests under review. A request opens as a `.jinjasql` document
 * in the jinjasql language; the language server checks it like any template (its document
 * selector includes this scheme), so the reviewer sees every finding.
 */
import * as vscode from 'vscode';

export const SCHEME = 'dcr-snowflake';

export class SnowflakeDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  private counter = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  async open(name: string, text: string): Promise<vscode.TextEditor> {
    const safe = name.replace(/[\\/:*?"<>|#%]+/g, '_');
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${++this.counter}/${safe}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (/\.jinjasql$/.test(safe) && doc.languageId !== 'jinjasql') doc = await vscode.languages.setTextDocumentLanguage(doc, 'jinjasql');
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  /** Error findings on a document, once the server has published them (or after `waitMs`). */
  async errorCount(uri: vscode.Uri, waitMs = 3000): Promise<number> {
    const count = () => vscode.languages.getDiagnostics(uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error).length;
    await new Promise<void>(resolve => {
      const timer = setTimeout(done, waitMs);
      const sub = vscode.languages.onDidChangeDiagnostics(e => {
        if (e.uris.some(u => u.toString() === uri.toString())) done();
      });
      function done() {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
    return count();
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
