/** Connection resolution: Snowflake's precedence over files and environment variables. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupHome, home, snowflakeHome } from './helpers.js';
import { listConnectionNames, resolveConnection, secretsOf } from '../../gateway/src/config.js';
import { GatewayError } from '../../gateway/src/errors.js';

after(cleanupHome);

const CONNECTIONS = `
[default]
account = "acct_default"
user = "dora"
password = "pw-default"

[dev]
account = "acct_dev"
user = "devin"
authenticator = "SNOWFLAKE_JWT"
private_key_file = "/keys/dev.p8"
private_key_file_pwd = "dev-pass"
role = "SAMOOHA_APP_ROLE"
host = "127.0.0.1"
port = 8085
protocol = "http"

["my conn"]
account = "acct_spaced"
user = "sp"
authenticator = "oauth"
token = "tok-xyz"
`;

const CONFIG = `
default_connection_name = "cfgdefault"

[connections.cfgdefault]
account = "acct_cfg"
user = "cora"

[connections.dev]
account = "acct_shadowed"
user = "nobody"
`;

describe('connection precedence', () => {
  const dir = snowflakeHome({ 'connections.toml': CONNECTIONS, 'config.toml': CONFIG });
  const env = (extra: NodeJS.ProcessEnv = {}) => ({ env: { SNOWFLAKE_HOME: dir, ...extra } });

  test('an explicit name wins over the env default and config.toml', () => {
    const s = resolveConnection('dev', env({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'default' }));
    assert.equal(s.account, 'acct_dev');
    assert.equal(s.authenticator, 'SNOWFLAKE_JWT');
    assert.equal(s.privateKeyFile, '/keys/dev.p8');
    assert.equal(s.privateKeyPassphrase, 'dev-pass');
    assert.deepEqual([s.host, s.port, s.protocol, s.role], ['127.0.0.1', 8085, 'http', 'SAMOOHA_APP_ROLE']);
  });

  test('SNOWFLAKE_DEFAULT_CONNECTION_NAME wins over default_connection_name', () => {
    assert.equal(resolveConnection(undefined, env({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'default' })).account, 'acct_default');
  });

  test("config.toml's default_connection_name wins over [default]", () => {
    assert.equal(resolveConnection(undefined, env()).account, 'acct_cfg');
  });

  test('connections.toml wins over a config.toml block of the same name', () => {
    assert.equal(resolveConnection('dev', env()).account, 'acct_dev');
  });

  test('SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> overrides single keys', () => {
    const s = resolveConnection('dev', env({ SNOWFLAKE_CONNECTIONS_DEV_ROLE: 'OTHER_ROLE', SNOWFLAKE_CONNECTIONS_DEV_PORT: '9000' }));
    assert.equal(s.role, 'OTHER_ROLE');
    assert.equal(s.port, 9000);
    assert.equal(s.user, 'devin');
    assert.equal(s.sources.role, '$SNOWFLAKE_CONNECTIONS_DEV_ROLE');
  });

  test('a connection can come from env variables alone', () => {
    const s = resolveConnection(
      'ci',
      env({ SNOWFLAKE_CONNECTIONS_CI_ACCOUNT: 'acct_ci', SNOWFLAKE_CONNECTIONS_CI_USER: 'bot', SNOWFLAKE_CONNECTIONS_CI_PASSWORD: 'pw-ci' }),
    );
    assert.deepEqual([s.account, s.user, s.password, s.authenticator], ['acct_ci', 'bot', 'pw-ci', 'SNOWFLAKE']);
    assert.ok(listConnectionNames(env({ SNOWFLAKE_CONNECTIONS_CI_ACCOUNT: 'x' })).names.includes('ci'));
  });

  test('quoted section names and oauth tokens', () => {
    const s = resolveConnection('my conn', env());
    assert.equal(s.authenticator, 'OAUTH');
    assert.deepEqual(secretsOf(s), ['tok-xyz']);
  });

  test('lists every connection and the default', () => {
    assert.deepEqual(listConnectionNames(env()), { names: ['cfgdefault', 'default', 'dev', 'my conn'], defaultName: 'cfgdefault' });
  });

  test('an unknown name is a configuration error naming the files', () => {
    assert.throws(
      () => resolveConnection('nope', env()),
      (e: unknown) =>
        e instanceof GatewayError && e.kind === 'config' && /no Snowflake connection named 'nope'/.test(e.message) && e.message.includes('connections.toml'),
    );
  });

  test('~/.snowflake is used when SNOWFLAKE_HOME is unset', () => {
    const h = join(home, 'h1');
    mkdirSync(join(h, '.snowflake'), { recursive: true });
    writeFileSync(join(h, '.snowflake', 'connections.toml'), '[default]\naccount = "acct_home"\nuser = "h"\n', { mode: 0o600 });
    assert.equal(resolveConnection(undefined, { env: {}, home: h }).account, 'acct_home');
    assert.equal(resolveConnection(undefined, { env: { SNOWFLAKE_HOME: '' }, home: h }).account, 'acct_home', 'an empty SNOWFLAKE_HOME counts as unset');
  });
});

describe('file permissions and syntax', () => {
  test('a file others can write is refused, as the Snowflake drivers do', () => {
    const dir = snowflakeHome({ 'connections.toml': '[default]\naccount = "a"\n' });
    chmodSync(join(dir, 'connections.toml'), 0o666);
    assert.throws(() => resolveConnection(undefined, { env: { SNOWFLAKE_HOME: dir } }), /can be changed by other users.*chmod 0600/);
  });

  test('a file others can read is a warning', () => {
    const dir = snowflakeHome({ 'connections.toml': '[default]\naccount = "a"\nuser = "u"\n' });
    chmodSync(join(dir, 'connections.toml'), 0o644);
    const s = resolveConnection(undefined, { env: { SNOWFLAKE_HOME: dir } });
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0]!, /can be read by other users/);
  });

  test("TOML 1.0 dotted keys parse (the driver's own TOML 0.4 parser rejects them)", () => {
    const dir = snowflakeHome({ 'connections.toml': '[default]\naccount = "a"\nuser = "u"\nextra.key = 1\n' });
    assert.equal(resolveConnection(undefined, { env: { SNOWFLAKE_HOME: dir } }).account, 'a');
  });

  test('broken TOML is a configuration error', () => {
    const dir = snowflakeHome({ 'connections.toml': '[default\naccount = ' });
    assert.throws(() => resolveConnection(undefined, { env: { SNOWFLAKE_HOME: dir } }), /is not valid TOML/);
  });

  test('unsupported authenticators are named', () => {
    const dir = snowflakeHome({ 'connections.toml': '[default]\naccount = "a"\nauthenticator = "okta"\n' });
    assert.throws(() => resolveConnection(undefined, { env: { SNOWFLAKE_HOME: dir } }), /authenticator 'okta' is not supported/);
  });
});
