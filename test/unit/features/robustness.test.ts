/**
 * Every feature at every offset of broken and odd inputs: no exception, and every span it
 * returns lies inside the document. Editors ask at positions users are halfway through.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../../core/src/analyze.ts';
import { doComplete, doHover, findDefinition, findDocumentSymbols, findReferences } from '../../../core/src/features/index.ts';
import type { Span } from '../../../core/src/text/span.ts';

const inputs: [string, string][] = [
  ['jinjasql', ''],
  ['jinjasql', '{{'],
  ['jinjasql', '{%'],
  ['jinjasql', '{{ x |'],
  ['jinjasql', '{% for %}{% endfor'],
  ['jinjasql', '{% macro (a, %}{{ a }}'],
  ['jinjasql', '{% set ns.x = %}{{ ns. }}{% if x is %}'],
  ['jinjasql', '{{ loop.index }}{% for a, b in c if a %}{{ loop. }}{% else %}{{ a }}{% endfor %}'],
  ['jinjasql', '{% call(x) m(1) %}{{ x }}{% endcall %}{% with a = 1 %}{{ a }}{% endwith %}{% filter upper %}{% endfilter %}'],
  ['jinjasql', '{# {{ x }} #}{% raw %}{{ y }}{% endraw %}SELECT p.a, c1.b FROM t p'],
  ['jinjasql', '{{ 1 / 0 }}{{ x | sqlsafe | join_policy }}{{ range(10**9) | list }}'],
  ['sql', "CALL samooha_by_snowflake_local_db.consumer.create_template_request('r', 't', 'SELECT {{ a | sqlsafe }} ''x'' {% set b = ''y'' %}{{ b }}');"],
  ['sql', "CALL samooha_by_snowflake_local_db.provider.add_custom_sql_template('r', 't', $$SELECT {{ a |"],
  ['yaml', 'spec_type: template\nname: t\ntemplate: |\n  SELECT {{ col | column_policy }}\n  FROM IDENTIFIER({{ source_table[0] }}) AS p1\n'],
];

function inside(span: Span, length: number, what: string): void {
  assert.ok(span.start >= 0 && span.start <= span.end && span.end <= length, `${what} span ${JSON.stringify(span)} outside 0..${length}`);
}

describe('features never throw', () => {
  for (const [languageId, text] of inputs) {
    test(`${languageId}: ${JSON.stringify(text.slice(0, 50))}`, () => {
      const model = parseDocument({ text, languageId });
      const symbols = findDocumentSymbols(model);
      const walk = (ss: typeof symbols): void => ss.forEach(s => (inside(s.span, text.length, 'symbol'), walk(s.children)));
      walk(symbols);
      for (let o = 0; o <= text.length; o++) {
        for (const allowRender of [true, false]) {
          const h = doHover(model, o, { allowRender, api: o % 2 ? 'legacy' : 'collaboration' });
          if (h) inside(h.span, text.length, 'hover');
        }
        const c = doComplete(model, o);
        if (c) inside(c.span, text.length, 'completion');
        findDefinition(model, o).forEach(s => inside(s, text.length, 'definition'));
        findReferences(model, o).forEach(s => inside(s, text.length, 'reference'));
      }
    });
  }
});
