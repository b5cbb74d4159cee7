/**
 * Every statement the extension and the CLI send to Snowflake, in one table: the SQL text
 * (fixed, with `?` placeholders), how its bind values are built, the names of the documented
 * parameters in the documented order, and the Snowflake reference page the statement follows.
 * Nothing a user typed is ever spliced into SQL text; template text, names and reasons travel
 * only as binds. Arrays and objects go as JSON text and are converted in SQL with
 * PARSE_JSON(?)::ARRAY / ::OBJECT, because a procedure's ARRAY/OBJECT parameter does not accept
 * a VARIANT bind as is.
 *
 * `writes` marks statements that change something in Snowflake or run an analysis: a dry run
 * never sends them. Statements without it only read, and a dry run may send them to gather
 * what its checks need (a request's template, live policies).
 */
import { GatewayError } from './errors.js';

export type BindValue = string | number | boolean | null;

export interface Statement {
  /** Catalog key, e.g. 'consumer.create_template_request'. */
  readonly id: string;
  readonly sql: string;
  readonly binds: readonly BindValue[];
}

interface Entry<A> {
  readonly sql: string;
  readonly binds: (a: A) => BindValue[];
  /** The documented parameter names, in the order the procedure takes them (one per bind). */
  readonly params: readonly string[];
  /** The Snowflake reference page this statement follows. */
  readonly doc: string;
  /** What the documentation says comes back. */
  readonly returns: string;
  readonly writes: boolean;
}

const DB = 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB';
const ARRAY = 'PARSE_JSON(?)::ARRAY';
const OBJECT = 'PARSE_JSON(?)::OBJECT';
const json = (v: unknown): string => JSON.stringify(v);

/** The reference pages. */
export const DOCS = {
  consumer: 'https://docs.snowflake.com/en/user-guide/cleanrooms/consumer',
  provider: 'https://docs.snowflake.com/en/user-guide/cleanrooms/provider',
  collaboration: 'https://docs.snowflake.com/en/user-guide/cleanrooms/collaboration-api-reference',
  analysisSpec: 'https://docs.snowflake.com/en/user-guide/cleanrooms/spec-analysis',
  multiprovider: 'https://docs.snowflake.com/en/user-guide/cleanrooms/demo-flows/multiprovider',
  providerRun: 'https://docs.snowflake.com/en/user-guide/cleanrooms/demo-flows/provider-run-analysis',
  legacyActivation: 'https://docs.snowflake.com/en/user-guide/cleanrooms/v1/activation',
  collaborationActivation: 'https://docs.snowflake.com/en/user-guide/cleanrooms/activation',
  secondaryRoles: 'https://docs.snowflake.com/en/sql-reference/sql/use-secondary-roles',
  contextFunctions: 'https://docs.snowflake.com/en/sql-reference/functions-context',
} as const;

type Room = { cleanroom: string };
type RoomTemplate = Room & { template: string };
type Policy = Room & { entries: string[] };
type Collab = { collaboration: string };

interface Meta {
  params: readonly string[];
  doc: string;
  returns: string;
  writes?: boolean;
}
const entry = <A>(sql: string, binds: (a: A) => BindValue[], m: Meta): Entry<A> => ({
  sql,
  binds,
  params: m.params,
  doc: m.doc,
  returns: m.returns,
  writes: m.writes ?? false,
});
const call = (schema: string, proc: string, placeholders: string[]) => `CALL ${DB}.${schema}.${proc}(${placeholders.join(', ')})`;
const room = (schema: 'CONSUMER' | 'PROVIDER', proc: string, returns: string) =>
  entry<Room>(call(schema, proc, ['?']), a => [a.cleanroom], {
    params: ['cleanroom_name'],
    doc: schema === 'CONSUMER' ? DOCS.consumer : DOCS.provider,
    returns,
  });
const roomTemplate = (schema: 'CONSUMER' | 'PROVIDER', proc: string, returns: string) =>
  entry<RoomTemplate>(call(schema, proc, ['?', '?']), a => [a.cleanroom, a.template], {
    params: ['cleanroom_name', 'template_name'],
    doc: schema === 'CONSUMER' ? DOCS.consumer : DOCS.provider,
    returns,
  });
const setPolicy = (schema: 'CONSUMER' | 'PROVIDER', proc: string, list: string) =>
  entry<Policy>(call(schema, proc, ['?', ARRAY]), a => [a.cleanroom, json(a.entries)], {
    params: ['cleanroom_name', list],
    doc: schema === 'CONSUMER' ? DOCS.consumer : DOCS.provider,
    returns: 'a success message; the list replaces the previous one',
    writes: true,
  });
const collab = (proc: string, returns: string) =>
  entry<Collab>(call('COLLABORATION', proc, ['?']), a => [a.collaboration], { params: ['collaboration_name'], doc: DOCS.collaboration, returns });

/** The clean room application's request log for multi-provider analyses (provider account). */
export function multiproviderRequestLog(cleanroom: string): string {
  if (!/^[A-Za-z0-9_ ]{1,80}$/.test(cleanroom))
    throw new GatewayError('config', `'${cleanroom}' is not a clean room name (letters, digits, spaces and underscores, at most 80)`);
  return `SAMOOHA_CLEANROOM_${cleanroom.replace(/ /g, '_')}.ADMIN.REQUEST_LOG_MULTIPROVIDER`;
}

export const CATALOG = {
  // ---- session
  'session.whoami': entry<Record<string, never>>(
    'SELECT CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_USER() AS "USER", CURRENT_ROLE() AS ROLE, CURRENT_WAREHOUSE() AS WAREHOUSE, CURRENT_VERSION() AS VERSION',
    () => [],
    { params: [], doc: DOCS.contextFunctions, returns: 'one row: account, user, role, warehouse, version' },
  ),
  // The Collaboration API reference asks for secondary roles to be off before its procedures.
  'session.use_secondary_roles_none': entry<Record<string, never>>('USE SECONDARY ROLES NONE', () => [], {
    params: [],
    doc: DOCS.collaboration,
    returns: 'a status row; only the session changes',
  }),

  // ---- legacy consumer
  'consumer.create_template_request': entry<RoomTemplate & { definition: string }>(
    call('CONSUMER', 'CREATE_TEMPLATE_REQUEST', ['?', '?', '?']),
    a => [a.cleanroom, a.template, a.definition],
    { params: ['cleanroom_name', 'template_name', 'template_definition'], doc: DOCS.consumer, returns: 'a success message', writes: true },
  ),
  'consumer.list_template_requests': room(
    'CONSUMER',
    'LIST_TEMPLATE_REQUESTS',
    'request_id, provider_identifier, template_name, template_definition, request_status, reason',
  ),
  'consumer.view_added_templates': room('CONSUMER', 'VIEW_ADDED_TEMPLATES', 'the templates of the clean room'),
  'consumer.view_template_definition': roomTemplate('CONSUMER', 'VIEW_TEMPLATE_DEFINITION', 'the template text'),
  'consumer.get_arguments_from_template': roomTemplate('CONSUMER', 'GET_ARGUMENTS_FROM_TEMPLATE', 'the argument list and specification'),
  'consumer.run_analysis': entry<RoomTemplate & { consumerTables: string[]; providerTables: string[]; arguments: Record<string, unknown> }>(
    call('CONSUMER', 'RUN_ANALYSIS', ['?', '?', ARRAY, ARRAY, OBJECT]),
    a => [a.cleanroom, a.template, json(a.consumerTables), json(a.providerTables), json(a.arguments)],
    {
      params: ['cleanroom_name', 'template_name', 'consumer_tables', 'provider_tables', 'analysis_arguments'],
      doc: DOCS.consumer,
      returns: 'the result table',
      writes: true,
    },
  ),
  'consumer.run_activation': entry<
    RoomTemplate & { segment: string; consumerTables: string[]; providerTables: string[]; arguments: Record<string, unknown>; consumerDirect: boolean }
  >(
    call('CONSUMER', 'RUN_ACTIVATION', ['?', '?', '?', ARRAY, ARRAY, OBJECT, '?']),
    a => [a.cleanroom, a.segment, a.template, json(a.consumerTables), json(a.providerTables), json(a.arguments), a.consumerDirect],
    {
      params: ['cleanroom_name', 'segment_name', 'template_name', 'consumer_tables', 'provider_tables', 'activation_arguments', 'consumer_direct_activation'],
      doc: DOCS.consumer,
      returns: 'a success message; the results land in the activation summary table of the receiving account',
      writes: true,
    },
  ),
  'consumer.approve_provider_activation_consent': entry<RoomTemplate>(
    call('CONSUMER', 'APPROVE_PROVIDER_ACTIVATION_CONSENT', ['?', '?']),
    a => [a.cleanroom, a.template],
    {
      params: ['cleanroom_name', 'activation_template_name'],
      doc: DOCS.consumer,
      returns: 'a success message; fails unless the provider requested consent',
      writes: true,
    },
  ),
  'consumer.enable_templates_for_provider_run': entry<Room & { templates: string[]; differentialPrivacy: boolean }>(
    call('CONSUMER', 'ENABLE_TEMPLATES_FOR_PROVIDER_RUN', ['?', ARRAY, '?']),
    a => [a.cleanroom, json(a.templates), a.differentialPrivacy],
    { params: ['cleanroom_name', 'template_names', 'enable_differential_privacy'], doc: DOCS.consumer, returns: 'a success message', writes: true },
  ),
  'consumer.prepare_multiprovider_flow': entry<{ cleanrooms: string[]; template: string; arguments: Record<string, unknown> }>(
    call('CONSUMER', 'PREPARE_MULTIPROVIDER_FLOW', [ARRAY, '?', OBJECT]),
    a => [json(a.cleanrooms), a.template, json(a.arguments)],
    {
      params: ['cleanroom_names', 'template_name', 'arguments'],
      doc: DOCS.multiprovider,
      returns: 'the request; each provider approves and processes it',
      writes: true,
    },
  ),
  'consumer.execute_multiprovider_flow': entry<{ cleanrooms: string[] }>(call('CONSUMER', 'EXECUTE_MULTIPROVIDER_FLOW', [ARRAY]), a => [json(a.cleanrooms)], {
    params: ['cleanroom_names'],
    doc: DOCS.multiprovider,
    returns: 'the union of the per-clean-room results',
    writes: true,
  }),
  'consumer.view_provider_join_policy': room('CONSUMER', 'VIEW_PROVIDER_JOIN_POLICY', "the provider's join policy"),
  'consumer.view_provider_column_policy': room('CONSUMER', 'VIEW_PROVIDER_COLUMN_POLICY', "the provider's column policy"),
  'consumer.view_provider_activation_policy': room('CONSUMER', 'VIEW_PROVIDER_ACTIVATION_POLICY', "the provider's activation policy"),
  'consumer.view_join_policy': room('CONSUMER', 'VIEW_JOIN_POLICY', "the consumer's join policy"),
  'consumer.view_column_policy': room('CONSUMER', 'VIEW_COLUMN_POLICY', "the consumer's column policy"),
  'consumer.view_activation_policy': room('CONSUMER', 'VIEW_ACTIVATION_POLICY', "the consumer's activation policy"),
  'consumer.view_provider_datasets': room('CONSUMER', 'VIEW_PROVIDER_DATASETS', 'the provider tables (LINKED_TABLE)'),
  'consumer.view_consumer_datasets': room('CONSUMER', 'VIEW_CONSUMER_DATASETS', 'the consumer tables (LINKED_TABLE)'),
  'consumer.set_join_policy': setPolicy('CONSUMER', 'SET_JOIN_POLICY', 'table_col_names'),
  'consumer.set_column_policy': setPolicy('CONSUMER', 'SET_COLUMN_POLICY', 'analysis_table_cols'),
  'consumer.set_activation_policy': setPolicy('CONSUMER', 'SET_ACTIVATION_POLICY', 'columns'),

  // ---- legacy provider
  'provider.add_custom_sql_template': entry<RoomTemplate & { definition: string }>(
    call('PROVIDER', 'ADD_CUSTOM_SQL_TEMPLATE', ['?', '?', '?']),
    a => [a.cleanroom, a.template, a.definition],
    {
      params: ['cleanroom_name', 'template_name', 'template'],
      doc: DOCS.provider,
      returns: 'a success message; a template of the same name is replaced',
      writes: true,
    },
  ),
  'provider.list_template_requests': room('PROVIDER', 'LIST_TEMPLATE_REQUESTS', 'request_id, consumer_identifier, template_name, template_definition, status'),
  'provider.list_pending_template_requests': room(
    'PROVIDER',
    'LIST_PENDING_TEMPLATE_REQUESTS',
    'request_id, consumer_locator, template_name, template_definition',
  ),
  'provider.approve_template_request': entry<Room & { requestId: string }>(
    call('PROVIDER', 'APPROVE_TEMPLATE_REQUEST', ['?', '?']),
    a => [a.cleanroom, a.requestId],
    {
      params: ['cleanroom_name', 'request_id'],
      doc: DOCS.provider,
      returns: 'a success message; the template is added',
      writes: true,
    },
  ),
  'provider.reject_template_request': entry<Room & { requestId: string; reason: string }>(
    call('PROVIDER', 'REJECT_TEMPLATE_REQUEST', ['?', '?', '?']),
    a => [a.cleanroom, a.requestId, a.reason],
    { params: ['cleanroom_name', 'request_id', 'reason_for_rejection'], doc: DOCS.provider, returns: 'a success message', writes: true },
  ),
  'provider.view_added_templates': room('PROVIDER', 'VIEW_ADDED_TEMPLATES', 'the templates of the clean room'),
  'provider.view_template_definition': roomTemplate('PROVIDER', 'VIEW_TEMPLATE_DEFINITION', 'the template text'),
  'provider.view_join_policy': room('PROVIDER', 'VIEW_JOIN_POLICY', "the provider's join policy"),
  'provider.view_column_policy': room('PROVIDER', 'VIEW_COLUMN_POLICY', "the provider's column policy"),
  'provider.view_activation_policy': room('PROVIDER', 'VIEW_ACTIVATION_POLICY', "the provider's activation policy"),
  'provider.view_provider_datasets': room('PROVIDER', 'VIEW_PROVIDER_DATASETS', 'the linked tables (LINKED_TABLE)'),
  'provider.set_join_policy': setPolicy('PROVIDER', 'SET_JOIN_POLICY', 'table_and_col_names'),
  'provider.set_column_policy': setPolicy('PROVIDER', 'SET_COLUMN_POLICY', 'analysis_and_table_and_cols'),
  'provider.set_activation_policy': setPolicy('PROVIDER', 'SET_ACTIVATION_POLICY', 'columns'),
  'provider.request_provider_activation_consent': entry<RoomTemplate>(
    call('PROVIDER', 'REQUEST_PROVIDER_ACTIVATION_CONSENT', ['?', '?']),
    a => [a.cleanroom, a.template],
    {
      params: ['cleanroom_name', 'template_name'],
      doc: DOCS.provider,
      returns: 'a success message; the consumer then approves the consent',
      writes: true,
    },
  ),
  'provider.submit_analysis_request': entry<
    RoomTemplate & { consumer: string; providerTables: string[]; consumerTables: string[]; arguments: Record<string, unknown> }
  >(
    call('PROVIDER', 'SUBMIT_ANALYSIS_REQUEST', ['?', '?', '?', ARRAY, ARRAY, OBJECT]),
    // Provider tables come before consumer tables here: the reverse of consumer.run_analysis.
    a => [a.cleanroom, a.consumer, a.template, json(a.providerTables), json(a.consumerTables), json(a.arguments)],
    {
      params: ['cleanroom_name', 'consumer_account_locator', 'template_name', 'provider_tables', 'consumer_tables', 'analysis_arguments'],
      doc: DOCS.provider,
      returns: 'the request ID',
      writes: true,
    },
  ),
  'provider.check_analysis_status': entry<Room & { requestId: string; consumer: string }>(
    call('PROVIDER', 'CHECK_ANALYSIS_STATUS', ['?', '?', '?']),
    a => [a.cleanroom, a.requestId, a.consumer],
    { params: ['cleanroom_name', 'request_id', 'consumer_account_locator'], doc: DOCS.provider, returns: 'IN-PROGRESS, PENDING or COMPLETED' },
  ),
  'provider.get_analysis_result': entry<Room & { requestId: string; consumer: string }>(
    call('PROVIDER', 'GET_ANALYSIS_RESULT', ['?', '?', '?']),
    a => [a.cleanroom, a.requestId, a.consumer],
    { params: ['cleanroom_name', 'request_id', 'consumer_account_locator'], doc: DOCS.provider, returns: 'the result table' },
  ),
  'provider.enable_multiprovider_computation': entry<Room & { consumer: string; otherCleanrooms: string }>(
    call('PROVIDER', 'ENABLE_MULTIPROVIDER_COMPUTATION', ['?', '?', '?']),
    a => [a.cleanroom, a.consumer, a.otherCleanrooms],
    { params: ['cleanroom_name', 'consumer_account_locator', 'multiprovider_cleanrooms'], doc: DOCS.multiprovider, returns: 'a success message', writes: true },
  ),
  'provider.view_multiprovider_requests': entry<Room & { consumer: string }>(
    call('PROVIDER', 'VIEW_MULTIPROVIDER_REQUESTS', ['?', '?']),
    a => [a.cleanroom, a.consumer],
    {
      params: ['cleanroom_name', 'consumer_account_locator'],
      doc: DOCS.multiprovider,
      returns: "the consumer's multi-provider requests in the request log",
    },
  ),
  'provider.process_multiprovider_request': entry<Room & { consumer: string; requestId: string }>(
    call('PROVIDER', 'PROCESS_MULTIPROVIDER_REQUEST', ['?', '?', '?']),
    a => [a.cleanroom, a.consumer, a.requestId],
    {
      params: ['cleanroom_name', 'consumer_account_locator', 'request_id'],
      doc: DOCS.multiprovider,
      returns: 'the request checked and approved (-1: every waiting request)',
      writes: true,
    },
  ),
  'provider.suspend_multiprovider_tasks': entry<Room & { consumer: string }>(
    call('PROVIDER', 'SUSPEND_MULTIPROVIDER_TASKS', ['?', '?']),
    a => [a.cleanroom, a.consumer],
    {
      params: ['cleanroom_name', 'consumer_account_locator'],
      doc: DOCS.multiprovider,
      returns: 'a success message; requests wait until resumed',
      writes: true,
    },
  ),
  'provider.resume_multiprovider_tasks': entry<Room & { consumer: string }>(
    call('PROVIDER', 'RESUME_MULTIPROVIDER_TASKS', ['?', '?']),
    a => [a.cleanroom, a.consumer],
    {
      params: ['cleanroom_name', 'consumer_account_locator'],
      doc: DOCS.multiprovider,
      returns: 'a success message',
      writes: true,
    },
  ),
  // The documented revocation is an UPDATE of the clean room's request log, not a procedure.
  'provider.revoke_multiprovider_requests': entry<Room & { consumer: string }>(
    'UPDATE IDENTIFIER(?) SET APPROVED = FALSE WHERE PARTY_ACCOUNT = ?',
    a => [multiproviderRequestLog(a.cleanroom), a.consumer],
    { params: ['request_log_multiprovider', 'party_account'], doc: DOCS.multiprovider, returns: 'the number of log entries revoked', writes: true },
  ),

  // ---- Collaboration API
  'registry.register_template': entry<{ spec: string }>(call('REGISTRY', 'REGISTER_TEMPLATE', ['?']), a => [a.spec], {
    params: ['template_spec'],
    doc: DOCS.collaboration,
    returns: 'the template ID ({name}_{version})',
    writes: true,
  }),
  'registry.register_template_in': entry<{ spec: string; registry: string }>(call('REGISTRY', 'REGISTER_TEMPLATE', ['?', '?']), a => [a.registry, a.spec], {
    params: ['registry_name', 'template_spec'],
    doc: DOCS.collaboration,
    returns: 'the template ID ({name}_{version})',
    writes: true,
  }),
  'collaboration.add_template_request': entry<Collab & { templateId: string; shareWith: string[] }>(
    call('COLLABORATION', 'ADD_TEMPLATE_REQUEST', ['?', '?', ARRAY]),
    a => [a.collaboration, a.templateId, json(a.shareWith)],
    {
      params: ['collaboration_name', 'template_id', 'share_with'],
      doc: DOCS.collaboration,
      returns: 'a success message; the collaborators shared with approve it',
      writes: true,
    },
  ),
  'collaboration.view_update_requests': collab('VIEW_UPDATE_REQUESTS', 'ID, TYPE, STATUS, APPROVAL_LOG, DETAILS, SPEC, UPDATED_ON'),
  'collaboration.approve_update_request': entry<Collab & { requestId: string }>(
    call('COLLABORATION', 'APPROVE_UPDATE_REQUEST', ['?', '?']),
    a => [a.collaboration, a.requestId],
    {
      params: ['collaboration_name', 'request_id'],
      doc: DOCS.collaboration,
      returns: 'a success message; an approval cannot be undone',
      writes: true,
    },
  ),
  'collaboration.reject_update_request': entry<Collab & { requestId: string; reason: string }>(
    call('COLLABORATION', 'REJECT_UPDATE_REQUEST', ['?', '?', '?']),
    a => [a.collaboration, a.requestId, a.reason],
    { params: ['collaboration_name', 'request_id', 'reason'], doc: DOCS.collaboration, returns: 'a success message', writes: true },
  ),
  'collaboration.view_templates': collab('VIEW_TEMPLATES', 'template_id, template_spec, parameters, shared_by, shared_with'),
  'collaboration.view_data_offerings': collab(
    'VIEW_DATA_OFFERINGS',
    'TEMPLATE_VIEW_NAME (for source_tables) and the join, analysis and activation columns of each dataset',
  ),
  'collaboration.run': entry<Collab & { analysisSpec: string }>(call('COLLABORATION', 'RUN', ['?', '?']), a => [a.collaboration, a.analysisSpec], {
    params: ['collaboration_name', 'analysis_spec'],
    doc: DOCS.collaboration,
    returns: 'the result table (activation templates: the segment is written for the destination collaborator)',
    writes: true,
  }),
} as const;

export type StatementId = keyof typeof CATALOG;
type ArgsOf<K extends StatementId> = (typeof CATALOG)[K] extends Entry<infer A> ? A : never;

export function statement<K extends StatementId>(id: K, args: ArgsOf<K>): Statement {
  const e = CATALOG[id] as unknown as Entry<ArgsOf<K>>;
  return { id, sql: e.sql, binds: e.binds(args) };
}

/** The catalog entry behind a statement: its parameters, reference page and whether it writes. */
export function describeStatement(id: string): { params: readonly string[]; doc: string; returns: string; writes: boolean } | undefined {
  const e = (CATALOG as Record<string, Entry<unknown>>)[id];
  return e && { params: e.params, doc: e.doc, returns: e.returns, writes: e.writes };
}

/** The procedure a statement calls, e.g. 'CONSUMER.CREATE_TEMPLATE_REQUEST'. */
export function procedureOf(sql: string): string {
  const m = /CALL\s+\w+\.(\w+\.\w+)\s*\(/i.exec(sql);
  return m ? m[1]!.toUpperCase() : sql.split(/\s+/).slice(0, 2).join(' ');
}
