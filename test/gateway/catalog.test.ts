/**
 * The catalog against the documented calls: for every statement, the procedure the reference
 * page names and the values of its documented example, in the documented order. The values
 * below are the examples' own (placeholders such as $cleanroom_name replaced by a name), so a
 * wrong procedure, a swapped argument or a missing one fails here before it reaches Snowflake.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as g from '../../gateway/src/index.js';
import { COMMANDS } from '../../cli/src/commands/index.js';

type Example = { id: g.StatementId; args: Record<string, unknown>; procedure: string; values: unknown[] };

const R = 'my_cleanroom';
const C = 'my_collaboration';
const T = 'SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS';
const ONE_ROOM: [g.StatementId, string][] = [
  ['consumer.list_template_requests', 'CONSUMER.LIST_TEMPLATE_REQUESTS'],
  ['consumer.view_added_templates', 'CONSUMER.VIEW_ADDED_TEMPLATES'],
  ['consumer.view_provider_join_policy', 'CONSUMER.VIEW_PROVIDER_JOIN_POLICY'],
  ['consumer.view_provider_column_policy', 'CONSUMER.VIEW_PROVIDER_COLUMN_POLICY'],
  ['consumer.view_provider_activation_policy', 'CONSUMER.VIEW_PROVIDER_ACTIVATION_POLICY'],
  ['consumer.view_join_policy', 'CONSUMER.VIEW_JOIN_POLICY'],
  ['consumer.view_column_policy', 'CONSUMER.VIEW_COLUMN_POLICY'],
  ['consumer.view_activation_policy', 'CONSUMER.VIEW_ACTIVATION_POLICY'],
  ['consumer.view_provider_datasets', 'CONSUMER.VIEW_PROVIDER_DATASETS'],
  ['consumer.view_consumer_datasets', 'CONSUMER.VIEW_CONSUMER_DATASETS'],
  ['provider.list_template_requests', 'PROVIDER.LIST_TEMPLATE_REQUESTS'],
  ['provider.list_pending_template_requests', 'PROVIDER.LIST_PENDING_TEMPLATE_REQUESTS'],
  ['provider.view_added_templates', 'PROVIDER.VIEW_ADDED_TEMPLATES'],
  ['provider.view_join_policy', 'PROVIDER.VIEW_JOIN_POLICY'],
  ['provider.view_column_policy', 'PROVIDER.VIEW_COLUMN_POLICY'],
  ['provider.view_activation_policy', 'PROVIDER.VIEW_ACTIVATION_POLICY'],
  ['provider.view_provider_datasets', 'PROVIDER.VIEW_PROVIDER_DATASETS'],
];

const EXAMPLES: Example[] = [
  { id: 'session.whoami', args: {}, procedure: 'SELECT CURRENT_ACCOUNT()', values: [] },
  { id: 'session.use_secondary_roles_none', args: {}, procedure: 'USE SECONDARY ROLES NONE', values: [] },
  ...ONE_ROOM.map(([id, procedure]) => ({ id, args: { cleanroom: R }, procedure, values: [R] })),
  {
    id: 'consumer.create_template_request',
    args: { cleanroom: R, template: 'my_analysis', definition: 'SELECT 1' },
    procedure: 'CONSUMER.CREATE_TEMPLATE_REQUEST',
    values: [R, 'my_analysis', 'SELECT 1'],
  },
  {
    id: 'consumer.view_template_definition',
    args: { cleanroom: R, template: 'prod_overlap_analysis' },
    procedure: 'CONSUMER.VIEW_TEMPLATE_DEFINITION',
    values: [R, 'prod_overlap_analysis'],
  },
  {
    id: 'consumer.get_arguments_from_template',
    args: { cleanroom: R, template: 'prod_overlap_analysis' },
    procedure: 'CONSUMER.GET_ARGUMENTS_FROM_TEMPLATE',
    values: [R, 'prod_overlap_analysis'],
  },
  {
    // run_analysis(cleanroom_name, template_name, consumer_tables, provider_tables, analysis_arguments)
    id: 'consumer.run_analysis',
    args: {
      cleanroom: R,
      template: 'prod_overlap_analysis',
      consumerTables: ['MY_DB.MY_SCH.CUSTOMERS'],
      providerTables: [T],
      arguments: { dimensions: ['p.STATUS'] },
    },
    procedure: 'CONSUMER.RUN_ANALYSIS',
    values: [R, 'prod_overlap_analysis', ['MY_DB.MY_SCH.CUSTOMERS'], [T], { dimensions: ['p.STATUS'] }],
  },
  {
    // run_activation(cleanroom_name, segment_name, template_name, consumer_tables, provider_tables, activation_arguments, consumer_direct_activation)
    id: 'consumer.run_activation',
    args: {
      cleanroom: R,
      segment: 'my_segment',
      template: 'activation_my_template',
      consumerTables: ['MY_DB.MY_SCH.CUSTOMERS'],
      providerTables: [T],
      arguments: { c_join_col: 'c.HASHED_EMAIL' },
      consumerDirect: true,
    },
    procedure: 'CONSUMER.RUN_ACTIVATION',
    values: [R, 'my_segment', 'activation_my_template', ['MY_DB.MY_SCH.CUSTOMERS'], [T], { c_join_col: 'c.HASHED_EMAIL' }, true],
  },
  {
    id: 'consumer.approve_provider_activation_consent',
    args: { cleanroom: R, template: 'activation_my_template' },
    procedure: 'CONSUMER.APPROVE_PROVIDER_ACTIVATION_CONSENT',
    values: [R, 'activation_my_template'],
  },
  {
    id: 'consumer.enable_templates_for_provider_run',
    args: { cleanroom: R, templates: ['prod_overlap_analysis'], differentialPrivacy: false },
    procedure: 'CONSUMER.ENABLE_TEMPLATES_FOR_PROVIDER_RUN',
    values: [R, ['prod_overlap_analysis'], false],
  },
  {
    id: 'consumer.prepare_multiprovider_flow',
    args: { cleanrooms: ['room_1', 'room_2'], template: 'prod_aggregate_data', arguments: { source_table: [`room_1.${T}`, `room_2.${T}`] } },
    procedure: 'CONSUMER.PREPARE_MULTIPROVIDER_FLOW',
    values: [['room_1', 'room_2'], 'prod_aggregate_data', { source_table: [`room_1.${T}`, `room_2.${T}`] }],
  },
  {
    id: 'consumer.execute_multiprovider_flow',
    args: { cleanrooms: ['room_1', 'room_2'] },
    procedure: 'CONSUMER.EXECUTE_MULTIPROVIDER_FLOW',
    values: [['room_1', 'room_2']],
  },
  {
    id: 'consumer.set_join_policy',
    args: { cleanroom: R, entries: [`${T}:HASHED_EMAIL`] },
    procedure: 'CONSUMER.SET_JOIN_POLICY',
    values: [R, [`${T}:HASHED_EMAIL`]],
  },
  {
    id: 'consumer.set_column_policy',
    args: { cleanroom: R, entries: [`t:${T}:STATUS`] },
    procedure: 'CONSUMER.SET_COLUMN_POLICY',
    values: [R, [`t:${T}:STATUS`]],
  },
  {
    id: 'consumer.set_activation_policy',
    args: { cleanroom: R, entries: [`t:${T}:STATUS`] },
    procedure: 'CONSUMER.SET_ACTIVATION_POLICY',
    values: [R, [`t:${T}:STATUS`]],
  },
  {
    id: 'provider.add_custom_sql_template',
    args: { cleanroom: R, template: 'my_template', definition: 'SELECT 1' },
    procedure: 'PROVIDER.ADD_CUSTOM_SQL_TEMPLATE',
    values: [R, 'my_template', 'SELECT 1'],
  },
  { id: 'provider.approve_template_request', args: { cleanroom: R, requestId: '01b2' }, procedure: 'PROVIDER.APPROVE_TEMPLATE_REQUEST', values: [R, '01b2'] },
  {
    id: 'provider.reject_template_request',
    args: { cleanroom: R, requestId: '01b2', reason: 'too broad' },
    procedure: 'PROVIDER.REJECT_TEMPLATE_REQUEST',
    values: [R, '01b2', 'too broad'],
  },
  {
    id: 'provider.view_template_definition',
    args: { cleanroom: R, template: 'my_template' },
    procedure: 'PROVIDER.VIEW_TEMPLATE_DEFINITION',
    values: [R, 'my_template'],
  },
  {
    id: 'provider.set_join_policy',
    args: { cleanroom: R, entries: [`${T}:HASHED_EMAIL`] },
    procedure: 'PROVIDER.SET_JOIN_POLICY',
    values: [R, [`${T}:HASHED_EMAIL`]],
  },
  {
    id: 'provider.set_column_policy',
    args: { cleanroom: R, entries: [`t:${T}:STATUS`] },
    procedure: 'PROVIDER.SET_COLUMN_POLICY',
    values: [R, [`t:${T}:STATUS`]],
  },
  {
    id: 'provider.set_activation_policy',
    args: { cleanroom: R, entries: [`t:${T}:STATUS`] },
    procedure: 'PROVIDER.SET_ACTIVATION_POLICY',
    values: [R, [`t:${T}:STATUS`]],
  },
  {
    id: 'provider.request_provider_activation_consent',
    args: { cleanroom: R, template: 'activation_my_template' },
    procedure: 'PROVIDER.REQUEST_PROVIDER_ACTIVATION_CONSENT',
    values: [R, 'activation_my_template'],
  },
  {
    // submit_analysis_request(cleanroom_name, consumer_account_locator, template_name, provider_tables, consumer_tables, analysis_arguments)
    id: 'provider.submit_analysis_request',
    args: {
      cleanroom: R,
      consumer: 'ABC12345',
      template: 'prod_overlap_analysis',
      providerTables: [T],
      consumerTables: ['MY_DB.MY_SCH.CUSTOMERS'],
      arguments: { dimensions: ['c.REGION_CODE'] },
    },
    procedure: 'PROVIDER.SUBMIT_ANALYSIS_REQUEST',
    values: [R, 'ABC12345', 'prod_overlap_analysis', [T], ['MY_DB.MY_SCH.CUSTOMERS'], { dimensions: ['c.REGION_CODE'] }],
  },
  {
    id: 'provider.check_analysis_status',
    args: { cleanroom: R, requestId: 'req-1', consumer: 'ABC12345' },
    procedure: 'PROVIDER.CHECK_ANALYSIS_STATUS',
    values: [R, 'req-1', 'ABC12345'],
  },
  {
    id: 'provider.get_analysis_result',
    args: { cleanroom: R, requestId: 'req-1', consumer: 'ABC12345' },
    procedure: 'PROVIDER.GET_ANALYSIS_RESULT',
    values: [R, 'req-1', 'ABC12345'],
  },
  {
    id: 'provider.enable_multiprovider_computation',
    args: { cleanroom: R, consumer: 'ABC12345', otherCleanrooms: 'MYORG.XYZ98765.room_2' },
    procedure: 'PROVIDER.ENABLE_MULTIPROVIDER_COMPUTATION',
    values: [R, 'ABC12345', 'MYORG.XYZ98765.room_2'],
  },
  {
    id: 'provider.view_multiprovider_requests',
    args: { cleanroom: R, consumer: 'ABC12345' },
    procedure: 'PROVIDER.VIEW_MULTIPROVIDER_REQUESTS',
    values: [R, 'ABC12345'],
  },
  {
    id: 'provider.process_multiprovider_request',
    args: { cleanroom: R, consumer: 'ABC12345', requestId: '-1' },
    procedure: 'PROVIDER.PROCESS_MULTIPROVIDER_REQUEST',
    values: [R, 'ABC12345', '-1'],
  },
  {
    id: 'provider.suspend_multiprovider_tasks',
    args: { cleanroom: R, consumer: 'ABC12345' },
    procedure: 'PROVIDER.SUSPEND_MULTIPROVIDER_TASKS',
    values: [R, 'ABC12345'],
  },
  {
    id: 'provider.resume_multiprovider_tasks',
    args: { cleanroom: R, consumer: 'ABC12345' },
    procedure: 'PROVIDER.RESUME_MULTIPROVIDER_TASKS',
    values: [R, 'ABC12345'],
  },
  {
    // UPDATE samooha_cleanroom_<name>.admin.request_log_multiprovider SET APPROVED=FALSE WHERE PARTY_ACCOUNT='<consumer>'
    id: 'provider.revoke_multiprovider_requests',
    args: { cleanroom: 'My Room', consumer: 'ABC12345' },
    procedure: 'UPDATE IDENTIFIER(?) SET APPROVED = FALSE WHERE PARTY_ACCOUNT = ?',
    values: ['SAMOOHA_CLEANROOM_My_Room.ADMIN.REQUEST_LOG_MULTIPROVIDER', 'ABC12345'],
  },
  { id: 'registry.register_template', args: { spec: 'spec_type: template' }, procedure: 'REGISTRY.REGISTER_TEMPLATE', values: ['spec_type: template'] },
  {
    id: 'registry.register_template_in',
    args: { registry: 'MY_REGISTRY', spec: 'spec_type: template' },
    procedure: 'REGISTRY.REGISTER_TEMPLATE',
    values: ['MY_REGISTRY', 'spec_type: template'],
  },
  {
    id: 'collaboration.add_template_request',
    args: { collaboration: C, templateId: 'my_template_v1', shareWith: ['alice', 'bob'] },
    procedure: 'COLLABORATION.ADD_TEMPLATE_REQUEST',
    values: [C, 'my_template_v1', ['alice', 'bob']],
  },
  { id: 'collaboration.view_update_requests', args: { collaboration: C }, procedure: 'COLLABORATION.VIEW_UPDATE_REQUESTS', values: [C] },
  {
    id: 'collaboration.approve_update_request',
    args: { collaboration: C, requestId: 'u-1' },
    procedure: 'COLLABORATION.APPROVE_UPDATE_REQUEST',
    values: [C, 'u-1'],
  },
  {
    id: 'collaboration.reject_update_request',
    args: { collaboration: C, requestId: 'u-1', reason: '' },
    procedure: 'COLLABORATION.REJECT_UPDATE_REQUEST',
    values: [C, 'u-1', ''],
  },
  { id: 'collaboration.view_templates', args: { collaboration: C }, procedure: 'COLLABORATION.VIEW_TEMPLATES', values: [C] },
  { id: 'collaboration.view_data_offerings', args: { collaboration: C }, procedure: 'COLLABORATION.VIEW_DATA_OFFERINGS', values: [C] },
  {
    id: 'collaboration.run',
    args: { collaboration: C, analysisSpec: 'spec_type: analysis' },
    procedure: 'COLLABORATION.RUN',
    values: [C, 'spec_type: analysis'],
  },
];

/** The values a statement passes, with ARRAY/OBJECT binds read back from their JSON. */
function passed(s: g.Statement): unknown[] {
  const placeholders = [...s.sql.matchAll(/PARSE_JSON\(\?\)::(ARRAY|OBJECT)|\?/g)].map(m => m[0]);
  assert.equal(placeholders.length, s.binds.length, `${s.id}: placeholders and binds differ in number`);
  return s.binds.map((b, i) => (placeholders[i] === '?' ? b : JSON.parse(String(b))));
}

describe('the catalog follows the documented calls', () => {
  test('every catalog statement has a documented example here', () => {
    const ids = Object.keys(g.CATALOG);
    assert.ok(ids.length >= 50, `the catalog has ${ids.length} statements`);
    const missing = ids.filter(id => !EXAMPLES.some(e => e.id === id));
    assert.deepEqual(missing, [], 'statements without a documented example');
  });

  for (const e of EXAMPLES) {
    test(`${e.id} calls ${e.procedure} with the documented arguments in order`, () => {
      const s = g.statement(e.id, e.args as never);
      assert.ok(s.sql.includes(e.procedure), `${s.sql} does not call ${e.procedure}`);
      if (s.sql.startsWith('CALL')) assert.equal(g.procedureOf(s.sql), e.procedure);
      assert.deepEqual(passed(s), e.values);
      const d = g.describeStatement(e.id)!;
      assert.equal(d.params.length, s.binds.length, `${e.id}: one documented parameter per bind`);
      assert.match(d.doc, /^https:\/\/docs\.snowflake\.com\/en\/(user-guide\/cleanrooms|sql-reference)\//);
    });
  }

  test('reads are never marked as writes, and every procedure that changes something is', () => {
    const writes = Object.keys(g.CATALOG).filter(id => g.describeStatement(id)!.writes);
    assert.ok(
      writes.every(id => !/\.(view_|list_|get_|check_)|whoami|secondary/.test(id)),
      `a read is marked as a write: ${writes.join(', ')}`,
    );
    for (const id of [
      'consumer.run_analysis',
      'collaboration.run',
      'provider.approve_template_request',
      'provider.process_multiprovider_request',
      'provider.revoke_multiprovider_requests',
    ])
      assert.ok(writes.includes(id), id);
  });

  test('the request log name comes from the clean room name; anything else is refused', () => {
    assert.equal(
      g.multiproviderRequestLog('Samooha Cleanroom Multiprovider Clean Room 1'),
      'SAMOOHA_CLEANROOM_Samooha_Cleanroom_Multiprovider_Clean_Room_1.ADMIN.REQUEST_LOG_MULTIPROVIDER',
    );
    assert.throws(
      () => g.multiproviderRequestLog('x; DROP TABLE y'),
      (err: g.GatewayError) => err.kind === 'config',
    );
  });
});

describe('the documentation keeps up with the catalog and the commands', () => {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { resolve } = require('node:path') as typeof import('node:path');
  const cliDoc = readFileSync(resolve(__dirname, '../../docs/cli.md'), 'utf8');
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const commands = COMMANDS.map(c => c.name);

  test('docs/cli.md names every statement with its reference page', () => {
    const ids = Object.keys(g.CATALOG);
    const missing = ids.filter(id => !cliDoc.split('\n').some(l => l.includes(`\`${id}\``) && l.includes(g.describeStatement(id)!.doc)));
    assert.deepEqual(missing, []);
  });

  test('docs/cli.md has a section per command, and the README an example per command', () => {
    assert.ok(commands.length >= 10, `${commands.length} commands`);
    assert.deepEqual(
      commands.filter(c => !cliDoc.includes(`### \`dcr ${c}`)),
      [],
    );
    const section = readme.slice(readme.indexOf('## The `dcr` command line'), readme.indexOf('## How the checks work'));
    assert.deepEqual(
      commands.filter(c => !new RegExp(`\\| \`dcr ${c}\` \\|.*\\| \`dcr ${c} [^\`]+\` \\|`).test(section)),
      [],
    );
  });
});
