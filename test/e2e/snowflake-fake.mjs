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
// for the clean room NOT_INSTALLED_ROOM, which gets Snowflake's 002003/42S02 "does not exist";
// the seed's flow (programProviderFlow below) for suite/provider.test.js.
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
    entryPoints: [path.join(root, 'test/gateway/fake/server.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
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
    const answer =
      q.binds[0] === NOT_INSTALLED_ROOM
        ? {
            error: {
              code: '002003',
              sqlState: '42S02',
              message: "SQL compilation error:\nDatabase 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB' does not exist or not authorized.",
            },
          }
        : { columns: [{ name: 'CREATE_TEMPLATE_REQUEST' }], rows: [[SUBMIT_RESULT]] };
    if (!hold) return answer;
    const h = hold;
    hold = undefined;
    h.arrived();
    return h.gate.then(() => answer);
  });

  programProviderFlow(fake, root);

  const logFile = path.join(runDir, 'snowflake-fake.jsonl');
  fs.writeFileSync(logFile, '');
  // Logins are logged without their body (it carries the password).
  fake.on('login', l =>
    fs.appendFileSync(logFile, JSON.stringify({ login: { account: l.account, user: l.user, authenticator: l.authenticator, role: l.role, ok: l.ok } }) + '\n'),
  );
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
      E2E_SNOWFLAKE_FLOW: JSON.stringify({ ...FLOW, seedTemplate: seedTemplate(root) }),
    },
    /**
     * Holds the next CREATE_TEMPLATE_REQUEST: `arrived` resolves when it reaches the fake,
     * `release()` lets the answer go (at the latest after `ms`, so nothing can hang).
     */
    holdNextSubmit(ms = 30000) {
      let arrived, release;
      const arrivedP = new Promise(r => {
        arrived = r;
      });
      const gate = new Promise(r => {
        release = r;
      });
      const timer = setTimeout(() => release(), ms);
      hold = { arrived, gate };
      return {
        arrived: arrivedP,
        release: () => {
          clearTimeout(timer);
          release();
        },
      };
    },
    stop: () => fake.stop(),
  };
}

function userOf(fake, q) {
  // session-N names the Nth login (see FakeSnowflake.login).
  const n = Number(/session-(\d+)/.exec(q.session)?.[1]);
  return (fake.logins[n - 1]?.user ?? '?').toUpperCase();
}

// ---------------------------------------------------------------- the seed's flow
// Fixed answers (the suite runs in another process and cannot program the fake), keyed by the
// clean room bind, in the shapes Snowflake's clean room reference documents. The suite gets FLOW and the seed
// template through E2E_SNOWFLAKE_FLOW.
const T1 = 'SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS';
const T2 = 'PARTNER_DB.DEMO.CUSTOMERS';
export const FLOW = {
  seedRequestId: '01b2c3d4-0000-4a5b-8c9d-00000000e2e1',
  otherRequestId: '01b2c3d4-0000-4a5b-8c9d-00000000e2e2',
  consumerLocator: 'CONSUMER1',
  templateId: 'e2e_overlap_v1',
  updateRequestId: 'UR-E2E-1',
};

/** The seed's consumer-defined template: the text between the first $$ … $$ of the corpus copy. */
export function seedTemplate(root) {
  const text = fs.readFileSync(path.join(root, 'test/corpus/faulty/f900_seed_multiprovider.sql'), 'utf8').replace(/[⟦⟧]/g, '');
  const start = text.indexOf('$$') + 2;
  return text.slice(start, text.indexOf('$$', start));
}

function programProviderFlow(fake, root) {
  const table = (names, rows) => ({ columns: names.map(n => (typeof n === 'string' ? { name: n } : n)), rows });
  const byRoom = answers => q => answers[q.binds[0]] ?? table(['RESULT'], []);
  const seed = seedTemplate(root);
  const pending = [
    [FLOW.seedRequestId, FLOW.consumerLocator, 'multiprovider_overlap_analysis', seed],
    [FLOW.otherRequestId, FLOW.consumerLocator, 'raw_export', 'SELECT * FROM IDENTIFIER({{ source_table[0] }})'],
  ];
  fake.respond(/PROVIDER\.LIST_PENDING_TEMPLATE_REQUESTS/, table(['REQUEST_ID', 'CONSUMER_LOCATOR', 'TEMPLATE_NAME', 'TEMPLATE_DEFINITION'], pending));
  fake.respond(
    /PROVIDER\.LIST_TEMPLATE_REQUESTS/,
    table(
      ['REQUEST_ID', 'CONSUMER_IDENTIFIER', 'TEMPLATE_NAME', 'TEMPLATE_DEFINITION', 'STATUS'],
      pending.map(r => [...r, 'PENDING']),
    ),
  );
  fake.respond(/PROVIDER\.APPROVE_TEMPLATE_REQUEST/, table(['APPROVE_TEMPLATE_REQUEST'], [['Template request approved']]));
  fake.respond(/PROVIDER\.REJECT_TEMPLATE_REQUEST/, table(['REJECT_TEMPLATE_REQUEST'], [['Template request rejected']]));

  // Live policies: Clean Room 1 differs from the fixture profile (join and column), Clean Room 2 matches it.
  const join = (...rows) => table(['TABLE_NAME', 'COLUMN_NAME'], rows);
  const column = (...rows) => table(['TEMPLATE_NAME', 'TABLE_NAME', 'COLUMN_NAME'], rows);
  fake.respond(/PROVIDER\.VIEW_JOIN_POLICY/, byRoom({ 'Clean Room 1': join([T1, 'HASHED_EMAIL'], [T1, 'EMAIL']), 'Clean Room 2': join([T2, 'HASHED_EMAIL']) }));
  fake.respond(
    /PROVIDER\.VIEW_COLUMN_POLICY/,
    byRoom({
      'Clean Room 1': column(['overlap_analysis', T1, 'STATUS'], ['overlap_analysis', T1, 'REGION_CODE']),
      'Clean Room 2': column(['multiprovider_overlap', T2, 'STATUS']),
    }),
  );
  fake.respond(/PROVIDER\.VIEW_ACTIVATION_POLICY/, column());
  // The consumer's own join policy of Clean Room 1 is live but empty in the profile: the UI
  // phase's Set Policies gets a removal to confirm, and cancels it.
  fake.respond(/CONSUMER\.VIEW_JOIN_POLICY/, byRoom({ 'Clean Room 1': join(['MYDB.PUBLIC.CUSTOMERS', 'HASHED_EMAIL']) }));
  // Every policy view answers in its documented columns (an unreadable row is an error, never an empty policy).
  fake.respond(/CONSUMER\.VIEW_(COLUMN|ACTIVATION)_POLICY/, column());
  fake.respond(/PROVIDER\.VIEW_PROVIDER_DATASETS/, byRoom({ 'Clean Room 1': table(['LINKED_TABLE'], [[T1], ['SAMOOHA_SAMPLE_DATABASE.DEMO.ORDERS']]) }));
  fake.respond(/PROVIDER\.SET_(JOIN|COLUMN|ACTIVATION)_POLICY/, q => table([/SET_\w+/.exec(q.sqlText)[0]], [['Policy set']]));

  fake.respond(
    /CONSUMER\.RUN_ANALYSIS/,
    table(
      ['STATUS', { name: 'OVERLAP', type: 'fixed' }],
      [
        ['GOLD', 1234],
        ['SILVER', 567],
      ],
    ),
  );
  fake.respond(/CONSUMER\.PREPARE_MULTIPROVIDER_FLOW/, table(['PREPARE_MULTIPROVIDER_FLOW'], [['Request submitted: MP-REQ-42']]));
  fake.respond(
    /CONSUMER\.EXECUTE_MULTIPROVIDER_FLOW/,
    table(
      [{ name: 'COUNT(DISTINCT JOIN_COL)', type: 'fixed' }, 'GROUP_COL', 'GROUP_COL_1'],
      [
        [88, 'GOLD', 'WEST'],
        [12, 'SILVER', 'EAST'],
      ],
    ),
  );

  fake.respond(/REGISTRY\.REGISTER_TEMPLATE/, table(['REGISTER_TEMPLATE'], [[FLOW.templateId]]));
  fake.respond(/COLLABORATION\.ADD_TEMPLATE_REQUEST/, table(['ADD_TEMPLATE_REQUEST'], [['Template request added']]));
  fake.respond(
    /COLLABORATION\.VIEW_UPDATE_REQUESTS/,
    table(
      ['ID', 'TYPE', 'STATUS', 'APPROVAL_LOG', 'DETAILS', 'SPEC', 'UPDATED_ON'],
      [
        [
          FLOW.updateRequestId,
          'Add Template',
          'PENDING_MY_APPROVAL',
          '{}',
          'partner_a',
          'api_version: 2.0.0\nspec_type: template\nname: e2e_overlap\nversion: v1\ntype: sql_analysis\ntemplate: |\n  SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p\n',
          '2026-11-21 10:00:00',
        ],
        [
          'UR-E2E-0',
          'Add Template',
          'APPROVED',
          '{}',
          'partner_a',
          'api_version: 2.0.0\nspec_type: template\nname: old\nversion: v0\ntype: sql_analysis\ntemplate: SELECT 1\n',
          '2026-11-20 10:00:00',
        ],
      ],
    ),
  );
  fake.respond(/COLLABORATION\.APPROVE_UPDATE_REQUEST/, table(['APPROVE_UPDATE_REQUEST'], [['Update request approved']]));
  fake.respond(
    /COLLABORATION\.VIEW_DATA_OFFERINGS/,
    table(
      ['TEMPLATE_VIEW_NAME', 'FREEFORM_SQL_VIEW_NAME', 'SHARE_WITH', 'JOIN_COLUMNS', 'ANALYSIS_COLUMNS', 'ACTIVATION_COLUMNS'],
      [['partner_a.customers_v1.customers', 'partner_a.customers_v1.customers_ff', ['runner'], ['HASHED_EMAIL'], ['STATUS', 'REGION_CODE'], ['STATUS']]],
    ),
  );
  fake.respond(
    /COLLABORATION\.VIEW_TEMPLATES/,
    table(
      ['TEMPLATE_ID', 'TEMPLATE_SPEC', 'SHARED_BY', 'SHARED_WITH'],
      [['e2e_overlap_v1', 'api_version: 2.0.0\nspec_type: template\nname: e2e_overlap\nversion: v1\ntype: sql_analysis\ntemplate: SELECT 1\n', 'runner', '[]']],
    ),
  );
}
