/**
 * Read-only documents for what comes back from Snowflake: result tables, template
 * definitions, and template requests under review. A request opens as a `.jinjasql` document
 * in the jinjasql language; the language server checks it like any template (its document
 * selector includes this scheme), so the reviewer sees every finding.
 */
import * as vscode from 'vscode';

export const SCHEME = 'dcr-snowflake';

export class SnowflakeDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly registration: vscode.Disposable;
  private counter = 0;

  constructor() {
    // A read-only file system rather than a content provider, so that read-only is something
    // VS Code knows about the scheme (lock on the tab, no typing or saving, and
    // fs.isWritableFileSystem says so): what a reviewer reads is what Snowflake returned.
    // An extension's WorkspaceEdit can still change the open model in memory; decisions go by
    // request ID, never by this text.
    this.registration = vscode.workspace.registerFileSystemProvider(SCHEME, this, { isReadonly: true, isCaseSensitive: true });
  }

  async open(name: string, text: string): Promise<vscode.TextEditor> {
    const safe = name.replace(/[\\/:*?"<>|#%]+/g, '_');
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${++this.counter}/${safe}` });
    this.files.set(uri.path, { data: new TextEncoder().encode(text), mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Created, uri }]);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (/\.jinjasql$/.test(safe) && doc.languageId !== 'jinjasql') doc = await vscode.languages.setTextDocumentLanguage(doc, 'jinjasql');
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(uri.path);
    if (f) return { type: vscode.FileType.File, ctime: f.mtime, mtime: f.mtime, size: f.data.byteLength, permissions: vscode.FilePermission.Readonly };
    const dir = uri.path.endsWith('/') ? uri.path : `${uri.path}/`;
    if ([...this.files.keys()].some(k => k.startsWith(dir)))
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f.data;
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const dir = uri.path.endsWith('/') ? uri.path : `${uri.path}/`;
    const out = new Map<string, vscode.FileType>();
    for (const k of this.files.keys()) {
      if (!k.startsWith(dir)) continue;
      const [first, ...rest] = k.slice(dir.length).split('/');
      out.set(first!, rest.length ? vscode.FileType.Directory : vscode.FileType.File);
    }
    return [...out];
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
