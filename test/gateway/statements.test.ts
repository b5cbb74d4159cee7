/**
 * Every operation through the real snowflake-sdk against the fake endpoint: the exact SQL
 * text and binds Snowflake receives, the seed template byte for byte, logins with each
 * authenticator, error mapping, and no secret in anything logged.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACCOUNT, cleanupHome, home, keyPair, PASSPHRASE, PASSWORD, settings, startFake, TOKEN } from './helpers.js';
import type { FakeSnowflake, RecordedLogin } from './fake/server.js';
import { parseDocument } from '../../core/src/index.js';
import * as g from '../../gateway/src/index.js';

const DB = 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB';
const FIXTURE = resolve(__dirname, 'fixtures/multiprovider_overlap_analysis.jinjasql');
// The seed worksheet's two create_template_request calls, verbatim (committed, so the test never skips).
const SEED = resolve(__dirname, '../fixtures/seed-workspace/multiprovider_overlap_analysis.sql');
const ROOM = 'Samooha Cleanroom Multiprovider Clean Room 1';

let fake: FakeSnowflake;
let session: g.Session;
let firstLogin: RecordedLogin;
const logLines: string[] = [];

before(async () => {
  fake = await startFake();
  session = await g.openSession(settings(fake), { deadlineMs: 10_000, log: l => logLines.push(l) });
  firstLogin = fake.logins[0]!;
});
after(async () => {
  await session?.close();
  await fake?.stop();
  cleanupHome();
});
beforeEach(() => {
  fake.reset();
  fake.clearResponses();
});

const sent = () => fake.queries.map(q => ({ sql: q.sqlText, binds: q.binds }));

describe('submit: legacy consumer and provider', () => {
  test("the seed's template arrives byte for byte (fixture file)", async () => {
    const template = readFileSync(FIXTURE, 'utf8');
    const steps = await g.submit(session, { api: 'legacy', role: 'consumer', cleanroom: ROOM, templateName: 'multiprovider_overlap_analysis', template });
    assert.deepEqual(sent(), [{ sql: `CALL ${DB}.CONSUMER.CREATE_TEMPLATE_REQUEST(?, ?, ?)`, binds: [ROOM, 'multiprovider_overlap_analysis', template] }]);
    assert.deepEqual(fake.queries[0]!.bindTypes, ['TEXT', 'TEXT', 'TEXT']);
    assert.equal(Buffer.compare(Buffer.from(fake.queries[0]!.binds[2]!, 'utf8'), readFileSync(FIXTURE)), 0);
    assert.equal(g.firstCell(steps[0]!.result), 'success');
  });

  test("the seed worksheet's own create_template_request call: the $$ body arrives exactly", async () => {
    const seed = readFileSync(SEED, 'utf8');
    const start = seed.indexOf('CALL samooha_by_snowflake_local_db.consumer.create_template_request($cleanroom_name_1');
    const call = seed.slice(start, seed.indexOf('$$);', start) + 4);
    const body = call.slice(call.indexOf('$$') + 2, call.lastIndexOf('$$'));
    const region = parseDocument({ text: call, path: 'seed.sql' }).templates[0]!.region;
    assert.equal(region.text, body);
    assert.equal(region.meta.templateName, 'multiprovider_overlap_analysis');
    assert.equal(body, readFileSync(FIXTURE, 'utf8'), 'the fixture is the seed body');
    await g.submit(session, { api: 'legacy', role: 'consumer', cleanroom: ROOM, templateName: region.meta.templateName!, template: region.text });
    assert.equal(fake.queries[0]!.binds[2], body);
  });

  test('$$, quotes, backslashes, tabs, CRLF, ?, :1 and non-ASCII travel only as binds', async () => {
    const nasty = "SELECT '$$' AS a, \"q\"\"x\" , 'it''s' ,\\n \\\\ \t{{ x | sqlsafe }} ?\r\n:1 $$); DROP TABLE t; -- ünïcödé 😀\n";
    await g.submit(session, { api: 'legacy', role: 'consumer', cleanroom: "room'); --", templateName: 'n$$', template: nasty });
    assert.deepEqual(sent(), [{ sql: `CALL ${DB}.CONSUMER.CREATE_TEMPLATE_REQUEST(?, ?, ?)`, binds: ["room'); --", 'n$$', nasty] }]);
  });

  test('provider: add_custom_sql_template', async () => {
    await g.submit(session, { api: 'legacy', role: 'provider', cleanroom: ROOM, templateName: 'overlap', template: 'SELECT 1' });
    assert.deepEqual(sent(), [{ sql: `CALL ${DB}.PROVIDER.ADD_CUSTOM_SQL_TEMPLATE(?, ?, ?)`, binds: [ROOM, 'overlap', 'SELECT 1'] }]);
  });
});

describe('submit: Collaboration API', () => {
  const spec = "api_version: 2.0.0\nspec_type: template\nname: my_template\nversion: v1\ntype: sql_analysis\ntemplate: |\n  SELECT {{ x }} FROM t -- it's $$\n";

  test('registers the spec, then proposes the returned template ID', async () => {
    fake.respond(/REGISTER_TEMPLATE/, { columns: [{ name: 'REGISTER_TEMPLATE' }], rows: [['my_template_v1_abc']] });
    await g.submit(session, {
      api: 'collaboration',
      role: 'consumer',
      cleanroom: 'collab one',
      templateName: 'my_template',
      template: '',
      spec,
      shareWith: ['partner', 'me'],
    });
    assert.deepEqual(sent(), [
      { sql: 'USE SECONDARY ROLES NONE', binds: [] },
      { sql: `CALL ${DB}.REGISTRY.REGISTER_TEMPLATE(?)`, binds: [spec] },
      { sql: `CALL ${DB}.COLLABORATION.ADD_TEMPLATE_REQUEST(?, ?, PARSE_JSON(?)::ARRAY)`, binds: ['collab one', 'my_template_v1_abc', '["partner","me"]'] },
    ]);
  });

  test('with a registry; the dry-run plan predicts {name}_{version}', async () => {
    const plan = g.submitPlan({ api: 'collaboration', role: 'consumer', cleanroom: 'c', templateName: 'x', template: '', spec, registry: 'REG' });
    assert.deepEqual(
      plan.map(s => [s.sql, s.binds]),
      [
        ['USE SECONDARY ROLES NONE', []],
        [`CALL ${DB}.REGISTRY.REGISTER_TEMPLATE(?, ?)`, ['REG', spec]],
        [`CALL ${DB}.COLLABORATION.ADD_TEMPLATE_REQUEST(?, ?, PARSE_JSON(?)::ARRAY)`, ['c', 'my_template_v1', '[]']],
      ],
    );
  });
});

describe('template requests', () => {
  const providerRows = {
    columns: [{ name: 'REQUEST_ID' }, { name: 'CONSUMER_IDENTIFIER' }, { name: 'TEMPLATE_NAME' }, { name: 'TEMPLATE_DEFINITION' }, { name: 'STATUS' }],
    rows: [
      ['01b2-aaa', 'ORG.CONSUMER', 'multiprovider_overlap_analysis', 'SELECT {{ x }}', 'PENDING'],
      ['01b2-bbb', 'ORG.CONSUMER', 'old', 'SELECT 1', 'APPROVED'],
    ],
  };

  test('provider lists requests (all, or pending only)', async () => {
    fake.respond(/LIST_TEMPLATE_REQUESTS|LIST_PENDING/, providerRows);
    const list = await g.listRequests(session, { api: 'legacy', role: 'provider', cleanroom: ROOM });
    await g.listRequests(session, { api: 'legacy', role: 'provider', cleanroom: ROOM, pendingOnly: true });
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.PROVIDER.LIST_TEMPLATE_REQUESTS(?)`, binds: [ROOM] },
      { sql: `CALL ${DB}.PROVIDER.LIST_PENDING_TEMPLATE_REQUESTS(?)`, binds: [ROOM] },
    ]);
    assert.deepEqual(
      list.map(({ raw: _r, ...r }) => r),
      [
        {
          id: '01b2-aaa',
          templateName: 'multiprovider_overlap_analysis',
          status: 'PENDING',
          reason: undefined,
          party: 'ORG.CONSUMER',
          definition: 'SELECT {{ x }}',
        },
        { id: '01b2-bbb', templateName: 'old', status: 'APPROVED', reason: undefined, party: 'ORG.CONSUMER', definition: 'SELECT 1' },
      ],
    );
  });

  test('consumer lists its requests with status and rejection reason', async () => {
    fake.respond(/CONSUMER.LIST_TEMPLATE_REQUESTS/, {
      columns: [
        { name: 'REQUEST_ID' },
        { name: 'PROVIDER_IDENTIFIER' },
        { name: 'TEMPLATE_NAME' },
        { name: 'TEMPLATE_DEFINITION' },
        { name: 'REQUEST_STATUS' },
        { name: 'REASON' },
      ],
      rows: [['r1', 'PROV', 't1', 'SELECT 1', 'REJECTED', 'uses HASHED_EMAIL in SELECT']],
    });
    const [r] = await g.listRequests(session, { api: 'legacy', role: 'consumer', cleanroom: ROOM });
    assert.deepEqual(sent(), [{ sql: `CALL ${DB}.CONSUMER.LIST_TEMPLATE_REQUESTS(?)`, binds: [ROOM] }]);
    assert.equal(r!.status, 'REJECTED');
    assert.equal(r!.reason, 'uses HASHED_EMAIL in SELECT');
  });

  test('approve and reject (legacy)', async () => {
    await g.decide(session, { api: 'legacy', cleanroom: ROOM, id: '01b2-aaa' }, true);
    await g.decide(session, { api: 'legacy', cleanroom: ROOM, id: '01b2-bbb', reason: 'don\'t project "HASHED_EMAIL"' }, false);
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.PROVIDER.APPROVE_TEMPLATE_REQUEST(?, ?)`, binds: [ROOM, '01b2-aaa'] },
      { sql: `CALL ${DB}.PROVIDER.REJECT_TEMPLATE_REQUEST(?, ?, ?)`, binds: [ROOM, '01b2-bbb', 'don\'t project "HASHED_EMAIL"'] },
    ]);
  });

  test('Collaboration: view, approve and reject update requests; the spec gives the definition', async () => {
    fake.respond(/VIEW_UPDATE_REQUESTS/, {
      columns: [{ name: 'ID' }, { name: 'TYPE' }, { name: 'STATUS' }, { name: 'APPROVAL_LOG' }, { name: 'DETAILS' }, { name: 'SPEC' }],
      rows: [['u-1', 'Add Template', 'PENDING_MY_APPROVAL', null, 'from bob', 'name: t\nversion: v2\ntemplate: |\n  SELECT {{ a }}\n']],
    });
    const [r] = await g.listRequests(session, { api: 'collaboration', role: 'provider', cleanroom: 'collab' });
    await g.decide(session, { api: 'collaboration', cleanroom: 'collab', id: 'u-1' }, true);
    await g.decide(session, { api: 'collaboration', cleanroom: 'collab', id: 'u-1', reason: '' }, false);
    const use = { sql: 'USE SECONDARY ROLES NONE', binds: [] };
    assert.deepEqual(sent(), [
      use,
      { sql: `CALL ${DB}.COLLABORATION.VIEW_UPDATE_REQUESTS(?)`, binds: ['collab'] },
      use,
      { sql: `CALL ${DB}.COLLABORATION.APPROVE_UPDATE_REQUEST(?, ?)`, binds: ['collab', 'u-1'] },
      use,
      { sql: `CALL ${DB}.COLLABORATION.REJECT_UPDATE_REQUEST(?, ?, ?)`, binds: ['collab', 'u-1', ''] },
    ]);
    assert.deepEqual([r!.id, r!.templateName, r!.status, r!.definition], ['u-1', 't', 'PENDING_MY_APPROVAL', 'SELECT {{ a }}\n']);
  });

  test('findRequest names a missing ID', async () => {
    fake.respond(/LIST_TEMPLATE_REQUESTS/, providerRows);
    await assert.rejects(
      g.findRequest(session, { api: 'legacy', role: 'provider', cleanroom: ROOM, id: 'zzz' }),
      (e: g.GatewayError) => e.kind === 'not-found' && /no template request 'zzz'/.test(e.message),
    );
  });
});

describe('policies', () => {
  const T = 'SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS';
  test('set: the live list is read, the diff computed, and only changed kinds replaced', async () => {
    fake.respond(/PROVIDER.VIEW_JOIN_POLICY/, {
      columns: [{ name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }],
      rows: [
        [T, 'HASHED_EMAIL'],
        [T, 'OLD_ID'],
      ],
    });
    fake.respond(/PROVIDER.VIEW_COLUMN_POLICY/, {
      columns: [{ name: 'TEMPLATE_NAME' }, { name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }],
      rows: [['overlap', T, 'STATUS']],
    });
    const input = {
      role: 'provider' as const,
      cleanroom: ROOM,
      desired: { joinPolicy: [`${T}:HASHED_EMAIL`, `${T}:PHONE`], columnPolicy: [`overlap:${T}:STATUS`] },
    };
    const diffs = await g.policyDiffs(session, input);
    assert.deepEqual(diffs, [
      { kind: 'join', added: [`${T}:PHONE`], removed: [`${T}:OLD_ID`], unchanged: [`${T}:HASHED_EMAIL`] },
      { kind: 'column', added: [], removed: [], unchanged: [`overlap:${T}:STATUS`] },
    ]);
    await g.applyPolicies(session, input, diffs);
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.PROVIDER.VIEW_JOIN_POLICY(?)`, binds: [ROOM] },
      { sql: `CALL ${DB}.PROVIDER.VIEW_COLUMN_POLICY(?)`, binds: [ROOM] },
      { sql: `CALL ${DB}.PROVIDER.SET_JOIN_POLICY(?, PARSE_JSON(?)::ARRAY)`, binds: [ROOM, JSON.stringify([`${T}:HASHED_EMAIL`, `${T}:PHONE`])] },
    ]);
  });

  test('consumer sets its own policies with consumer.set_*', async () => {
    fake.respond(/VIEW_ACTIVATION_POLICY/, { columns: [{ name: 'TEMPLATE_NAME' }, { name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }], rows: [] });
    const input = { role: 'consumer' as const, cleanroom: ROOM, desired: { activationPolicy: ['activation_x:MY.DB.T:EMAIL'] } };
    const diffs = await g.policyDiffs(session, input);
    await g.applyPolicies(session, input, diffs);
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.CONSUMER.VIEW_ACTIVATION_POLICY(?)`, binds: [ROOM] },
      { sql: `CALL ${DB}.CONSUMER.SET_ACTIVATION_POLICY(?, PARSE_JSON(?)::ARRAY)`, binds: [ROOM, '["activation_x:MY.DB.T:EMAIL"]'] },
    ]);
  });

  test('pull (consumer): provider policies as the room shows them, its own, and the tables', async () => {
    fake.respond(/VIEW_PROVIDER_JOIN_POLICY/, { columns: [{ name: 'POLICY' }], rows: [[`${T}:HASHED_EMAIL`]] });
    fake.respond(/VIEW_PROVIDER_COLUMN_POLICY/, {
      columns: [{ name: 'TEMPLATE_NAME' }, { name: 'TABLE_NAME' }, { name: 'COLUMN_NAMES' }],
      rows: [['overlap', T, ['STATUS', 'REGION_CODE']]],
    });
    fake.respond(/VIEW_PROVIDER_ACTIVATION_POLICY|CONSUMER.VIEW_JOIN_POLICY|CONSUMER.VIEW_COLUMN_POLICY|CONSUMER.VIEW_ACTIVATION_POLICY/, {
      columns: [{ name: 'X' }],
      rows: [],
    });
    fake.respond(/VIEW_PROVIDER_DATASETS/, { columns: [{ name: 'LINKED_TABLE' }], rows: [[T]] });
    fake.respond(/VIEW_CONSUMER_DATASETS/, { columns: [{ name: 'LINKED_TABLE' }], rows: [['MYDB.PUBLIC.CUSTOMERS']] });
    const pulled = await g.pullPolicies(session, { role: 'consumer', cleanroom: ROOM });
    assert.deepEqual(
      sent().map(s => s.sql),
      [
        'CONSUMER.VIEW_PROVIDER_JOIN_POLICY',
        'CONSUMER.VIEW_PROVIDER_COLUMN_POLICY',
        'CONSUMER.VIEW_PROVIDER_ACTIVATION_POLICY',
        'CONSUMER.VIEW_PROVIDER_DATASETS',
        'CONSUMER.VIEW_JOIN_POLICY',
        'CONSUMER.VIEW_COLUMN_POLICY',
        'CONSUMER.VIEW_ACTIVATION_POLICY',
        'CONSUMER.VIEW_CONSUMER_DATASETS',
      ].map(p => `CALL ${DB}.${p}(?)`),
    );
    assert.ok(sent().every(s => s.binds.length === 1 && s.binds[0] === ROOM));
    assert.deepEqual(pulled, {
      provider: {
        joinPolicy: [`${T}:HASHED_EMAIL`],
        columnPolicy: [`overlap:${T}:STATUS`, `overlap:${T}:REGION_CODE`],
        activationPolicy: [],
        tables: { [T]: ['HASHED_EMAIL', 'STATUS', 'REGION_CODE'] },
      },
      consumer: { joinPolicy: [], columnPolicy: [], activationPolicy: [], tables: { 'MYDB.PUBLIC.CUSTOMERS': [] } },
    });
  });

  test('pull (provider) reads the provider procedures', async () => {
    fake.respond(/VIEW_/, { columns: [{ name: 'TABLE_NAME' }], rows: [] });
    await g.pullPolicies(session, { role: 'provider', cleanroom: ROOM });
    assert.deepEqual(
      sent().map(s => s.sql),
      ['VIEW_JOIN_POLICY', 'VIEW_COLUMN_POLICY', 'VIEW_ACTIVATION_POLICY', 'VIEW_PROVIDER_DATASETS'].map(p => `CALL ${DB}.PROVIDER.${p}(?)`),
    );
  });
});

describe('policies: Collaboration API (data offerings)', () => {
  const VIEW = 'partner_a.customers_v1.customers';
  const OFFERING_SPEC = [
    'api_version: 2.0.0',
    'spec_type: data_offering',
    'name: orders',
    'version: v1',
    'datasets:',
    '  - alias: orders',
    '    data_object_fqn: PARTNER_DB.SALES.ORDERS',
    '    allowed_analyses: template_only',
    '    schema_and_template_policies:',
    '      HASHED_EMAIL: { category: join_standard, column_type: hashed_email_sha256 }',
    '      AMOUNT: { category: passthrough }',
    '      REGION: { category: passthrough, activation_allowed: true }',
    '',
  ].join('\n');

  test('pull: join → joinPolicy, analysis and activation columns → per-template lists, keyed by the template view name', async () => {
    fake.respond(/VIEW_DATA_OFFERINGS/, {
      columns: ['TEMPLATE_VIEW_NAME', 'FREEFORM_SQL_VIEW_NAME', 'SHARE_WITH', 'JOIN_COLUMNS', 'ANALYSIS_COLUMNS', 'ACTIVATION_COLUMNS'].map(name => ({ name })),
      rows: [[VIEW, `${VIEW}_ff`, ['runner'], ['HASHED_EMAIL'], ['STATUS', 'REGION_CODE'], 'STATUS']],
    });
    fake.respond(/VIEW_TEMPLATES/, {
      columns: [{ name: 'TEMPLATE_ID' }, { name: 'TEMPLATE_SPEC' }],
      rows: [
        ['overlap_v1', 'api_version: 2.0.0\nspec_type: template\nname: overlap\nversion: v1\ntype: sql_analysis\ntemplate: SELECT 1\n'],
        ['bare_v2', null],
      ],
    });
    const pulled = await g.pullCollaborationPolicies(session, {
      collaboration: 'collab',
      templates: ['OVERLAP', 'reach'],
      existing: { provider: { tables: { [VIEW]: ['AGE_BAND'] } } },
    });
    assert.deepEqual(sent(), [
      { sql: 'USE SECONDARY ROLES NONE', binds: [] },
      { sql: `CALL ${DB}.COLLABORATION.VIEW_DATA_OFFERINGS(?)`, binds: ['collab'] },
      { sql: `CALL ${DB}.COLLABORATION.VIEW_TEMPLATES(?)`, binds: ['collab'] },
    ]);
    assert.deepEqual(pulled.templates, ['overlap', 'bare_v2', 'reach']);
    assert.deepEqual(pulled.provider, {
      tables: { [VIEW]: ['AGE_BAND', 'HASHED_EMAIL', 'STATUS', 'REGION_CODE'] },
      joinPolicy: [`${VIEW}:HASHED_EMAIL`],
      columnPolicy: ['overlap', 'bare_v2', 'reach'].flatMap(t => [`${t}:${VIEW}:STATUS`, `${t}:${VIEW}:REGION_CODE`]),
      activationPolicy: ['overlap', 'bare_v2', 'reach'].map(t => `${t}:${VIEW}:STATUS`),
    });
  });

  test('pull: rows that carry the offering spec are read from its categories; data_object_fqn only without a view name', async () => {
    fake.respond(/VIEW_DATA_OFFERINGS/, {
      columns: [{ name: 'TEMPLATE_VIEW_NAME' }, { name: 'SPEC' }],
      rows: [
        ['partner_b.orders_v1.orders', OFFERING_SPEC],
        [null, OFFERING_SPEC],
      ],
    });
    fake.respond(/VIEW_TEMPLATES/, { columns: [{ name: 'TEMPLATE_ID' }], rows: [['t_v1']] });
    const { provider } = await g.pullCollaborationPolicies(session, { collaboration: 'collab' });
    assert.deepEqual(provider.joinPolicy, ['partner_b.orders_v1.orders:HASHED_EMAIL', 'PARTNER_DB.SALES.ORDERS:HASHED_EMAIL']);
    assert.deepEqual(provider.columnPolicy, [
      't_v1:partner_b.orders_v1.orders:AMOUNT',
      't_v1:partner_b.orders_v1.orders:REGION',
      't_v1:PARTNER_DB.SALES.ORDERS:AMOUNT',
      't_v1:PARTNER_DB.SALES.ORDERS:REGION',
    ]);
    assert.deepEqual(provider.activationPolicy, ['t_v1:partner_b.orders_v1.orders:REGION', 't_v1:PARTNER_DB.SALES.ORDERS:REGION']);
    assert.deepEqual(Object.keys(provider.tables!), ['partner_b.orders_v1.orders', 'PARTNER_DB.SALES.ORDERS']);
  });
});

describe('analyses and viewing', () => {
  const args = {
    source_table: ['SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS'],
    my_table: ['MYDB.PUBLIC.CUSTOMERS'],
    dimensions: ['p.STATUS'],
    p_join_col: 'p.HASHED_EMAIL',
    c_join_col: 'c.HASHED_EMAIL',
  };

  test('run_analysis: my_table → consumer tables, source_table → provider tables; numbers stay exact', async () => {
    fake.respond(/RUN_ANALYSIS/, { columns: [{ name: 'STATUS' }, { name: 'OVERLAP', type: 'fixed' }], rows: [['GOLD', '12345678901234567890']] });
    const r = await session.run(
      g.analysisPlan({ api: 'legacy', runAs: 'consumer', cleanrooms: [ROOM], templateName: 'overlap_analysis', arguments: args }).statements[0]!,
    );
    assert.deepEqual(sent(), [
      {
        sql: `CALL ${DB}.CONSUMER.RUN_ANALYSIS(?, ?, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::OBJECT)`,
        binds: [
          ROOM,
          'overlap_analysis',
          '["MYDB.PUBLIC.CUSTOMERS"]',
          '["SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS"]',
          '{"dimensions":["p.STATUS"],"p_join_col":"p.HASHED_EMAIL","c_join_col":"c.HASHED_EMAIL"}',
        ],
      },
    ]);
    assert.deepEqual(r.rows, [{ STATUS: 'GOLD', OVERLAP: '12345678901234567890' }]);
  });

  test('multi-provider: prepare_multiprovider_flow then execute_multiprovider_flow', async () => {
    const rooms = [ROOM, 'Samooha Cleanroom Multiprovider Clean Room 2'];
    const mp = {
      source_table: rooms.map(r => `${r}.SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS`),
      my_table: ['SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS'],
      hem_col: ['p1.HASHED_EMAIL', 'p2.HASHED_EMAIL'],
      dimensions: ['p1.STATUS', 'p2.STATUS'],
      consumer_join_col: 'HASHED_EMAIL',
    };
    const a = { api: 'legacy' as const, runAs: 'consumer' as const, cleanrooms: rooms, templateName: 'prod_aggregate_data', arguments: mp };
    for (const step of ['prepare', 'execute'] as const) await g.runPlan(session, g.analysisPlan({ ...a, step }).statements);
    assert.deepEqual(sent(), [
      {
        sql: `CALL ${DB}.CONSUMER.PREPARE_MULTIPROVIDER_FLOW(PARSE_JSON(?)::ARRAY, ?, PARSE_JSON(?)::OBJECT)`,
        binds: [JSON.stringify(rooms), 'prod_aggregate_data', JSON.stringify(mp)],
      },
      { sql: `CALL ${DB}.CONSUMER.EXECUTE_MULTIPROVIDER_FLOW(PARSE_JSON(?)::ARRAY)`, binds: [JSON.stringify(rooms)] },
    ]);
  });

  test('provider: view and process multi-provider requests', async () => {
    await session.run(g.statement('provider.view_multiprovider_requests', { cleanroom: ROOM, consumer: 'ABC123' }));
    await session.run(g.statement('provider.process_multiprovider_request', { cleanroom: ROOM, consumer: 'ABC123', requestId: '-1' }));
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.PROVIDER.VIEW_MULTIPROVIDER_REQUESTS(?, ?)`, binds: [ROOM, 'ABC123'] },
      { sql: `CALL ${DB}.PROVIDER.PROCESS_MULTIPROVIDER_REQUEST(?, ?, ?)`, binds: [ROOM, 'ABC123', '-1'] },
    ]);
  });

  test('templates, definitions, arguments, Collaboration templates and data offerings', async () => {
    for (const s of [
      g.viewTemplatesStatement('legacy', 'consumer', ROOM),
      g.viewTemplatesStatement('legacy', 'provider', ROOM),
      g.templateDefinitionStatement('consumer', ROOM, 'prod_custom_template'),
      g.templateDefinitionStatement('provider', ROOM, 'prod_custom_template'),
      g.statement('consumer.get_arguments_from_template', { cleanroom: ROOM, template: 'prod_custom_template' }),
      g.viewTemplatesStatement('collaboration', 'consumer', 'collab'),
      g.statement('collaboration.view_data_offerings', { collaboration: 'collab' }),
      g.statement('session.whoami', {}),
    ])
      await session.run(s);
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.CONSUMER.VIEW_ADDED_TEMPLATES(?)`, binds: [ROOM] },
      { sql: `CALL ${DB}.PROVIDER.VIEW_ADDED_TEMPLATES(?)`, binds: [ROOM] },
      { sql: `CALL ${DB}.CONSUMER.VIEW_TEMPLATE_DEFINITION(?, ?)`, binds: [ROOM, 'prod_custom_template'] },
      { sql: `CALL ${DB}.PROVIDER.VIEW_TEMPLATE_DEFINITION(?, ?)`, binds: [ROOM, 'prod_custom_template'] },
      { sql: `CALL ${DB}.CONSUMER.GET_ARGUMENTS_FROM_TEMPLATE(?, ?)`, binds: [ROOM, 'prod_custom_template'] },
      { sql: `CALL ${DB}.COLLABORATION.VIEW_TEMPLATES(?)`, binds: ['collab'] },
      { sql: `CALL ${DB}.COLLABORATION.VIEW_DATA_OFFERINGS(?)`, binds: ['collab'] },
      {
        sql: 'SELECT CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_USER() AS "USER", CURRENT_ROLE() AS ROLE, CURRENT_WAREHOUSE() AS WAREHOUSE, CURRENT_VERSION() AS VERSION',
        binds: [],
      },
    ]);
  });

  test('every catalog statement uses only ? placeholders for its inputs', () => {
    for (const [id, e] of Object.entries(g.CATALOG)) {
      assert.doesNotMatch(e.sql, /'|\$\$|\{|\}/, `${id} has a literal in its SQL`);
    }
  });
});

describe('logins', () => {
  test('password login sends account, user, role and warehouse', () => {
    assert.deepEqual(
      [firstLogin.account, firstLogin.user, firstLogin.authenticator, firstLogin.role, firstLogin.warehouse, firstLogin.ok],
      [ACCOUNT, 'alice', 'SNOWFLAKE', 'SAMOOHA_APP_ROLE', 'APP_WH', true],
    );
  });

  test('key pair with an encrypted key and its passphrase (JWT verified by the fake)', async () => {
    const { privateKeyFile, publicKeyPem } = keyPair(home);
    fake.addUser({ account: ACCOUNT, user: 'kim', publicKeyPem });
    const s = await g.openSession(
      settings(fake, { user: 'kim', password: undefined, authenticator: 'SNOWFLAKE_JWT', privateKeyFile, privateKeyPassphrase: PASSPHRASE }),
      { deadlineMs: 10_000 },
    );
    await s.run(g.statement('session.whoami', {}));
    await s.close();
    assert.deepEqual(
      fake.logins.map(l => [l.user, l.authenticator, l.ok, l.role]),
      [['kim', 'SNOWFLAKE_JWT', true, 'SAMOOHA_APP_ROLE']],
    );
    assert.equal(fake.sessionDeletes.length, 1, 'close() deletes the session');
  });

  test('an encrypted key without a passphrase is a configuration error before any network call', () => {
    const { privateKeyFile } = keyPair(home);
    assert.throws(
      () => g.driverOptions(settings(fake, { authenticator: 'SNOWFLAKE_JWT', privateKeyFile })),
      (e: g.GatewayError) => e.kind === 'config' && /passphrase/.test(e.message),
    );
  });

  test('programmatic access token', async () => {
    const s = await g.openSession(settings(fake, { user: 'patty', password: undefined, authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: TOKEN }), {
      deadlineMs: 10_000,
    });
    await s.close();
    assert.deepEqual(
      fake.logins.map(l => [l.user, l.authenticator, l.ok]),
      [['patty', 'PROGRAMMATIC_ACCESS_TOKEN', true]],
    );
  });

  test('a password asked for separately (secret storage) is used when the file has none', async () => {
    const s = await g.openSession(settings(fake, { password: undefined }), { deadlineMs: 10_000, secrets: { password: PASSWORD } });
    await s.close();
    assert.equal(fake.logins[0]!.ok, true);
  });

  test('a wrong password is an auth error with Snowflake code 390100', async () => {
    await assert.rejects(
      g.openSession(settings(fake, { password: 'wrong-password' }), { deadlineMs: 10_000 }),
      (e: g.GatewayError) => e.kind === 'auth' && e.details.code === '390100' && /refused the login/.test(e.message),
    );
  });

  test('no password at all says where to put one', () => {
    assert.throws(
      () => g.driverOptions(settings(fake, { password: undefined })),
      /needs a password: set password in connections.toml or SNOWFLAKE_CONNECTIONS_TEST_PASSWORD/,
    );
  });

  test('network down: a clear network error, fast', async () => {
    const { createServer } = await import('node:net');
    const srv = createServer().listen(0, '127.0.0.1');
    await new Promise(r => srv.once('listening', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise(r => srv.close(r));
    await assert.rejects(
      g.openSession(settings(fake, { port }), { deadlineMs: 10_000 }),
      (e: g.GatewayError) => e.kind === 'network' && /cannot reach Snowflake/.test(e.message),
    );
  });
});

describe('error mapping keeps the Snowflake code, SQL state and query ID', () => {
  const cases: { name: string; code: string; sqlState: string; message: string; kind: g.GatewayErrorKind; words: RegExp }[] = [
    {
      name: 'unknown procedure',
      code: '002140',
      sqlState: '42601',
      message: 'SQL compilation error:\nUnknown function SAMOOHA_BY_SNOWFLAKE_LOCAL_DB.CONSUMER.CREATE_TEMPLATE_REQUEST',
      kind: 'unknown-procedure',
      words: /unknown procedure/,
    },
    {
      name: 'clean rooms not installed',
      code: '002003',
      sqlState: '02000',
      message: "SQL compilation error:\nDatabase 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB' does not exist or not authorized.",
      kind: 'not-installed',
      words: /not installed in this account/,
    },
    {
      name: 'clean room not installed',
      code: '100357',
      sqlState: 'P0000',
      message: 'Uncaught exception of type STATEMENT_ERROR: Cleanroom My Room is not installed.',
      kind: 'not-installed',
      words: /clean room is not installed/,
    },
    {
      name: 'wrong role',
      code: '003001',
      sqlState: '42501',
      message: 'SQL access control error:\nInsufficient privileges to operate on schema CONSUMER',
      kind: 'wrong-role',
      words: /role lacks the privilege/,
    },
    {
      name: 'already approved',
      code: '100357',
      sqlState: 'P0000',
      message: 'Request 01b2-aaa has already been approved.',
      kind: 'already-processed',
      words: /already approved or rejected/,
    },
    {
      name: 'anything else',
      code: '100132',
      sqlState: 'P0000',
      message: 'JavaScript execution error: boom',
      kind: 'sql',
      words: /failed: JavaScript execution error: boom/,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      fake.respond(/APPROVE_TEMPLATE_REQUEST/, { error: { code: c.code, sqlState: c.sqlState, message: c.message } });
      await assert.rejects(g.decide(session, { api: 'legacy', cleanroom: ROOM, id: '01b2-aaa' }, true), (e: g.GatewayError) => {
        assert.equal(e.kind, c.kind);
        assert.match(e.message, c.words);
        assert.match(e.message, new RegExp(`Snowflake error ${c.code}, SQL state ${c.sqlState}, query ID [0-9a-f-]{36}`));
        assert.equal(e.details.sqlState, c.sqlState);
        return true;
      });
    });
  }
});

describe('secrets', () => {
  test('no password, passphrase or token appears in the gateway log, and the driver writes no log file', () => {
    const all = logLines.join('\n');
    assert.ok(logLines.length > 5, 'the log saw the calls');
    for (const s of [PASSWORD, PASSPHRASE, TOKEN]) assert.ok(!all.includes(s), 'a secret reached the log');
    assert.ok(!existsSync(join(process.cwd(), 'snowflake.log')), 'the driver wrote ./snowflake.log');
  });

  test('redact removes every secret from printed text', () => {
    assert.equal(g.redact(`pw ${PASSWORD} and ${TOKEN}`, [PASSWORD, TOKEN]), 'pw *** and ***');
  });
});
