/**
 * Which Collaboration alias each legacy table alias becomes. The legacy API numbers aliases
 * from 0 (`p`/`p0` is source_table[0], `pN` is source_table[N]); the Collaboration API from 1
 * (`p`/`p1` is source_table[0], `pN` is source_table[N-1]); the same for `c` and my_table.
 * The map is read from what each alias stands for in a legacy render, not from its spelling,
 * because multi-provider templates already number their aliases from 1 (`p{{ loop.index }}`)
 * and must keep them; the spelling rule is only the fallback for aliases no render defines.
 * When the runner's own tables must change lists (a provider-run analysis: the provider's
 * tables become my_table), the letters swap too.
 */
import { SqlAliases } from '../profile/aliases.js';
import { segmentAt } from '../jinja/index.js';
import type { OutputSegment } from '../jinja/runtime/values.js';
import { normIdent } from '../profile/parse.js';

export type AliasMap = Map<string, string>;

export interface AliasEvidence {
  map: AliasMap;
  /** Aliases whose target the renders disagree on (the same alias for different tables). */
  conflicts: string[];
  /** Conventional aliases found in the SQL that no render tied to a source_table/my_table entry. */
  unresolved: string[];
}

const CONVENTIONAL = /^([pc])(\d*)$/i;

/** Aliases of one render: each `p…`/`c…` alias defined in the SQL, by the list entry it reads. */
export function aliasesOfRender(sql: string, sources: readonly string[], mine: readonly string[], swap: boolean, into: AliasEvidence): void {
  const aliases = new SqlAliases(sql);
  const index = (list: readonly string[], table: string) => {
    const exact = list.indexOf(table);
    if (exact >= 0) return exact;
    const want = normIdent(table);
    return list.findIndex(e => normIdent(e) === want);
  };
  for (const d of aliases.defs) {
    if (!CONVENTIONAL.test(d.alias)) continue;
    if (d.table === null) {
      if (!into.map.has(d.alias) && !into.unresolved.includes(d.alias)) into.unresolved.push(d.alias);
      continue;
    }
    const s = index(sources, d.table);
    const m = s < 0 ? index(mine, d.table) : -1;
    let target: string | null = null;
    if (s >= 0) target = `${swap ? 'c' : 'p'}${s + 1}`;
    else if (m >= 0) target = `${swap ? 'p' : 'c'}${m + 1}`;
    // The alias's own name (`FROM t p`) is a self entry of a real table, not an alias use.
    if (target === null) continue;
    const prev = into.map.get(d.alias);
    if (prev !== undefined && prev !== target) {
      if (!into.conflicts.includes(d.alias)) into.conflicts.push(d.alias);
      continue;
    }
    into.map.set(d.alias, target);
    into.unresolved = into.unresolved.filter(a => a !== d.alias);
  }
}

export function emptyEvidence(): AliasEvidence {
  return { map: new Map(), conflicts: [], unresolved: [] };
}

/** The documented renumbering for an alias no render resolved: `p`/`p0` → `p1`, `pN` → `pN+1`. */
export function conventionalTarget(alias: string, swap: boolean): string | null {
  const m = CONVENTIONAL.exec(alias);
  if (!m) return null;
  const letter = m[1]!.toLowerCase() === 'p' ? (swap ? 'c' : 'p') : swap ? 'p' : 'c';
  const n = m[2] === '' ? 0 : Number(m[2]);
  return `${letter}${n + 1}`;
}

/** `p` → `P1` when the alias was written in upper case. */
export function sameCase(written: string, target: string): string {
  return written[0] === written[0]!.toUpperCase() && written[0] !== written[0]!.toLowerCase() ? target.toUpperCase() : target;
}

/**
 * Template offsets where a render defines a `p…`/`c…` table alias in literal template text
 * (`AS p` after a FROM item). Only these and `alias.` references are renamed in the text, so
 * a column alias that happens to be spelled `c` (`COUNT(*) AS c`) keeps its name.
 */
export function aliasDefOffsets(sql: string, segments: readonly OutputSegment[], into: Set<number>): void {
  for (const d of new SqlAliases(sql).defs) {
    if (!CONVENTIONAL.test(d.alias)) continue;
    const seg = segmentAt(segments, d.span.start);
    if (!seg || seg.kind !== 'text' || d.span.end > seg.end) continue;
    into.add(seg.source.start + (d.span.start - seg.start));
  }
}
