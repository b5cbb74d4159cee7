// Symbolic mode: caller arguments become traceable values; the render reports which policy
// filters each argument element passed and where it landed in the SQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../core/src/jinja/parse.ts';
import { renderSymbolic, freeVariables, inferShapes, listShapes } from '../../core/src/jinja/symbolic.ts';

const sym = (t: string) => renderSymbolic(t, parse(t));

test('symbolic: free variables are what the template reads and never assigns', () => {
  const t = '{% set n = 1 %}{% macro m(a) %}{{ a }}{% endmacro %}{% for d in dims %}{{ m(d) }}{{ n }}{{ loop.index }}{% endfor %}{{ where_clause }}';
  assert.deepEqual([...freeVariables(parse(t).template)].sort(), ['dims', 'where_clause']);
});

test('symbolic: shapes inferred from use', () => {
  const t = "{% for x in dims[1:] %}{% endfor %}{{ privacy.threshold_value }}{% if n > 5 %}{% endif %}{{ col.split('.')[1] }}{{ f(1) }}{{ where_clause }}";
  const shapes = inferShapes(parse(t).template, freeVariables(parse(t).template));
  assert.deepEqual(Object.fromEntries(shapes), { dims: 'list', privacy: 'dict', n: 'number', col: 'string', f: 'callable', where_clause: 'predicate' });
});

test('symbolic: each list varies alone, so mismatched lengths are tried', () => {
  const shapes = listShapes(['dimensions', 'source_table']).map(s => [...s.values()].join(','));
  assert.ok(shapes.includes('3,2') && shapes.includes('2,3') && shapes.includes('1,1'), shapes.join(' '));
});

test('symbolic: checks and uses are tracked per argument element, bound or raw', () => {
  const r = sym('SELECT IDENTIFIER({{ dims[0] | column_policy }}), {{ col | sqlsafe }} FROM IDENTIFIER({{ source_table[0] }}) p');
  const first = r.renders[0]!;
  assert.equal(first.outcome.error, null);
  assert.deepEqual(
    first.checks.filter(c => c.filter !== 'sqlsafe').map(c => [c.path, c.filter]),
    [['dims[0]', 'column_policy']],
  );
  const uses = new Map(first.uses.map(u => [u.path, u.bound]));
  assert.equal(uses.get('dims[0]'), true);
  assert.equal(uses.get('col'), false);
  assert.equal(uses.get('source_table[0]'), true);
});

test('symbolic: values are followed through loops, slices and macros', () => {
  const t = '{% macro q(c) %}IDENTIFIER({{ c | column_policy }}){% endmacro %}{% for d in dims[1:] %}{{ q(d) }}{% endfor %}';
  const render = sym(t).renders.find(r => r.shape.get('dims') === 3)!;
  assert.deepEqual(render.checks.map(c => c.path).sort(), ['dims[1]', 'dims[2]']);
  const use = render.uses.find(u => u.path === 'dims[2]')!;
  assert.equal(t.slice(use.source.start, use.source.end), '{{ c | column_policy }}');
  assert.equal(use.via.length, 1);
});

test('symbolic: an alias written in the template gets a bare column value', () => {
  const r = sym('SELECT c.{{ consumer_col | sqlsafe }} FROM t c').renders[0]!;
  assert.match(r.outcome.output!, /SELECT c\.dcrsym\d+x FROM/);
});
