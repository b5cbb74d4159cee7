/**
 * Each flow, for each role and API generation, through the real driver against the fake
 * endpoint: the exact statements and binds the reference pages prescribe, in order, and the
 * failure paths (a procedure error, a missing consent or enablement, empty or unreadable
 * offerings, a request that never completes) with a clear message and nothing written.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { cleanupHome, settings, startFake } from './helpers.js';
import type { FakeSnowflake } from './fake/server.js';
import * as g from '../../gateway/src/index.js';

const DB = 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB';
const ROOM = 'Flow Room 1';
const T = 'SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS';
const USE = { sql: 'USE SECONDARY ROLES NONE', binds: [] };

let fake: FakeSnowflake;
let session: g.Session;

before(async () => {
  fake = await startFake();
  session = await g.openSession(settings(fake), { deadlineMs: 10_000 });
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
const procedures = () => fake.queries.map(q => g.procedureOf(q.sqlText));
const args = { source_table: [T], my_table: ['MYDB.PUBLIC.CUSTOMERS'], dimensions: ['p.STATUS'], c_join_col: 'c.HASHED_EMAIL' };
const base = { api: 'legacy' as const, runAs: 'consumer' as const, cleanrooms: [ROOM], templateName: 'overlap', arguments: args };

describe('analysis, legacy API', () => {
  test('consumer-run: consumer.run_analysis (consumer tables, then provider tables, then the rest)', async () => {
    fake.respond(/RUN_ANALYSIS/, { columns: [{ name: 'STATUS' }, { name: 'N' }], rows: [['GOLD', '12']] });
    const out = await g.runAnalysisFlow(session, base);
    assert.equal(out.kind, 'consumer-run');
    assert.deepEqual(sent(), [
      {
        sql: `CALL ${DB}.CONSUMER.RUN_ANALYSIS(?, ?, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::OBJECT)`,
        binds: [ROOM, 'overlap', '["MYDB.PUBLIC.CUSTOMERS"]', `["${T}"]`, '{"dimensions":["p.STATUS"],"c_join_col":"c.HASHED_EMAIL"}'],
      },
    ]);
    assert.deepEqual(out.result.rows, [{ STATUS: 'GOLD', N: '12' }]);
  });

  test('a procedure error is reported with its code, and nothing follows it', async () => {
    fake.respond(/RUN_ANALYSIS/, { error: { code: '100357', sqlState: 'P0000', message: 'Not approved: unauthorized columns used' } });
    await assert.rejects(
      g.runAnalysisFlow(session, base),
      (e: g.GatewayError) => e.kind === 'sql' && /Not approved: unauthorized columns used/.test(e.message) && /Snowflake error 100357/.test(e.message),
    );
    assert.equal(fake.queries.length, 1);
  });

  test('provider-run: submit_analysis_request (provider tables first), status until COMPLETED, then the result', async () => {
    const statuses = ['IN-PROGRESS', 'PENDING', 'COMPLETED'];
    fake.respond(/SUBMIT_ANALYSIS_REQUEST/, { columns: [{ name: 'SUBMIT_ANALYSIS_REQUEST' }], rows: [['req-42']] });
    fake.respond(/CHECK_ANALYSIS_STATUS/, () => ({ columns: [{ name: 'STATUS' }], rows: [[statuses.shift()!]] }));
    fake.respond(/GET_ANALYSIS_RESULT/, { columns: [{ name: 'OVERLAP' }], rows: [['7']] });
    const seen: string[] = [];
    const out = await g.runAnalysisFlow(session, { ...base, runAs: 'provider', consumer: 'ABC12345' }, { intervalMs: 0, onStatus: s => seen.push(s) });
    const check = { sql: `CALL ${DB}.PROVIDER.CHECK_ANALYSIS_STATUS(?, ?, ?)`, binds: [ROOM, 'req-42', 'ABC12345'] };
    assert.deepEqual(sent(), [
      {
        sql: `CALL ${DB}.PROVIDER.SUBMIT_ANALYSIS_REQUEST(?, ?, ?, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::OBJECT)`,
        binds: [ROOM, 'ABC12345', 'overlap', `["${T}"]`, '["MYDB.PUBLIC.CUSTOMERS"]', '{"dimensions":["p.STATUS"],"c_join_col":"c.HASHED_EMAIL"}'],
      },
      check,
      check,
      check,
      { sql: `CALL ${DB}.PROVIDER.GET_ANALYSIS_RESULT(?, ?, ?)`, binds: [ROOM, 'req-42', 'ABC12345'] },
    ]);
    assert.deepEqual(seen, ['IN-PROGRESS', 'PENDING', 'COMPLETED']);
    assert.equal(out.requestId, 'req-42');
    assert.deepEqual(out.result.rows, [{ OVERLAP: '7' }]);
  });

  test('provider-run that never completes: a timeout naming the request, and no result call', async () => {
    fake.respond(/SUBMIT_ANALYSIS_REQUEST/, { columns: [{ name: 'X' }], rows: [['req-9']] });
    fake.respond(/CHECK_ANALYSIS_STATUS/, { columns: [{ name: 'STATUS' }], rows: [['PENDING']] });
    await assert.rejects(
      g.runAnalysisFlow(session, { ...base, runAs: 'provider', consumer: 'ABC12345' }, { intervalMs: 0, maxChecks: 2 }),
      (e: g.GatewayError) => e.kind === 'timeout' && /req-9/.test(e.message) && /--request req-9/.test(e.message),
    );
    assert.deepEqual(procedures(), ['PROVIDER.SUBMIT_ANALYSIS_REQUEST', 'PROVIDER.CHECK_ANALYSIS_STATUS', 'PROVIDER.CHECK_ANALYSIS_STATUS']);
  });

  test('provider-run the consumer never enabled: a missing set-up, naming the consumer procedure', async () => {
    fake.respond(/SUBMIT_ANALYSIS_REQUEST/, {
      error: { code: '100357', sqlState: 'P0000', message: 'Template overlap is not enabled for provider run analysis' },
    });
    await assert.rejects(
      g.runAnalysisFlow(session, { ...base, runAs: 'provider', consumer: 'ABC12345' }, { intervalMs: 0 }),
      (e: g.GatewayError) => e.kind === 'missing-setup' && /enable_templates_for_provider_run/.test(e.message),
    );
    assert.equal(fake.queries.length, 1);
  });

  test('provider-run without the consumer locator is refused before anything is sent', () => {
    assert.throws(() => g.analysisPlan({ ...base, runAs: 'provider' }), /--consumer ACCOUNT_LOCATOR/);
  });

  test('following a submitted request skips the submission', async () => {
    fake.respond(/CHECK_ANALYSIS_STATUS/, { columns: [{ name: 'STATUS' }], rows: [['COMPLETED']] });
    await g.runAnalysisFlow(session, { ...base, runAs: 'provider', consumer: 'ABC12345' }, { intervalMs: 0, requestId: 'req-1' });
    assert.deepEqual(procedures(), ['PROVIDER.CHECK_ANALYSIS_STATUS', 'PROVIDER.GET_ANALYSIS_RESULT']);
  });
});

describe('activation, legacy API', () => {
  const activation = { ...base, templateName: 'activation_overlap', activation: { segment: 'gold_members' } };

  test('the provider allows activation for the template: run_activation to the consumer', async () => {
    fake.respond(/VIEW_PROVIDER_ACTIVATION_POLICY/, {
      columns: [{ name: 'TEMPLATE_NAME' }, { name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }],
      rows: [['activation_overlap', T, 'HASHED_EMAIL']],
    });
    const out = await g.runAnalysisFlow(session, activation);
    assert.equal(out.kind, 'activation');
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.CONSUMER.VIEW_PROVIDER_ACTIVATION_POLICY(?)`, binds: [ROOM] },
      {
        sql: `CALL ${DB}.CONSUMER.RUN_ACTIVATION(?, ?, ?, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::OBJECT, ?)`,
        binds: [
          ROOM,
          'gold_members',
          'activation_overlap',
          '["MYDB.PUBLIC.CUSTOMERS"]',
          `["${T}"]`,
          '{"dimensions":["p.STATUS"],"c_join_col":"c.HASHED_EMAIL"}',
          'true',
        ],
      },
    ]);
    assert.deepEqual(fake.queries[1]!.bindTypes.at(-1), 'BOOLEAN');
  });

  test('activation to the provider sends consumer_direct_activation FALSE', async () => {
    fake.respond(/VIEW_PROVIDER_ACTIVATION_POLICY/, { columns: [{ name: 'POLICY' }], rows: [[`activation_overlap:${T}:HASHED_EMAIL`]] });
    await g.runAnalysisFlow(session, { ...activation, activation: { segment: 's', to: 'provider' } });
    assert.equal(fake.queries[1]!.binds.at(-1), 'false');
  });

  test('no provider activation policy for the template: a clear message, and run_activation is not sent', async () => {
    fake.respond(/VIEW_PROVIDER_ACTIVATION_POLICY/, { columns: [{ name: 'POLICY' }], rows: [[`other_template:${T}:HASHED_EMAIL`]] });
    await assert.rejects(
      g.runAnalysisFlow(session, activation),
      (e: g.GatewayError) => e.kind === 'missing-setup' && /allows no column for this template/.test(e.message) && /nothing was run/.test(e.message),
    );
    assert.deepEqual(procedures(), ['CONSUMER.VIEW_PROVIDER_ACTIVATION_POLICY']);
  });

  test('a missing consent reported by Snowflake names both consent procedures', async () => {
    fake.respond(/VIEW_PROVIDER_ACTIVATION_POLICY/, { columns: [{ name: 'POLICY' }], rows: [[`activation_overlap:${T}:HASHED_EMAIL`]] });
    fake.respond(/RUN_ACTIVATION/, {
      error: { code: '100357', sqlState: 'P0000', message: 'Provider activation consent has not been granted for template activation_overlap' },
    });
    await assert.rejects(
      g.runAnalysisFlow(session, { ...activation, activation: { segment: 's', to: 'provider' } }),
      (e: g.GatewayError) =>
        e.kind === 'missing-setup' && /request_provider_activation_consent/.test(e.message) && /approve_provider_activation_consent/.test(e.message),
    );
  });

  test('an activation template without a segment name is refused before anything is sent', () => {
    assert.throws(() => g.analysisPlan({ ...activation, activation: {} }), /--segment NAME/);
    assert.equal(
      g.analysisKind({ ...base, templateName: 'x', templateText: 'BEGIN CREATE TABLE cleanroom.activation_data_x AS SELECT 1; END;' }),
      'activation',
    );
  });

  test('set-up statements: enable provider-run, request and approve the activation consent', async () => {
    for (const s of [
      g.statement('consumer.enable_templates_for_provider_run', { cleanroom: ROOM, templates: ['overlap'], differentialPrivacy: false }),
      g.statement('provider.request_provider_activation_consent', { cleanroom: ROOM, template: 'activation_overlap' }),
      g.statement('consumer.approve_provider_activation_consent', { cleanroom: ROOM, template: 'activation_overlap' }),
    ])
      await session.run(s);
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.CONSUMER.ENABLE_TEMPLATES_FOR_PROVIDER_RUN(?, PARSE_JSON(?)::ARRAY, ?)`, binds: [ROOM, '["overlap"]', 'false'] },
      { sql: `CALL ${DB}.PROVIDER.REQUEST_PROVIDER_ACTIVATION_CONSENT(?, ?)`, binds: [ROOM, 'activation_overlap'] },
      { sql: `CALL ${DB}.CONSUMER.APPROVE_PROVIDER_ACTIVATION_CONSENT(?, ?)`, binds: [ROOM, 'activation_overlap'] },
    ]);
  });
});

describe('analysis and activation, Collaboration API', () => {
  const VIEW = 'partner.orders_v1.orders';
  const collab = {
    api: 'collaboration' as const,
    runAs: 'consumer' as const,
    cleanrooms: ['my_collab'],
    templateName: 'overlap',
    templateId: 'overlap_v1',
    arguments: { source_table: [VIEW], dimensions: ['p1.STATUS'] },
  };

  test('secondary roles off, then COLLABORATION.RUN with an analysis spec naming the template, the offerings and the arguments', async () => {
    await g.runAnalysisFlow(session, collab);
    const q = sent();
    assert.deepEqual(
      q.map(x => x.sql),
      ['USE SECONDARY ROLES NONE', `CALL ${DB}.COLLABORATION.RUN(?, ?)`],
    );
    assert.equal(q[1]!.binds[0], 'my_collab');
    assert.deepEqual(parseYaml(q[1]!.binds[1]!), {
      api_version: '2.0.0',
      spec_type: 'analysis',
      template: 'overlap_v1',
      template_configuration: { view_mappings: { source_tables: [VIEW] }, arguments: { dimensions: ['p1.STATUS'] } },
    });
  });

  test('an activation template: the spec carries the destination collaborator and the segment', async () => {
    await g.runAnalysisFlow(session, { ...collab, templateText: 'type: sql_activation\ntemplate: x', activation: { segment: 'seg_1', collaborator: 'bob' } });
    const spec = parseYaml(fake.queries[1]!.binds[1]!) as { template_configuration: { activation: unknown } };
    assert.deepEqual(spec.template_configuration.activation, { snowflake_collaborator: 'bob', segment_name: 'seg_1' });
  });

  test('an activation template without a destination is refused before anything is sent', () => {
    assert.throws(() => g.analysisPlan({ ...collab, templateName: 'activation_x' }), /--activate-to ALIAS --segment NAME/);
  });

  test('pull: no data offerings is an error after the reads, not an empty policy', async () => {
    fake.respond(/VIEW_DATA_OFFERINGS/, { columns: [{ name: 'TEMPLATE_VIEW_NAME' }], rows: [] });
    await assert.rejects(
      g.pullCollaborationPolicies(session, { collaboration: 'my_collab' }),
      (e: g.GatewayError) => e.kind === 'not-found' && /no data offerings/.test(e.message) && /nothing was written/.test(e.message),
    );
    assert.deepEqual(sent(), [USE, { sql: `CALL ${DB}.COLLABORATION.VIEW_DATA_OFFERINGS(?)`, binds: ['my_collab'] }]);
  });

  test('pull: offerings in columns we cannot read are an error naming those columns', async () => {
    fake.respond(/VIEW_DATA_OFFERINGS/, { columns: [{ name: 'OFFERING_ID' }, { name: 'POLICIES' }], rows: [['o1', '{"a":1}']] });
    await assert.rejects(
      g.pullCollaborationPolicies(session, { collaboration: 'my_collab' }),
      (e: g.GatewayError) => /row 1 cannot be read/.test(e.message) && /OFFERING_ID, POLICIES/.test(e.message) && /nothing was written/.test(e.message),
    );
  });

  test('pull: a spec that is not YAML is an error, not a silently smaller policy', async () => {
    fake.respond(/VIEW_DATA_OFFERINGS/, { columns: [{ name: 'TEMPLATE_VIEW_NAME' }, { name: 'SPEC' }], rows: [['partner.bad.x', 'datasets: [unclosed']] });
    await assert.rejects(g.pullCollaborationPolicies(session, { collaboration: 'my_collab' }), /its spec is not YAML/);
  });
});

describe('multi-provider lifecycle, legacy API', () => {
  const rooms = [ROOM, 'Flow Room 2'];
  const mp = { ...base, cleanrooms: rooms, arguments: { source_table: rooms.map(r => `${r}.${T}`), my_table: ['MYDB.PUBLIC.CUSTOMERS'] } };

  test('consumer: prepare alone; execute is its own step', async () => {
    await g.runAnalysisFlow(session, mp);
    assert.deepEqual(procedures(), ['CONSUMER.PREPARE_MULTIPROVIDER_FLOW']);
    fake.reset();
    await g.runAnalysisFlow(session, { ...mp, step: 'execute' });
    assert.deepEqual(sent(), [{ sql: `CALL ${DB}.CONSUMER.EXECUTE_MULTIPROVIDER_FLOW(PARSE_JSON(?)::ARRAY)`, binds: [JSON.stringify(rooms)] }]);
  });

  test('provider: enable for a consumer, view, process, suspend and resume the task, revoke', async () => {
    const who = { cleanroom: ROOM, consumer: 'ABC12345' };
    for (const s of [
      g.statement('provider.enable_multiprovider_computation', { ...who, otherCleanrooms: 'ORG.XYZ.Flow Room 2' }),
      g.statement('provider.view_multiprovider_requests', who),
      g.statement('provider.process_multiprovider_request', { ...who, requestId: '-1' }),
      g.statement('provider.suspend_multiprovider_tasks', who),
      g.statement('provider.resume_multiprovider_tasks', who),
      g.statement('provider.revoke_multiprovider_requests', who),
    ])
      await session.run(s);
    assert.deepEqual(sent(), [
      { sql: `CALL ${DB}.PROVIDER.ENABLE_MULTIPROVIDER_COMPUTATION(?, ?, ?)`, binds: [ROOM, 'ABC12345', 'ORG.XYZ.Flow Room 2'] },
      { sql: `CALL ${DB}.PROVIDER.VIEW_MULTIPROVIDER_REQUESTS(?, ?)`, binds: [ROOM, 'ABC12345'] },
      { sql: `CALL ${DB}.PROVIDER.PROCESS_MULTIPROVIDER_REQUEST(?, ?, ?)`, binds: [ROOM, 'ABC12345', '-1'] },
      { sql: `CALL ${DB}.PROVIDER.SUSPEND_MULTIPROVIDER_TASKS(?, ?)`, binds: [ROOM, 'ABC12345'] },
      { sql: `CALL ${DB}.PROVIDER.RESUME_MULTIPROVIDER_TASKS(?, ?)`, binds: [ROOM, 'ABC12345'] },
      {
        sql: 'UPDATE IDENTIFIER(?) SET APPROVED = FALSE WHERE PARTY_ACCOUNT = ?',
        binds: ['SAMOOHA_CLEANROOM_Flow_Room_1.ADMIN.REQUEST_LOG_MULTIPROVIDER', 'ABC12345'],
      },
    ]);
  });

  test('processing before multi-provider computation was enabled: a missing set-up', async () => {
    fake.respond(/PROCESS_MULTIPROVIDER_REQUEST/, {
      error: { code: '100357', sqlState: 'P0000', message: 'Multiprovider computation is not enabled for consumer ABC12345' },
    });
    await assert.rejects(
      session.run(g.statement('provider.process_multiprovider_request', { cleanroom: ROOM, consumer: 'ABC12345', requestId: '-1' })),
      (e: g.GatewayError) => e.kind === 'missing-setup' && /enable_multiprovider_computation/.test(e.message),
    );
  });
});

describe('policies, legacy API: a result that cannot be read', () => {
  test('set: an unreadable live policy row is an error naming its columns, and nothing is set', async () => {
    fake.respond(/PROVIDER.VIEW_JOIN_POLICY/, { columns: [{ name: 'POLICY_ID' }, { name: 'CREATED_ON' }], rows: [['p-1', '2026-01-01']] });
    const input = { role: 'provider' as const, cleanroom: ROOM, desired: { joinPolicy: [`${T}:HASHED_EMAIL`] } };
    await assert.rejects(
      g.policyDiffs(session, input),
      (e: g.GatewayError) =>
        /PROVIDER.VIEW_JOIN_POLICY|provider.view_join_policy/.test(e.message) &&
        /POLICY_ID, CREATED_ON/.test(e.message) &&
        /nothing was written/.test(e.message),
    );
    assert.deepEqual(procedures(), ['PROVIDER.VIEW_JOIN_POLICY']);
  });

  test('pull: an unreadable row stops the pull before the profile is touched', async () => {
    fake.respond(/VIEW_/, { columns: [{ name: 'TABLE_NAME' }], rows: [] });
    fake.respond(/PROVIDER.VIEW_COLUMN_POLICY/, { columns: [{ name: 'TABLE_NAME' }, { name: 'COLUMN_NAME' }], rows: [[T, 'STATUS']] });
    await assert.rejects(g.pullPolicies(session, { role: 'provider', cleanroom: ROOM }), /1 of 1 row\(s\) cannot be read as column policy entries/);
  });
});
