/**
 * How much of the rendered SQL of valid templates the SQL checker can verify, measured on
 * valid templates (docs/decisions/sql-parser.md). Prints
 * `sql: N renders, K verified, M could not verify (reason xN, …)`; asserts only that no
 * valid template gets a DCR2xx warning or error and that the rate stays useful.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '../../core/src/index.js';
import { renderSymbolic } from '../../core/src/index.js';
import { checkSql, sqlRules, templateKind, SourceMap } from '../../core/src/index.js';

const VALID = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus', 'valid');

describe('SQL verification coverage on the valid corpus', () => {
  it('prints the could-not-verify rate; no DCR2xx warning or error on a valid template', t => {
    let renders = 0;
    let verified = 0;
    const reasons = new Map<string, number>();
    const loud: string[] = [];
    for (const name of readdirSync(VALID).sort()) {
      if (!/\.(jinjasql|sql|ya?ml)$/.test(name)) continue;
      // Valid cases carry at most a metadata line (corpus README), no markers.
      const raw = readFileSync(join(VALID, name), 'utf8');
      const text = raw.replace(/^⟪[^⟫]*⟫\r?\n/, '');
      const api = /api=collaboration/.test(raw.split('\n')[0]!) || /\.ya?ml$/.test(name) ? 'collaboration' : 'legacy';
      for (const { region, parse } of parseDocument({ text, path: name }).templates) {
        if (parse.errors.length) continue;
        const ok = renderSymbolic(region.text, parse).renders.find(r => r.outcome.output !== null);
        if (!ok) continue;
        renders++;
        const sql = ok.outcome.output!;
        const map = new SourceMap(ok.outcome.segments, region.text);
        const check = checkSql(sql, map.bindAt);
        const findings = sqlRules(ok.outcome, { kind: templateKind(sql, region.meta.templateName, api), api, source: region.text });
        if (!findings.some(f => f.code === 'DCR200')) verified++;
        else {
          const label = check.unverified[0]?.label ?? 'other';
          reasons.set(label, (reasons.get(label) ?? 0) + 1);
        }
        for (const f of findings) if (f.severity === 'error' || f.severity === 'warning') loud.push(`${name}: ${f.code} ${f.message}`);
      }
    }
    const why = [...reasons]
      .sort((a, b) => b[1] - a[1])
      .map(([r, n]) => `${r} x${n}`)
      .join(', ');
    const line = `sql: ${renders} renders, ${verified} verified, ${renders - verified} could not verify${why ? ` (${why})` : ''}`;
    t.diagnostic(line);
    console.log(line);
    assert.deepEqual(loud, []);
    assert.ok(renders >= 45, line);
    // The rate is reported, not a target; this bound only catches a parser that stopped loading.
    assert.ok(verified / renders >= 0.5, line);
  });
});
