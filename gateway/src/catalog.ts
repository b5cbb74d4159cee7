/**
 * Every statement the extension and the CLI send to Snowflake, in one table: the SQL text
 * (fixed, with `?` placeholders) and how its bind values are built. Nothing a user typed is
 * ever spliced into SQL text; template text, names and reasons travel only as binds. Arrays
 * and objects go as JSON text and are converted in SQL with PARSE_JSON(?)::ARRAY / ::OBJECT,
 * because a procedure's ARRAY/OBJECT parameter does not accept a VARIANT bind as is.
 */
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
}

const DB = 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB';
const ARRAY = 'PARSE_JSON(?)::ARRAY';
const OBJECT = 'PARSE_JSON(?)::OBJECT';
const json = (v: unknown): string => JSON.stringify(v);

type Room = { cleanroom: string };
type RoomTemplate = Room & { template: string };
type Policy = Room & { entries: string[] };

const entry = <A>(sql: string, binds: (a: A) => BindValue[]): Entry<A> => ({ sql, binds });
const room = (schema: string, proc: string) => entry<Room>(`CALL ${DB}.${schema}.${proc}(?)`, a => [a.cleanroom]);
const roomTemplate = (schema: string, proc: string) => entry<RoomTemplate>(`CALL ${DB}.${schema}.${proc}(?, ?)`, a => [a.cleanroom, a.template]);
const setPolicy = (schema: string, proc: string) => entry<Policy>(`CALL ${DB}.${schema}.${proc}(?, ${ARRAY})`, a => [a.cleanroom, json(a.entries)]);

export const CATALOG = {
  'session.whoami': entry<Record<string, never>>(
    'SELECT CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_USER() AS "USER", CURRENT_ROLE() AS ROLE, CURRENT_WAREHOUSE() AS WAREHOUSE, CURRENT_VERSION() AS VERSION',
    () => [],
  ),

  // ---- legacy consumer
  'consumer.create_template_request': entry<RoomTemplate & { definition: string }>(
    `CALL ${DB}.CONSUMER.CREATE_TEMPLATE_REQUEST(?, ?, ?)`,
    a => [a.cleanroom, a.template, a.definition],
  ),
  'consumer.list_template_requests': room('CONSUMER', 'LIST_TEMPLATE_REQUESTS'),
  'consumer.view_added_templates': room('CONSUMER', 'VIEW_ADDED_TEMPLATES'),
  'consumer.view_template_definition': roomTemplate('CONSUMER', 'VIEW_TEMPLATE_DEFINITION'),
  'consumer.get_arguments_from_template': roomTemplate('CONSUMER', 'GET_ARGUMENTS_FROM_TEMPLATE'),
  'consumer.run_analysis': entry<RoomTemplate & { consumerTables: string[]; providerTables: string[]; arguments: Record<string, unknown> }>(
    `CALL ${DB}.CONSUMER.RUN_ANALYSIS(?, ?, ${ARRAY}, ${ARRAY}, ${OBJECT})`,
    a => [a.cleanroom, a.template, json(a.consumerTables), json(a.providerTables), json(a.arguments)],
  ),
  'consumer.prepare_multiprovider_flow': entry<{ cleanrooms: string[]; template: string; arguments: Record<string, unknown> }>(
    `CALL ${DB}.CONSUMER.PREPARE_MULTIPROVIDER_FLOW(${ARRAY}, ?, ${OBJECT})`,
    a => [json(a.cleanrooms), a.template, json(a.arguments)],
  ),
  'consumer.execute_multiprovider_flow': entry<{ cleanrooms: string[] }>(
    `CALL ${DB}.CONSUMER.EXECUTE_MULTIPROVIDER_FLOW(${ARRAY})`,
    a => [json(a.cleanrooms)],
  ),
  'consumer.view_provider_join_policy': room('CONSUMER', 'VIEW_PROVIDER_JOIN_POLICY'),
  'consumer.view_provider_column_policy': room('CONSUMER', 'VIEW_PROVIDER_COLUMN_POLICY'),
  'consumer.view_provider_activation_policy': room('CONSUMER', 'VIEW_PROVIDER_ACTIVATION_POLICY'),
  'consumer.view_join_policy': room('CONSUMER', 'VIEW_JOIN_POLICY'),
  'consumer.view_column_policy': room('CONSUMER', 'VIEW_COLUMN_POLICY'),
  'consumer.view_activation_policy': room('CONSUMER', 'VIEW_ACTIVATION_POLICY'),
  'consumer.view_provider_datasets': room('CONSUMER', 'VIEW_PROVIDER_DATASETS'),
  'consumer.view_consumer_datasets': room('CONSUMER', 'VIEW_CONSUMER_DATASETS'),
  'consumer.set_join_policy': setPolicy('CONSUMER', 'SET_JOIN_POLICY'),
  'consumer.set_column_policy': setPolicy('CONSUMER', 'SET_COLUMN_POLICY'),
  'consumer.set_activation_policy': setPolicy('CONSUMER', 'SET_ACTIVATION_POLICY'),

  // ---- legacy provider
  'provider.add_custom_sql_template': entry<RoomTemplate & { definition: string }>(
    `CALL ${DB}.PROVIDER.ADD_CUSTOM_SQL_TEMPLATE(?, ?, ?)`,
    a => [a.cleanroom, a.template, a.definition],
  ),
  'provider.list_template_requests': room('PROVIDER', 'LIST_TEMPLATE_REQUESTS'),
  'provider.list_pending_template_requests': room('PROVIDER', 'LIST_PENDING_TEMPLATE_REQUESTS'),
  'provider.approve_template_request': entry<Room & { requestId: string }>(
    `CALL ${DB}.PROVIDER.APPROVE_TEMPLATE_REQUEST(?, ?)`,
    a => [a.cleanroom, a.requestId],
  ),
  'provider.reject_template_request': entry<Room & { requestId: string; reason: string }>(
    `CALL ${DB}.PROVIDER.REJECT_TEMPLATE_REQUEST(?, ?, ?)`,
    a => [a.cleanroom, a.requestId, a.reason],
  ),
  'provider.view_added_templates': room('PROVIDER', 'VIEW_ADDED_TEMPLATES'),
  'provider.view_template_definition': roomTemplate('PROVIDER', 'VIEW_TEMPLATE_DEFINITION'),
  'provider.view_join_policy': room('PROVIDER', 'VIEW_JOIN_POLICY'),
  'provider.view_column_policy': room('PROVIDER', 'VIEW_COLUMN_POLICY'),
  'provider.view_activation_policy': room('PROVIDER', 'VIEW_ACTIVATION_POLICY'),
  'provider.view_provider_datasets': room('PROVIDER', 'VIEW_PROVIDER_DATASETS'),
  'provider.set_join_policy': setPolicy('PROVIDER', 'SET_JOIN_POLICY'),
  'provider.set_column_policy': setPolicy('PROVIDER', 'SET_COLUMN_POLICY'),
  'provider.set_activation_policy': setPolicy('PROVIDER', 'SET_ACTIVATION_POLICY'),
  'provider.view_multiprovider_requests': entry<Room & { consumer: string }>(
    `CALL ${DB}.PROVIDER.VIEW_MULTIPROVIDER_REQUESTS(?, ?)`,
    a => [a.cleanroom, a.consumer],
  ),
  'provider.process_multiprovider_request': entry<Room & { consumer: string; requestId: string }>(
    `CALL ${DB}.PROVIDER.PROCESS_MULTIPROVIDER_REQUEST(?, ?, ?)`,
    a => [a.cleanroom, a.consumer, a.requestId],
  ),

  // ---- Collaboration API
  'registry.register_template': entry<{ spec: string; registry?: string }>(
    `CALL ${DB}.REGISTRY.REGISTER_TEMPLATE(?)`,
    a => [a.spec],
  ),
  'registry.register_template_in': entry<{ spec: string; registry: string }>(
    `CALL ${DB}.REGISTRY.REGISTER_TEMPLATE(?, ?)`,
    a => [a.registry, a.spec],
  ),
  'collaboration.add_template_request': entry<{ collaboration: string; templateId: string; shareWith: string[] }>(
    `CALL ${DB}.COLLABORATION.ADD_TEMPLATE_REQUEST(?, ?, ${ARRAY})`,
    a => [a.collaboration, a.templateId, json(a.shareWith)],
  ),
  'collaboration.view_update_requests': entry<{ collaboration: string }>(`CALL ${DB}.COLLABORATION.VIEW_UPDATE_REQUESTS(?)`, a => [a.collaboration]),
  'collaboration.approve_update_request': entry<{ collaboration: string; requestId: string }>(
    `CALL ${DB}.COLLABORATION.APPROVE_UPDATE_REQUEST(?, ?)`,
    a => [a.collaboration, a.requestId],
  ),
  'collaboration.reject_update_request': entry<{ collaboration: string; requestId: string; reason: string }>(
    `CALL ${DB}.COLLABORATION.REJECT_UPDATE_REQUEST(?, ?, ?)`,
    a => [a.collaboration, a.requestId, a.reason],
  ),
  'collaboration.view_templates': entry<{ collaboration: string }>(`CALL ${DB}.COLLABORATION.VIEW_TEMPLATES(?)`, a => [a.collaboration]),
  'collaboration.view_data_offerings': entry<{ collaboration: string }>(`CALL ${DB}.COLLABORATION.VIEW_DATA_OFFERINGS(?)`, a => [a.collaboration]),
} as const;

export type StatementId = keyof typeof CATALOG;
type ArgsOf<K extends StatementId> = (typeof CATALOG)[K] extends Entry<infer A> ? A : never;

export function statement<K extends StatementId>(id: K, args: ArgsOf<K>): Statement {
  const e = CATALOG[id] as unknown as Entry<ArgsOf<K>>;
  return { id, sql: e.sql, binds: e.binds(args) };
}

/** The procedure a statement calls, e.g. 'CONSUMER.CREATE_TEMPLATE_REQUEST'. */
export function procedureOf(sql: string): string {
  const m = /CALL\s+\w+\.(\w+\.\w+)\s*\(/i.exec(sql);
  return m ? m[1]!.toUpperCase() : sql.split(/\s+/).slice(0, 2).join(' ');
}
