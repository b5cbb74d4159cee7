/**
 * A minimal LSP client that drives the built server (dist/server.js) over its real stdio
 * transport. Tests await notifications through `waitForDiagnostics`/`waitForStatus`; nothing
 * sleeps, and every wait is bounded by the test's own timeout.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after } from 'node:test';
import { resolve } from 'node:path';
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';

export const SERVER = resolve(__dirname, '../../dist/server.js');

export interface StatusParams {
  state: 'ready' | 'busy' | 'degraded';
  message?: string;
}

export interface Options {
  trusted?: boolean;
  /** What workspace/configuration answers for the `cleanRoomTemplates` section. */
  settings?: Record<string, unknown>;
  /** stdio (any editor) or node-ipc (how VS Code starts it). */
  transport?: 'stdio' | 'ipc';
  /** Extra client capabilities (merged into `workspace`) and initializationOptions. */
  workspaceCapabilities?: Record<string, unknown>;
  textDocumentCapabilities?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
}

interface Waiter<T> {
  pred: (v: T) => boolean;
  resolve: (v: T) => void;
}

export class TestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  /** `cleanRoomTemplates/analysisDone`: the complete pass of a version was published. */
  readonly done: { uri: string; version: number; ms: number; quickMs?: number }[] = [];
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  /** Latest version this client sent per uri, for the "never stale" assertion. */
  readonly sentVersion = new Map<string, number>();
  /** Publishes whose version was older than the latest the client had sent at arrival. */
  readonly stalePublishes: PublishDiagnosticsParams[] = [];
  settings: Record<string, unknown>;
  readonly exited: Promise<number | null>;
  private readonly diagWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private readonly statusWaiters: Waiter<StatusParams>[] = [];
  private readonly doneWaiters: Waiter<{ uri: string; version: number }>[] = [];
  private readonly logWaiters: Waiter<string>[] = [];
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.exited = new Promise(res => proc.on('exit', code => res(code)));
    proc.stderr?.on('data', d => this.logs.push(`[stderr] ${String(d)}`));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      const latest = this.sentVersion.get(p.uri);
      if (p.version !== undefined && latest !== undefined && p.version < latest) this.stalePublishes.push(p);
      settle(this.diagWaiters, p);
    });
    conn.onNotification('cleanRoomTemplates/analysisDone', (p: { uri: string; version: number; ms: number; quickMs?: number }) => {
      this.done.push(p);
      settle(this.doneWaiters, p);
    });
    conn.onNotification('cleanRoomTemplates/status', (p: StatusParams) => {
      this.statuses.push(p);
      settle(this.statusWaiters, p);
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      settle(this.logWaiters, p.message);
    });
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map(item => (item.section === 'cleanRoomTemplates' ? this.settings : null)),
    );
    conn.onRequest('client/registerCapability', () => null);
  }

  static async start(opts: Options = {}): Promise<TestClient> {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} missing: run node scripts/build.mjs first`);
    let proc: ChildProcess;
    let conn: ProtocolConnection;
    if (opts.transport === 'ipc') {
      proc = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      conn = createProtocolConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    } else {
      const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
      proc = child;
      conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    }
    const client = new TestClient(proc, conn, opts.settings ?? { diagnostics: { debounceMs: 0 } });
    conn.listen();
    const init: InitializeResult = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, ...opts.workspaceCapabilities },
        ...(opts.textDocumentCapabilities ? { textDocument: opts.textDocumentCapabilities } : {}),
      },
      initializationOptions:
        opts.trusted === undefined && !opts.initializationOptions
          ? undefined
          : { ...(opts.trusted === undefined ? {} : { trusted: opts.trusted }), ...opts.initializationOptions },
    });
    client.initializeResult = init;
    await conn.sendNotification('initialized', {});
    return client;
  }

  initializeResult!: InitializeResult;

  open(uri: string, text: string, languageId = 'jinjasql', version = 1): Promise<void> {
    this.versions.set(uri, version);
    this.sentVersion.set(uri, version);
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Replaces the whole text (a range covering everything exercises the incremental path). */
  change(uri: string, text: string, oldText: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.sentVersion.set(uri, version);
    const end = endPosition(oldText);
    return this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end }, text }],
    });
  }

  /** An incremental edit: insert `text` at a position. */
  insert(uri: string, line: number, character: number, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.sentVersion.set(uri, version);
    const pos = { line, character };
    return this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: pos, end: pos }, text }],
    });
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  close(uri: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    const hit = this.published.find(p => p.uri === uri && pred(p));
    if (hit) return Promise.resolve(hit);
    return new Promise(res => this.diagWaiters.push({ pred: p => p.uri === uri && pred(p), resolve: res }));
  }

  /**
   * The complete diagnostics for the version most recently sent (earlier versions never
   * match): the last publish of that version once the server says its analysis is done.
   */
  async waitForLatest(uri: string): Promise<PublishDiagnosticsParams> {
    const v = this.version(uri);
    await this.waitForDone(uri, v);
    return [...this.published].reverse().find(p => p.uri === uri && p.version === v)!;
  }

  /** The first publish for the version most recently sent: the quick pass's, for a rendered template. */
  waitForFirst(uri: string): Promise<PublishDiagnosticsParams> {
    const v = this.version(uri);
    return this.waitForDiagnostics(uri, p => p.version === v);
  }

  waitForDone(uri: string, version: number): Promise<{ uri: string; version: number }> {
    const pred = (p: { uri: string; version: number }) => p.uri === uri && p.version === version;
    const hit = this.done.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise(res => this.doneWaiters.push({ pred, resolve: res }));
  }

  waitForLog(pred: (line: string) => boolean): Promise<string> {
    const hit = this.logs.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise(res => this.logWaiters.push({ pred, resolve: res }));
  }

  waitForStatus(pred: (s: StatusParams) => boolean): Promise<StatusParams> {
    const hit = this.statuses.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise(res => this.statusWaiters.push({ pred, resolve: res }));
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cleanRoomTemplates: settings } });
  }

  /** The orderly end: shutdown request, exit notification, then the process exit code. */
  async shutdown(): Promise<number | null> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await this.exited;
    this.conn.dispose();
    return code;
  }

  /** For `after` hooks: never leave a server process behind, even when a test failed. */
  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill();
    this.conn.dispose();
  }
}

function settle<T>(waiters: Waiter<T>[], value: T): void {
  for (let i = waiters.length - 1; i >= 0; i--) {
    const w = waiters[i]!;
    if (w.pred(value)) {
      waiters.splice(i, 1);
      w.resolve(value);
    }
  }
}

/**
 * Starts test clients for one describe block and kills them all after it, so a failing
 * test never leaves a server process behind.
 */
export function clientPool(): (opts?: Options) => Promise<TestClient> {
  const clients: TestClient[] = [];
  after(() => clients.forEach(c => c.kill()));
  return async opts => {
    const c = await TestClient.start(opts);
    clients.push(c);
    return c;
  };
}

export function endPosition(text: string): { line: number; character: number } {
  const lines = text.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

let counter = 0;
export function freshUri(name = 'doc.jinjasql'): string {
  return `file:///virtual/${++counter}/${name}`;
}
