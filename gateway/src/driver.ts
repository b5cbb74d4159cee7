/**
 * The only code that touches snowflake-sdk. The driver is required on first use (it costs
 * about half a second and starts cloud-metadata probes unless told not to), its own logging is
 * switched off, and every call gets our own deadline: the driver retries server errors for
 * minutes and bounds a silent server only per HTTP attempt.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { ConnectionSettings } from './config.js';
import { GatewayError, mapDriverError } from './errors.js';
import { procedureOf, type Statement } from './catalog.js';

type Driver = typeof import('snowflake-sdk');
type SfConnection = import('snowflake-sdk').Connection;

let driver: Driver | undefined;

/**
 * Loads the driver: a bundled copy next to the running bundle (dist/snowflake.js) when there
 * is one, else the snowflake-sdk package, else `explicitPath`. The environment switches must
 * be set before the first require, because the driver reads them at load time.
 */
export function loadDriver(explicitPath?: string): Driver {
  if (driver) return driver;
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= '1';
  process.env.SNOWFLAKE_DISABLE_MINICORE ??= '1';
  const req = createRequire(__filename);
  const candidates = [explicitPath, join(__dirname, 'snowflake.js'), 'snowflake-sdk'].filter((x): x is string => !!x);
  let lastError: unknown;
  for (const c of candidates) {
    if (isAbsolute(c) && !existsSync(c)) continue;
    try {
      driver = req(c) as Driver;
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (!driver) {
    throw new GatewayError(
      'driver-missing',
      `the Snowflake driver (snowflake-sdk) is not available in this installation${lastError instanceof Error ? `: ${lastError.message.split('\n')[0]}` : ''}`,
    );
  }
  driver.configure({ logLevel: 'OFF', additionalLogToConsole: false, useEnvProxy: false } as Parameters<Driver['configure']>[0]);
  return driver;
}

export function isDriverLoaded(): boolean {
  return driver !== undefined;
}

export interface Secrets {
  password?: string;
  privateKeyPassphrase?: string;
  token?: string;
}

export interface CallOptions {
  /** Milliseconds before the call is cancelled and reported as timed out. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
  queryId?: string;
}

export interface Session {
  readonly settings: ConnectionSettings;
  run(stmt: Statement, opts?: CallOptions): Promise<QueryResult>;
  close(): Promise<void>;
  /** True once a call was abandoned: the driver may keep retry timers alive for a while. */
  readonly abandoned: boolean;
}

export interface OpenOptions extends CallOptions {
  secrets?: Secrets;
  /** Receives one line per call (procedure, duration, outcome); never bind values. */
  log?: (line: string) => void;
  driverPath?: string;
}

export const DEFAULT_DEADLINE_MS = 60_000;
const BROWSER_LOGIN_MS = 180_000;

/** What the driver gets: settings from the connection plus secrets asked for separately. */
export function driverOptions(s: ConnectionSettings, secrets: Secrets = {}, deadlineMs = DEFAULT_DEADLINE_MS): Record<string, unknown> {
  const o: Record<string, unknown> = {
    account: s.account,
    username: s.user,
    authenticator: s.authenticator,
    role: s.role,
    warehouse: s.warehouse,
    database: s.database,
    schema: s.schema,
    application: 'CleanRoomTemplates',
    // Our deadline is the bound; the driver's own login retries would run for minutes.
    sfRetryMaxLoginRetries: 0,
    timeout: deadlineMs,
    fetchAsString: ['Number'],
  };
  if (s.host) {
    const protocol = s.protocol ?? 'https';
    o.accessUrl = `${protocol}://${s.host}${s.port ? `:${s.port}` : ''}`;
  }
  const need = (value: string | undefined, what: string, key: string) => {
    if (!value)
      throw new GatewayError(
        'config',
        `connection '${s.name}' needs ${what}: set ${key} in connections.toml or SNOWFLAKE_CONNECTIONS_${s.name.toUpperCase()}_${key.toUpperCase()}, or enter it when asked`,
      );
    return value;
  };
  switch (s.authenticator) {
    case 'SNOWFLAKE':
      need(s.user, 'a user', 'user');
      o.password = need(secrets.password ?? s.password, 'a password', 'password');
      break;
    case 'SNOWFLAKE_JWT': {
      need(s.user, 'a user', 'user');
      const path = expandHome(need(s.privateKeyFile, 'a private key file', 'private_key_file'));
      o.privateKeyPath = path;
      const pass = secrets.privateKeyPassphrase ?? s.privateKeyPassphrase;
      if (pass) o.privateKeyPass = pass;
      else if (keyIsEncrypted(path)) need(undefined, 'the passphrase of its encrypted private key', 'private_key_file_pwd');
      break;
    }
    case 'OAUTH':
    case 'PROGRAMMATIC_ACCESS_TOKEN':
      o.token = need(secrets.token ?? s.token ?? readTokenFile(s.tokenFilePath), 'a token', 'token');
      break;
    case 'EXTERNALBROWSER':
      break;
  }
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function keyIsEncrypted(path: string): boolean {
  try {
    return readFileSync(expandHome(path), 'utf8').includes('ENCRYPTED PRIVATE KEY');
  } catch {
    return false;
  }
}

function readTokenFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(expandHome(path), 'utf8').trim();
  } catch (err) {
    throw new GatewayError('config', `cannot read token_file_path ${path}: ${(err as Error).message}`);
  }
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/** Races `work` against the deadline and the abort signal; `onGiveUp` tears the call down. */
function bounded<T>(what: string, work: Promise<T>, opts: CallOptions, onGiveUp: () => void): Promise<T> {
  const deadline = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new GatewayError('timeout', `${what}: no answer from Snowflake within ${formatSeconds(deadline)}; the call was cancelled`)));
      onGiveUp();
    }, deadline);
    const onAbort = () => {
      finish(() => reject(new GatewayError('cancelled', `${what}: cancelled`)));
      onGiveUp();
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      v => finish(() => resolve(v)),
      e => finish(() => reject(e)),
    );
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export async function openSession(settings: ConnectionSettings, opts: OpenOptions = {}): Promise<Session> {
  const sf = loadDriver(opts.driverPath);
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const options = driverOptions(settings, opts.secrets, deadlineMs);
  const log = opts.log ?? (() => undefined);
  let conn: SfConnection;
  try {
    conn = sf.createConnection(options as import('snowflake-sdk').ConnectionOptions);
  } catch (err) {
    throw mapDriverError(err, `connection '${settings.name}'`);
  }
  let abandoned = false;
  const destroy = () => {
    abandoned = true;
    try {
      conn.destroy(() => undefined);
    } catch {
      // Already down: nothing left to release.
    }
  };
  const what = `connecting to '${settings.name}'`;
  const started = Date.now();
  const connecting =
    settings.authenticator === 'EXTERNALBROWSER'
      ? conn.connectAsync(() => undefined).then(() => undefined)
      : new Promise<void>((resolve, reject) => conn.connect(err => (err ? reject(err) : resolve())));
  try {
    await bounded(
      what,
      connecting.catch(err => Promise.reject(mapDriverError(err, what))),
      { ...opts, deadlineMs: settings.authenticator === 'EXTERNALBROWSER' ? Math.max(deadlineMs, BROWSER_LOGIN_MS) : deadlineMs },
      destroy,
    );
  } catch (err) {
    log(`login to '${settings.name}' failed after ${Date.now() - started} ms: ${(err as Error).message}`);
    throw err;
  }
  log(`logged in to '${settings.name}' (${settings.authenticator}) in ${Date.now() - started} ms`);

  return {
    settings,
    get abandoned() {
      return abandoned;
    },
    run(stmt, callOpts = {}) {
      const proc = procedureOf(stmt.sql);
      const t0 = Date.now();
      let handle: { cancel(cb: () => void): void } | undefined;
      const work = new Promise<QueryResult>((resolve, reject) => {
        handle = conn.execute({
          sqlText: stmt.sql,
          binds: stmt.binds as import('snowflake-sdk').Binds,
          fetchAsString: ['Number'],
          complete: (err, st, rows) => {
            if (err) return reject(mapDriverError(err, proc));
            const columns = (st.getColumns() ?? []).map(c => c.getName());
            resolve({ columns, rows: (rows ?? []) as Record<string, unknown>[], queryId: st.getQueryId() });
          },
        });
      });
      return bounded(proc, work, { deadlineMs: callOpts.deadlineMs ?? deadlineMs, signal: callOpts.signal }, () => {
        try {
          handle?.cancel(() => undefined);
        } catch {
          // The statement may already be gone; destroying the connection below is what counts.
        }
        destroy();
      }).then(
        r => {
          log(`${proc}: ${r.rows.length} row(s) in ${Date.now() - t0} ms (query ID ${r.queryId ?? '-'})`);
          return r;
        },
        (err: Error) => {
          log(`${proc}: ${err.message}`);
          throw err;
        },
      );
    },
    close() {
      if (abandoned) return Promise.resolve();
      return new Promise<void>(resolve => {
        const t = setTimeout(resolve, 2000);
        try {
          conn.destroy(() => {
            clearTimeout(t);
            resolve();
          });
        } catch {
          clearTimeout(t);
          resolve();
        }
      });
    },
  };
}
