/**
 * Legacy-only constructs that change meaning under the Collaboration API, found on the
 * engine's sample renders (no profile needed):
 * - DCR114: a table alias numbered by the legacy convention (`p1` for source_table[1]); the
 *   Collaboration API reads `p1` as source_table[0], so policies would be checked against the
 *   wrong table. The quick fix renumbers every alias of the template at once.
 * - values of `dimensions`, `measure_column` and `where_clause` that reach the SQL without a
 *   policy filter: legacy clean rooms checked them against the column policy anyway; the
 *   Collaboration API checks only filtered values (reported by the migration).
 */
import type { Finding } from '../findings.js';
import type { Api } from '../settings.js';
import type { ParseResult } from '../jinja/parse.js';
import { renderSymbolic, type SymbolicResult } from '../jinja/symbolic.js';
import { finding, type Fix } from '../rules/finding.js';
import { aliasDefOffsets, aliasesOfRender, emptyEvidence, type AliasEvidence } from './aliasMap.js';
import { templateEdits } from './rewrite.js';

const IMPLICIT = /^(dimensions|measure_columns?|where_clause)(\[\d+\])?$/;
const POLICY = new Set(['join_policy', 'column_policy', 'activation_policy', 'join_and_column_policy']);

/** Alias evidence from the sample renders: which list entry each `p…`/`c…` alias reads. */
export function sampleAliasEvidence(symbolic: SymbolicResult, renders = Infinity, defs?: Set<number>): AliasEvidence {
  const ev = emptyEvidence();
  for (const r of symbolic.renders.slice(0, renders)) {
    const out = r.outcome.output;
    if (out === null) continue;
    if (defs) aliasDefOffsets(out, r.outcome.segments, defs);
    const list = (name: string) => {
      const items: string[] = [];
      for (const [n, path] of r.paths) {
        const m = new RegExp(`^${name}\\[(\\d+)\\]$`).exec(path);
        if (m) items[Number(m[1])] = `dcrdb.dcrschema.dcrsym${n}x`;
      }
      return items;
    };
    aliasesOfRender(out, list('source_table'), list('my_table'), false, ev);
  }
  return ev;
}

/** DCR114 on a template: legacy alias numbering, with a fix that renumbers every alias. */
export function legacyAliasRule(text: string, parsed: ParseResult, api: Api, symbolic?: SymbolicResult): Finding[] {
  if (parsed.errors.length) return [];
  // The first renders give every list 2, 1 and 3 entries: enough to see each alias's table,
  // and cheap enough to run on every edit.
  const defs = new Set<number>();
  const ev = sampleAliasEvidence(symbolic ?? renderSymbolic(text, parsed), 3, defs);
  // Legacy numbering: `pN` reads list[N], so its Collaboration name is `pN+1`. Under the
  // Collaboration API, `p` beside `p1` is DCR111's to explain (one mistake, one code).
  const legacyNumbered = [...ev.map].filter(
    ([a, b]) => /^[pc]\d+$/.test(a) && b[0] === a[0] && Number(b.slice(1)) === Number(a.slice(1)) + 1 && !(api === 'collaboration' && ev.map.has(a[0]!)),
  );
  if (!legacyNumbered.length) return [];
  const { edits } = templateEdits(text, parsed, ev.map, false, defs);
  if (!edits.length) return [];
  const fix: Fix = {
    title: 'Renumber the table aliases for the Collaboration API',
    edits: edits.map(e => ({ span: e.span, newText: e.text })),
    isPreferred: true,
  };
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const [alias, target] of legacyNumbered) {
    const at = edits.find(e => text.slice(e.span.start, e.span.end).toLowerCase() === alias);
    if (!at || seen.has(alias)) continue;
    seen.add(alias);
    const list = alias[0] === 'p' ? 'source_table' : 'my_table';
    const index = Number(target.slice(1)) - 1;
    const message =
      api === 'collaboration'
        ? `Alias '${alias}' reads ${list}[${index}], as the legacy API numbers aliases; under the Collaboration API '${alias}' means ${alias.slice(1) === '0' ? 'no documented table' : `${list}[${Number(alias.slice(1)) - 1}]`}, so policies are checked against the wrong table. Use '${target}'.`
        : `Alias '${alias}' reads ${list}[${index}] by the legacy numbering (p/p0 = the first table); the Collaboration API numbers from 1, so after a migration this alias must be '${target}'.`;
    const f = finding('DCR114', message, at.span, [fix]);
    if (api === 'collaboration') f.severity = 'warning';
    out.push(f);
  }
  return out;
}

/** Uses of dimensions / measure_column / where_clause that no policy filter checks. */
export function implicitChecks(text: string, parsed: ParseResult, symbolic?: SymbolicResult): Finding[] {
  if (parsed.errors.length) return [];
  const result = symbolic ?? renderSymbolic(text, parsed);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const r of result.renders) {
    const checked = new Set(r.checks.filter(c => POLICY.has(c.filter)).map(c => c.path));
    for (const u of r.uses) {
      if (!IMPLICIT.test(u.path) || checked.has(u.path)) continue;
      const key = `${u.source.start}:${u.source.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const name = u.path.replace(/\[\d+\]$/, '');
      const policy = name === 'where_clause' ? 'join_and_column_policy' : 'column_policy';
      out.push(
        finding(
          'DCR101',
          `${u.path} reaches the SQL with no policy filter at ${text.slice(u.source.start, u.source.end)}: add | ${policy} (after sqlsafe if there is one).`,
          u.source,
        ),
      );
    }
  }
  return out;
}
