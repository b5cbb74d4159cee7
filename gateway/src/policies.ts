/**
 * Policies as the profile holds them (Snowflake's own strings: `DB.S.T:COL` for join,
 * `template:DB.S.T:COL` for column and activation), read back from view_* result rows,
 * compared with what the profile wants (set_* procedures replace the whole list, so the user
 * sees the diff first) and written into cleanrooms.json without disturbing the rest of it.
 */
import { applyEdits, modify, parse as parseJsonc, type FormattingOptions } from 'jsonc-parser';
import { GatewayError } from './errors.js';

export type PolicyKind = 'join' | 'column' | 'activation';
export type Side = 'provider' | 'consumer';

export interface SidePolicies {
  tables?: Record<string, string[]>;
  joinPolicy?: string[];
  columnPolicy?: string[];
  activationPolicy?: string[];
}

export const POLICY_KEYS: Record<PolicyKind, 'joinPolicy' | 'columnPolicy' | 'activationPolicy'> = {
  join: 'joinPolicy',
  column: 'columnPolicy',
  activation: 'activationPolicy',
};

function cell(row: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) {
    const key = Object.keys(row).find(k => k.toUpperCase() === n);
    if (key !== undefined && row[key] !== null && row[key] !== undefined && row[key] !== '') return row[key];
  }
  return undefined;
}

const asList = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.trim().startsWith('[')) {
    try {
      const parsed = JSON.parse(v) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON after all: treat it as one name.
    }
  }
  return v === undefined ? [] : [String(v)];
};

/**
 * Turns view_*_policy rows into policy strings. Rows that already hold the string form are
 * taken as is; otherwise the string is built from TEMPLATE_NAME / TABLE_NAME / COLUMN_NAME(S)
 * columns (the shape differs between procedures and releases).
 */
export function policyEntries(rows: readonly Record<string, unknown>[], kind: PolicyKind): string[] {
  return policyRows(rows, kind).entries;
}

/** The policy strings of view_*_policy rows, and the (0-based) rows none could be read from. */
export function policyRows(rows: readonly Record<string, unknown>[], kind: PolicyKind): { entries: string[]; unreadable: number[] } {
  const colons = kind === 'join' ? 1 : 2;
  const out: string[] = [];
  const unreadable: number[] = [];
  const add = (s: string) => {
    if (!out.some(x => x.toUpperCase() === s.toUpperCase())) out.push(s);
  };
  rows.forEach((row, index) => {
    const direct = Object.values(row).find(v => typeof v === 'string' && new RegExp(`^[^:\\s]+(:[^:\\s]+){${colons}}$`).test(v.trim()));
    if (typeof direct === 'string') {
      add(direct.trim());
      return;
    }
    let table = cell(row, 'TABLE_NAME', 'TABLE', 'SOURCE_TABLE', 'LINKED_TABLE', 'DATASET');
    if (table === undefined) {
      const db = cell(row, 'DATABASE_NAME', 'TABLE_CATALOG');
      const schema = cell(row, 'SCHEMA_NAME', 'TABLE_SCHEMA');
      const name = cell(row, 'OBJECT_NAME', 'VIEW_NAME');
      if (db && schema && name) table = `${db}.${schema}.${name}`;
    }
    const columns = asList(cell(row, 'COLUMN_NAME', 'COLUMN', 'COLUMN_NAMES', 'COLUMNS'));
    const template = cell(row, 'TEMPLATE_NAME', 'TEMPLATE', 'ANALYSIS_NAME');
    if (table === undefined || !columns.length || (kind !== 'join' && template === undefined)) {
      unreadable.push(index);
      return;
    }
    for (const c of columns) add(kind === 'join' ? `${table}:${c}` : `${template}:${table}:${c}`);
  });
  return { entries: out, unreadable };
}

/**
 * The policy strings of a view_*_policy result, or an error when a row cannot be read: a list
 * that silently lost entries would be taken as authoritative (and written, or diffed against).
 */
export function readPolicyResult(r: { columns: readonly string[]; rows: readonly Record<string, unknown>[] }, kind: PolicyKind, what: string): string[] {
  const { entries, unreadable } = policyRows(r.rows, kind);
  if (unreadable.length)
    throw new GatewayError(
      'sql',
      `${what}: ${unreadable.length} of ${r.rows.length} row(s) cannot be read as ${kind} policy entries (columns: ${(r.columns.length ? r.columns : Object.keys(r.rows[unreadable[0]!] ?? {})).join(', ') || 'none'}); nothing was written`,
    );
  return entries;
}

/** Tables named in dataset rows (LINKED_TABLE is what view_provider_datasets returns). */
export function tableNames(rows: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const t = cell(row, 'LINKED_TABLE', 'TABLE_NAME', 'SOURCE_TABLE', 'TABLE', 'DATASET', 'NAME');
    if (typeof t === 'string' && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Table → columns, from the tables we were told about plus every column a policy names. */
export function tablesFrom(tables: string[], policies: SidePolicies, existing: Record<string, string[]> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const addTable = (t: string) => {
    const key = Object.keys(out).find(k => k.toUpperCase() === t.toUpperCase()) ?? t;
    out[key] ??= [...(existing[key] ?? existing[Object.keys(existing).find(k => k.toUpperCase() === t.toUpperCase()) ?? ''] ?? [])];
    return key;
  };
  for (const t of Object.keys(existing)) addTable(t);
  for (const t of tables) addTable(t);
  const entries = [...(policies.joinPolicy ?? []), ...(policies.columnPolicy ?? []), ...(policies.activationPolicy ?? [])];
  for (const e of entries) {
    const parts = e.split(':');
    const column = parts.pop()!;
    const table = parts.pop();
    if (!table) continue;
    const key = addTable(table);
    if (!out[key]!.some(c => c.toUpperCase() === column.toUpperCase())) out[key]!.push(column);
  }
  return out;
}

export interface PolicyDiff {
  kind: PolicyKind;
  added: string[];
  removed: string[];
  unchanged: string[];
}

export function diffPolicy(kind: PolicyKind, live: readonly string[], desired: readonly string[]): PolicyDiff {
  const has = (list: readonly string[], s: string) => list.some(x => x.toUpperCase() === s.toUpperCase());
  return {
    kind,
    added: desired.filter(d => !has(live, d)),
    removed: live.filter(l => !has(desired, l)),
    unchanged: desired.filter(d => has(live, d)),
  };
}

export function formatDiff(d: PolicyDiff): string {
  const lines = [
    `${d.kind} policy: ${d.added.length || d.removed.length ? `${d.added.length} added, ${d.removed.length} removed` : 'no change'}, ${d.unchanged.length} kept`,
  ];
  for (const a of d.added) lines.push(`  + ${a}`);
  for (const r of d.removed) lines.push(`  - ${r}`);
  return lines.join('\n');
}

function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/**
 * Writes pulled policies for one side of one clean room into the profile text. Only the keys
 * pulled are replaced; comments, key order, other clean rooms and analyses stay as they were.
 */
export function writePulledPolicies(text: string, cleanroom: string, side: Side, pulled: SidePolicies): { text: string; changed: string[] } {
  const formattingOptions = formattingOf(text);
  let out = text.trim() ? text : '{}\n';
  const changed: string[] = [];
  const current = (parseJsonc(out) ?? {}) as { cleanrooms?: Record<string, Record<string, SidePolicies>> };
  const before = current.cleanrooms?.[cleanroom]?.[side] ?? {};
  for (const key of ['tables', 'joinPolicy', 'columnPolicy', 'activationPolicy'] as const) {
    const value = pulled[key];
    if (value === undefined) continue;
    if (JSON.stringify(before[key]) === JSON.stringify(value)) continue;
    out = applyEdits(out, modify(out, ['cleanrooms', cleanroom, side, key], value, { formattingOptions }));
    changed.push(key);
  }
  return { text: out, changed };
}

// ------------------------------------------------------------------ Collaboration API

const columnList = (v: unknown): string[] => {
  if (typeof v === 'string' && !v.trim().startsWith('['))
    return v
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
  return asList(v)
    .map(s => s.trim())
    .filter(Boolean);
};

interface OfferingDataset {
  table: string;
  join: string[];
  analysis: string[];
  activation: string[];
}

/** A dataset from a data-offering spec (YAML parsed by the caller): the categories decide. */
function fromSpecPolicies(policies: Record<string, { category?: string; activation_allowed?: boolean }>): Omit<OfferingDataset, 'table'> {
  const out = { join: [] as string[], analysis: [] as string[], activation: [] as string[] };
  for (const [col, p] of Object.entries(policies ?? {})) {
    if (/^join_/i.test(String(p?.category ?? ''))) out.join.push(col);
    else out.analysis.push(col);
    if (p?.activation_allowed === true) out.activation.push(col);
  }
  return out;
}

/** The VIEW_DATA_OFFERINGS columns the reference documents and we read; nothing else is guessed. */
export const OFFERING_COLUMNS = {
  view: 'TEMPLATE_VIEW_NAME',
  join: 'JOIN_COLUMNS',
  analysis: 'ANALYSIS_COLUMNS',
  activation: 'ACTIVATION_COLUMNS',
  spec: 'SPEC',
} as const;

/**
 * The datasets of VIEW_DATA_OFFERINGS rows. A row names its dataset by TEMPLATE_VIEW_NAME
 * (`alias.offering_id.dataset_alias`) and lists its join, analysis and activation columns; a
 * row that carries the data offering spec instead (SPEC, parsed by `parseSpec`) is read from
 * the spec's schema_and_template_policies. A row that is neither cannot be read: that is an
 * error naming the columns it has, never an empty policy (an empty policy would be
 * authoritative and turn every analysis into false "not allowed" findings).
 */
export function offeringDatasets(
  rows: readonly Record<string, unknown>[],
  parseSpec: (text: string) => unknown,
  columns: readonly string[] = [],
): OfferingDataset[] {
  const out: OfferingDataset[] = [];
  rows.forEach((row, index) => {
    const unreadable = (why: string) =>
      new GatewayError(
        'sql',
        `VIEW_DATA_OFFERINGS row ${index + 1} cannot be read (${why}; its columns: ${(columns.length ? columns : Object.keys(row)).join(', ') || 'none'}); expected ${OFFERING_COLUMNS.view} with ${OFFERING_COLUMNS.join}/${OFFERING_COLUMNS.analysis}/${OFFERING_COLUMNS.activation}, or ${OFFERING_COLUMNS.spec}; nothing was written`,
      );
    const view = cell(row, OFFERING_COLUMNS.view);
    const join = columnList(cell(row, OFFERING_COLUMNS.join));
    const analysis = columnList(cell(row, OFFERING_COLUMNS.analysis));
    const activation = columnList(cell(row, OFFERING_COLUMNS.activation));
    if (view !== undefined && (join.length || analysis.length || activation.length)) {
      out.push({ table: String(view), join, analysis, activation });
      return;
    }
    const spec = cell(row, OFFERING_COLUMNS.spec);
    if (typeof spec !== 'string') throw unreadable(view === undefined ? 'no template view name and no spec' : 'no column lists and no spec');
    let doc: {
      datasets?: {
        alias?: string;
        data_object_fqn?: string;
        schema_and_template_policies?: Record<string, { category?: string; activation_allowed?: boolean }>;
      }[];
    } | null;
    try {
      doc = parseSpec(spec) as typeof doc;
    } catch (err) {
      throw unreadable(`its spec is not YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
    }
    if (!doc || !Array.isArray(doc.datasets)) throw unreadable('its spec has no datasets');
    // A row with a view name stands for one dataset (matched by alias, the view name's last
    // part); a row without one stands for the whole offering, named by data_object_fqn.
    const alias = typeof view === 'string' ? view.split('.').pop() : undefined;
    let found = 0;
    for (const d of doc.datasets) {
      if (typeof view === 'string' && String(d.alias ?? '').toUpperCase() !== String(alias).toUpperCase()) continue;
      const name = typeof view === 'string' ? view : d.data_object_fqn;
      if (!name) continue;
      out.push({ table: name, ...fromSpecPolicies(d.schema_and_template_policies ?? {}) });
      found++;
    }
    if (!found) throw unreadable(typeof view === 'string' ? `its spec has no dataset '${alias}'` : 'its spec names no data_object_fqn');
  });
  return out;
}

/**
 * Collaboration API: policies are not set with procedures but come from the data offerings
 * (the data offering specification: categories and activation_allowed). They are written
 * in the legacy profile shape so the same checks apply:
 * - the table is the dataset's template view name, because that is what analyses pass in
 *   source_table and what the policy filters see; the provider's data_object_fqn is used only
 *   when the view returns no view name;
 * - join columns → joinPolicy `VIEW:COL`;
 * - analysis columns → columnPolicy `template:VIEW:COL` for every template of the
 *   collaboration (an offering's analysis columns are allowed for any template, while the
 *   profile's column policy is per template);
 * - activation columns → activationPolicy `template:VIEW:COL` likewise;
 * - tables: every dataset with the union of its columns (existing column lists are kept).
 * Everything lands on the provider side: the shared datasets are the source_table side.
 */
export function collaborationPolicies(
  datasets: readonly OfferingDataset[],
  templates: readonly string[],
  existingTables?: Record<string, string[]>,
): SidePolicies {
  const joinPolicy: string[] = [];
  const columnPolicy: string[] = [];
  const activationPolicy: string[] = [];
  const add = (list: string[], s: string) => {
    if (!list.some(x => x.toUpperCase() === s.toUpperCase())) list.push(s);
  };
  for (const d of datasets) {
    for (const c of d.join) add(joinPolicy, `${d.table}:${c}`);
    for (const t of templates) {
      for (const c of d.analysis) add(columnPolicy, `${t}:${d.table}:${c}`);
      for (const c of d.activation) add(activationPolicy, `${t}:${d.table}:${c}`);
    }
  }
  const policies: SidePolicies = { joinPolicy, columnPolicy, activationPolicy };
  const tables = tablesFrom(
    datasets.map(d => d.table),
    {
      joinPolicy: datasets.flatMap(d => d.join.map(c => `${d.table}:${c}`)),
      columnPolicy: datasets.flatMap(d => [...d.analysis, ...d.activation].map(c => `_:${d.table}:${c}`)),
    },
    existingTables,
  );
  return { tables, ...policies };
}
