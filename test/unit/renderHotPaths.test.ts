/**
 * Render hot paths kept exact while made fast.
 * Unknown filters and tests fail a template at compile time; the verdict is kept per parsed
 * template and filter set, so every render of one parse reports the same, and a plain Jinja
 * render does not inherit the JinjaSQL filters' verdict (or the reverse).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../core/src/jinja/parse.js';
import { renderString } from '../../core/src/jinja/index.js';
import { PyDict } from '../../core/src/jinja/runtime/values.js';

test('the unknown-filter verdict is the same on every render and depends on the filter set', () => {
  const text = 'SELECT {{ x | sqlsafe }}{% if false %}{{ y | nope }}{% endif %} FROM t {{ z | nosuch }}';
  const parsed = parse(text);
  const args = new PyDict([['x', 'a']]);
  const first = renderString(text, args, { jinjasql: true, parsed });
  const second = renderString(text, args, { jinjasql: true, parsed });
  assert.equal(first.error?.message, "No filter named 'nosuch'.");
  assert.deepEqual([second.error?.type, second.error?.message, second.error?.span], [first.error?.type, first.error?.message, first.error?.span]);

  const ok = 'SELECT {{ x | sqlsafe }} FROM t';
  const okParsed = parse(ok);
  assert.equal(renderString(ok, args, { jinjasql: true, parsed: okParsed }).error, null);
  // Plain Jinja has no sqlsafe: the same parse fails there, and still renders under JinjaSQL.
  assert.equal(renderString(ok, args, { jinjasql: false, parsed: okParsed }).error?.message, "No filter named 'sqlsafe'.");
  assert.equal(renderString(ok, args, { jinjasql: true, parsed: okParsed }).error, null);
});

test('bound values past the 6,400 one-unit markers (two-unit markers) are inlined in order, each with its segment', () => {
  const text = '{% for i in range(7000) %}{{ i }},{% endfor %}';
  const r = renderString(text, new PyDict(), { jinjasql: true, parsed: parse(text) });
  assert.equal(r.error, null);
  const values = r.output!.split(',').slice(0, -1);
  assert.equal(values.length, 7000);
  assert.deepEqual([values[0], values[6399], values[6400], values[6999]], ['0', '6399', '6400', '6999']);
  // Every bind has a segment that covers exactly its inlined literal.
  const binds = r.segments.filter(s => s.kind === 'bind');
  assert.equal(binds.length, 7000);
  assert.equal(r.output!.slice(binds[6999]!.start, binds[6999]!.end), '6999');
});
