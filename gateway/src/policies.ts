/**
 * Policies as the profile holds them (Snowflake's own strings: `DB.S.T:COL` for join,
 * `template:DB.S.T:COL` for column and activation), read back from view_* result rows,
 * compared with what the profile wants (set_* procedures replace the whole list, so the user
 * sees the diff first) and written into cleanrooms.json without disturbing the rest of it.
 */
import { applyEdits, modify, parse as parseJsonc, type FormattingOptions } from 'jsonc-parser';

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
  const colons = kind === 'join' ? 1 : 2;
  const out: string[] = [];
  const add = (s: string) => {
    if (!out.some(x => x.toUpperCase() === s.toUpperCase())) out.push(s);
  };
  for (const row of rows) {
    const direct = Object.values(row).find(v => typeof v === 'string' && new RegExp(`^[^:\\s]+(:[^:\\s]+){${colons}}$`).test(v.trim()));
    if (typeof direct === 'string') {
      add(direct.trim());
      continue;
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
    if (table === undefined || !columns.length) continue;
    if (kind !== 'join' && template === undefined) continue;
    for (const c of columns) add(kind === 'join' ? `${table}:${c}` : `${template}:${table}:${c}`);
  }
  return out;
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
  const lines = [`${d.kind} policy: ${d.added.length || d.removed.length ? `${d.added.length} added, ${d.removed.length} removed` : 'no change'}, ${d.unchanged.length} kept`];
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
