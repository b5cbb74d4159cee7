/**
 * Printing and lookups end to end (parser + evaluator + runtime), against Jinja2's output.
 * Kept small: the conformance suite covers whole templates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderString } from '../../../core/src/jinja/index.ts';
import { fixture } from './helpers.ts';

function render(source: string): string {
  const r = renderString(source, new Map(), { jinjasql: false });
  return r.error ? `ERR ${r.error.type}: ${r.error.message}` : (r.output ?? '');
}

test('printing and lookups match Jinja2', () => {
  const rows = fixture<[string, string][]>('printing.json');
  const failures: string[] = [];
  for (const [expr, want] of rows) {
    let got: string;
    if (want.startsWith('UNDEF')) got = render(`{% set v = ${expr} %}{{ v.zzz }}`).replace(/^ERR UndefinedError: /, 'UNDEF ');
    else if (want.endsWith('|True')) got = render(`{% set v = ${expr} %}{{ v }}|{{ v is defined }}`);
    else if (want.startsWith('ERR')) got = render(`{% set v = ${expr} %}{{ v }}`);
    else got = render(`{{ ${expr} }}`);
    // Python keeps big ints exact; we keep a double (documented divergence).
    if (expr === '2**70') continue;
    if (got !== want) failures.push(`${expr}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  assert.deepEqual(failures, []);
});

test('map/select family through templates', () => {
  const rows = fixture<[string, string][]>('filter_templates.json');
  const failures: string[] = [];
  for (const [expr, want] of rows) {
    const out = render(`{{ (${expr})|pprint }}`);
    const got = out.startsWith('ERR') ? out : JSON.stringify(out).replace(/^"|"$/g, '') && pyRepr(out);
    if (got !== want) failures.push(`${expr}: want ${want} got ${got}`);
  }
  assert.deepEqual(failures, []);
});

function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  return (
    quote +
    s
      .replace(/\\/g, '\\\\')
      .replace(new RegExp(quote, 'g'), '\\' + quote)
      .replace(/\n/g, '\\n') +
    quote
  );
}
