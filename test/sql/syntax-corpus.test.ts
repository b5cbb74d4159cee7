/**
 * The SQL syntax proof corpus: valid Snowflake statements (as templates) must produce no
 * DCR201 and no DCR200; planted syntax errors must produce DCR201 exactly at the marked
 * template text. Prints acceptance and recall; any miss fails.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, analyzeDocument } from '../../core/src/index.js';
import { VALID as TEMPLATES, VALID_PLAIN } from './syntax/valid.js';

const VALID = [...TEMPLATES, ...VALID_PLAIN];
import { FAULTY } from './syntax/faulty.js';
import { parseStatementSyntax } from '../../core/src/index.js';
import { tokenizeSql } from '../../core/src/index.js';

function analyze(text: string) {
  return analyzeDocument(parseDocument({ text, path: 'case.jinjasql' }));
}

const lineOf = (text: string, off: number) => text.slice(0, off).split('\n').length;

describe('SQL syntax corpus', () => {
  it('valid Snowflake is neither an error nor unverified; planted errors are found at their token', t => {
    const problems: string[] = [];
    let accepted = 0;
    for (const text of VALID) {
      const bad = analyze(text).filter(f => f.code === 'DCR201' || f.code === 'DCR200');
      if (!bad.length) accepted++;
      for (const f of bad)
        problems.push(
          `valid case line ${lineOf(text, f.span.start)} "${text.slice(f.span.start, f.span.end)}": ${f.code} ${f.message}\n    ${text.slice(0, 120)}`,
        );
    }
    let found = 0;
    let extra = 0;
    for (const marked of FAULTY) {
      const a = marked.indexOf('⟦');
      const b = marked.indexOf('⟧') - 1;
      assert.ok(a >= 0 && b >= a, `a faulty case marks its token: ${marked}`);
      const text = marked.replace(/[⟦⟧]/g, '');
      const errors = analyze(text).filter(f => f.code === 'DCR201');
      const hit = errors.find(f => f.span.start === a && f.span.end === b);
      if (hit) found++;
      else
        problems.push(
          `faulty case: expected DCR201 at line ${lineOf(text, a)} "${text.slice(a, b)}", got ${errors.map(f => `"${text.slice(f.span.start, f.span.end)}" (${f.message})`).join('; ') || 'nothing'}\n    ${text.slice(0, 120)}`,
        );
      // One planted mistake, one finding.
      for (const f of errors) {
        if (f === hit) continue;
        extra++;
        problems.push(`faulty case: another DCR201 at "${text.slice(f.span.start, f.span.end)}": ${f.message}\n    ${text.slice(0, 120)}`);
      }
    }
    const line = `sql syntax: ${VALID.length} valid, acceptance ${(accepted / VALID.length).toFixed(2)}; ${FAULTY.length} planted errors, recall ${(found / FAULTY.length).toFixed(2)}, ${extra} extra`;
    t.diagnostic(line);
    console.log(line);
    assert.ok(TEMPLATES.length >= 80 && FAULTY.length >= 40, line);
    assert.deepEqual(problems, []);
  });
});

describe('SQL syntax parser on broken input', () => {
  it('every one-token deletion and duplication of the valid statements ends in a verdict, never a throw', () => {
    let variants = 0;
    let rejected = 0;
    const thrown: string[] = [];
    for (const sql of VALID_PLAIN) {
      const toks = tokenizeSql(sql);
      for (const t of toks) {
        for (const v of [sql.slice(0, t.start) + sql.slice(t.end), sql.slice(0, t.end) + ' ' + t.text + sql.slice(t.end)]) {
          variants++;
          try {
            const r = parseStatementSyntax(v);
            if (r.errors.length || r.unsupported) rejected++;
          } catch (e) {
            thrown.push(`${(e as Error).message}: ${v}`);
          }
        }
      }
    }
    console.log(`sql syntax mutations: ${variants} variants, ${rejected} rejected or unverified`);
    assert.ok(variants > 1000);
    assert.deepEqual(thrown, []);
  });
});
