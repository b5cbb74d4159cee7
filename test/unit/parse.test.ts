// The parser reports every syntax error it can find, each at its exact range, and still
// returns a tree. Expected ranges are marked inline with ⟦ ⟧.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../core/src/jinja/parse.ts';
import { unmark } from './markers.ts';

const cases: { name: string; template: string; messages?: RegExp[] }[] = [
  { name: 'unterminated expression at end', template: 'SELECT ⟦{{ x ⟧', messages: [/expected '}}'/] },
  { name: 'single brace closing an expression', template: 'SELECT {{ x ⟦}⟧ FROM t', messages: [/unexpected '}'/] },
  { name: 'if without endif: at the opening tag', template: '⟦{% if x %}⟧a', messages: [/innermost block that needs to be closed is 'if'/] },
  { name: 'nested unclosed blocks: each at its tag', template: '⟦{% for a in b %}⟧⟦{% if c %}⟧x', messages: [/'for'/, /'if'/] },
  { name: 'end tag of the wrong block', template: '{% for a in b %}{% if c %}x⟦{% endfor %}⟧', messages: [/nesting mistake/] },
  { name: 'stray end tag', template: 'a ⟦{% endif %}⟧ b', messages: [/unknown tag 'endif'/] },
  { name: 'several errors in one template', template: 'a {{ 1 + ⟦}}⟧ b {{ ok }} c {% set ⟦=⟧ %} d', messages: [/Expected an expression/, /can't assign/] },
  { name: 'unknown tag', template: '⟦{% frobnicate x %}⟧', messages: [/unknown tag 'frobnicate'/] },
  { name: 'unclosed comment', template: 'a ⟦{# note⟧', messages: [/comment/] },
  { name: 'unterminated string', template: "{{ ⟦'⟧abc }}", messages: [/unexpected char/] },
  {
    name: 'valid template',
    template:
      "{% macro m(a, b=2) %}{{ a ~ b }}{% endmacro %}{% for k, v in d.items() if v %}{{ m(k) }}{% else %}-{% endfor %}{{ x[1:] }}{{ 'a' if y else 'b' }}",
  },
  { name: 'raw block is data', template: '{% raw %}{{ not parsed {% if %}{% endraw %}' },
  { name: 'include parses (fails at render, reported as DCR003)', template: "{% include 'x.sql' %}" },
];

for (const c of cases) {
  test(`parse: ${c.name}`, () => {
    const { text, ranges } = unmark(c.template);
    const r = parse(text);
    assert.deepEqual(
      r.errors.map(e => [e.span.start, e.span.end]),
      ranges.map(x => [x.start, x.end]),
      r.errors.map(e => `${e.span.start}-${e.span.end} ${e.message}`).join('\n'),
    );
    for (const e of r.errors) assert.equal(e.code, 'DCR001');
    c.messages?.forEach((m, i) => assert.match(r.errors[i]!.message, m));
    assert.equal(r.template.kind, 'Template');
  });
}

test('parse: every node span lies inside the text and covers its children', () => {
  const text =
    'SELECT {% for d in dims %}IDENTIFIER({{ d | column_policy }}){% if not loop.last %}, {% endif %}{% endfor %} FROM t WHERE x IN {{ xs | inclause }}';
  const r = parse(text);
  const walk = (n: unknown, parent?: { start: number; end: number }): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(x => walk(x, parent));
    const o = n as { span?: { start: number; end: number } };
    if (o.span && 'kind' in o) {
      assert.ok(o.span.start >= 0 && o.span.end <= text.length && o.span.start <= o.span.end);
      if (parent) assert.ok(o.span.start >= parent.start && o.span.end <= parent.end, JSON.stringify(o).slice(0, 80));
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'span' && k !== 'lastToken') walk(v, o.span && 'kind' in o ? o.span : parent);
  };
  walk(r.template.body);
});

test('parse: JinjaSQL auto-bind decision and parameter names come from the tokens', () => {
  const r = parse('{{ source_table[0] }}{{ x | sqlsafe }}{{ x | sqlsafe() }}{{ "," if a }}{{ not x }}');
  const outs = r.template.body.filter(n => n.kind === 'Output') as { lastToken: { value: string } | null; bindName: string }[];
  assert.deepEqual(
    outs.map(o => o.bindName),
    ['source_table', 'x', 'x', 'bind#0', 'notx'],
  );
  assert.deepEqual(
    outs.map(o => o.lastToken?.value),
    [']', 'sqlsafe', ')', 'a', 'x'],
  );
});

test('parse: 50,000 nested blocks end in a bounded error list', () => {
  const text = '{% if true %}'.repeat(50000) + 'x' + '{% endif %}'.repeat(50000);
  const r = parse(text);
  assert.ok(r.errors.length > 0 && r.errors.length <= 100, `errors: ${r.errors.length}`);
  assert.match(r.errors[0]!.message, /nests too deeply/);
});
