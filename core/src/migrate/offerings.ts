/**
 * A legacy clean room side as a data offering. Shared offerings (the other party's data,
 * read through source_table and policy-checked) take the side's legacy policies: join policy
 * columns become `join_custom` (which keeps the column's name; `join_standard` would rename
 * it to its column_type), column and activation policy columns `passthrough`, activation
 * policy columns `activation_allowed: true`; the view holds only listed columns. The runner's
 * own data is a local offering, which is not policy-checked, so it keeps every column.
 */
import type { ProfileCleanRoom, ProfileSide } from '../profile/types.js';
import { DEFAULT_VERSION, slugOf, unique } from './names.js';
import type { OfferingColumn } from './specs.js';

export type Side = 'provider' | 'consumer';

export interface Offering {
  room: string;
  side: Side;
  owner: string;
  name: string;
  id: string;
  /** Legacy table name -> view name. */
  views: Map<string, string>;
  /** View name -> columns (upper case). */
  columns: Map<string, string[]>;
  datasets: { alias: string; fqn: string; columns: Map<string, OfferingColumn> }[];
  shared: boolean;
}

export function buildOffering(
  room: ProfileCleanRoom,
  side: Side,
  owner: string,
  shared: boolean,
  names: Set<string>,
  change: (w: string, m: string) => void,
  decide: (w: string, m: string, r: string) => void,
): Offering {
  const name = unique(slugOf(`${room.name}_${side}`), names);
  const id = `${name}_${DEFAULT_VERSION}`;
  const where = `data offering '${name}'`;
  const s: ProfileSide = room[side];
  const o: Offering = { room: room.name, side, owner, name, id, views: new Map(), columns: new Map(), datasets: [], shared };
  const aliases = new Set<string>();
  const entryCols = (list: string[] | null, withTemplate: boolean, table: string) =>
    (list ?? [])
      .map(e => e.split(':'))
      .filter(p => normTable(p[withTemplate ? 1 : 0] ?? '') === normTable(table))
      .map(p => (p[withTemplate ? 2 : 1] ?? '').trim().toUpperCase());
  for (const [table, cols] of s.tables ?? []) {
    const alias = unique(slugOf(table.split('.').pop() ?? table), aliases);
    const join = new Set(entryCols(s.joinPolicy, false, table));
    const column = new Set(entryCols(s.columnPolicy, true, table));
    const activation = new Set(entryCols(s.activationPolicy, true, table));
    const columns = new Map<string, OfferingColumn>();
    const omitted: string[] = [];
    for (const c of cols) {
      if (join.has(c)) columns.set(c, { category: 'join_custom', ...(activation.has(c) ? { activation_allowed: true } : {}) });
      else if (column.has(c) || activation.has(c)) columns.set(c, { category: 'passthrough', ...(activation.has(c) ? { activation_allowed: true } : {}) });
      else omitted.push(c);
    }
    o.datasets.push({ alias, fqn: table, columns });
    o.views.set(normTable(table), `${owner}.${id}.${alias}`);
    if (!shared) {
      // The runner's own data is not checked under the Collaboration API; keep every column.
      for (const c of omitted) columns.set(c, { category: 'passthrough' });
      if (omitted.length)
        change(
          where,
          `${table}: columns ${omitted.join(', ')} (in no ${side} policy) are offered as passthrough: the runner's own data is a local offering, which is not policy-checked.`,
        );
    } else if (omitted.length) {
      change(
        where,
        `${table}: columns ${omitted.join(', ')} are in no ${side} policy and are not offered (the offering's view holds only listed columns, as the legacy policies allowed only listed columns to be checked).`,
      );
    }
    if (join.size)
      change(
        where,
        `${table}: join policy columns ${[...join].join(', ')} → category join_custom (keeps the column names; join_standard with a column_type would rename them).`,
      );
    if (column.size) change(where, `${table}: column policy columns ${[...column].join(', ')} → category passthrough.`);
    if (activation.size) change(where, `${table}: activation policy columns ${[...activation].join(', ')} → activation_allowed: true.`);
    if (shared) {
      if (s.joinPolicy === null)
        decide(
          where,
          `${table}: the profile has no ${side} join policy, so no column is offered for joins.`,
          'Pull the live policies (dcr policies pull) or list the join columns, then migrate again.',
        );
      if (s.columnPolicy === null)
        decide(
          where,
          `${table}: the profile has no ${side} column policy, so no column is offered for analysis.`,
          'Pull the live policies or list the columns, then migrate again.',
        );
      // Legacy column policies are per template; an offering allows its columns to every template.
      const perTemplate = new Map<string, Set<string>>();
      for (const e of s.columnPolicy ?? []) {
        const p = e.split(':');
        if (normTable(p[1] ?? '') !== normTable(table)) continue;
        const k = (p[0] ?? '').trim().toLowerCase();
        perTemplate.set(k, new Set([...(perTemplate.get(k) ?? []), (p[2] ?? '').trim().toUpperCase()]));
      }
      const templates = (room.templates ?? []).map(t => t.toLowerCase());
      const sets = templates.map(t => [...(perTemplate.get(t) ?? [])].sort().join(','));
      if (templates.length > 1 && new Set(sets).size > 1) {
        decide(
          where,
          `${table}: the legacy column policy allows different columns per template (${templates.map((t, i) => `${t}: ${sets[i] || 'none'}`).join('; ')}); the offering allows ${[...column].join(', ') || 'none'} to every template of the collaboration.`,
          'A data offering has one policy for all templates; split the data into several offerings or accept the wider policy.',
        );
      }
    }
    if (!columns.size)
      decide(where, `${table}: no column would be offered.`, 'schema_and_template_policies needs one or more columns; list the columns the templates may use.');
  }
  if (s.tables === null || !s.tables.size)
    decide(
      where,
      `The profile lists no ${side} tables for clean room '${room.name}'.`,
      'A data offering needs each table with its columns; pull them (dcr policies pull) and migrate again.',
    );
  return o;
}

export function normTable(t: string): string {
  return t.trim().toUpperCase();
}
