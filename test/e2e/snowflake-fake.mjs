// The fake Snowflake endpoint (test/gateway/fake/server.ts) for the real-VS-Code run: bundled
// with esbuild into .work/, started in the harness process on a free 127.0.0.1 port, with a
// private SNOWFLAKE_HOME whose connections.toml points at it. code-server (and so the
// extension host) gets the environment from `env`. Every statement the fake receives is
// appended to a JSON-lines file the extension-host suite reads (E2E_SNOWFLAKE_LOG); the UI
// phase uses the returned object directly (hold a statement in flight, read the queries).
//
// Connections (test-only credentials for the fake; never a real account):
//   default  - password in connections.toml: no prompt.
//   prompted - no password: the extension asks for it (password input box, SecretStorage).
// Answers: whoami -> role SAMOOHA_APP_ROLE; CREATE_TEMPLATE_REQUEST -> a result row, except
// for the clean room NOT_INSTALLED_ROOM, which gets Snowflake's 002003/42S02 "does not exist".
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

export const ACCOUNT = 'e2eacct';
export const ROLE = 'SAMOOHA_APP_ROLE';
export const PROMPTED_PASSWORD = 'e2e-Prompted-Pw-7';
export const NOT_INSTALLED_ROOM = 'ghost_room';
export const SUBMIT_RESULT = 'Request for template submitted: E2E-REQ-0001';
const PASSWORD = 'e2e-Toml-Pw-5';

export async function startFakeSnowflake({ root, work, runDir }) {
  const out = path.join(work, 'fake-snowflake.mjs');
  await build({
    entryPoints: [path.join(root, 'test/gateway/fake/server.ts')], outfile: out,
    bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
  });
  const { FakeSnowflake } = await import(`${out}?t=${Date.now()}`);
  const fake = await new FakeSnowflake().start();
  fake.addUser({ account: ACCOUNT, user: 'alice', password: PASSWORD });
  fake.addUser({ account: ACCOUNT, user: 'bob', password: PROMPTED_PASSWORD });

  fake.respond(/CURRENT_ACCOUNT\(\)/, q => ({
    columns: ['ACCOUNT', 'USER', 'ROLE', 'WAREHOUSE', 'VERSION'].map(name => ({ name })),
    rows: [[ACCOUNT.toUpperCase(), userOf(fake, q), ROLE, 'APP_WH', '9.30.1']],
  }));
  let hold; // { promise, release } while the UI test holds the next submit in flight
  fake.respond(/CREATE_TEMPLATE_REQUEST/, q => {
    const answer = q.binds[0] === NOT_INSTALLED_ROOM
      ? { error: { code: '002003', sqlState: '42S02', message: "SQL compilation error:\nDatabase 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB' does not exist or not authorized." } }
      : { columns: [{ name: 'CREATE_TEMPLATE_REQUEST' }], rows: [[SUBMIT_RESULT]] };
    if (!hold) return answer;
    const h = hold;
    hold = undefined;
    h.arrived();
    return h.gate.then(() => answer);
  });

  const logFile = path.join(runDir, 'snowflake-fake.jsonl');
  fs.writeFileSync(logFile, '');
  // Logins are logged without their body (it carries the password).
  fake.on('login', l => fs.appendFileSync(logFile, JSON.stringify({ login: { account: l.account, user: l.user, authenticator: l.authenticator, role: l.role, ok: l.ok } }) + '\n'));
  fake.on('query', q => fs.appendFileSync(logFile, JSON.stringify({ query: q }) + '\n'));

  const home = path.join(runDir, 'home');
  const sfHome = path.join(home, 'snowflake');
  fs.mkdirSync(sfHome, { recursive: true });
  const common = `account = "${ACCOUNT}"\nrole = "${ROLE}"\nwarehouse = "APP_WH"\nhost = "127.0.0.1"\nport = ${fake.port}\nprotocol = "http"\n`;
  const toml = path.join(sfHome, 'connections.toml');
  fs.writeFileSync(toml, `[default]\n${common}user = "alice"\npassword = "${PASSWORD}"\n\n[prompted]\n${common}user = "bob"\n`, { mode: 0o600 });
  fs.chmodSync(toml, 0o600); // the gateway refuses a credentials file others can write

  return {
    fake,
    logFile,
    env: {
      SNOWFLAKE_HOME: sfHome,
      HOME: home,
      SF_OCSP_RESPONSE_CACHE_DIR: path.join(home, 'ocsp'),
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      SF_TELEMETRY_DISABLE_CONNECTION_SHAPE: '1',
      E2E_SNOWFLAKE_LOG: logFile,
    },
    /**
     * Holds the next CREATE_TEMPLATE_REQUEST: `arrived` resolves when it reaches the fake,
     * `release()` lets the answer go (at the latest after `ms`, so nothing can hang).
     */
    holdNextSubmit(ms = 30000) {
      let arrived, release;
      const arrivedP = new Promise(r => { arrived = r; });
      const gate = new Promise(r => { release = r; });
      const timer = setTimeout(() => release(), ms);
      hold = { arrived, gate };
      return { arrived: arrivedP, release: () => { clearTimeout(timer); release(); } };
    },
    stop: () => fake.stop(),
  };
}

function userOf(fake, q) {
  // session-N names the Nth login (see FakeSnowflake.login).
  const n = Number(/session-(\d+)/.exec(q.session)?.[1]);
  return (fake.logins[n - 1]?.user ?? '?').toUpperCase();
}
