/**
 * The Snowflake commands as users run them: the built dist/dcr.js (with its bundled driver,
 * dist/snowflake.js) against the fake endpoint, with a temporary connections.toml.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACCOUNT, cleanupHome, home, PASSWORD, snowflakeHome, startFake } from './helpers.js';
import type { FakeSnowflake } from './fake/server.js';

const DCR = resolve(__dirname, '../../dist/dcr.js');
const FIXTURE = resolve(__dirname, 'fixtures/multiprovider_overlap_analysis.jinjasql');
const DB = 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB';
const T = 'SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS';
const OVERLAP =
  'SELECT IDENTIFIER({{ dimensions[0] | column_policy }}) AS dim, COUNT(*) AS n\nFROM IDENTIFIER({{ source_table[0] }}) AS p\nGROUP BY IDENTIFIER({{ dimensions[0] | column_policy }})\n';

let fake: FakeSnowflake;
let sfHome: string;
let work: string;
const outputs: string[] = [];

before(async () => {
  fake = await startFake();
  sfHome = snowflakeHome({
    'connections.toml': `[default]\naccount = "${ACCOUNT}"\nuser = "alice"\npassword = "${PASSWORD}"\nrole = "SAMOOHA_APP_ROLE"\nhost = "127.0.0.1"\nport = ${fake.port}\nprotocol = "http"\n\n[badpw]\naccount = "${ACCOUNT}"\nuser = "alice"\npassword = "nope-nope"\nhost = "127.0.0.1"\nport = ${fake.port}\nprotocol = "http"\n`,
  });
  work = mkdtempSync(join(home, 'work-'));
});
after(async () => {
  await fake?.stop();
  cleanupHome();
});
beforeEach(() => {
  fake.reset();
  fake.clearResponses();
});

function dcr(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise(done => {
    execFile(
      process.execPath,
      [DCR, ...args],
      { cwd: work, env: { PATH: process.env.PATH, HOME: home, SNOWFLAKE_HOME: sfHome, SF_OCSP_RESPONSE_CACHE_DIR: join(home, 'ocsp'), ...env } },
      (err, stdout, stderr) => {
        outputs.push(stdout, stderr);
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: Date.now() - t0 });
      },
    );
  });
}

const sent = () => fake.queries.map(q => ({ sql: q.sqlText, binds: q.binds }));

describe('dcr submit', () => {
  test('--dry-run prints the statement and binds and sends nothing', async () => {
    const r = await dcr(['submit', FIXTURE, '--cleanroom', 'Room 1', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^-- dry run: nothing is sent\n-- session: connection 'default', role SAMOOHA_APP_ROLE, warehouse \(the user default\)\nCALL SAMOOHA_BY_SNOWFLAKE_LOCAL_DB\.CONSUMER\.CREATE_TEMPLATE_REQUEST\(\?, \?, \?\);\n  -- bind 1 \(cleanroom_name\): "Room 1"\n  -- bind 2 \(template_name\): "multiprovider_overlap_analysis"\n  -- bind 3 \(template_definition\): "\\nWITH union_data/,
    );
    assert.equal(fake.logins.length + fake.queries.length, 0);
  });

  test('--dry-run --format json gives the exact binds', async () => {
    const r = await dcr(['submit', FIXTURE, '--cleanroom', 'Room 1', '--role', 'provider', '--name', 'custom', '--dry-run', '--format', 'json']);
    assert.deepEqual(JSON.parse(r.stdout).statements, [
      {
        id: 'provider.add_custom_sql_template',
        sql: `CALL ${DB}.PROVIDER.ADD_CUSTOM_SQL_TEMPLATE(?, ?, ?)`,
        binds: ['Room 1', 'custom', readFileSync(FIXTURE, 'utf8')],
      },
    ]);
  });

  test('a worksheet that registers a spec submits that spec with the Collaboration API', async () => {
    const spec =
      'api_version: 2.0.0\nspec_type: template\nname: ws_overlap\nversion: v1\ntype: sql_analysis\ntemplate: |\n  SELECT COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p1\n';
    const ws = join(work, 'register.sql');
    writeFileSync(ws, `USE ROLE SAMOOHA_APP_ROLE;\nCALL samooha_by_snowflake_local_db.registry.register_template($$\n${spec}$$);\n`);
    const r = await dcr(['submit', ws, '--cleanroom', 'my_collab', '--dry-run', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const statements = JSON.parse(r.stdout).statements as { sql: string; binds: string[] }[];
    const register = statements.find(s => /REGISTER_TEMPLATE/.test(s.sql));
    assert.ok(register, JSON.stringify(statements));
    assert.equal(register.binds[register.binds.length - 1], `\n${spec}`);
    assert.ok(!statements.some(s => /CREATE_TEMPLATE_REQUEST/.test(s.sql)));
  });

  test("the seed's template arrives byte for byte", async () => {
    const r = await dcr(['submit', FIXTURE, '--cleanroom', 'Samooha Cleanroom Multiprovider Clean Room 1']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(sent(), [
      {
        sql: `CALL ${DB}.CONSUMER.CREATE_TEMPLATE_REQUEST(?, ?, ?)`,
        binds: ['Samooha Cleanroom Multiprovider Clean Room 1', 'multiprovider_overlap_analysis', readFileSync(FIXTURE, 'utf8')],
      },
    ]);
    assert.match(r.stdout, /^consumer\.create_template_request: success \(query ID [0-9a-f-]{36}\)\n$/);
    assert.equal(fake.sessionDeletes.length, 1, 'the session is closed');
  });

  test('a template with error findings is refused, unless --force', async () => {
    const bad = join(work, 'broken.jinjasql');
    writeFileSync(bad, "SELECT '$$' \\ {{ x ");
    const r = await dcr(['submit', bad, '--cleanroom', 'R']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.jinjasql:1:\d+: error DCR\d+ /);
    assert.match(r.stderr, /error finding\(s\); nothing was sent \(fix them, or pass --force\)/);
    assert.equal(fake.logins.length, 0);
    const forced = await dcr(['submit', bad, '--cleanroom', 'R', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(sent(), [{ sql: `CALL ${DB}.CONSUMER.CREATE_TEMPLATE_REQUEST(?, ?, ?)`, binds: ['R', 'broken', "SELECT '$$' \\ {{ x "] }]);
  });

  test('a template-spec YAML goes through the Collaboration API', async () => {
    const spec = join(work, 'spec.yaml');
    const text = 'api_version: 2.0.0\nspec_type: template\nname: my_template\nversion: v1\ntype: sql_analysis\ntemplate: |\n  SELECT {{ x }} FROM t\n';
    writeFileSync(spec, text);
    fake.respond(/REGISTER_TEMPLATE/, { columns: [{ name: 'REGISTER_TEMPLATE' }], rows: [['my_template_v1']] });
    const r = await dcr(['submit', spec, '--cleanroom', 'collab', '--share-with', 'partner']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(sent(), [
      { sql: 'USE SECONDARY ROLES NONE', binds: [] },
      { sql: `CALL ${DB}.REGISTRY.REGISTER_TEMPLATE(?)`, binds: [text] },
      { sql: `CALL ${DB}.COLLABORATION.ADD_TEMPLATE_REQUEST(?, ?, PARSE_JSON(?)::ARRAY)`, binds: ['collab', 'my_template_v1', '["partner"]'] },
    ]);
  });
});

describe('dcr requests', () => {
  test('list (provider), show with diagnostics, approve, reject', async () => {
    fake.respond(/PROVIDER.LIST_TEMPLATE_REQUESTS/, {
      columns: [{ name: 'REQUEST_ID' }, { name: 'CONSUMER_IDENTIFIER' }, { name: 'TEMPLATE_NAME' }, { name: 'TEMPLATE_DEFINITION' }, { name: 'STATUS' }],
      rows: [['r-1', 'ORG.C', 'broken_one', 'SELECT {{ x ', 'PENDING']],
    });
    const list = await dcr(['requests', 'list', '--cleanroom', 'R', '--role', 'provider']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID\s+TEMPLATE\s+STATUS\s+FROM\s+REASON\n[- ]+\nr-1\s+broken_one\s+PENDING\s+ORG\.C\n$/);
    const show = await dcr(['requests', 'show', 'r-1', '--cleanroom', 'R']);
    assert.equal(show.code, 1, 'error findings in the request');
    assert.equal(show.stdout, 'SELECT {{ x \n');
    assert.match(show.stderr, /^request r-1:1:\d+: error DCR\d+/);
    // Approving reads the request and checks it first: its error finding stops the approval.
    const blocked = await dcr(['requests', 'approve', 'r-1', '--cleanroom', 'R']);
    assert.equal(blocked.code, 1);
    assert.match(
      blocked.stderr,
      /^request r-1:1:\d+: error DCR\d+ .*\ndcr: requests approve r-1: 1 error finding\(s\); nothing was sent \(fix them, or pass --force\)\n$/,
    );
    const dry = await dcr(['requests', 'approve', 'r-1', '--cleanroom', 'R', '--dry-run', '--format', 'json']);
    assert.equal(dry.code, 1, 'a dry run exits 1 when the real approval would stop');
    const plan = JSON.parse(dry.stdout);
    assert.deepEqual(
      plan.statements.map((x: { sql: string }) => x.sql),
      [`CALL ${DB}.PROVIDER.APPROVE_TEMPLATE_REQUEST(?, ?)`],
    );
    assert.deepEqual(
      plan.findings.map((f: { path: string; severity: string }) => [f.path, f.severity]),
      [['request r-1', 'error']],
    );
    const forced = await dcr(['requests', 'approve', 'r-1', '--cleanroom', 'R', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    const rej = await dcr(['requests', 'reject', 'r-1', '--cleanroom', 'R', '--reason', "projects 'HASHED_EMAIL'"]);
    assert.equal(rej.code, 0, rej.stderr);
    assert.deepEqual(
      sent().filter(x => !/LIST_TEMPLATE_REQUESTS/.test(x.sql)),
      [
        { sql: `CALL ${DB}.PROVIDER.APPROVE_TEMPLATE_REQUEST(?, ?)`, binds: ['R', 'r-1'] },
        { sql: `CALL ${DB}.PROVIDER.REJECT_TEMPLATE_REQUEST(?, ?, ?)`, binds: ['R', 'r-1', "projects 'HASHED_EMAIL'"] },
      ],
    );
  });

  test('already approved: exit 1 with the reason in words and the Snowflake code', async () => {
    fake.respond(/PROVIDER.LIST_TEMPLATE_REQUESTS/, { columns: [{ name: 'REQUEST_ID' }, { name: 'TEMPLATE_DEFINITION' }], rows: [['r-1', 'SELECT 1 AS one']] });
    fake.respond(/APPROVE_TEMPLATE_REQUEST/, { error: { code: '100357', sqlState: 'P0000', message: 'Request r-1 has already been approved.' } });
    const r = await dcr(['requests', 'approve', 'r-1', '--cleanroom', 'R']);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^dcr: PROVIDER\.APPROVE_TEMPLATE_REQUEST: the request was already approved or rejected: Request r-1 has already been approved\. \(Snowflake error 100357, SQL state P0000, query ID [0-9a-f-]{36}\)\n$/,
    );
  });

  test('reject needs a reason; an unknown action is a usage error', async () => {
    assert.equal((await dcr(['requests', 'reject', 'r-1', '--cleanroom', 'R'])).code, 2);
    assert.equal((await dcr(['requests', 'frobnicate', '--cleanroom', 'R'])).code, 2);
  });
});

describe('dcr policies', () => {
  const profile = () => join(work, 'cleanrooms.json');
  beforeEach(() => {
    writeFileSync(
      profile(),
      `{\n  // team profile\n  "cleanrooms": {\n    "R": {\n      "provider": { "joinPolicy": ["${T}:HASHED_EMAIL", "${T}:PHONE"] }\n    }\n  }\n}\n`,
    );
  });

  test('set --dry-run shows the diff and the statement; set sends it', async () => {
    fake.respond(/PROVIDER.VIEW_JOIN_POLICY/, {
      columns: [{ name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }],
      rows: [
        [T, 'HASHED_EMAIL'],
        [T, 'OLD'],
      ],
    });
    const dry = await dcr(['policies', 'set', '--cleanroom', 'R', '--role', 'provider', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(
      dry.stdout,
      `join policy: 1 added, 1 removed, 1 kept\n  + ${T}:PHONE\n  - ${T}:OLD\n-- dry run: nothing is sent\n-- session: connection 'default', role SAMOOHA_APP_ROLE, warehouse (the user default)\nCALL ${DB}.PROVIDER.SET_JOIN_POLICY(?, PARSE_JSON(?)::ARRAY);\n  -- bind 1 (cleanroom_name): "R"\n  -- bind 2 (table_and_col_names): ${JSON.stringify(JSON.stringify([`${T}:HASHED_EMAIL`, `${T}:PHONE`]))}\n`,
    );
    assert.deepEqual(
      sent().map(s => s.sql),
      [`CALL ${DB}.PROVIDER.VIEW_JOIN_POLICY(?)`],
    );
    fake.reset();
    const real = await dcr(['policies', 'set', '--cleanroom', 'R', '--role', 'provider']);
    assert.equal(real.code, 0, real.stderr);
    assert.deepEqual(sent()[1], {
      sql: `CALL ${DB}.PROVIDER.SET_JOIN_POLICY(?, PARSE_JSON(?)::ARRAY)`,
      binds: ['R', JSON.stringify([`${T}:HASHED_EMAIL`, `${T}:PHONE`])],
    });
  });

  test('pull writes the live policies into cleanrooms.json, keeping comments', async () => {
    fake.respond(/PROVIDER.VIEW_JOIN_POLICY/, { columns: [{ name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }], rows: [[T, 'HASHED_EMAIL']] });
    fake.respond(/PROVIDER.VIEW_COLUMN_POLICY/, {
      columns: [{ name: 'TEMPLATE_NAME' }, { name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }],
      rows: [['overlap', T, 'STATUS']],
    });
    fake.respond(/PROVIDER.VIEW_ACTIVATION_POLICY/, { columns: [{ name: 'X' }], rows: [] });
    fake.respond(/VIEW_PROVIDER_DATASETS/, { columns: [{ name: 'LINKED_TABLE' }], rows: [[T]] });
    const r = await dcr(['policies', 'pull', '--cleanroom', 'R', '--role', 'provider']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "updated cleanrooms.json (clean room 'R'): provider.tables, provider.joinPolicy, provider.columnPolicy, provider.activationPolicy\n",
    );
    const text = readFileSync(profile(), 'utf8');
    assert.ok(text.startsWith('{\n  // team profile\n'));
    const { parse } = await import('jsonc-parser');
    assert.deepEqual(parse(text).cleanrooms.R.provider, {
      joinPolicy: [`${T}:HASHED_EMAIL`],
      columnPolicy: [`overlap:${T}:STATUS`],
      activationPolicy: [],
      tables: { [T]: ['HASHED_EMAIL', 'STATUS'] },
    });
  });
});

describe('dcr policies pull --api collaboration', () => {
  const VIEW = 'partner_a.customers_v1.customers';
  test("writes the data offerings' policies into the collaboration entry, keeping comments", async () => {
    const file = join(work, 'cleanrooms.json');
    writeFileSync(file, `{\n  // team profile\n  "cleanrooms": {\n    "collab": { "templates": ["overlap"] }\n  }\n}\n`);
    fake.respond(/VIEW_DATA_OFFERINGS/, {
      columns: ['TEMPLATE_VIEW_NAME', 'JOIN_COLUMNS', 'ANALYSIS_COLUMNS', 'ACTIVATION_COLUMNS'].map(name => ({ name })),
      rows: [[VIEW, ['HASHED_EMAIL'], ['STATUS'], []]],
    });
    fake.respond(/VIEW_TEMPLATES/, { columns: [{ name: 'TEMPLATE_ID' }], rows: [] });
    const r = await dcr(['policies', 'pull', '--api', 'collaboration', '--cleanroom', 'collab']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "updated cleanrooms.json (clean room 'collab'): provider.tables, provider.joinPolicy, provider.columnPolicy, provider.activationPolicy\n",
    );
    assert.deepEqual(
      sent().map(s => s.sql),
      ['USE SECONDARY ROLES NONE', `CALL ${DB}.COLLABORATION.VIEW_DATA_OFFERINGS(?)`, `CALL ${DB}.COLLABORATION.VIEW_TEMPLATES(?)`],
    );
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('{\n  // team profile\n'));
    const { parse } = await import('jsonc-parser');
    assert.deepEqual(parse(text).cleanrooms.collab, {
      templates: ['overlap'],
      provider: {
        tables: { [VIEW]: ['HASHED_EMAIL', 'STATUS'] },
        joinPolicy: [`${VIEW}:HASHED_EMAIL`],
        columnPolicy: [`overlap:${VIEW}:STATUS`],
        activationPolicy: [],
      },
    });
  });

  test('the profile\'s "api" chooses it without --api; a bad --api fails before connecting', async () => {
    writeFileSync(join(work, 'cleanrooms.json'), JSON.stringify({ api: 'collaboration', cleanrooms: {} }));
    fake.respond(/VIEW_DATA_OFFERINGS/, { columns: [{ name: 'TEMPLATE_VIEW_NAME' }, { name: 'JOIN_COLUMNS' }], rows: [[VIEW, 'HASHED_EMAIL']] });
    const r = await dcr(['policies', 'pull', '--cleanroom', 'collab', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      sent().map(s => s.sql),
      ['USE SECONDARY ROLES NONE', `CALL ${DB}.COLLABORATION.VIEW_DATA_OFFERINGS(?)`, `CALL ${DB}.COLLABORATION.VIEW_TEMPLATES(?)`],
    );
    fake.reset();
    const bad = await dcr(['policies', 'pull', '--api', 'v3', '--cleanroom', 'collab']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--api must be legacy or collaboration/);
    assert.equal(fake.logins.length, 0);
  });
});

describe('dcr run, templates, multiprovider, connection', () => {
  test('run: single clean room → run_analysis; the result table is printed with exact numbers', async () => {
    mkdirSync(join(work, 'templates'), { recursive: true });
    writeFileSync(join(work, 'templates/overlap.jinjasql'), OVERLAP);
    writeFileSync(join(work, 'x.jinjasql'), OVERLAP);
    writeFileSync(
      join(work, 'cleanrooms.json'),
      JSON.stringify({
        analyses: {
          one: { template: 'templates/overlap.jinjasql', cleanrooms: ['R'], arguments: { source_table: [T], my_table: ['M.P.C'], dimensions: ['p.STATUS'] } },
          multi: {
            template: 'x.jinjasql',
            templateName: 'prod_aggregate_data',
            cleanrooms: ['R1', 'R2'],
            arguments: { source_table: [`R1.${T}`, `R2.${T}`], my_table: ['M.P.C'] },
          },
        },
      }),
    );
    fake.respond(/RUN_ANALYSIS/, { columns: [{ name: 'STATUS' }, { name: 'N', type: 'fixed' }], rows: [['GOLD', '98765432109876543210']] });
    const r = await dcr(['run', '--analysis', 'one']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'STATUS  N\n------  --------------------\nGOLD    98765432109876543210\n');
    assert.deepEqual(sent(), [
      {
        sql: `CALL ${DB}.CONSUMER.RUN_ANALYSIS(?, ?, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::OBJECT)`,
        binds: ['R', 'overlap', '["M.P.C"]', `["${T}"]`, '{"dimensions":["p.STATUS"]}'],
      },
    ]);
    fake.reset();
    const m = await dcr(['run', '--analysis', 'multi']);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stderr, /once every provider has processed the request, run: dcr run --analysis multi --step execute/);
    assert.deepEqual(sent(), [
      {
        sql: `CALL ${DB}.CONSUMER.PREPARE_MULTIPROVIDER_FLOW(PARSE_JSON(?)::ARRAY, ?, PARSE_JSON(?)::OBJECT)`,
        binds: ['["R1","R2"]', 'prod_aggregate_data', JSON.stringify({ source_table: [`R1.${T}`, `R2.${T}`], my_table: ['M.P.C'] })],
      },
    ]);
    fake.reset();
    const e = await dcr(['run', '--analysis', 'multi', '--step', 'execute']);
    assert.equal(e.code, 0, e.stderr);
    assert.deepEqual(sent(), [{ sql: `CALL ${DB}.CONSUMER.EXECUTE_MULTIPROVIDER_FLOW(PARSE_JSON(?)::ARRAY)`, binds: ['["R1","R2"]'] }]);
  });

  test('templates list/show/args and multiprovider requests/process', async () => {
    fake.respond(/VIEW_TEMPLATE_DEFINITION/, { columns: [{ name: 'VIEW_TEMPLATE_DEFINITION' }], rows: [['SELECT {{ a }}']] });
    const show = await dcr(['templates', 'show', 'my_t', '--cleanroom', 'R']);
    assert.equal(show.stdout, 'SELECT {{ a }}\n');
    await dcr(['templates', 'list', '--cleanroom', 'R']);
    await dcr(['templates', 'args', 'my_t', '--cleanroom', 'R']);
    await dcr(['templates', 'offerings', '--cleanroom', 'C']);
    await dcr(['multiprovider', 'requests', '--cleanroom', 'R', '--consumer', 'ABC123']);
    await dcr(['multiprovider', 'process', '--cleanroom', 'R', '--consumer', 'ABC123']);
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.CONSUMER.VIEW_TEMPLATE_DEFINITION(?, ?)`, binds: ['R', 'my_t'] },
      { sql: `CALL ${DB}.CONSUMER.VIEW_ADDED_TEMPLATES(?)`, binds: ['R'] },
      { sql: `CALL ${DB}.CONSUMER.GET_ARGUMENTS_FROM_TEMPLATE(?, ?)`, binds: ['R', 'my_t'] },
      { sql: 'USE SECONDARY ROLES NONE', binds: [] },
      { sql: `CALL ${DB}.COLLABORATION.VIEW_DATA_OFFERINGS(?)`, binds: ['C'] },
      { sql: `CALL ${DB}.PROVIDER.VIEW_MULTIPROVIDER_REQUESTS(?, ?)`, binds: ['R', 'ABC123'] },
      { sql: `CALL ${DB}.PROVIDER.PROCESS_MULTIPROVIDER_REQUEST(?, ?, ?)`, binds: ['R', 'ABC123', '-1'] },
    ]);
  });

  test('connection list and test', async () => {
    const list = await dcr(['connection', 'list']);
    assert.equal(list.stdout, '  badpw\n* default\n');
    fake.respond(/CURRENT_ACCOUNT/, {
      columns: [{ name: 'ACCOUNT' }, { name: 'USER' }, { name: 'ROLE' }, { name: 'WAREHOUSE' }, { name: 'VERSION' }],
      rows: [['TESTACCT', 'ALICE', 'SAMOOHA_APP_ROLE', null, '9.1.0']],
    });
    const t = await dcr(['connection', 'test']);
    assert.equal(t.stdout, "connection 'default' works: account TESTACCT, user ALICE, role SAMOOHA_APP_ROLE, warehouse (none) (SNOWFLAKE)\n");
  });
});

describe('dcr: failures', () => {
  test('wrong password: exit 1, Snowflake code kept', async () => {
    const r = await dcr(['requests', 'list', '--cleanroom', 'R', '--connection', 'badpw']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Snowflake refused the login: Incorrect username or password was specified\. \(Snowflake error 390100\)/);
  });

  test('unknown connection: exit 2', async () => {
    const r = await dcr(['requests', 'list', '--cleanroom', 'R', '--connection', 'nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^dcr: no Snowflake connection named 'nope' in .*connections\.toml\n$/);
  });

  test('a hung server: the call ends at --timeout and the process exits promptly', async () => {
    fake.respond(/VIEW_ADDED_TEMPLATES/, 'hang');
    const r = await dcr(['templates', 'list', '--cleanroom', 'R', '--timeout', '0.5']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^dcr: CONSUMER\.VIEW_ADDED_TEMPLATES: no answer from Snowflake within 0\.5 s; the call was cancelled\n$/);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  });

  test('the connection password never appears in any output', () => {
    assert.ok(outputs.length > 20);
    for (const o of outputs) assert.ok(!o.includes(PASSWORD), 'password printed');
  });
});

describe('dcr: checks before sending, dry runs as JSON', () => {
  const RUN = `CALL ${DB}.COLLABORATION.RUN(?, ?)`;
  beforeEach(() => {
    mkdirSync(join(work, 'templates'), { recursive: true });
    writeFileSync(join(work, 'templates/overlap.jinjasql'), OVERLAP);
    writeFileSync(join(work, 'templates/leaky.jinjasql'), 'SELECT {{ col | sqlsafe }} FROM IDENTIFIER({{ source_table[0] }}) AS p\n');
    writeFileSync(
      join(work, 'cleanrooms.json'),
      JSON.stringify({
        api: 'collaboration',
        cleanrooms: { collab: { provider: { tables: { 'a.o.d': ['STATUS', 'EMAIL'] }, joinPolicy: [], columnPolicy: ['overlap:a.o.d:STATUS'] } } },
        analyses: {
          ok: {
            template: 'templates/overlap.jinjasql',
            templateName: 'overlap',
            cleanrooms: ['collab'],
            arguments: { source_table: ['a.o.d'], dimensions: ['p.STATUS'] },
          },
          bad: {
            template: 'templates/overlap.jinjasql',
            templateName: 'overlap',
            cleanrooms: ['collab'],
            arguments: { source_table: ['a.o.d'], dimensions: ['p.EMAIL'] },
          },
        },
      }),
    );
  });

  test('run --dry-run --format json: the session, USE SECONDARY ROLES NONE, COLLABORATION.RUN with its spec, the findings', async () => {
    const r = await dcr(['run', '--analysis', 'ok', '--dry-run', '--format', 'json', '--template-id', 'overlap_v1']);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['version', 'dryRun', 'session', 'statements', 'findings', 'kind']);
    assert.deepEqual(out.session, { connection: 'default', role: 'SAMOOHA_APP_ROLE', warehouse: null });
    assert.deepEqual(
      out.statements.map((s: { sql: string }) => s.sql),
      ['USE SECONDARY ROLES NONE', RUN],
    );
    assert.match(out.statements[1].binds[1], /^api_version: 2\.0\.0\nspec_type: analysis\ntemplate: overlap_v1\n/);
    assert.ok(
      out.findings.every((f: { severity: string }) => f.severity !== 'error'),
      JSON.stringify(out.findings),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.logins.length, 0, 'a dry run without checks to read does not connect');
  });

  test('run with an argument the policy does not allow: the DCR3xx finding stops it, the dry run exits 1, --force sends it', async () => {
    const dry = await dcr(['run', '--analysis', 'bad', '--dry-run', '--format', 'json']);
    assert.equal(dry.code, 1);
    const out = JSON.parse(dry.stdout);
    assert.ok(
      out.findings.some((f: { code: string; severity: string }) => /^DCR3\d\d$/.test(f.code) && f.severity === 'error'),
      JSON.stringify(out.findings),
    );
    const real = await dcr(['run', '--analysis', 'bad']);
    assert.equal(real.code, 1);
    assert.match(real.stderr, /error DCR3\d\d .*\ndcr: run: \d+ error finding\(s\); nothing was sent/);
    assert.equal(fake.logins.length, 0);
    const forced = await dcr(['run', '--analysis', 'bad', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(
      sent().map(s => s.sql),
      ['USE SECONDARY ROLES NONE', RUN],
    );
  });

  test('submit shows warnings too, and its dry run as JSON carries them', async () => {
    const r = await dcr(['submit', 'templates/leaky.jinjasql', '--cleanroom', 'R', '--api', 'legacy', '--dry-run', '--format', 'json']);
    const out = JSON.parse(r.stdout);
    assert.ok(out.findings.length > 0 && out.findings.every((f: { path: string }) => f.path === 'templates/leaky.jinjasql'));
    assert.ok(
      out.findings.some((f: { severity: string }) => f.severity === 'warning'),
      JSON.stringify(out.findings),
    );
    assert.deepEqual(
      out.statements.map((s: { id: string }) => s.id),
      ['consumer.create_template_request'],
    );
  });

  test('a worksheet with two templates: --name picks one; without it the command says which there are', async () => {
    const sheet = join(work, 'two.sql');
    writeFileSync(
      sheet,
      "CALL samooha_by_snowflake_local_db.consumer.create_template_request('R', 'first_t', $$SELECT 1 AS a$$);\nCALL samooha_by_snowflake_local_db.consumer.create_template_request('R', 'second_t', $$SELECT 2 AS b$$);\n",
    );
    const none = await dcr(['submit', sheet, '--cleanroom', 'R', '--dry-run']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /holds 2 templates \(first_t, second_t\); pick one with --name/);
    const second = await dcr(['submit', sheet, '--cleanroom', 'R', '--name', 'second_t', '--dry-run', '--format', 'json']);
    assert.deepEqual(JSON.parse(second.stdout).statements[0].binds, ['R', 'second_t', 'SELECT 2 AS b']);
  });

  test('multiprovider: --request -1 is accepted; revoke, suspend and setup have dry runs', async () => {
    const p = await dcr(['multiprovider', 'process', '--cleanroom', 'R', '--consumer', 'ABC', '--request', '-1', '--dry-run', '--format', 'json']);
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(JSON.parse(p.stdout).statements[0].binds, ['R', 'ABC', '-1']);
    const rv = await dcr(['multiprovider', 'revoke', '--cleanroom', 'R', '--consumer', 'ABC', '--dry-run', '--format', 'json']);
    assert.deepEqual(JSON.parse(rv.stdout).statements[0], {
      id: 'provider.revoke_multiprovider_requests',
      sql: 'UPDATE IDENTIFIER(?) SET APPROVED = FALSE WHERE PARTY_ACCOUNT = ?',
      binds: ['SAMOOHA_CLEANROOM_R.ADMIN.REQUEST_LOG_MULTIPROVIDER', 'ABC'],
    });
    const su = await dcr(['setup', 'enable-provider-run', '--cleanroom', 'R', '--template', 'overlap', '--dry-run', '--format', 'json']);
    assert.deepEqual(JSON.parse(su.stdout).statements[0].binds, ['R', '["overlap"]', false]);
    assert.equal(fake.logins.length + fake.queries.length, 0);
    const real = await dcr(['multiprovider', 'suspend', '--cleanroom', 'R', '--consumer', 'ABC']);
    assert.equal(real.code, 0, real.stderr);
    assert.deepEqual(sent(), [{ sql: `CALL ${DB}.PROVIDER.SUSPEND_MULTIPROVIDER_TASKS(?, ?)`, binds: ['R', 'ABC'] }]);
  });
});

describe('dcr run: provider-run and activation', () => {
  beforeEach(() => {
    mkdirSync(join(work, 'templates'), { recursive: true });
    writeFileSync(join(work, 'templates/overlap.jinjasql'), OVERLAP);
    writeFileSync(
      join(work, 'templates/activation_overlap.jinjasql'),
      "BEGIN\n  CREATE OR REPLACE TABLE cleanroom.activation_data_overlap AS SELECT COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p;\n  RETURN 'overlap';\nEND;\n",
    );
    writeFileSync(
      join(work, 'cleanrooms.json'),
      JSON.stringify({
        analyses: {
          theirs: {
            template: 'templates/overlap.jinjasql',
            runAs: 'provider',
            cleanrooms: ['R'],
            arguments: { source_table: [T], my_table: ['M.P.C'], dimensions: ['p.STATUS'] },
          },
          act: { template: 'templates/activation_overlap.jinjasql', cleanrooms: ['R'], arguments: { source_table: [T], my_table: ['M.P.C'] } },
        },
      }),
    );
  });

  test('"runAs": "provider": submit, status until COMPLETED, result; without --consumer it is a usage error', async () => {
    assert.equal((await dcr(['run', '--analysis', 'theirs'])).code, 2);
    const statuses = ['PENDING', 'COMPLETED'];
    fake.respond(/SUBMIT_ANALYSIS_REQUEST/, { columns: [{ name: 'X' }], rows: [['req-7']] });
    fake.respond(/CHECK_ANALYSIS_STATUS/, () => ({ columns: [{ name: 'STATUS' }], rows: [[statuses.shift() ?? 'COMPLETED']] }));
    fake.respond(/GET_ANALYSIS_RESULT/, { columns: [{ name: 'N' }], rows: [['3']] });
    const r = await dcr(['run', '--analysis', 'theirs', '--consumer', 'ABC12345', '--poll', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      sent().map(s => s.sql.replace(`CALL ${DB}.`, '').replace(/\(.*$/, '')),
      ['PROVIDER.SUBMIT_ANALYSIS_REQUEST', 'PROVIDER.CHECK_ANALYSIS_STATUS', 'PROVIDER.CHECK_ANALYSIS_STATUS', 'PROVIDER.GET_ANALYSIS_RESULT'],
    );
    assert.deepEqual(sent()[0]!.binds, ['R', 'ABC12345', 'overlap', `["${T}"]`, '["M.P.C"]', '{"dimensions":["p.STATUS"]}']);
    assert.match(r.stderr, /request status PENDING \(check 1\)\n.*request status COMPLETED \(check 2\)/s);
    assert.match(r.stdout, /N\n-\n3\n$/);
  });

  test('an activation template: a segment is required; without a provider activation policy nothing is run', async () => {
    const noSegment = await dcr(['run', '--analysis', 'act']);
    assert.equal(noSegment.code, 2);
    assert.match(noSegment.stderr, /--segment NAME/);
    fake.respond(/VIEW_PROVIDER_ACTIVATION_POLICY/, { columns: [{ name: 'TEMPLATE_NAME' }, { name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }], rows: [] });
    const r = await dcr(['run', '--analysis', 'act', '--segment', 'gold']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /activation of 'activation_overlap' in 'R' is not set up: the provider's activation policy allows no column for this template/);
    assert.deepEqual(
      sent().map(s => s.sql),
      [`CALL ${DB}.CONSUMER.VIEW_PROVIDER_ACTIVATION_POLICY(?)`],
    );
  });
});
