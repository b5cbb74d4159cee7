/**
 * A Snowflake REST endpoint on 127.0.0.1 that the real snowflake-sdk can log in to and run
 * statements against (Snowflake's REST protocol as its drivers speak it): password, key-pair JWT and token logins,
 * query-request with binds, results in the JSON format, SQL errors with sqlState and queryId
 * (replayed on /queries/{id}/result, as Snowflake does), session delete, telemetry, and a hang
 * mode for deadline tests. Everything it receives is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, createPublicKey, randomUUID, verify, type KeyObject } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo, Socket } from 'node:net';

export interface User {
  account: string;
  user: string;
  password?: string;
  publicKeyPem?: string;
  token?: string;
}

export interface RecordedQuery {
  sqlText: string;
  /** Bind values in order ("1", "2", …), as strings (or null) exactly as received. */
  binds: (string | null)[];
  bindTypes: string[];
  session: string;
}

export interface RecordedLogin {
  account: string;
  user: string;
  authenticator: string;
  role?: string;
  warehouse?: string;
  database?: string;
  ok: boolean;
  body: string;
}

export type Cell = string | number | boolean | null | object;
export type Outcome = { columns: { name: string; type?: string }[]; rows: Cell[][] } | { error: { code: string; message: string; sqlState: string } } | 'hang';

/** May return a promise: the response waits for it (lets a UI test hold a statement in flight). */
export type Handler = (q: RecordedQuery) => Outcome | Promise<Outcome>;

export class FakeSnowflake extends EventEmitter {
  readonly queries: RecordedQuery[] = [];
  readonly logins: RecordedLogin[] = [];
  readonly sessionDeletes: string[] = [];
  /** Answered retries so far (the driver's background retries of hung requests); never reset. */
  retries = 0;
  readonly requests: { method: string; path: string; body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  private readonly users: User[] = [];
  private readonly handlers: { match: RegExp; handler: Handler }[] = [];
  private readonly outcomes = new Map<string, object>();
  private readonly sessions = new Map<string, string>();
  private readonly hung: ServerResponse[] = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  addUser(u: User): this {
    this.users.push(u);
    return this;
  }

  /** Answers statements whose SQL matches `match` (later calls take priority). */
  respond(match: RegExp | string, handler: Handler | Outcome): this {
    const re = typeof match === 'string' ? new RegExp(match.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : match;
    this.handlers.unshift({ match: re, handler: typeof handler === 'function' ? handler : () => handler });
    return this;
  }

  clearResponses(): void {
    this.handlers.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('connection', s => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const r of this.hung) r.destroy();
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>(r => this.server!.close(() => r()));
  }

  reset(): void {
    this.queries.length = 0;
    this.logins.length = 0;
    this.sessionDeletes.length = 0;
    this.requests.length = 0;
  }

  /**
   * Resolves once more than `count` retries have been answered. Waiting by count, not for the
   * next event, cannot miss a retry that came before the wait started (a loaded machine).
   */
  retriesPast(count: number): Promise<void> {
    if (this.retries > count) return Promise.resolve();
    return new Promise(resolve => {
      const check = () => {
        if (this.retries <= count) return;
        this.off('retry', check);
        resolve();
      };
      this.on('retry', check);
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let raw = Buffer.concat(chunks);
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
    const body = raw.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ method: req.method ?? '', path: url.pathname, body, headers: req.headers });
    this.emit('request', url.pathname);
    const send = (payload: object) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // Lets a deadline test wait until the driver's background retry has been answered.
      res.end(JSON.stringify(payload), () => {
        if (url.searchParams.has('retryCount')) {
          this.retries++;
          this.emit('retry', url.pathname);
        }
      });
    };
    if (url.pathname === '/session/v1/login-request') return send(this.login(body, url));
    if (url.pathname === '/telemetry/send') return send({ success: true, data: 'Log Received' });
    const token = /Snowflake Token="([^"]*)"/.exec(String(req.headers.authorization ?? ''))?.[1];
    const session = token ? this.sessions.get(token) : undefined;
    if (!session) return send({ success: false, code: '390104', message: 'User must login again to access this resource.', data: { sqlState: '08001' } });
    if (url.pathname === '/session' && url.searchParams.get('delete') === 'true') {
      this.sessions.delete(token!);
      this.sessionDeletes.push(session);
      this.emit('sessionDelete', session);
      return send({ success: true, data: null });
    }
    if (url.pathname === '/session/heartbeat') return send({ success: true, data: null });
    if (/abort-request$/.test(url.pathname)) return send({ success: true, data: null });
    const replay = /^\/queries\/([^/]+)\/result$/.exec(url.pathname);
    if (replay) {
      const o = this.outcomes.get(replay[1]!);
      return send(o ?? { success: false, code: '000709', message: `Statement ${replay[1]} not found`, data: { sqlState: '02000', queryId: replay[1] } });
    }
    if (url.pathname === '/queries/v1/query-request') {
      const q = JSON.parse(body) as { sqlText: string; bindings?: Record<string, { type: string; value: string | null }> };
      const keys = Object.keys(q.bindings ?? {}).sort((a, b) => Number(a) - Number(b));
      const rec: RecordedQuery = {
        sqlText: q.sqlText,
        binds: keys.map(k => q.bindings![k]!.value),
        bindTypes: keys.map(k => q.bindings![k]!.type),
        session,
      };
      this.queries.push(rec);
      this.emit('query', rec);
      const answered = this.answer(rec);
      let outcome = answered instanceof Promise ? await answered : answered;
      // Only the first attempt hangs: the driver retries with backoff after its per-attempt
      // timeout, and answering the retry lets those timers end instead of keeping the test
      // process alive for minutes.
      if (outcome === 'hang' && url.searchParams.has('retryCount'))
        outcome = { error: { code: '000604', message: 'SQL execution canceled', sqlState: '57014' } };
      if (outcome === 'hang') {
        this.hung.push(res);
        this.emit('hang', rec);
        return;
      }
      const queryId = randomUUID();
      const payload = toPayload(outcome, queryId);
      this.outcomes.set(queryId, payload);
      return send(payload);
    }
    send({ success: false, code: '000404', message: `fake: no route ${req.method} ${url.pathname}`, data: { sqlState: '0A000' } });
  }

  private answer(q: RecordedQuery): Outcome | Promise<Outcome> {
    for (const h of this.handlers) if (h.match.test(q.sqlText)) return h.handler(q);
    const proc = /CALL\s+[\w.]*?\.?(\w+)\s*\(/i.exec(q.sqlText)?.[1]?.toUpperCase() ?? 'RESULT';
    return { columns: [{ name: proc }], rows: [['success']] };
  }

  private login(body: string, url: URL): object {
    const data = (JSON.parse(body) as { data: Record<string, string> }).data;
    const rec: RecordedLogin = {
      account: data.ACCOUNT_NAME!,
      user: data.LOGIN_NAME!,
      authenticator: data.AUTHENTICATOR ?? 'SNOWFLAKE',
      role: url.searchParams.get('roleName') ?? undefined,
      warehouse: url.searchParams.get('warehouse') ?? undefined,
      database: url.searchParams.get('databaseName') ?? undefined,
      ok: false,
      body,
    };
    this.logins.push(rec);
    const user = this.users.find(u => u.account.toUpperCase() === rec.account.toUpperCase() && u.user.toUpperCase() === rec.user.toUpperCase());
    let ok = false;
    if (user) {
      switch (rec.authenticator.toUpperCase()) {
        case 'SNOWFLAKE':
          ok = user.password !== undefined && data.PASSWORD === user.password;
          break;
        case 'SNOWFLAKE_JWT':
          ok = !!user.publicKeyPem && verifyJwt(data.TOKEN ?? '', createPublicKey(user.publicKeyPem), rec.account, rec.user);
          break;
        case 'OAUTH':
        case 'PROGRAMMATIC_ACCESS_TOKEN':
          ok = user.token !== undefined && data.TOKEN === user.token;
          break;
      }
    }
    rec.ok = ok;
    this.emit('login', rec);
    if (!ok)
      return {
        success: false,
        code: '390100',
        message: 'Incorrect username or password was specified.',
        data: { nextAction: 'RETRY_LOGIN', authnMethod: rec.authenticator },
      };
    const token = `st-${randomUUID()}`;
    this.sessions.set(token, `session-${this.logins.length}`);
    return {
      success: true,
      code: null,
      message: null,
      data: {
        token,
        masterToken: `mt-${randomUUID()}`,
        validityInSeconds: 3600,
        masterValidityInSeconds: 14400,
        sessionId: this.logins.length,
        parameters: [{ name: 'CLIENT_SESSION_KEEP_ALIVE', value: false }],
        sessionInfo: { databaseName: rec.database ?? null, schemaName: null, warehouseName: rec.warehouse ?? null, roleName: rec.role ?? 'PUBLIC' },
      },
    };
  }
}

function toPayload(o: Exclude<Outcome, 'hang'>, queryId: string): object {
  if ('error' in o) {
    return {
      success: false,
      code: o.error.code,
      message: o.error.message,
      data: { sqlState: o.error.sqlState, queryId, errorCode: o.error.code, internalError: false, line: -1, pos: -1, type: 'COMPILATION' },
    };
  }
  return {
    success: true,
    code: null,
    message: null,
    data: {
      queryId,
      rowtype: o.columns.map(c => ({
        name: c.name,
        type: (c.type ?? 'text').toLowerCase(),
        scale: 0,
        precision: 38,
        nullable: true,
        length: null,
        byteLength: null,
      })),
      rowset: o.rows.map(r => r.map(cell => (cell === null ? null : typeof cell === 'object' ? JSON.stringify(cell) : String(cell)))),
      total: o.rows.length,
      returned: o.rows.length,
      parameters: [],
      queryResultFormat: 'json',
    },
  };
}

/** RS256 JWT as snowflake-sdk builds it: iss ACCOUNT.USER.SHA256:<fingerprint>, sub ACCOUNT.USER. */
export function verifyJwt(jwt: string, key: KeyObject, account: string, user: string): boolean {
  const [h, p, s] = jwt.split('.');
  if (!h || !p || !s) return false;
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) return false;
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iss: string; sub: string };
  const fp = createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  const who = `${account}.${user}`.toUpperCase();
  return payload.sub === who && payload.iss === `${who}.SHA256:${fp}`;
}
