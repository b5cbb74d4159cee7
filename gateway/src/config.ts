/**
 * Which Snowflake connection to use and with what settings, resolved the way Snowflake's own
 * tools do: the connection named explicitly, else $SNOWFLAKE_DEFAULT_CONNECTION_NAME, else
 * config.toml's `default_connection_name`, else `default`. Sections come from
 * `connections.toml` (which wins per connection) and config.toml's [connections.*] blocks,
 * both under $SNOWFLAKE_HOME or ~/.snowflake; SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> variables
 * override single keys. We parse the files ourselves because the driver reads them only when
 * given no options at all, and not config.toml or the env overrides.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { GatewayError } from './errors.js';

export type Authenticator = 'SNOWFLAKE' | 'SNOWFLAKE_JWT' | 'EXTERNALBROWSER' | 'OAUTH' | 'PROGRAMMATIC_ACCESS_TOKEN';

export interface ConnectionSettings {
  name: string;
  account: string;
  user?: string;
  authenticator: Authenticator;
  password?: string;
  privateKeyFile?: string;
  privateKeyPassphrase?: string;
  token?: string;
  tokenFilePath?: string;
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  host?: string;
  port?: number;
  protocol?: string;
  /** Where each value came from, for "test connection" output (never the values of secrets). */
  sources: Record<string, string>;
}

export interface ConfigEnv {
  env: NodeJS.ProcessEnv;
  /** Home folder; defaults to os.homedir(). */
  home?: string;
}

export interface ConnectionFiles {
  dir: string;
  connectionsToml?: string;
  configToml?: string;
  /** Connection name → raw keys, connections.toml over config.toml. */
  sections: Map<string, { keys: Record<string, unknown>; file: string }>;
  defaultFromConfig?: string;
  warnings: string[];
}

export function snowflakeDir({ env, home }: ConfigEnv): string {
  return env.SNOWFLAKE_HOME ? env.SNOWFLAKE_HOME : join(home ?? homedir(), '.snowflake');
}

export function readConnectionFiles(cfg: ConfigEnv): ConnectionFiles {
  const dir = snowflakeDir(cfg);
  const out: ConnectionFiles = { dir, sections: new Map(), warnings: [] };
  const config = readToml(join(dir, 'config.toml'), out.warnings);
  if (config) {
    out.configToml = join(dir, 'config.toml');
    if (typeof config.default_connection_name === 'string') out.defaultFromConfig = config.default_connection_name;
    const conns = config.connections;
    if (conns && typeof conns === 'object') {
      for (const [name, keys] of Object.entries(conns as Record<string, unknown>)) {
        if (keys && typeof keys === 'object' && !Array.isArray(keys)) out.sections.set(name, { keys: keys as Record<string, unknown>, file: out.configToml });
      }
    }
  }
  const connections = readToml(join(dir, 'connections.toml'), out.warnings);
  if (connections) {
    out.connectionsToml = join(dir, 'connections.toml');
    for (const [name, keys] of Object.entries(connections)) {
      if (keys && typeof keys === 'object' && !Array.isArray(keys))
        out.sections.set(name, { keys: keys as Record<string, unknown>, file: out.connectionsToml });
    }
  }
  return out;
}

/** Names the user can pick from (files plus connections defined only by env variables). */
export function listConnectionNames(cfg: ConfigEnv): { names: string[]; defaultName: string } {
  const files = readConnectionFiles(cfg);
  const names = new Set(files.sections.keys());
  for (const key of Object.keys(cfg.env)) {
    const m = /^SNOWFLAKE_CONNECTIONS_(.+)_ACCOUNT$/.exec(key);
    if (m) names.add(m[1]!.toLowerCase());
  }
  return { names: [...names].sort(), defaultName: defaultConnectionName(cfg, files) };
}

function defaultConnectionName(cfg: ConfigEnv, files: ConnectionFiles): string {
  return cfg.env.SNOWFLAKE_DEFAULT_CONNECTION_NAME || files.defaultFromConfig || 'default';
}

export function resolveConnection(explicit: string | undefined, cfg: ConfigEnv): ConnectionSettings & { warnings: string[] } {
  const files = readConnectionFiles(cfg);
  const name = explicit || defaultConnectionName(cfg, files);
  const sources: Record<string, string> = {};
  const raw: Record<string, unknown> = {};
  const section = findSection(files.sections, name);
  if (section) {
    for (const [k, v] of Object.entries(section.keys)) {
      raw[k.toLowerCase()] = v;
      sources[k.toLowerCase()] = section.file;
    }
  }
  const prefix = `SNOWFLAKE_CONNECTIONS_${name.toUpperCase()}_`;
  for (const [k, v] of Object.entries(cfg.env)) {
    if (v !== undefined && k.toUpperCase().startsWith(prefix)) {
      const key = k.slice(prefix.length).toLowerCase();
      raw[key] = v;
      sources[key] = `$${k}`;
    }
  }
  if (!section && !Object.keys(raw).length) {
    const where = [files.connectionsToml, files.configToml].filter(Boolean).join(' or ') || `${files.dir}/connections.toml (not found)`;
    throw new GatewayError('config', `no Snowflake connection named '${name}' in ${where}`);
  }
  return { ...toSettings(name, raw, sources), warnings: files.warnings };
}

function findSection(sections: ConnectionFiles['sections'], name: string) {
  return sections.get(name) ?? [...sections.entries()].find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

const AUTHENTICATORS: Record<string, Authenticator> = {
  snowflake: 'SNOWFLAKE',
  snowflake_jwt: 'SNOWFLAKE_JWT',
  externalbrowser: 'EXTERNALBROWSER',
  oauth: 'OAUTH',
  programmatic_access_token: 'PROGRAMMATIC_ACCESS_TOKEN',
};

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

function toSettings(name: string, raw: Record<string, unknown>, sources: Record<string, string>): ConnectionSettings {
  const account = str(raw.account);
  if (!account) throw new GatewayError('config', `connection '${name}' has no account`);
  const privateKeyFile = str(raw.private_key_file) ?? str(raw.private_key_path);
  const token = str(raw.token);
  let authenticator: Authenticator;
  const given = str(raw.authenticator);
  if (given) {
    const a = AUTHENTICATORS[given.toLowerCase()];
    if (!a)
      throw new GatewayError(
        'config',
        `connection '${name}': authenticator '${given}' is not supported (use snowflake, snowflake_jwt, externalbrowser, oauth or programmatic_access_token)`,
      );
    authenticator = a;
  } else if (privateKeyFile) authenticator = 'SNOWFLAKE_JWT';
  else authenticator = 'SNOWFLAKE';
  const portText = str(raw.port);
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535))
    throw new GatewayError('config', `connection '${name}': port '${portText}' is not a port number`);
  const protocol = str(raw.protocol)?.toLowerCase();
  if (protocol && protocol !== 'http' && protocol !== 'https') throw new GatewayError('config', `connection '${name}': protocol must be http or https`);
  const s: ConnectionSettings = {
    name,
    account,
    user: str(raw.user) ?? str(raw.username),
    authenticator,
    password: str(raw.password),
    privateKeyFile,
    privateKeyPassphrase: str(raw.private_key_file_pwd) ?? str(raw.private_key_pass) ?? str(raw.private_key_passphrase),
    token,
    tokenFilePath: str(raw.token_file_path),
    role: str(raw.role),
    warehouse: str(raw.warehouse),
    database: str(raw.database),
    schema: str(raw.schema),
    host: str(raw.host),
    port,
    protocol,
    sources,
  };
  return s;
}

/** The secrets of a connection, so every printed or logged text can be scrubbed of them. */
export function secretsOf(s: Partial<ConnectionSettings>): string[] {
  return [s.password, s.privateKeyPassphrase, s.token].filter((x): x is string => !!x && x.length >= 3);
}

function readToml(path: string, warnings: string[]): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  checkPermissions(path, warnings);
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new GatewayError('config', `${path} is not valid TOML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
}

/**
 * Snowflake's connectors refuse a credentials file others can write and warn when others can
 * read it; we do the same so a file that works here also works with snowsql and the drivers.
 */
function checkPermissions(path: string, warnings: string[]): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o022) throw new GatewayError('config', `${path} can be changed by other users (mode ${mode.toString(8)}); run: chmod 0600 ${path}`);
  if (mode & 0o044) warnings.push(`${path} can be read by other users (mode ${mode.toString(8)}); consider: chmod 0600 ${path}`);
}
