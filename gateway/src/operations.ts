/**
 * What the commands do, as sequences of catalog statements over a session. Each operation
 * can also describe its statements without running them (for --dry-run and confirmations).
 */
import { parse as parseYaml } from 'yaml';
import { statement, type Statement } from './catalog.js';
import type { QueryResult, Session, CallOptions } from './driver.js';
import { GatewayError } from './errors.js';
import { sessionSetup } from './flows.js';
import {
  collaborationPolicies,
  diffPolicy,
  offeringDatasets,
  POLICY_KEYS,
  readPolicyResult,
  tableNames,
  tablesFrom,
  type PolicyDiff,
  type PolicyKind,
  type Side,
  type SidePolicies,
} from './policies.js';

export type Api = 'legacy' | 'collaboration';

/**
 * Runs the API's session set-up (USE SECONDARY ROLES NONE for Collaboration) before an
 * operation. It is sent before every operation rather than once per session, so what an
 * operation sends does not depend on what ran before it on the same session.
 */
export async function ensureSessionSetup(session: Session, api: Api, opts: CallOptions = {}): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const s of sessionSetup(api)) out.push({ statement: s, result: await session.run(s, opts) });
  return out;
}

/** Runs a plan's statements in order. */
export async function runPlan(session: Session, plan: readonly Statement[], opts: CallOptions = {}): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const s of plan) out.push({ statement: s, result: await session.run(s, opts) });
  return out;
}

// ------------------------------------------------------------------ submit

export interface SubmitInput {
  api: Api;
  role: Side;
  /** Clean room (legacy) or collaboration (Collaboration API) name. */
  cleanroom: string;
  templateName: string;
  /** The template exactly as it will be stored (legacy). */
  template: string;
  /** The whole template-spec YAML (Collaboration API). */
  spec?: string;
  registry?: string;
  shareWith?: string[];
}

/** The template ID REGISTER_TEMPLATE will return: `{name}_{version}` from the spec. */
export function predictedTemplateId(spec: string): string {
  const doc = parseYaml(spec) as { name?: unknown; version?: unknown } | null;
  if (!doc || typeof doc.name !== 'string') throw new GatewayError('config', 'the template spec has no name');
  return doc.version === undefined ? doc.name : `${doc.name}_${String(doc.version)}`;
}

export function submitPlan(i: SubmitInput, templateId?: string): Statement[] {
  if (i.api === 'collaboration') {
    if (i.spec === undefined)
      throw new GatewayError('config', 'the Collaboration API registers a template-spec YAML (spec_type: template); submit the spec file');
    const register = i.registry
      ? statement('registry.register_template_in', { registry: i.registry, spec: i.spec })
      : statement('registry.register_template', { spec: i.spec });
    return [
      ...sessionSetup('collaboration'),
      register,
      statement('collaboration.add_template_request', {
        collaboration: i.cleanroom,
        templateId: templateId ?? predictedTemplateId(i.spec),
        shareWith: i.shareWith ?? [],
      }),
    ];
  }
  const args = { cleanroom: i.cleanroom, template: i.templateName, definition: i.template };
  return [i.role === 'provider' ? statement('provider.add_custom_sql_template', args) : statement('consumer.create_template_request', args)];
}

export interface StepResult {
  statement: Statement;
  result: QueryResult;
}

export async function submit(session: Session, i: SubmitInput, opts: CallOptions = {}): Promise<StepResult[]> {
  const plan = submitPlan(i);
  if (i.api !== 'collaboration') return runPlan(session, plan, opts);
  // The proposal names the ID REGISTER_TEMPLATE returned, which may differ from the prediction.
  const steps = await runPlan(session, plan.slice(0, -1), opts);
  const returned = firstCell(steps[steps.length - 1]!.result);
  const templateId = typeof returned === 'string' && returned.trim() ? returned.trim() : predictedTemplateId(i.spec!);
  const add = submitPlan(i, templateId).at(-1)!;
  return [...steps, { statement: add, result: await session.run(add, opts) }];
}

export function firstCell(r: QueryResult): unknown {
  const row = r.rows[0];
  return row ? row[r.columns[0] ?? Object.keys(row)[0]!] : undefined;
}

// ------------------------------------------------------------------ requests

export interface TemplateRequest {
  id: string;
  templateName?: string;
  status?: string;
  reason?: string;
  /** Who asked (consumer) or who was asked (provider), as Snowflake names them. */
  party?: string;
  definition?: string;
  raw: Record<string, unknown>;
}

function pick(row: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const n of names) {
    const key = Object.keys(row).find(k => k.toUpperCase() === n);
    if (key !== undefined && row[key] !== null && row[key] !== undefined) return typeof row[key] === 'string' ? (row[key] as string) : JSON.stringify(row[key]);
  }
  return undefined;
}

export function toRequest(row: Record<string, unknown>, api: Api): TemplateRequest {
  if (api === 'collaboration') {
    const spec = pick(row, 'SPEC', 'TEMPLATE_SPEC');
    let templateName: string | undefined;
    let definition: string | undefined;
    if (spec) {
      try {
        const doc = parseYaml(spec) as { name?: string; version?: string; template?: string } | null;
        templateName = doc?.name;
        definition = typeof doc?.template === 'string' ? doc.template : undefined;
      } catch {
        // A spec we cannot read is still listed; it just has no definition to open.
      }
    }
    return {
      id: pick(row, 'ID', 'REQUEST_ID') ?? '',
      templateName,
      status: pick(row, 'STATUS'),
      reason: pick(row, 'APPROVAL_LOG', 'REASON'),
      party: pick(row, 'DETAILS'),
      definition,
      raw: row,
    };
  }
  return {
    id: pick(row, 'REQUEST_ID', 'ID') ?? '',
    templateName: pick(row, 'TEMPLATE_NAME'),
    status: pick(row, 'REQUEST_STATUS', 'STATUS'),
    reason: pick(row, 'REASON', 'REASON_FOR_REJECTION', 'REJECTION_REASON'),
    party: pick(row, 'CONSUMER_IDENTIFIER', 'CONSUMER_LOCATOR', 'PROVIDER_IDENTIFIER'),
    definition: pick(row, 'TEMPLATE_DEFINITION'),
    raw: row,
  };
}

export interface ListRequestsInput {
  api: Api;
  role: Side;
  cleanroom: string;
  pendingOnly?: boolean;
}

export function listRequestsStatement(i: ListRequestsInput): Statement {
  if (i.api === 'collaboration') return statement('collaboration.view_update_requests', { collaboration: i.cleanroom });
  if (i.role === 'consumer') return statement('consumer.list_template_requests', { cleanroom: i.cleanroom });
  return i.pendingOnly
    ? statement('provider.list_pending_template_requests', { cleanroom: i.cleanroom })
    : statement('provider.list_template_requests', { cleanroom: i.cleanroom });
}

export async function listRequests(session: Session, i: ListRequestsInput, opts: CallOptions = {}): Promise<TemplateRequest[]> {
  await ensureSessionSetup(session, i.api, opts);
  const r = await session.run(listRequestsStatement(i), opts);
  let list = r.rows.map(row => toRequest(row, i.api));
  if (i.pendingOnly && (i.api === 'collaboration' || i.role === 'consumer')) list = list.filter(x => !x.status || /PENDING/i.test(x.status));
  return list;
}

export async function findRequest(session: Session, i: ListRequestsInput & { id: string }, opts: CallOptions = {}): Promise<TemplateRequest> {
  const all = await listRequests(session, { ...i, pendingOnly: false }, opts);
  const found = all.find(r => r.id === i.id);
  if (!found) throw new GatewayError('not-found', `no template request '${i.id}' in '${i.cleanroom}' (${all.length} request(s) listed)`);
  return found;
}

export interface DecideInput {
  api: Api;
  cleanroom: string;
  id: string;
  /** Set for a rejection (required by both APIs; may be empty for Collaboration). */
  reason?: string;
}

/** The decision with the API's session set-up before it. */
export function decisionPlan(i: DecideInput, approve: boolean): Statement[] {
  return [...sessionSetup(i.api), decisionStatement(i, approve)];
}

export function decisionStatement(i: DecideInput, approve: boolean): Statement {
  if (i.api === 'collaboration') {
    return approve
      ? statement('collaboration.approve_update_request', { collaboration: i.cleanroom, requestId: i.id })
      : statement('collaboration.reject_update_request', { collaboration: i.cleanroom, requestId: i.id, reason: i.reason ?? '' });
  }
  return approve
    ? statement('provider.approve_template_request', { cleanroom: i.cleanroom, requestId: i.id })
    : statement('provider.reject_template_request', { cleanroom: i.cleanroom, requestId: i.id, reason: i.reason ?? '' });
}

export async function decide(session: Session, i: DecideInput, approve: boolean, opts: CallOptions = {}): Promise<StepResult> {
  return (await runPlan(session, decisionPlan(i, approve), opts)).at(-1)!;
}

// ------------------------------------------------------------------ policies

const VIEW: Record<'provider' | 'consumerOwn' | 'consumerOfProvider', Record<PolicyKind, Parameters<typeof statement>[0]>> = {
  provider: { join: 'provider.view_join_policy', column: 'provider.view_column_policy', activation: 'provider.view_activation_policy' },
  consumerOwn: { join: 'consumer.view_join_policy', column: 'consumer.view_column_policy', activation: 'consumer.view_activation_policy' },
  consumerOfProvider: {
    join: 'consumer.view_provider_join_policy',
    column: 'consumer.view_provider_column_policy',
    activation: 'consumer.view_provider_activation_policy',
  },
};
const SET: Record<
  Side,
  Record<
    PolicyKind,
    | 'provider.set_join_policy'
    | 'provider.set_column_policy'
    | 'provider.set_activation_policy'
    | 'consumer.set_join_policy'
    | 'consumer.set_column_policy'
    | 'consumer.set_activation_policy'
  >
> = {
  provider: { join: 'provider.set_join_policy', column: 'provider.set_column_policy', activation: 'provider.set_activation_policy' },
  consumer: { join: 'consumer.set_join_policy', column: 'consumer.set_column_policy', activation: 'consumer.set_activation_policy' },
};
const KINDS: PolicyKind[] = ['join', 'column', 'activation'];

async function readPolicies(session: Session, which: keyof typeof VIEW, cleanroom: string, opts: CallOptions): Promise<SidePolicies> {
  const out: SidePolicies = {};
  for (const kind of KINDS) {
    const s = statement(VIEW[which][kind] as 'provider.view_join_policy', { cleanroom });
    out[POLICY_KEYS[kind]] = readPolicyResult(await session.run(s, opts), kind, s.id);
  }
  return out;
}

export interface PulledPolicies {
  provider: SidePolicies;
  consumer?: SidePolicies;
}

/**
 * Live policies and tables. A provider reads its own; a consumer reads the provider's (as the
 * clean room shows them) and its own.
 */
export async function pullPolicies(
  session: Session,
  i: { role: Side; cleanroom: string; existing?: { provider?: SidePolicies; consumer?: SidePolicies } },
  opts: CallOptions = {},
): Promise<PulledPolicies> {
  const { cleanroom } = i;
  if (i.role === 'provider') {
    const provider = await readPolicies(session, 'provider', cleanroom, opts);
    const datasets = await session.run(statement('provider.view_provider_datasets', { cleanroom }), opts);
    provider.tables = tablesFrom(tableNames(datasets.rows), provider, i.existing?.provider?.tables);
    return { provider };
  }
  const provider = await readPolicies(session, 'consumerOfProvider', cleanroom, opts);
  const providerSets = await session.run(statement('consumer.view_provider_datasets', { cleanroom }), opts);
  provider.tables = tablesFrom(tableNames(providerSets.rows), provider, i.existing?.provider?.tables);
  const consumer = await readPolicies(session, 'consumerOwn', cleanroom, opts);
  const consumerSets = await session.run(statement('consumer.view_consumer_datasets', { cleanroom }), opts);
  consumer.tables = tablesFrom(tableNames(consumerSets.rows), consumer, i.existing?.consumer?.tables);
  return { provider, consumer };
}

/** The template names of a collaboration (VIEW_TEMPLATES: the spec's name, else the template ID). */
export function collaborationTemplateNames(rows: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  for (const row of rows) {
    let name: string | undefined;
    const spec = pick(row, 'TEMPLATE_SPEC', 'SPEC');
    if (spec) {
      try {
        const doc = parseYaml(spec) as { name?: unknown } | null;
        if (typeof doc?.name === 'string') name = doc.name;
      } catch {
        // Fall back to the ID below.
      }
    }
    name ??= pick(row, 'NAME', 'TEMPLATE_NAME', 'TEMPLATE_ID');
    if (name && !out.some(n => n.toLowerCase() === name!.toLowerCase())) out.push(name);
  }
  return out;
}

/**
 * Collaboration API: the policies of a collaboration's data offerings (VIEW_DATA_OFFERINGS)
 * for every template it has (VIEW_TEMPLATES, plus the profile's `templates`), in the profile's
 * shape on the provider side; see collaborationPolicies for the mapping.
 */
export async function pullCollaborationPolicies(
  session: Session,
  i: { collaboration: string; templates?: string[]; existing?: { provider?: SidePolicies } },
  opts: CallOptions = {},
): Promise<PulledPolicies & { templates: string[] }> {
  await ensureSessionSetup(session, 'collaboration', opts);
  const offerings = await session.run(statement('collaboration.view_data_offerings', { collaboration: i.collaboration }), opts);
  if (!offerings.rows.length)
    throw new GatewayError(
      'not-found',
      `VIEW_DATA_OFFERINGS returned no data offerings for '${i.collaboration}': no policies can be read, so nothing was written (are offerings linked, and has every data provider joined?)`,
    );
  const listed = await session.run(statement('collaboration.view_templates', { collaboration: i.collaboration }), opts);
  const templates = collaborationTemplateNames(listed.rows);
  for (const t of i.templates ?? []) if (!templates.some(n => n.toLowerCase() === t.toLowerCase())) templates.push(t);
  const provider = collaborationPolicies(offeringDatasets(offerings.rows, parseYaml, offerings.columns), templates, i.existing?.provider?.tables);
  return { provider, templates };
}

export interface SetPoliciesInput {
  role: Side;
  cleanroom: string;
  desired: SidePolicies;
}

export function setPolicyStatements(i: SetPoliciesInput, diffs: PolicyDiff[]): Statement[] {
  return diffs
    .filter(d => d.added.length || d.removed.length)
    .map(d => statement(SET[i.role][d.kind], { cleanroom: i.cleanroom, entries: i.desired[POLICY_KEYS[d.kind]] ?? [] }));
}

/** Diffs the live policies against the profile; only the kinds the profile states are touched. */
export async function policyDiffs(session: Session, i: SetPoliciesInput, opts: CallOptions = {}): Promise<PolicyDiff[]> {
  const diffs: PolicyDiff[] = [];
  const which = i.role === 'provider' ? 'provider' : 'consumerOwn';
  for (const kind of KINDS) {
    const desired = i.desired[POLICY_KEYS[kind]];
    if (desired === undefined) continue;
    const s = statement(VIEW[which][kind] as 'provider.view_join_policy', { cleanroom: i.cleanroom });
    diffs.push(diffPolicy(kind, readPolicyResult(await session.run(s, opts), kind, s.id), desired));
  }
  return diffs;
}

export async function applyPolicies(session: Session, i: SetPoliciesInput, diffs: PolicyDiff[], opts: CallOptions = {}): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const s of setPolicyStatements(i, diffs)) out.push({ statement: s, result: await session.run(s, opts) });
  return out;
}

// ------------------------------------------------------------------ analyses (see flows.ts)

export interface AnalysisInput {
  cleanrooms: string[];
  templateName: string;
  arguments: Record<string, unknown>;
}

// ------------------------------------------------------------------ viewing

export function viewTemplatesStatement(api: Api, role: Side, cleanroom: string): Statement {
  if (api === 'collaboration') return statement('collaboration.view_templates', { collaboration: cleanroom });
  return role === 'provider' ? statement('provider.view_added_templates', { cleanroom }) : statement('consumer.view_added_templates', { cleanroom });
}

export function templateDefinitionStatement(role: Side, cleanroom: string, template: string): Statement {
  return role === 'provider'
    ? statement('provider.view_template_definition', { cleanroom, template })
    : statement('consumer.view_template_definition', { cleanroom, template });
}

export async function runOne(session: Session, s: Statement, opts: CallOptions = {}): Promise<StepResult> {
  return { statement: s, result: await session.run(s, opts) };
}
