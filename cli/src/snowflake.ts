/**
 * What the Snowflake commands share: the common options, opening a session from the user's
 * connections, and turning gateway errors into the CLI's exit codes (1 for a failed call,
 * 2 for configuration). Every line printed passes through `redact` with the connection's
 * secrets, so no password, passphrase or token can reach a terminal or a CI log.
 */
import { resolve } from 'node:path';
import { nearestProfile } from '../../core/src/index.js';
import { isFile } from './profile.js';
import type { CliIO } from './io.js';
import { EXIT_FINDINGS, EXIT_USAGE, UsageError } from './io.js';
import type * as Gateway from '../../gateway/src/index.js';

export type GatewayModule = typeof Gateway;

/** The gateway is imported only by the commands that need it, so `dcr check` stays fast. */
export async function gateway(): Promise<GatewayModule> {
  return import('../../gateway/src/index.js');
}

export const COMMON_OPTIONS = {
  connection: { type: 'string' },
  timeout: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMMON_HELP = `  --connection NAME           connection from connections.toml / config.toml (default:
                              $SNOWFLAKE_DEFAULT_CONNECTION_NAME, else 'default')
  --timeout SECONDS           deadline for each call to Snowflake (default: 60)
  --format text|json          output format (default: text)
  -h, --help                  show this help`;

export interface Common {
  connection?: string;
  deadlineMs: number;
  format: 'text' | 'json';
}

export function commonFrom(cmd: string, v: { connection?: string; timeout?: string; format?: string }): Common {
  const seconds = v.timeout === undefined ? 60 : Number(v.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`${cmd}: --timeout must be a positive number of seconds (got '${v.timeout}')`);
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`${cmd}: --format must be text or json (got '${format}')`);
  return { connection: v.connection, deadlineMs: Math.round(seconds * 1000), format };
}

export function oneOf<T extends string>(cmd: string, flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = (value ?? fallback) as T;
  if (!allowed.includes(v)) throw new UsageError(`${cmd}: --${flag} must be ${allowed.join(' or ')} (got '${value}')`);
  return v;
}

/** Output that never carries a secret. */
export class Out {
  secrets: string[] = [];
  constructor(
    private readonly io: CliIO,
    private readonly g: GatewayModule,
  ) {}
  stdout(text: string): void {
    this.io.stdout(this.g.redact(text, this.secrets));
  }
  stderr(text: string): void {
    this.io.stderr(this.g.redact(text, this.secrets));
  }
}

/**
 * Opens a session, runs `work`, closes the session and maps failures to exit codes. When a
 * call was abandoned at its deadline the driver keeps retry timers alive for minutes, so the
 * process is ended once the output is written.
 */
export async function withSession(io: CliIO, common: Common, work: (session: Gateway.Session, out: Out, g: GatewayModule) => Promise<number>): Promise<number> {
  const g = await gateway();
  const out = new Out(io, g);
  let session: Gateway.Session | undefined;
  try {
    const settings = g.resolveConnection(common.connection, { env: io.env });
    out.secrets = g.secretsOf(settings);
    for (const w of settings.warnings) out.stderr(`dcr: warning: ${w}\n`);
    session = await g.openSession(settings, { deadlineMs: common.deadlineMs });
    return await work(session, out, g);
  } catch (err) {
    return reportError(err, out, g);
  } finally {
    if (session && !session.abandoned) await session.close();
    if (session?.abandoned) setTimeout(() => process.exit(), 50).unref();
  }
}

export function reportError(err: unknown, out: Out, g: GatewayModule): number {
  if (err instanceof UsageError) throw err;
  if (err instanceof g.GatewayError) {
    out.stderr(`dcr: ${err.message}\n`);
    return err.kind === 'config' || err.kind === 'driver-missing' ? EXIT_USAGE : EXIT_FINDINGS;
  }
  throw err;
}

/** The nearest cleanrooms.json walking up from `from`, or an explicit --profile. */
export function findProfile(explicit: string | undefined, from: string, cwd: string): string {
  if (explicit) return resolve(cwd, explicit);
  const found = nearestProfile(resolve(from), isFile);
  if (!found) throw new UsageError(`no cleanrooms.json found from ${from} upwards; pass --profile FILE`);
  return found;
}

export function printResult(out: Out, g: GatewayModule, format: 'text' | 'json', r: Gateway.QueryResult): void {
  if (format === 'json') out.stdout(JSON.stringify({ version: 1, columns: r.columns, rows: r.rows, queryId: r.queryId ?? null }, null, 2) + '\n');
  else out.stdout(g.formatTable(r));
}
