/**
 * Running an analysis the way the documentation prescribes for who runs it and with which API:
 * - legacy, consumer-run: consumer.run_analysis;
 * - legacy, provider-run: provider.submit_analysis_request, then check_analysis_status until
 *   COMPLETED, then get_analysis_result (the consumer enabled the template beforehand with
 *   consumer.enable_templates_for_provider_run);
 * - legacy activation (an activation template): consumer.run_activation, after checking that
 *   the provider allows activation for the template (its activation policy);
 * - legacy multi-provider: consumer.prepare_multiprovider_flow, and once every provider has
 *   processed the request, consumer.execute_multiprovider_flow (a separate step: never right
 *   after preparing);
 * - Collaboration API: COLLABORATION.RUN with an analysis spec (template ID, source and local
 *   tables, arguments, and for an activation template the destination and segment), after
 *   USE SECONDARY ROLES NONE.
 * Each flow can be planned without a session (dry runs show exactly what would be sent).
 */
import { stringify as toYaml } from 'yaml';
import { statement, type Statement } from './catalog.js';
import type { CallOptions, QueryResult, Session } from './driver.js';
import { GatewayError } from './errors.js';
import type { Api, AnalysisInput, StepResult } from './operations.js';
import { readPolicyResult, type Side } from './policies.js';

/** Statements that set the session up as the API's documentation asks, before anything else. */
export function sessionSetup(api: Api): Statement[] {
  return api === 'collaboration' ? [statement('session.use_secondary_roles_none', {})] : [];
}

export type AnalysisKind = 'consumer-run' | 'provider-run' | 'activation' | 'multiprovider' | 'collaboration' | 'collaboration-activation';

export interface AnalysisRequest extends AnalysisInput {
  api: Api;
  runAs: Side;
  /** The template text, to tell an activation template from an analysis template. */
  templateText?: string;
  /** Collaboration API: the registered template ID ({name}_{version}); default: templateName. */
  templateId?: string;
  /** Provider-run: the consumer's account locator. */
  consumer?: string;
  /** Activation: the segment name; legacy: who receives it; Collaboration: the destination alias. */
  activation?: { segment?: string; to?: 'consumer' | 'provider'; collaborator?: string };
  /** Multi-provider: which step. */
  step?: 'prepare' | 'execute';
}

/**
 * An activation template creates `cleanroom.activation_data_*` (legacy names start with
 * "activation"; Collaboration specs say `type: sql_activation`).
 */
export function isActivationTemplate(name: string, text?: string): boolean {
  if (/^activation/i.test(name)) return true;
  if (text === undefined) return false;
  return /\bcleanroom\s*\.\s*activation_data_/i.test(text) || /^\s*type\s*:\s*sql_activation\s*$/m.test(text);
}

export function analysisKind(r: AnalysisRequest): AnalysisKind {
  const activation = isActivationTemplate(r.templateName, r.templateText);
  if (r.api === 'collaboration') return activation ? 'collaboration-activation' : 'collaboration';
  if (r.cleanrooms.length > 1) return 'multiprovider';
  if (activation) return 'activation';
  return r.runAs === 'provider' ? 'provider-run' : 'consumer-run';
}

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

function split(a: AnalysisInput): { providerTables: string[]; consumerTables: string[]; rest: Record<string, unknown> } {
  const { source_table, my_table, ...rest } = a.arguments;
  return { providerTables: asStrings(source_table), consumerTables: asStrings(my_table), rest };
}

/** The analysis spec COLLABORATION.RUN takes (the documented schema; empty sections left out). */
export function analysisSpec(r: AnalysisRequest): string {
  const { providerTables, consumerTables, rest } = split(r);
  const configuration: Record<string, unknown> = {};
  if (providerTables.length) configuration.view_mappings = { source_tables: providerTables };
  if (consumerTables.length) configuration.local_view_mappings = { my_tables: consumerTables };
  if (Object.keys(rest).length) configuration.arguments = rest;
  if (analysisKind(r) === 'collaboration-activation') {
    const { segment, collaborator } = r.activation ?? {};
    if (!segment || !collaborator)
      throw new GatewayError(
        'config',
        `'${r.templateName}' is an activation template: the analysis spec needs the destination collaborator and a segment name (--activate-to ALIAS --segment NAME); the collaboration spec must list the destination under activation_destinations`,
      );
    configuration.activation = { snowflake_collaborator: collaborator, segment_name: segment };
  }
  const spec: Record<string, unknown> = { api_version: '2.0.0', spec_type: 'analysis', template: r.templateId ?? r.templateName };
  if (Object.keys(configuration).length) spec.template_configuration = configuration;
  return toYaml(spec, { lineWidth: 0 });
}

export interface AnalysisPlan {
  kind: AnalysisKind;
  /** Read-only statements sent first to check the set-up (a dry run may send them). */
  checks: Statement[];
  /** What runs the analysis, in order; provider-run polls check_analysis_status in between. */
  statements: Statement[];
}

export function analysisPlan(r: AnalysisRequest): AnalysisPlan {
  const kind = analysisKind(r);
  const cleanroom = r.cleanrooms[0]!;
  const template = r.templateName;
  const { providerTables, consumerTables, rest } = split(r);
  switch (kind) {
    case 'collaboration':
    case 'collaboration-activation':
      if (r.cleanrooms.length !== 1)
        throw new GatewayError(
          'config',
          `a Collaboration analysis runs in one collaboration (got ${r.cleanrooms.length}); list the data providers' offerings in source_table instead`,
        );
      return {
        kind,
        checks: [],
        statements: [...sessionSetup('collaboration'), statement('collaboration.run', { collaboration: cleanroom, analysisSpec: analysisSpec(r) })],
      };
    case 'multiprovider': {
      const step = r.step ?? 'prepare';
      return {
        kind,
        checks: [],
        statements: [
          step === 'prepare'
            ? statement('consumer.prepare_multiprovider_flow', { cleanrooms: r.cleanrooms, template, arguments: r.arguments })
            : statement('consumer.execute_multiprovider_flow', { cleanrooms: r.cleanrooms }),
        ],
      };
    }
    case 'activation': {
      const segment = r.activation?.segment;
      if (!segment)
        throw new GatewayError(
          'config',
          `'${template}' is an activation template: it runs with consumer.run_activation and needs a segment name (--segment NAME)`,
        );
      return {
        kind,
        checks: providerTables.length ? [statement('consumer.view_provider_activation_policy', { cleanroom })] : [],
        statements: [
          statement('consumer.run_activation', {
            cleanroom,
            segment,
            template,
            consumerTables,
            providerTables,
            arguments: rest,
            consumerDirect: (r.activation?.to ?? 'consumer') === 'consumer',
          }),
        ],
      };
    }
    case 'provider-run': {
      if (!r.consumer) throw new GatewayError('config', `a provider-run analysis names the consumer whose clean room runs it: pass --consumer ACCOUNT_LOCATOR`);
      return {
        kind,
        checks: [],
        statements: [
          statement('provider.submit_analysis_request', { cleanroom, consumer: r.consumer, template, providerTables, consumerTables, arguments: rest }),
        ],
      };
    }
    default:
      return { kind, checks: [], statements: [statement('consumer.run_analysis', { cleanroom, template, consumerTables, providerTables, arguments: rest })] };
  }
}

export interface PollOptions {
  /** Milliseconds between status checks (provider-run). */
  intervalMs?: number;
  /** How many status checks before giving up (the request keeps running in Snowflake). */
  maxChecks?: number;
  /** Reports each status, e.g. to a progress bar. */
  onStatus?: (status: string, check: number) => void;
  /** Provider-run: follow an already submitted request instead of submitting a new one. */
  requestId?: string;
}

export interface AnalysisOutcome {
  kind: AnalysisKind;
  steps: StepResult[];
  /** The result table: the last step's, or get_analysis_result's for a provider-run analysis. */
  result: QueryResult;
  requestId?: string;
}

const delay = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new GatewayError('cancelled', 'waiting for the analysis: cancelled'));
    const onAbort = () => {
      clearTimeout(t);
      reject(new GatewayError('cancelled', 'waiting for the analysis: cancelled'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function firstValue(r: QueryResult): unknown {
  const row = r.rows[0];
  return row ? row[r.columns[0] ?? Object.keys(row)[0]!] : undefined;
}

/** Runs the planned flow; nothing is run when a set-up check fails. */
export async function runAnalysisFlow(session: Session, r: AnalysisRequest, opts: CallOptions & PollOptions = {}): Promise<AnalysisOutcome> {
  const plan = analysisPlan(r);
  const steps: StepResult[] = [];
  const run = async (s: Statement) => {
    const result = await session.run(s, opts);
    steps.push({ statement: s, result });
    return result;
  };
  for (const s of plan.checks) {
    const result = await run(s);
    if (s.id === 'consumer.view_provider_activation_policy') {
      const allowed = readPolicyResult(result, 'activation', s.id).filter(e => e.split(':')[0]!.toUpperCase() === r.templateName.toUpperCase());
      if (!allowed.length)
        throw new GatewayError(
          'missing-setup',
          `activation of '${r.templateName}' in '${r.cleanrooms[0]}' is not set up: the provider's activation policy allows no column for this template (the provider sets it with provider.set_activation_policy${(r.activation?.to ?? 'consumer') === 'provider' ? ", requests consent with provider.request_provider_activation_consent, and you approve it with 'dcr setup approve-activation-consent'" : ''}); nothing was run`,
        );
    }
  }
  if (plan.kind !== 'provider-run') {
    let result: QueryResult = { columns: [], rows: [] };
    for (const s of plan.statements) result = await run(s);
    return { kind: plan.kind, steps, result };
  }
  const cleanroom = r.cleanrooms[0]!;
  const consumer = r.consumer!;
  let requestId = opts.requestId;
  if (!requestId) {
    const submitted = await run(plan.statements[0]!);
    const id = firstValue(submitted);
    if (typeof id !== 'string' || !id.trim())
      throw new GatewayError('sql', `provider.submit_analysis_request returned no request ID (got ${JSON.stringify(id ?? null)})`);
    requestId = id.trim();
  }
  const maxChecks = opts.maxChecks ?? 120;
  const interval = opts.intervalMs ?? 5000;
  for (let check = 1; ; check++) {
    const status = String(firstValue(await run(statement('provider.check_analysis_status', { cleanroom, requestId, consumer }))) ?? '').trim();
    opts.onStatus?.(status, check);
    if (/^COMPLETED$/i.test(status)) break;
    if (/FAIL|ERROR|REJECT/i.test(status)) throw new GatewayError('sql', `provider-run analysis ${requestId} in '${cleanroom}' ended with status ${status}`);
    if (check >= maxChecks)
      throw new GatewayError(
        'timeout',
        `provider-run analysis ${requestId} in '${cleanroom}' is still ${status || 'not reported'} after ${check} status check(s); it keeps running in Snowflake: follow it later with --request ${requestId}`,
      );
    if (interval > 0) await delay(interval, opts.signal);
  }
  const result = await run(statement('provider.get_analysis_result', { cleanroom, requestId, consumer }));
  return { kind: plan.kind, steps, result, requestId };
}
