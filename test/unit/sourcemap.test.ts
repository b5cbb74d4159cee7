// The render's source map: every piece of output points back at the template range that
// produced it — literal text exactly, expressions at their {{ }}, macro output at the
// macro body with the call site in `via`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderString, parseArguments } from '../../core/src/jinja/index.ts';

function sourceOf(template: string, argsJson: string, needle: string, occurrence = 0) {
  const r = renderString(template, parseArguments(argsJson));
  assert.equal(r.error, null, r.error?.message);
  const out = r.output!;
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = out.indexOf(needle, at + 1);
  assert.ok(at >= 0, `'${needle}' not in ${JSON.stringify(out)}`);
  const seg = r.segments.find(s => s.start <= at && at < s.end)!;
  assert.ok(seg, `no segment at ${at}`);
  return { seg, text: template.slice(seg.source.start, seg.source.end), out };
}

test('source map: literal text maps to itself, offset for offset', () => {
  const t = 'SELECT a, b\nFROM t WHERE {{ x }} = 1';
  const r = renderString(t, parseArguments('{"x": 5}'));
  for (const s of r.segments.filter(s => s.kind === 'text')) {
    assert.equal(r.output!.slice(s.start, s.end), t.slice(s.source.start, s.source.end));
  }
});

test('source map: a bound value maps to its {{ }} and shifts nothing after it', () => {
  const t = "SELECT {{ name }} AS n, 'tail' FROM t";
  const { seg, text, out } = sourceOf(t, '{"name": "O\'Brien"}', "'O''Brien'");
  assert.equal(text, '{{ name }}');
  assert.equal(seg.kind, 'bind');
  assert.equal(out, "SELECT 'O''Brien' AS n, 'tail' FROM t");
  const tail = sourceOf(t, '{"name": "O\'Brien"}', 'AS n');
  assert.equal(tail.text.startsWith(' AS n'), true);
});

test('source map: loop iterations map back to the same template range', () => {
  const t = '{% for d in dims %}IDENTIFIER({{ d | column_policy }}){% if not loop.last %}, {% endif %}{% endfor %}';
  const a = sourceOf(t, '{"dims": ["p.A", "p.B"]}', "'p.A'");
  const b = sourceOf(t, '{"dims": ["p.A", "p.B"]}', "'p.B'");
  assert.deepEqual(a.seg.source, b.seg.source);
  assert.equal(a.text, '{{ d | column_policy }}');
});

test('source map: macro output points into the macro body, with the call site in via', () => {
  const t = "{% macro col(c) %}IDENTIFIER({{ c | column_policy }}){% endmacro %}SELECT {{ col('p.X') }}";
  const { seg, text } = sourceOf(t, '{}', "'p.X'");
  assert.equal(text, '{{ c | column_policy }}');
  assert.equal(seg.via?.length, 1);
  assert.equal(t.slice(seg.via![0]!.start, seg.via![0]!.end), "{{ col('p.X') }}");
});

test('source map: segments of the inline form stay ordered and inside the output', () => {
  const t = '{% for s in source_table %}SELECT * FROM IDENTIFIER({{ s }}) p{{ loop.index }}{% if not loop.last %} UNION ALL {% endif %}{% endfor %}';
  const r = renderString(t, parseArguments('{"source_table": ["A.B.C", "D.E.F"]}'));
  let last = 0;
  for (const s of r.segments) {
    assert.ok(s.start >= last && s.end <= r.output!.length && s.start <= s.end);
    last = s.end;
  }
  assert.equal(last, r.output!.length);
});
